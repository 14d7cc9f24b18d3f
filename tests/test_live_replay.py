"""Replays: the room's history in step with the recording, and buying from it at today's shop price."""

import json
import re
from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from live import replay, services
from live.models import ChatMessage, FlashSale, LivePurchase, LiveSession, RoomEvent

from .conftest import login_client

Basket = get_model("basket", "Basket")
User = get_user_model()
T0 = 1_800_000_000  # the first piece's start (unix seconds)


def moment(seconds):
    return datetime.fromtimestamp(T0 + seconds, tz=dt_timezone.utc)


@pytest.fixture
def ended(db):
    """The demo's ended session, recorded in two pieces: 60 s, the host's phone away for 60 s, 60 s more."""
    session = LiveSession.objects.get(title="银发专柜好物分享会")
    session.started_at, session.ended_at = moment(0), moment(180)
    session.replay_pieces = [[T0, 60.0], [T0 + 120, 60.0]]
    session.replay.save("replay-test.mp4", ContentFile(b"\x00"), save=False)
    session.save()
    session.room_events.all().delete()
    session.chat_messages.all().delete()
    session.flash_sales.all().delete()
    return session


def said(session, username, text, seconds, hidden=False):
    message = ChatMessage.objects.create(session=session, user=User.objects.get(username=username), text=text,
                                         is_hidden=hidden)
    ChatMessage.objects.filter(pk=message.pk).update(created=moment(seconds))


def at_last(session, seconds):
    """Move the room event just logged to a moment of the show."""
    RoomEvent.objects.filter(pk=session.room_events.latest("id").pk).update(at=moment(seconds))


def shop_price(product):
    return get_class("partner.strategy", "Selector")().strategy().fetch_for_product(product).price.incl_tax


def test_the_replay_shows_chat_pins_announcements_flash_sales_and_orders_at_their_video_time(ended):
    host = User.objects.get(username="host")
    first, second = [item.product for item in ended.lineup.order_by("position")[:2]]
    said(ended, "elder", "蜂蜜是今年的新蜜吗？", 10)
    said(ended, "resident", "广告链接 http://spam", 12, hidden=True)
    services.pin(ended, host, first.pk)
    at_last(ended, 20)
    services.announce(ended, host, "满 99 元包邮")
    at_last(ended, 25)
    flash = FlashSale.objects.create(session=ended, product=first, price=Decimal("9.90"), quantity=20,
                                     per_user_limit=2, sold=20, started_at=moment(30), ends_at=moment(90),
                                     ended_at=moment(50), end_reason=FlashSale.EndReason.SOLD_OUT)
    services.pin(ended, host, second.pk)
    at_last(ended, 90)  # while the encoder was away: shown where the second piece begins
    said(ended, "resident", "已下单，周末去朝阳街自提！", 130)
    order = create_order(user=User.objects.get(username="elder"))
    order.date_placed = moment(140)
    order.save()
    LivePurchase.objects.create(session=ended, user=order.user, product=second, price=Decimal("20"), quantity=2,
                                order=order)
    services.unpin(ended, host)
    at_last(ended, 150)

    events = replay.replay_events(ended)
    seen = [(e["type"], e["t"]) for e in events]
    assert seen == [("chat", 10.0), ("pin", 20.0), ("announce", 25.0), ("flash", 30.0), ("flash.end", 50.0),
                    ("pin", 60.0), ("chat", 70.0), ("order", 80.0), ("unpin", 90.0)]
    texts = [e["text"] for e in events if e["type"] == "chat"]
    assert texts == ["蜂蜜是今年的新蜜吗？", "已下单，周末去朝阳街自提！"]  # the hidden one is not in the replay
    assert events[0]["user"] == "胡奶奶"
    pin = events[1]["product"]
    assert pin["id"] == first.pk and pin["price"] == str(shop_price(first))  # today's shop price, no live price
    assert "live_price" not in pin
    assert events[3]["price"] == "9.90" and events[3]["sold"] == 20 and events[4]["reason"] == "sold_out"
    order_event = next(e for e in events if e["type"] == "order")
    assert order_event["buyer"] == "胡**" and order_event["quantity"] == 2
    assert [(c["t"], c["product_id"]) for c in replay.chapters(events)] == [(20.0, first.pk), (60.0, second.pk)]


def test_the_replay_page_lists_chapters_and_carries_the_history_but_no_chat_box(ended, client):
    host = User.objects.get(username="host")
    product = ended.lineup.order_by("position").first().product
    services.pin(ended, host, product.pk)
    at_last(ended, 125)  # 65 s into the video
    said(ended, "resident", "<script>alert(1)</script>", 126)
    html = client.get(ended.get_absolute_url()).content.decode()
    assert 'data-role="replay"' in html and 'id="replay-events"' in html
    assert re.search(r'data-t="65.0">\s*<span class="chapter-time">1:05</span> ' + re.escape(product.get_title()), html)
    assert "<script>alert(1)</script>" not in html  # json_script escapes it; the script inserts it as text
    data = json.loads(re.search(r'<script id="replay-events" type="application/json">(.*?)</script>', html,
                                re.S).group(1))
    assert data[-1]["text"] == "<script>alert(1)</script>"
    assert 'data-role="chat-form"' not in html and 'id="live-room"' not in html  # no socket, no sending


def test_buying_from_a_replay_puts_the_product_in_the_basket_at_today_s_shop_price(ended, client):
    item = ended.lineup.order_by("position").first()
    product, live_price = item.product, item.live_price
    price = shop_price(product)
    assert live_price < price
    resident = User.objects.get(username="resident")
    # units taken at the live price during the show, never ordered: the show is over, so is that price
    LivePurchase.objects.create(session=ended, user=resident, product=product, price=live_price)
    login_client(client, "resident")
    url = f"/live/{ended.pk}/replay/add/"
    answer = client.post(url, {"product_id": product.pk}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200 and answer.json()["ok"] and product.get_title() in answer.json()["message"]
    basket = Basket.open.get(owner=resident)
    basket.strategy = get_class("partner.strategy", "Selector")().strategy(user=resident)
    line = basket.all_lines().get(product=product)
    assert line.unit_price_incl_tax == price and line.quantity >= 1
    preview = client.get("/shop/basket/").content.decode()
    assert f"¥{price}" in preview or f"¥{price:,}" in preview

    other = LiveSession.objects.get(status="live").lineup.first().product
    refused = client.post(url, {"product_id": other.pk}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 409 and "不在本场直播" in refused.json()["message"]
    assert client.post(url, {"product_id": "x' or 1=1"}, HTTP_ACCEPT="application/json").status_code == 409
    assert client.get(url).status_code == 405
    live = LiveSession.objects.get(status="live")
    assert client.post(f"/live/{live.pk}/replay/add/", {"product_id": other.pk}).status_code == 404


def test_anyone_can_buy_from_a_replay_without_javascript(ended, client):
    product = ended.lineup.order_by("position").first().product
    response = client.post(f"/live/{ended.pk}/replay/add/", {"product_id": product.pk})
    assert response.status_code == 302 and response["Location"] == "/shop/basket/"
    page = client.get("/shop/basket/").content.decode()
    assert product.get_title() in page and "已加入购物车" in page


def test_without_recorded_pieces_the_replay_clock_starts_when_the_session_went_live(ended):
    ended.replay_pieces = []
    clock = replay.video_clock(ended)
    assert clock(moment(-5)) == 0.0 and clock(moment(42)) == 42.0
    ended.replay_pieces = [[T0, 60.0], [T0 + 120, 60.0]]
    clock = replay.video_clock(ended)
    assert (clock(moment(59)), clock(moment(61)), clock(moment(119)), clock(moment(121)), clock(moment(999))) == \
        (59.0, 60.0, 60.0, 61.0, 120.0)
    assert replay.clock_label(3725) == "1:02:05" and replay.clock_label(65) == "1:05"


def test_the_replay_file_is_served_by_range_so_the_player_can_seek(ended, client):
    ended.replay.save("range-test.mp4", ContentFile(bytes(range(256)) * 4), save=True)
    url = ended.replay.url
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part.content == bytes(range(10, 20))
    assert part["Content-Range"] == "bytes 10-19/1024"
    assert client.get(url, HTTP_RANGE="bytes=-4").content == bytes(range(252, 256))
    assert client.get(url, HTTP_RANGE="bytes=1000-").content == bytes(range(232, 256))
    refused = client.get(url, HTTP_RANGE="bytes=5000-6000")
    assert refused.status_code == 416 and refused["Content-Range"] == "bytes */1024"
    assert client.get("/media/live/replays/none.mp4", HTTP_RANGE="bytes=0-10").status_code == 404
