"""
代下单: a community worker orders for a resident who cannot do it alone — picked by mobile
number (or name + mobile), pickup at the worker's community, pay at pickup. The order is the
resident's when the number has an account; the worker sees the orders they placed, nobody else's.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from oscar.core.loading import get_model

from market.models import Community, PickupPoint, Resident

from .conftest import login_client, verified_resident
from .test_pickup import to_delivery_page

Order = get_model("order", "Order")
User = get_user_model()


def assist(client, point, mobile, name=""):
    to_delivery_page(client, title="桑梓小米 2.5kg")
    return client.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{point.pk}",
                                                    "mobile": mobile, "name": name})


def place(client):
    preview = client.get("/shop/checkout/preview/").content.decode()
    assert "代下单" in preview
    placed = client.post("/shop/checkout/preview/", {"action": "place_order"})
    assert placed["Location"] == "/shop/checkout/thank-you/", placed
    return client.get("/shop/checkout/thank-you/").content.decode()


@pytest.fixture
def worker(client, db):
    return login_client(client, "worker")


@pytest.mark.django_db
def test_a_worker_orders_for_an_elder_by_mobile_and_she_sees_it_in_her_account(worker):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    assert "替居民代下单" in to_delivery_page(worker).content.decode()
    response = assist(worker, chaoyang, "138 0531 0002")  # 胡奶奶's number, typed with spaces
    assert response.status_code == 302 and response["Location"] == "/shop/checkout/preview/"
    thanks = place(worker)
    order = Order.objects.filter(delivery__placed_by__username="worker").latest("date_placed")
    elder = User.objects.get(username="elder")
    assert order.user == elder and order.shipping_address.first_name == "胡奶奶"
    assert order.delivery.pickup_point == chaoyang and order.delivery.pickup_code in thanks
    assert f"/assist/orders/{order.number}/" in thanks
    # the elder sees it in 我的订单; the worker sees it at /assist/ and not through the elder's account pages
    elder_client = login_client(Client(), "elder")
    assert order.number in elder_client.get("/me/orders/").content.decode()
    assert elder_client.get(f"/shop/accounts/orders/{order.number}/").status_code == 200
    listing = worker.get("/assist/").content.decode()
    assert order.number in listing and order.delivery.pickup_code in listing
    assert worker.get(f"/assist/orders/{order.number}/").status_code == 200
    assert worker.get(f"/shop/accounts/orders/{order.number}/").status_code == 404
    # an assisted order does not count against the worker's own pay-at-pickup limit, nor remember their number
    assert not Order.objects.filter(user__username="worker").exists()


@pytest.mark.django_db
def test_a_resident_without_an_account_needs_a_name_and_gets_no_email(worker):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    response = assist(worker, chaoyang, "13912345678")
    assert response.status_code == 200 and "请填写居民的姓名" in response.content.decode()
    assert 'value="13912345678"' in response.content.decode()  # nothing typed is lost
    sent = len(mail.outbox)
    worker.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{chaoyang.pk}",
                                             "mobile": "13912345678", "name": "孙大爷"})
    place(worker)
    order = Order.objects.get(shipping_address__first_name="孙大爷")
    assert order.user is None and order.delivery.placed_by.username == "worker"
    assert len(mail.outbox) == sent
    assert order.number in worker.get("/assist/").content.decode()


@pytest.mark.django_db
def test_a_worker_orders_only_for_pickup_at_their_own_community(worker):
    elsewhere = PickupPoint.objects.get(community__slug="wuyingtan")
    response = assist(worker, elsewhere, "13805310002")
    assert response.status_code == 200 and "代下单只能选你所在社区的自提点" in response.content.decode()
    response = worker.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": "postal",
                                                        "mobile": "13805310002"})
    assert "代下单只能选你所在社区的自提点" in response.content.decode()


@pytest.mark.django_db
def test_a_worker_removed_from_the_community_before_placing_is_refused(worker):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    assist(worker, chaoyang, "13805310002")
    Community.objects.get(slug="chaoyangjie").workers.remove(User.objects.get(username="worker"))
    before = Order.objects.count()
    response = worker.post("/shop/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302 and Order.objects.count() == before


@pytest.mark.django_db
def test_residents_cannot_assist_and_workers_see_only_their_own_orders(client):
    resident = login_client(client, "resident")
    assert "替居民代下单" not in to_delivery_page(resident).content.decode()
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    resident.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{chaoyang.pk}",
                                               "mobile": "13805310002", "name": "陈娜"})
    resident.post("/shop/checkout/preview/", {"action": "place_order"})
    order = Order.objects.filter(user__username="resident").latest("date_placed")
    assert order.delivery.placed_by is None  # the field is not there for them: an ordinary order of their own
    assert resident.get("/assist/").status_code == 403

    demo = Order.objects.filter(delivery__placed_by__username="worker").first()  # seeded for 胡奶奶
    other = User.objects.create_user("worker_2", password="pw-123456")
    Community.objects.get(slug="wuyingtan").workers.add(other)
    other_client = Client()
    other_client.force_login(other)
    assert demo.number not in other_client.get("/assist/").content.decode()
    assert other_client.get(f"/assist/orders/{demo.number}/").status_code == 404


@pytest.mark.django_db
def test_a_residents_number_from_another_community_makes_a_guest_order_not_theirs(worker):
    """F3: 代下单 never lands on another community's resident's account (nor blocks their own orders)."""
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    other = verified_resident("yunhu_res", "13912340077", "yunhu", last_name="周", first_name="阿姨")
    response = assist(worker, chaoyang, "13912340077")
    assert response.status_code == 200 and "请填写居民的姓名" in response.content.decode()  # not filled in for her
    worker.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{chaoyang.pk}",
                                             "mobile": "13912340077", "name": "周阿姨"})
    place(worker)
    order = Order.objects.get(shipping_address__first_name="周阿姨")
    assert order.user is None and order.delivery.pickup_point == chaoyang
    assert not Order.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_a_resident_who_moved_away_before_placing_gets_a_guest_order(worker):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    assist(worker, chaoyang, "13805310002")  # 胡奶奶, of 朝阳街社区
    hers = Order.objects.filter(user__username="elder").count()
    Resident.objects.filter(user__username="elder").update(community=Community.objects.get(slug="yunhu"))
    place(worker)
    assert Order.objects.filter(user__username="elder").count() == hers
    assert Order.objects.filter(user__isnull=True, delivery__placed_by__username="worker",
                                shipping_address__first_name="胡奶奶").exists()


@pytest.mark.django_db
def test_a_number_someone_only_typed_never_brings_orders_or_points_to_their_account(worker, client):
    """Only a mobile verified by a code identifies a resident: 陈娜 typing 13912340088 at checkout does not
    make orders for that number hers, nor let staff record points to her by it."""
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    typed = User.objects.create_user("typed_it", last_name="冒", first_name="名")
    Resident.objects.create(user=typed, community=chaoyang.community, mobile="13912340088")
    response = assist(worker, chaoyang, "13912340088")
    assert "请填写居民的姓名" in response.content.decode()  # nobody is found by it
    worker.post("/shop/checkout/delivery/", {"for_whom": "resident", "method": f"pickup-{chaoyang.pk}",
                                             "mobile": "13912340088", "name": "真的本人"})
    place(worker)
    assert Order.objects.get(shipping_address__first_name="真的本人").user is None
    html = worker.post("/points/staff/", {"kind": "volunteer", "mobile": "13912340088", "hours": "1"}).content
    assert "本社区没有用这个手机号验证过的居民" in html.decode()
