"""Hundreds of buyers pressing 立即购买 on one flash sale at once, on PostgreSQL: never oversold."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Sum
from oscar.core.loading import get_model

from live import services
from live.models import FlashSale, LivePurchase


Line = get_model("basket", "Line")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass (DATABASE_URL)",
)


def press_at_once(session, flash_id, product_id, buyers, workers=60):
    """Every buyer presses 立即购买 as soon as the gate opens; returns each press's outcome."""
    gate = threading.Event()

    def press(user):
        gate.wait()
        try:
            services.buy(session, user, product_id, 1, flash_id)
            return user.pk, "ok"
        except services.RoomError as error:
            return user.pk, error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(press, user) for user in buyers]
        gate.set()
        return [future.result(timeout=120) for future in futures]


def make_buyers(n, prefix):
    User = get_user_model()
    User.objects.bulk_create([User(username=f"{prefix}{i}", last_name="胡", first_name=str(i)) for i in range(n)])
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def start(stage, quantity, per_user_limit):
    events = services.start_flash(stage["session"], stage["host"], stage["honey"].pk, "39.90",
                                  quantity, per_user_limit, 600)
    return events[-1]["id"]


def test_200_buyers_for_50_units_sell_exactly_50_and_the_rest_hear_sold_out(stage):
    flash_id = start(stage, quantity=50, per_user_limit=1)
    outcomes = press_at_once(stage["session"], flash_id, stage["honey"].pk, make_buyers(200, "racer"))
    assert Counter(code for _, code in outcomes) == {"ok": 50, "sold_out": 150}
    flash = FlashSale.objects.get(pk=flash_id)
    assert flash.sold == 50 and flash.end_reason == "sold_out"
    assert LivePurchase.objects.filter(flash=flash).aggregate(n=Sum("quantity"))["n"] == 50
    winners = {pk for pk, code in outcomes if code == "ok"}
    assert set(LivePurchase.objects.filter(flash=flash).values_list("user_id", flat=True)) == winners
    # each winner's basket holds exactly the one unit they got, at the flash price
    assert Line.objects.filter(basket__owner__in=winners).aggregate(n=Sum("quantity"))["n"] == 50


def test_repeat_presses_never_exceed_the_per_user_limit(stage):
    buyers = make_buyers(40, "eager")
    flash_id = start(stage, quantity=50, per_user_limit=2)
    outcomes = press_at_once(stage["session"], flash_id, stage["honey"].pk, buyers * 5)  # 200 presses
    codes = Counter(code for _, code in outcomes)
    assert codes["ok"] == 50 and set(codes) <= {"ok", "sold_out", "limit_reached"}
    per_user = Counter(pk for pk, code in outcomes if code == "ok")
    assert max(per_user.values()) <= 2
    assert FlashSale.objects.get(pk=flash_id).sold == 50
    bought = LivePurchase.objects.filter(flash_id=flash_id).values("user_id").annotate(n=Sum("quantity"))
    assert all(row["n"] <= 2 for row in bought) and sum(row["n"] for row in bought) == 50
