"""
No free 积分 for staff (F5): nobody checks their own reservation in, check-in is open only from an hour
before the start to the end, wrong check-in codes are throttled, and a community's staff correct points
within a per-entry and a daily cap (operators make the larger corrections).
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from cms import points
from cms.models import PointsEntry
from cms.reservations import reserve

from .conftest import login_client
from .test_community import an_event, resident, starting_soon

User = get_user_model()


@pytest.mark.django_db
def test_staff_cannot_check_themselves_in_but_a_colleague_can(client):
    event = starting_soon()
    worker = User.objects.get(username="worker")
    mine = reserve(event, worker, "刘晓梅", "13805310009", 1)
    staff = login_client(client, "worker")
    html = staff.post(f"/events/{event.pk}/checkin/", {"code": mine.code}).content.decode()
    assert "不能给自己签到" in html
    assert points.balance(worker) == 0
    colleague = login_client(Client(), "editor")  # 朝阳街社区's editor
    assert "签到成功" in colleague.post(f"/events/{event.pk}/checkin/", {"code": mine.code}).content.decode()
    assert points.balance(worker) == event.points


@pytest.mark.django_db
def test_check_in_is_open_from_an_hour_before_the_start_to_the_end(client):
    now = timezone.now()
    event = an_event(start=now + timedelta(hours=5), end=now + timedelta(hours=7),
                     reservation_opens=None, reservation_closes=None)
    booked = reserve(event, resident("res_early"), "陈娜", "13805310001", 1)
    staff = login_client(client, "worker")
    url = f"/events/{event.pk}/checkin/"
    assert "签到在活动开始前 60 分钟开放" in staff.post(url, {"code": booked.code}).content.decode()
    an_event(start=now - timedelta(hours=3), end=now - timedelta(minutes=1))
    assert "活动已经结束，不能再签到" in staff.post(url, {"code": booked.code}).content.decode()
    an_event(start=now + timedelta(minutes=59), end=now + timedelta(hours=2))
    assert "签到成功" in staff.post(url, {"code": booked.code}).content.decode()


@pytest.mark.django_db
def test_wrong_check_in_codes_pause_the_door_even_for_a_right_code(client):
    event = starting_soon()
    booked = reserve(event, resident("res_door"), "陈娜", "13805310001", 1)
    staff = login_client(client, "worker")
    url = f"/events/{event.pk}/checkin/"
    for n in range(settings.CODE_ATTEMPTS_LIMIT):
        wrong = f"{90000000 + n:08d}"
        assert "签到码不对" in staff.post(url, {"code": wrong}).content.decode()
    assert "输错的次数太多" in staff.post(url, {"code": booked.code}).content.decode()
    booked.refresh_from_db()
    assert booked.checked_in_at is None


@pytest.mark.django_db
def test_staff_corrections_are_capped_per_entry_and_per_day_and_operators_make_larger_ones(client):
    elder = User.objects.get(username="elder")
    before = points.balance(elder)
    staff = login_client(client, "worker")

    def correct(who, amount):
        return who.post("/points/staff/", {"kind": "correction", "mobile": "13805310002", "amount": str(amount),
                                           "note": "补记活动积分"}, follow=True).content.decode()

    assert "一次最多更正 500 积分" in correct(staff, 600)
    for _ in range(settings.POINTS_CORRECTION_DAILY_MAX // settings.POINTS_CORRECTION_MAX):
        assert "现有" in correct(staff, settings.POINTS_CORRECTION_MAX)
    assert "你今天已用更正加了 2000 积分，每天最多 2000 积分" in correct(staff, 1)
    assert "现有" in correct(staff, -100)  # taking back a mistake is never capped by the day
    assert points.balance(elder) == before + 2000 - 100
    operator = login_client(Client(), "admin")
    assert "现有" in correct(operator, 5000)
    assert points.balance(elder) == before + 2000 - 100 + 5000


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass")
@pytest.mark.django_db(transaction=True)
def test_ten_corrections_at_once_never_pass_the_daily_cap():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)  # a transactional test starts from an empty database
    elder = User.objects.get(username="elder")
    before = points.balance(elder)
    gate, answers = threading.Barrier(10, timeout=60), []

    def press():
        client = login_client(Client(), "worker")
        connections.close_all()
        try:
            gate.wait()
            answers.append(client.post("/points/staff/", {
                "kind": "correction", "mobile": "13805310002", "amount": "500", "note": "补记"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(302) == 4 and answers.count(200) == 6
    assert points.balance(elder) == before + 2000
    assert PointsEntry.objects.filter(created_by__username="worker", reason="correction").count() == 4
