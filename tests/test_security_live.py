"""Findings of the security review (issue #7) in the live room, each kept closed."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from config.asgi import application
from live import services
from live.models import HOSTS_GROUP, FlashSale, LineupItem, LiveSession, PriceStatus

from .test_live_moderation import joined
from .test_live_room import HOST, ORIGIN, closed_with, connect, next_event, receive_type
from .test_live_sales import basket_line, make_buyer

Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")


# 4 -- prices below a village's floor need its secretary --------------------------------------------

def village(slug, secretary):
    from oscar.test.factories import PartnerFactory

    from market.models import Village

    partner = PartnerFactory(name=slug)
    partner.users.add(make_user(secretary))
    return Village.objects.create(partner=partner, name=slug, slug=slug)


def make_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username, password="pw-123456")


@database_sync_to_async
def village_product_in_lineup(stage, live_price):
    """槐花蜜 (¥118) of a village with the default 70 % floor, in the stage session at a live price."""
    from oscar.test.factories import create_product

    home = village("huaihua", "sec_home")
    elsewhere = village("elsewhere", "sec_other")
    product = create_product(title="桑梓槐花蜜 1kg", price=Decimal("118.00"), num_in_stock=100,
                             partner_name=home.partner.name)
    item = LineupItem.objects.create(session=stage["session"], product=product, position=2,
                                     live_price=Decimal(live_price))
    # another village's product, also waiting: deciding on one price must leave it alone
    tomatoes = create_product(title="普罗旺斯西红柿 5斤装", price=Decimal("39.80"), num_in_stock=100,
                              partner_name=elsewhere.partner.name)
    LineupItem.objects.create(session=stage["session"], product=tomatoes, position=3, live_price=Decimal("0.01"))
    return product, item


def secretary_client(username):
    client = Client()
    client.login(request=RequestFactory().post("/accounts/login/"), username=username, password="pw-123456")
    return client


async def test_a_live_price_below_the_floor_waits_for_the_villages_secretary(stage):
    product, item = await village_product_in_lineup(stage, "0.01")
    assert item.price_status == PriceStatus.PENDING and item.effective_live_price is None
    await database_sync_to_async(Client().logout)()
    buyer = await make_buyer("floor_buyer")
    await database_sync_to_async(services.buy)(stage["session"], buyer, product.pk)
    assert (await basket_line(buyer))[0] == Decimal("118.00")  # the shop price, not ¥0.01

    def secretaries_decide():
        other, own = secretary_client("sec_other"), secretary_client("sec_home")
        assert other.post(f"/live/prices/{item.pk}/", {"decision": "approve"}).status_code == 404
        assert "桑梓槐花蜜" in own.get("/live/prices/").content.decode()
        assert own.get(f"/live/prices/{item.pk}/").status_code == 405
        assert own.post(f"/live/prices/{item.pk}/", {"decision": "approve"}).status_code == 302

    await database_sync_to_async(secretaries_decide)()
    await database_sync_to_async(item.refresh_from_db)()
    assert item.price_status == PriceStatus.APPROVED and item.effective_live_price == Decimal("0.01")
    others = database_sync_to_async(lambda: list(LineupItem.objects.exclude(pk=item.pk)
                                                  .filter(live_price=Decimal("0.01")).values_list("price_status", flat=True)))
    assert await others() == [PriceStatus.PENDING]


async def test_a_flash_price_below_the_floor_is_refused(stage):
    product, _item = await village_product_in_lineup(stage, "100.00")
    host = await joined(stage, "host")
    await host.send_json_to({"type": "flash.start", "product_id": product.pk, "price": "0.01", "quantity": 50,
                             "per_user_limit": 50, "duration_s": 60})
    error = await receive_type(host, "error")
    assert error["code"] == "not_allowed" and "底价" in error["message"]
    await host.send_json_to({"type": "flash.start", "product_id": product.pk, "price": "88.00", "quantity": 5,
                             "per_user_limit": 1, "duration_s": 60})
    assert (await receive_type(host, "flash"))["price"] == "88.00"
    await host.disconnect()


async def test_live_price_units_are_limited_per_buyer_and_the_basket_cannot_be_topped_up(stage, settings):
    settings.LIVE_PRICE_PER_USER_LIMIT = 3
    buyer = await make_buyer("limit_buyer")
    buy = database_sync_to_async(services.buy)
    await buy(stage["session"], buyer, stage["honey"].pk, 3)
    with pytest.raises(services.RoomError) as refused:
        await buy(stage["session"], buyer, stage["honey"].pk, 1)
    assert refused.value.code == "limit_reached"
    assert await basket_line(buyer) == (Decimal("49.90"), 3)

    def top_up():
        client = Client()
        client.force_login(buyer)
        basket = Basket.open.get(owner=buyer)
        line = basket.all_lines()[0]
        response = client.post("/shop/basket/", {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1,
                                                 "form-0-id": line.pk, "form-0-quantity": 10}, follow=True)
        return Basket.open.get(owner=buyer).all_lines()[0].quantity, response.content.decode()

    quantity, page = await database_sync_to_async(top_up)()
    assert quantity == 3 and "你抢到了 3 件" in page


# 16 -- an expired flash sale does not sell ------------------------------------------------------------

async def test_a_flash_sale_past_its_end_refuses_a_buy_before_the_tick_closes_it(stage):
    flash = await database_sync_to_async(FlashSale.objects.create)(
        session=stage["session"], product=stage["honey"], price=Decimal("9.90"), quantity=10, per_user_limit=5,
        started_at=timezone.now() - timedelta(minutes=2), ends_at=timezone.now() - timedelta(seconds=1))
    buyer = await make_buyer("late_buyer")
    with pytest.raises(services.RoomError) as refused:
        await database_sync_to_async(services.buy)(stage["session"], buyer, stage["honey"].pk, 1, flash.pk)
    assert refused.value.code == "sold_out"
    assert not await database_sync_to_async(Basket.open.filter(owner=buyer, lines__isnull=False).exists)()


async def test_a_flash_sale_of_another_session_cannot_be_claimed_from_this_one(stage):
    def other_sessions_sale():
        other = LiveSession.objects.create(title="别的直播", host=stage["host"], community=stage["session"].community,
                                           status=LiveSession.Status.LIVE, scheduled_start=timezone.now())
        return FlashSale.objects.create(session=other, product=stage["honey"], price=Decimal("1.00"), quantity=10,
                                        per_user_limit=10, started_at=timezone.now(),
                                        ends_at=timezone.now() + timedelta(minutes=5))

    flash = await database_sync_to_async(other_sessions_sale)()
    buyer = await make_buyer("cross_buyer")
    with pytest.raises(services.RoomError) as refused:
        await database_sync_to_async(services.buy)(stage["session"], buyer, stage["honey"].pk, 1, flash.pk)
    assert refused.value.code == "sold_out"
    await database_sync_to_async(flash.refresh_from_db)()
    assert flash.sold == 0


# 9 -- likes ------------------------------------------------------------------------------------------------

async def test_likes_are_capped_per_user_per_second(stage, settings):
    settings.LIVE_STATS_INTERVAL = 0.5
    viewer = await joined(stage, "viewer")
    for _ in range(50):
        await viewer.send_json_to({"type": "like", "count": 20})
    error = await receive_type(viewer, "error")
    assert error["code"] == "rate_limited"
    stats = await receive_type(viewer, "stats")
    assert stats["likes"] <= 2 * settings.LIVE_LIKES_PER_SECOND
    await viewer.disconnect()


# 10, 19 -- frames ------------------------------------------------------------------------------------------

async def test_oversize_nested_and_invalid_unicode_frames_get_an_error_and_the_socket_stays(stage):
    viewer = await joined(stage, "viewer")
    await viewer.send_to(text_data=json.dumps({"type": "chat", "text": "长" * 10_000}))
    assert (await receive_type(viewer, "error"))["code"] == "too_long"
    await viewer.send_to(text_data="[" * 2000 + "]" * 2000)
    assert (await receive_type(viewer, "error"))["code"] == "invalid"
    await viewer.send_to(text_data='{"type": "chat", "text": "\\ud800"}')
    assert (await receive_type(viewer, "error"))["code"] == "invalid"
    await viewer.send_json_to({"type": "ping"})
    assert (await receive_type(viewer, "pong"))["type"] == "pong"
    await viewer.disconnect()


async def test_one_client_address_cannot_open_unlimited_sockets(stage, settings):
    from live.consumers import _sockets_by_address

    settings.LIVE_MAX_SOCKETS_PER_ADDRESS = _sockets_by_address[""] + 3  # sockets other tests left open count too
    sockets = [await joined(stage, None) for _ in range(3)]
    extra, connected, _ = await connect(stage["session"].pk)
    assert connected and await closed_with(extra) == 4429
    await sockets[0].disconnect()
    await asyncio_sleep(0.2)
    again = await joined(stage, None)
    for socket in sockets[1:] + [again]:
        await socket.disconnect()


# 14 -- Origin: scheme, host and port ----------------------------------------------------------------------

@pytest.mark.parametrize("origin,accepted", [
    (b"http://testserver", True),
    (b"http://testserver:9999", False),
    (b"https://testserver", False),
    (b"http://evil.example", False),
    (b"null", False),
])
async def test_only_the_sites_own_origin_opens_a_room(stage, origin, accepted):
    communicator = WebsocketCommunicator(application, f"/ws/live/{stage['session'].pk}/",
                                         headers=[(b"origin", origin), HOST])
    connected, _ = await communicator.connect()
    assert connected is accepted
    if connected:
        await communicator.disconnect()


# 11 -- rights taken away stop working at once -------------------------------------------------------------

async def test_a_removed_moderator_stops_getting_figures(stage):
    moderator = await joined(stage, "moderator")

    def remove():
        client = Client()
        client.force_login(stage["host"])
        client.post(f"/live/{stage['session'].pk}/moderators/", {"remove": stage["moderator"].pk})

    await database_sync_to_async(remove)()
    await asyncio_sleep(0.3)
    figures = await database_sync_to_async(services.figures)(stage["session"])
    from live import fanout

    await fanout.broadcast(stage["session"].pk, figures, {"type": "announce", "text": "还在"})
    event = await receive_type(moderator, "announce")
    assert event["text"] == "还在"
    seen = [e["type"] for e in moderator.__dict__.get("pending_events", [])]
    assert "figures" not in seen
    await moderator.disconnect()


async def asyncio_sleep(seconds):
    import asyncio

    await asyncio.sleep(seconds)


async def test_a_host_removed_from_the_hosts_group_loses_console_key_and_flash(stage):
    host = await joined(stage, "host")

    def demote():
        Group.objects.get(name=HOSTS_GROUP).user_set.remove(stage["host"])
        client = Client()
        client.force_login(stage["host"])
        session = stage["session"]
        key = LiveSession.objects.get(pk=session.pk).stream_key
        assert client.get(f"/live/{session.pk}/console/").status_code == 403
        assert client.post(f"/live/{session.pk}/key/").status_code == 403
        assert LiveSession.objects.get(pk=session.pk).stream_key == key

    await database_sync_to_async(demote)()
    await host.send_json_to({"type": "flash.start", "product_id": stage["honey"].pk, "price": "39.90",
                             "quantity": 3, "per_user_limit": 1, "duration_s": 60})
    assert (await receive_type(host, "error"))["code"] == "not_allowed"
    await host.disconnect()
