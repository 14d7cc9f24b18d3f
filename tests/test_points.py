"""
积分 as residents and community staff meet it: points for a check-in (once),
volunteer hours the community's staff confirm, corrections only as
counter-entries, the balance and history on the account page, paying part of
an order with points at checkout (积分兑换 goods in full), points back when the
order is cancelled.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from cms import points
from cms.models import PointsEntry
from cms.models.points import AppendOnly
from cms.reservations import reserve
from market.models import Community, PickupPoint, Resident
from market.orders import cancel

from .conftest import login_client, verified_resident

User = get_user_model()
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


def new_resident(username, mobile, balance=0, community="chaoyangjie"):
    user = verified_resident(username, mobile, community, last_name="陈", first_name="娜")
    if balance:
        points.correct(user, balance, None, None, "测试起始积分")
    return user


def to_preview(client, product, quantity):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    pickup = PickupPoint.objects.get(community__slug="chaoyangjie")
    response = client.post("/shop/checkout/delivery/", {"method": f"pickup-{pickup.pk}", "name": "陈娜",
                                                        "mobile": "13912340000"})
    assert response["Location"] == "/shop/checkout/preview/"
    return client.get("/shop/checkout/preview/").content.decode()


@pytest.mark.django_db
def test_checking_in_earns_the_events_points_once_and_the_account_page_shows_them(client):
    from .test_community import starting_soon

    event = starting_soon()
    user = new_resident("pts_checkin", "13912340001")
    reservation = reserve(event, user, "陈娜", "13912340001", 1)
    staff = login_client(client, "worker")
    staff.post(f"/events/{event.pk}/checkin/", {"code": reservation.code})
    assert "不能重复签到" in staff.post(f"/events/{event.pk}/checkin/", {"code": reservation.code}).content.decode()
    assert points.balance(user) == event.points == 20

    client.force_login(user)
    html = client.get("/points/").content.decode()
    assert "<strong>20</strong> 积分" in html and "参加活动签到" in html and event.title in html
    assert "去积分兑换" in html


@pytest.mark.django_db
def test_staff_confirm_volunteer_hours_for_their_own_communitys_residents_only(client):
    elder = User.objects.get(username="elder")
    before = points.balance(elder)
    staff = login_client(client, "worker")  # 朝阳街社区's worker
    response = staff.post("/points/staff/", {"kind": "volunteer", "mobile": "138 0531 0002", "hours": "1.5",
                                             "note": "陪伴读报"}, follow=True)
    assert "现有" in response.content.decode()
    assert points.balance(elder) == before + 150
    entry = PointsEntry.objects.filter(user=elder).first()
    assert entry.reason == "volunteer" and entry.hours == Decimal("1.5") and entry.created_by.username == "worker"

    html = staff.post("/points/staff/", {"kind": "volunteer", "mobile": "12345", "hours": "1"}).content.decode()
    assert "请填写 11 位手机号" in html and 'value="12345"' in html
    # a resident of another community is not found by this worker
    new_resident("pts_yunhu", "13912340002", community="yunhu")
    html = staff.post("/points/staff/", {"kind": "volunteer", "mobile": "13912340002", "hours": "2"}).content.decode()
    assert "本社区没有用这个手机号验证过的居民" in html
    assert not PointsEntry.objects.filter(user__username="pts_yunhu").exists()

    # residents and first secretaries have no 积分登记
    assert login_client(client, "resident").get("/points/staff/").status_code == 403
    assert login_client(client, "secretary").post("/points/staff/", {
        "kind": "volunteer", "mobile": "13805310002", "hours": "8"}).status_code == 403
    assert points.balance(elder) == before + 150


@pytest.mark.django_db
def test_corrections_are_counter_entries_with_a_reason_and_never_go_below_zero(client):
    user = new_resident("pts_fix", "13912340003", balance=100)
    staff = login_client(client, "worker")
    html = staff.post("/points/staff/", {"kind": "correction", "mobile": "13912340003", "amount": "-50"}).content
    assert "更正请写明原因" in html.decode()
    assert 'value="13912340003"' in html.decode()  # what was typed stays
    html = staff.post("/points/staff/", {"kind": "correction", "mobile": "13912340003", "amount": "-500",
                                         "note": "重复登记"}).content.decode()
    assert "积分不够：现有 100 积分，需要 500 积分" in html
    staff.post("/points/staff/", {"kind": "correction", "mobile": "13912340003", "amount": "-30", "note": "重复登记"})
    assert points.balance(user) == 70
    assert list(PointsEntry.objects.filter(user=user).values_list("amount", flat=True)) == [-30, 100]

    entry = PointsEntry.objects.filter(user=user).first()
    entry.amount = 1000
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert points.balance(user) == 70

    worker = User.objects.get(username="worker")
    Resident.objects.create(user=worker, community=Community.objects.get(slug="chaoyangjie"),
                            mobile=worker.verified_mobile.number)
    html = staff.post("/points/staff/", {"kind": "volunteer", "mobile": worker.verified_mobile.number,
                                         "hours": "3"}).content
    assert "不能给自己记积分" in html.decode()


@pytest.mark.django_db
def test_points_pay_part_of_an_order_and_the_counter_collects_the_rest(client):
    user = new_resident("pts_buyer", "13912340005", balance=5000)
    client.force_login(user)
    cucumbers = Product.objects.get(title="大庙屯黄瓜 3斤")  # ordinary goods: points pay half at most
    html = to_preview(client, cucumbers, 2)
    # one switch for all the points the order may take (1580 points: half of ¥31.60), and the amount left
    assert "你有 5000 积分" in html and "用 1580 积分抵 ¥15.80" in html
    assert 'role="switch" name="points"' in html and 'value="1580"' in html and "提交订单 ¥31.60" in html

    response = client.post("/shop/checkout/preview/", {"action": "place_order", "points": "1600"})
    assert "这张订单最多可用 1580 积分" in response.content.decode()
    assert points.balance(user) == 5000 and not Order.objects.filter(user=user).exists()

    response = client.post("/shop/checkout/preview/", {"action": "place_order", "points": "1580"})  # switched on
    assert response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get(user=user)
    assert order.total_incl_tax == Decimal("31.60")
    sources = {source.source_type.code: source for source in order.sources.all()}
    assert sources["points"].amount_allocated == sources["points"].amount_debited == Decimal("15.80")
    assert sources["pay-at-pickup"].amount_allocated == Decimal("15.80")
    assert points.balance(user) == 3420
    page = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "积分抵扣 1580 积分（¥15.80）" in page and "¥15.80" in page

    # the order is cancelled (not collected in time): its points come back, once
    assert cancel(order.pk)
    assert points.balance(user) == 5000
    assert points.return_for_order(order) is None and points.balance(user) == 5000
    assert "订单取消退回" in client.get("/points/").content.decode()


@pytest.mark.django_db
def test_exchange_goods_can_be_had_for_points_alone(client):
    resident = User.objects.get(username="resident")
    have = points.balance(resident)
    lettuce = Product.objects.get(title="新平生菜 2斤")  # on the 积分兑换 shelf, ¥8.80
    login_client(client, "resident")
    html = to_preview(client, lettuce, 1)
    assert f"你有 {have} 积分" in html and "用 880 积分抵 ¥8.80" in html
    response = client.post("/shop/checkout/preview/", {"action": "place_order", "points": "880"})
    assert response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.filter(user=resident).latest("date_placed")
    assert [source.source_type.code for source in order.sources.all()] == ["points"]
    assert order.status == "待备货" and points.balance(resident) == have - 880

    # at the pickup counter there is nothing left to collect
    delivery = order.delivery
    for line in order.lines.all():
        line.set_status("已送达自提点")
    order.set_status("已送达自提点")
    counter = login_client(client, "pickup")
    html = counter.post("/pickup/handover/", {"code": delivery.pickup_code}).content.decode()
    assert "应收" in html and "¥0.00" in html and "已付清" in html


@pytest.mark.django_db
def test_points_are_never_offered_for_someone_elses_order(client):
    """代下单: the worker's own points stay theirs and the elder's are not spent for her."""
    login_client(client, "worker")
    pickup = PickupPoint.objects.get(community__slug="chaoyangjie")
    lettuce = Product.objects.get(title="新平生菜 2斤")
    client.post(f"/shop/basket/add/{lettuce.pk}/", {"quantity": 1})
    client.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{pickup.pk}",
                                             "name": "胡奶奶", "mobile": "13805310002"})
    html = client.get("/shop/checkout/preview/").content.decode()
    assert "积分抵扣" not in html
    elder = User.objects.get(username="elder")
    before = points.balance(elder)
    client.post("/shop/checkout/preview/", {"action": "place_order", "points": "100"})
    assert points.balance(elder) == before


@pytest.mark.django_db
def test_with_online_payment_stripe_is_asked_for_what_points_left(client, fake_stripe, django_capture_on_commit_callbacks):
    from django.test import Client

    from .test_payments import deliver

    user = new_resident("pts_online", "13912340006", balance=1000)
    client.force_login(user)
    html = to_preview(client, Product.objects.get(title="大庙屯黄瓜 3斤"), 2)  # ¥31.60
    assert "在线支付" in html
    response = client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe", "points": "600"})
    session = list(fake_stripe.sessions.values())[-1]
    assert response["Location"] == session["url"]
    order = Order.objects.get(number=session["client_reference_id"])
    assert session["amount_total"] == 2560  # ¥31.60 less ¥6.00 of points, in fen
    assert points.balance(user) == 400 and order.status == "待支付"
    assert "去支付 ¥25.60" in client.get(f"/shop/accounts/orders/{order.number}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(Client(), fake_stripe.complete(session["id"])).status_code == 200
    order.refresh_from_db()
    assert order.status == "待备货"
    assert {s.source_type.code: s.amount_debited for s in order.sources.all()} == {
        "points": Decimal("6.00"), "stripe": Decimal("25.60")}


@pytest.mark.django_db
def test_an_unpaid_online_order_released_gives_its_points_back(client, fake_stripe):
    from market.payments import services

    user = new_resident("pts_release", "13912340007", balance=1000)
    client.force_login(user)
    to_preview(client, Product.objects.get(title="大庙屯黄瓜 3斤"), 2)
    client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe", "points": "600"})
    order = Order.objects.get(user=user)
    assert points.balance(user) == 400
    services.release(order.pk, now=timezone.now() + timedelta(days=1))
    order.refresh_from_db()
    assert order.status == "已取消" and points.balance(user) == 1000
