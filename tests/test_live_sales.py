"""Flash sales, 立即购买 and order notices in the live room, down to the basket and the order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from live.models import FlashSale, LiveSession
from market.models import PickupPoint

from .test_live_moderation import joined
from .test_live_room import connect, receive_type

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def flash_frame(stage, **overrides):
    frame = {"type": "flash.start", "product_id": stage["honey"].pk, "price": "39.90",
             "quantity": 3, "per_user_limit": 2, "duration_s": 60}
    frame.update(overrides)
    return frame


@database_sync_to_async
def basket_line(user):
    """(unit price, quantity) of the user's open basket's only line, priced as the shop prices it."""
    basket = Basket.open.get(owner=user)
    from oscar.core.loading import get_class

    basket.strategy = get_class("partner.strategy", "Selector")().strategy(user=user)
    line = basket.all_lines()[0]
    return line.unit_price_incl_tax, line.quantity


@database_sync_to_async
def make_buyer(username, last_name="胡"):
    return get_user_model().objects.create_user(username, password="pw-123456", last_name=last_name, first_name="一")


async def test_flash_sale_shows_price_countdown_and_remaining_and_is_never_oversold(stage):
    host, viewer = await joined(stage, "host"), await joined(stage, "viewer")
    await host.send_json_to(flash_frame(stage))
    flash = await receive_type(viewer, "flash")
    assert flash["price"] == "39.90" and flash["remaining"] == 3 and flash["product_id"] == stage["honey"].pk
    assert timedelta(seconds=55) < timezone.datetime.fromisoformat(flash["ends_at"]) - timezone.now() <= timedelta(seconds=60)
    assert (await receive_type(host, "flash"))["remaining"] == 3
    late, _, _ = await connect(stage["session"].pk)
    assert (await late.receive_json_from())["flash"]["remaining"] == 3  # hello carries the running sale
    await late.disconnect()

    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk})
    assert (await receive_type(viewer, "bought"))["checkout_url"] == "/shop/checkout/"
    assert (await receive_type(host, "flash"))["remaining"] == 2
    assert await basket_line(stage["viewer"]) == (Decimal("39.90"), 1)

    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "quantity": 2})
    error = await receive_type(viewer, "error")
    assert error["code"] == "limit_reached" and "每人限购 2 件" in error["message"]

    other = await make_buyer("flash_other", "李")
    buyer = await joined({**stage, "other": other}, "other")
    await buyer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "quantity": 2})
    assert (await receive_type(host, "flash"))["remaining"] == 0
    assert await receive_type(host, "flash.end") == {
        "type": "flash.end", "product_id": stage["honey"].pk, "reason": "sold_out"}
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "flash_id": flash["id"]})
    assert (await receive_type(viewer, "error"))["code"] == "sold_out"
    sale = await database_sync_to_async(FlashSale.objects.get)(session=stage["session"])
    assert sale.sold == 3
    # the basket cannot be topped up beyond the units claimed at the flash price
    assert await basket_line(stage["viewer"]) == (Decimal("39.90"), 1)
    for c in (host, viewer, buyer):
        await c.disconnect()


async def test_stopping_a_flash_sale_ends_it_and_its_price(stage):
    host, viewer = await joined(stage, "host"), await joined(stage, "viewer")
    await host.send_json_to(flash_frame(stage))
    await receive_type(viewer, "flash")
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk})
    await receive_type(viewer, "bought")
    await host.send_json_to({"type": "flash.stop"})
    assert (await receive_type(viewer, "flash.end"))["reason"] == "stopped"
    # back to the session's live price (49.90), no longer the flash price
    assert (await basket_line(stage["viewer"]))[0] == Decimal("49.90")
    await host.send_json_to({"type": "flash.stop"})
    assert (await receive_type(host, "error"))["code"] == "not_found"
    for c in (host, viewer):
        await c.disconnect()


async def test_an_expired_flash_sale_ends_by_itself(stage, settings):
    settings.LIVE_STATS_INTERVAL = 0.2
    host, viewer = await joined(stage, "host"), await joined(stage, "viewer")
    await host.send_json_to(flash_frame(stage))
    await receive_type(viewer, "flash")
    await database_sync_to_async(FlashSale.objects.update)(ends_at=timezone.now())
    assert (await receive_type(viewer, "flash.end"))["reason"] == "expired"
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk})
    await receive_type(viewer, "bought")  # at the live price now
    assert await basket_line(stage["viewer"]) == (Decimal("49.90"), 1)
    for c in (host, viewer):
        await c.disconnect()


@pytest.mark.parametrize("who, code", [("viewer", "not_allowed"), ("moderator", "not_allowed"), (None, "login_required")])
async def test_only_the_host_runs_flash_sales(stage, who, code):
    client = await joined(stage, who)
    await client.send_json_to(flash_frame(stage))
    assert (await receive_type(client, "error"))["code"] == code
    await client.send_json_to({"type": "flash.stop"})
    assert (await receive_type(client, "error"))["code"] == code
    await client.disconnect()


@pytest.mark.parametrize("overrides, code", [
    ({"price": "abc"}, "invalid"), ({"price": "-1"}, "invalid"), ({"price": "9.999"}, "invalid"),
    ({"price": 9.9}, "invalid"), ({"quantity": 0}, "invalid"), ({"per_user_limit": "2"}, "invalid"),
    ({"duration_s": 5}, "invalid"), ({"duration_s": 3601}, "invalid"), ({"product_id": None}, "invalid"),
])
async def test_flash_start_fields_are_validated(stage, overrides, code):
    host = await joined(stage, "host")
    await host.send_json_to(flash_frame(stage, **overrides))
    assert (await receive_type(host, "error"))["code"] == code
    await host.send_json_to(flash_frame(stage, product_id=stage["outside"].pk))
    assert (await receive_type(host, "error"))["code"] == "not_found"
    await host.disconnect()


async def test_buying_needs_a_login_a_live_session_and_a_lineup_product(stage):
    anonymous, viewer = await joined(stage, None), await joined(stage, "viewer")
    await anonymous.send_json_to({"type": "buy", "product_id": stage["honey"].pk})
    assert (await receive_type(anonymous, "error"))["code"] == "login_required"
    await viewer.send_json_to({"type": "buy", "product_id": stage["outside"].pk})
    assert (await receive_type(viewer, "error"))["code"] == "not_found"
    await database_sync_to_async(LiveSession.objects.update)(status=LiveSession.Status.ENDED)
    late = await joined(stage, "viewer")
    await late.send_json_to({"type": "buy", "product_id": stage["honey"].pk})
    assert (await receive_type(late, "error"))["code"] == "not_allowed"
    for c in (anonymous, viewer, late):
        await c.disconnect()


def place_order_at_pickup(user):
    client = Client()
    client.force_login(user)
    pickup = PickupPoint.objects.first()
    chosen = client.post("/shop/checkout/delivery/", {"method": f"pickup-{pickup.pk}", "name": "胡大爷",
                                                      "mobile": "13800138000"})
    assert chosen["Location"] == "/shop/checkout/preview/"
    response = client.post("/shop/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    return Order.objects.get(user=user)


async def test_an_order_from_the_room_is_announced_masked_and_counted_for_the_host(stage, settings):
    from market.models import Community

    def shop_ready():  # transactional tests start from an empty database
        get_model("address", "Country").objects.get_or_create(
            iso_3166_1_a2="CN", defaults={"name": "中国", "is_shipping_country": True})
        PickupPoint.objects.create(community=Community.objects.first(), name="朝阳街社区服务站", address="朝阳街 1 号")

    await database_sync_to_async(shop_ready)()
    host, viewer = await joined(stage, "host"), await joined(stage, "viewer")
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "quantity": 2})
    await receive_type(viewer, "bought")
    order = await database_sync_to_async(place_order_at_pickup)(stage["viewer"])
    assert order.total_incl_tax == Decimal("99.80")  # 2 × live price 49.90, pickup is free
    notice = await receive_type(viewer, "order")
    assert notice == {"type": "order", "buyer": "胡**", "product_title": "桑梓土蜂蜜 500g", "quantity": 2}
    assert (await receive_type(host, "figures"))["orders"] == 0  # on joining
    figures = await receive_type(host, "figures")
    assert (figures["orders"], figures["units"], figures["gmv"]) == (1, 2, "99.80")
    assert figures["per_minute"][-1]["units"] == 2
    # viewers never get the business figures: the notice came alone
    assert not any(e["type"] == "figures" for e in viewer.pending_events)
    await viewer.disconnect()
    await host.disconnect()


async def test_chat_is_rate_limited_per_user(stage):
    viewer = await joined(stage, "viewer")
    for n in range(3):
        await viewer.send_json_to({"type": "chat", "text": f"第{n}条", "client_id": f"c{n}"})
        assert (await receive_type(viewer, "chat"))["client_id"] == f"c{n}"
    await viewer.send_json_to({"type": "chat", "text": "太快了"})
    error = await receive_type(viewer, "error")
    assert error["code"] == "rate_limited" and "太快" in error["message"]
    await viewer.disconnect()


@pytest.mark.django_db
def test_live_prices_cost_the_shop_one_query_per_page_not_one_per_product(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from live.models import LineupItem, LivePurchase
    from tests.conftest import login_client

    login_client(client, "resident")
    client.get("/shop/")  # warm caches (site, categories, thumbnails)
    with CaptureQueriesContext(connection) as before:
        client.get("/shop/")
    session = LiveSession.objects.get(status="live")
    item = LineupItem.objects.filter(session=session).first()
    resident = get_user_model().objects.get(username="resident")
    LivePurchase.objects.create(session=session, user=resident, product=item.product, price=item.live_price)
    with CaptureQueriesContext(connection) as after:
        html = client.get("/shop/").content.decode()
    live_queries = [q["sql"] for q in after.captured_queries if "live_livepurchase" in q["sql"]]
    assert len(live_queries) == 1, live_queries
    assert len(after.captured_queries) <= len(before.captured_queries) + 1
    assert f"¥{item.live_price}" in html  # the resident sees the live price they pressed 立即购买 for
