"""
Twenty buyers press 确认下单 at once for five units, through the real site (Uvicorn, its own database:
a SQLite file in `make test`, PostgreSQL in .ci/run's second pass): exactly five orders are placed,
the stock record holds exactly five, and the fifteen others see why on the preview with their basket
intact. Half of them pay at pickup and half online; a third of them bought in a live room at the
live price (the room's own 立即购买 put it in their basket).
"""

import json
import re
import threading

import requests

from .e2e import stack_python

BUYERS, UNITS = 20, 5
LIVE_BUYERS = range(0, BUYERS, 3)

SETUP = """
import json
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model
from live.models import LineupItem, LiveSession
from live.services import buy
from market.models import Community, PickupPoint, Resident

record = get_model("partner", "StockRecord").objects.get(partner_sku="xiaozhuang-07")  # 核桃 1kg
record.num_in_stock = (record.num_allocated or 0) + {units}
record.save()
community = Community.objects.get(slug="chaoyangjie")
host = get_user_model().objects.get(username="host")
session = LiveSession.objects.create(title="核桃抢购直播", host=host, community=community,
                                     status=LiveSession.Status.LIVE, scheduled_start=timezone.now(),
                                     started_at=timezone.now())
LineupItem.objects.create(session=session, product=record.product, position=1, live_price=Decimal("36.00"))
for n in range({buyers}):
    user = get_user_model().objects.create_user(f"racer{{n}}", password="race-pass-2026", last_name="赛",
                                                first_name=f"{{n}}号")
    Resident.objects.create(user=user, community=community, mobile=f"1390000{{n:04d}}")
    if n in {live}:
        buy(session, user, record.product_id, 1)
print(json.dumps({{"product": record.product_id, "allocated": record.num_allocated or 0,
                  "in_stock": record.num_in_stock, "session": session.pk,
                  "point": PickupPoint.objects.get(community=community).pk}}))
"""

RESULT = """
import json
from oscar.core.loading import get_model
from live.models import LiveSession
record = get_model("partner", "StockRecord").objects.get(partner_sku="xiaozhuang-07")
Line = get_model("order", "Line")
lines = Line.objects.filter(product_id=record.product_id, order__user__username__startswith="racer")
LiveSession.objects.filter(pk={session}).update(status=LiveSession.Status.ENDED)
print(json.dumps({{"allocated": record.num_allocated, "in_stock": record.num_in_stock,
                  "orders": sorted(line.order.user.username for line in lines),
                  "prices": {{line.order.user.username: str(line.unit_price_incl_tax) for line in lines}},
                  "statuses": sorted(line.order.status for line in lines)}}))
"""


def token(session, site, path):
    session.get(site + path)
    return session.cookies["csrftoken"]


def to_preview(site, n, product, point):
    """Log in, put one unit in the basket (unless the room did), choose pickup: the preview page."""
    s = requests.Session()
    csrf = token(s, site, "/accounts/login/")
    r = s.post(site + "/accounts/login/", data={"username": f"racer{n}", "password": "race-pass-2026",
                                                "csrfmiddlewaretoken": csrf}, headers={"Referer": site})
    assert r.ok and "/accounts/login/" not in r.url, r.text[:500]
    csrf = s.cookies["csrftoken"]  # a new one after logging in
    if n not in LIVE_BUYERS:
        r = s.post(site + f"/shop/basket/add/{product}/", data={"quantity": 1, "csrfmiddlewaretoken": csrf},
                   headers={"Referer": site + "/shop/"})
        assert r.ok
    r = s.post(site + "/shop/checkout/delivery/", data={"method": f"pickup-{point}", "name": f"赛{n}号",
                                                        "mobile": f"1390000{n:04d}", "csrfmiddlewaretoken": csrf},
               headers={"Referer": site})
    assert r.ok and r.url.endswith("/shop/checkout/preview/"), (r.url, r.text[:500])
    return s, csrf


def test_twenty_buyers_for_five_units_get_five_orders_and_fifteen_clear_refusals(stack):
    site = stack["site"]
    facts = json.loads(stack_python(stack, SETUP.format(units=UNITS, buyers=BUYERS, live=list(LIVE_BUYERS))))
    sessions = [to_preview(site, n, facts["product"], facts["point"]) for n in range(BUYERS)]
    gate, answers = threading.Barrier(BUYERS), {}

    def place(n):
        s, csrf = sessions[n]
        gate.wait()
        method = "stripe" if n % 2 else "pay-at-pickup"
        r = s.post(site + "/shop/checkout/preview/", data={"action": "place_order", "method": method,
                                                           "csrfmiddlewaretoken": csrf},
                   headers={"Referer": site}, allow_redirects=False, timeout=120)
        answers[n] = (r.status_code, r.headers.get("Location", ""), r.text)

    threads = [threading.Thread(target=place, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # placed: to the thank-you page (pay at pickup) or to the payment page; refused: the preview again
    # (the stock record refused the allocation), or the basket (its check already saw the units gone)
    placed = {n for n, (status, location, _html) in answers.items()
              if status == 302 and "/shop/basket/" not in location}
    refused = {}
    for n, (status, location, html) in answers.items():
        if status == 302 and location.endswith("/shop/basket/"):
            html = sessions[n][0].get(site + "/shop/basket/").text
        if n not in placed:
            refused[n] = html
    assert len(placed) == UNITS and len(refused) == BUYERS - UNITS, {n: a[:2] for n, a in answers.items()}
    for n, html in refused.items():
        assert re.search(r"「核桃 1kg」(刚刚卖完了|只剩 \d+ 件了)", html), html[:3000]
        basket = sessions[n][0].get(site + "/shop/basket/").text
        assert "核桃 1kg" in basket and 'name="form-0-quantity"' in basket  # the basket as it was
    result = json.loads(stack_python(stack, RESULT.format(session=facts["session"])))
    assert result["allocated"] == facts["allocated"] + UNITS
    assert result["in_stock"] == facts["in_stock"]
    assert result["orders"] == sorted(f"racer{n}" for n in placed)
    for n in placed:  # the live room's buyers kept the live price
        assert result["prices"][f"racer{n}"] == ("36.00" if n in LIVE_BUYERS else "42.00")
