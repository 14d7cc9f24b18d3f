"""
Pickup codes cannot be swept: wrong codes are throttled per staff account and per point (then every
code is refused for a while, so a pause tells nothing), and an open code is unique at its point in the
database, free again once its order is collected or cancelled.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.utils import timezone

from market import delivery
from market.models import FailedAttempt, OrderDelivery, PickupPoint

from .conftest import DEMO_PASSWORD, login_client
from .test_workspace import pickup_order


def at_the_point(order):
    for line in order.lines.all():
        line.set_status(settings.ORDER_STATUS_AT_PICKUP)
    order.set_status(settings.ORDER_STATUS_AT_PICKUP)
    return order


def wrong_codes(right, n):
    codes = [f"{i:06d}" for i in range(n + 1)]
    return [code for code in codes if code != right][:n]


@pytest.mark.django_db
def test_ten_wrong_codes_pause_the_counter_for_everyone_at_the_point_even_for_a_right_code(django_user_model):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    order = at_the_point(pickup_order(django_user_model.objects.create_user("buyer_t", first_name="唐"), chaoyang,
                                      [("桑梓土蜂蜜 500g", 1)]))
    code = order.delivery.pickup_code
    staff = login_client(Client(), "pickup")
    for wrong in wrong_codes(code, settings.CODE_ATTEMPTS_LIMIT):
        assert "取货码不对" in staff.post("/pickup/handover/", {"code": wrong}).content.decode()
    html = staff.post("/pickup/handover/", {"code": code}).content.decode()
    assert "输错的次数太多，请 5 分钟后再试" in html
    # a colleague at the same point is paused too (the point counts as well as the account)
    colleague = get_user_model().objects.create_user("pickup_2", password=DEMO_PASSWORD)
    chaoyang.staff.add(colleague)
    assert "输错的次数太多" in login_client(Client(), "pickup_2").post(
        "/pickup/handover/", {"code": code}).content.decode()
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AT_PICKUP
    # once the pause is over, the right code works
    FailedAttempt.objects.update(at=timezone.now() - timedelta(seconds=settings.CODE_ATTEMPTS_PAUSE_S + 1))
    assert "已交付" in staff.post("/pickup/handover/", {"code": code, "action": "confirm"}).content.decode()


@pytest.mark.django_db
def test_a_few_mistakes_spread_out_never_pause_the_counter(django_user_model):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    order = at_the_point(pickup_order(django_user_model.objects.create_user("buyer_s", first_name="宋"), chaoyang,
                                      [("桑梓土蜂蜜 500g", 1)]))
    staff = login_client(Client(), "pickup")
    for wrong in wrong_codes(order.delivery.pickup_code, settings.CODE_ATTEMPTS_LIMIT - 1):
        staff.post("/pickup/handover/", {"code": wrong})
    FailedAttempt.objects.update(at=timezone.now() - timedelta(seconds=settings.CODE_ATTEMPTS_WINDOW_S + 5))
    staff.post("/pickup/handover/", {"code": wrong_codes(order.delivery.pickup_code, 1)[0]})
    assert "已交付" in staff.post("/pickup/handover/", {"code": order.delivery.pickup_code,
                                                        "action": "confirm"}).content.decode()


@pytest.mark.django_db
def test_open_codes_are_unique_at_a_point_and_free_again_once_collected_or_cancelled(django_user_model, monkeypatch):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    buyer = django_user_model.objects.create_user("buyer_u", first_name="于")
    first = pickup_order(buyer, chaoyang, [("桑梓土蜂蜜 500g", 1)])
    code = first.delivery.pickup_code
    second = pickup_order(buyer, chaoyang, [("桑梓土蜂蜜 500g", 1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderDelivery.objects.filter(pk=second.delivery.pk).update(pickup_code=code)
    # drawn the same code as an open order that this transaction cannot see: the database refuses, it draws again
    drawn = iter([int(code), int(code), 123456])
    monkeypatch.setattr(delivery.secrets, "randbelow", lambda n: next(drawn))
    monkeypatch.setattr(delivery, "new_pickup_code", lambda point: f"{delivery.secrets.randbelow(10**6):06d}")
    third = pickup_order(buyer, chaoyang, [("桑梓土蜂蜜 500g", 1)])
    assert third.delivery.pickup_code == "123456"
    first.set_status(settings.ORDER_STATUS_CANCELLED)
    first.delivery.refresh_from_db()
    assert not first.delivery.code_active
    drawn = iter([int(code)])
    fourth = pickup_order(buyer, chaoyang, [("桑梓土蜂蜜 500g", 1)])
    assert fourth.delivery.pickup_code == code and fourth.delivery.code_active


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass")
@pytest.mark.django_db(transaction=True)
def test_twenty_wrong_codes_at_once_are_counted_exactly():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)  # a transactional test starts from an empty database
    gate, answers = threading.Barrier(20, timeout=60), []

    def guess(n):
        client = login_client(Client(), "pickup")
        connections.close_all()  # back to the pool while waiting for the others
        try:
            gate.wait()
            answers.append(client.post("/pickup/handover/", {"code": f"{900000 + n:06d}"}).content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wrong = sum("取货码不对" in html for html in answers)
    paused = sum("输错的次数太多" in html for html in answers)
    assert (wrong, paused) == (settings.CODE_ATTEMPTS_LIMIT, 20 - settings.CODE_ATTEMPTS_LIMIT)
