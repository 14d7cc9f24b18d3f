"""
How orders reach residents: each placed order gets its ``OrderDelivery`` (the
pickup point or postal delivery, the day the villages bring it, and for pickup
a 6-digit pickup code), and a village's first secretary marks a pickup point's
lines as delivered there, which tells each buyer.

Orders placed before ``SHOP_DELIVERY_CUTOFF_HOUR`` (local time) are delivered
the next day, later ones the day after.
"""

import secrets
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from notices.notify import notify

from .models import OrderDelivery, PickupPoint
from .orders import OPEN_STATUSES
from .shipping.repository import PICKUP_PREFIX

Line = get_model("order", "Line")
Order = get_model("order", "Order")



def delivery_day(placed):
    """The day an order placed at ``placed`` reaches its pickup point (or leaves by post)."""
    local = timezone.localtime(placed)
    return local.date() + timedelta(days=1 if local.hour < settings.SHOP_DELIVERY_CUTOFF_HOUR else 2)


def pickup_point_of(order):
    """The pickup point an order's shipping method names, or None for postal delivery."""
    code = order.shipping_code or ""
    point_id = code.removeprefix(PICKUP_PREFIX)
    if not code.startswith(PICKUP_PREFIX) or not point_id.isdigit():
        return None
    return PickupPoint.objects.filter(pk=point_id).first()


CODE_STATUSES = OPEN_STATUSES + (settings.ORDER_STATUS_AWAITING_PAYMENT,)  # orders whose code may be shown


def new_pickup_code(point):
    """Six digits that no other open order at this pickup point has (as far as this transaction sees)."""
    taken = set(OrderDelivery.objects.filter(pickup_point=point, code_active=True)
                .values_list("pickup_code", flat=True))
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if code not in taken:
            return code


def record_delivery(sender, order, **kwargs):
    """order_placed: where and when the order goes, with a pickup code for pickup orders. The database
    keeps open codes unique per point: if another order took the same code a moment ago, draw again."""
    if OrderDelivery.objects.filter(order=order).exists():
        return
    point = pickup_point_of(order)
    fields = {"order": order, "pickup_point": point, "deliver_on": delivery_day(order.date_placed)}
    if point is None:
        OrderDelivery.objects.create(**fields)
        return
    for _attempt in range(9):
        try:
            with transaction.atomic():
                OrderDelivery.objects.create(pickup_code=new_pickup_code(point), **fields)
            return
        except IntegrityError:
            continue
    OrderDelivery.objects.create(pickup_code=new_pickup_code(point), **fields)


def retire_pickup_code(sender, order, old_status, new_status, **kwargs):
    """order_status_changed: an order collected, cancelled or refunded frees its code for later orders."""
    if new_status not in CODE_STATUSES:
        OrderDelivery.objects.filter(order=order, code_active=True).update(code_active=False)


NOT_TO_PREPARE = (settings.ORDER_STATUS_CANCELLED, settings.ORDER_STATUS_AWAITING_PAYMENT, settings.ORDER_STATUS_REFUNDED)


def village_lines(partners):
    """Order lines of these partners (a secretary's villages) to prepare or prepared: not in an order
    awaiting its online payment, and neither cancelled nor refunded."""
    return (Line.objects.filter(partner__in=partners)
            .exclude(order__status__in=NOT_TO_PREPARE).exclude(status__in=NOT_TO_PREPARE)
            .select_related("order", "order__delivery", "order__delivery__pickup_point", "order__shipping_address",
                            "order__user", "product"))


class DeliveryGroup:
    """The lines one village brings to one pickup point (or sends by post) on one day."""

    def __init__(self, deliver_on, point, lines):
        self.deliver_on, self.point, self.lines = deliver_on, point, lines
        self.orders = sorted({line.order for line in lines}, key=lambda order: order.number)
        self.is_delivered = all(line.status != settings.ORDER_STATUS_PLACED for line in lines)

    @property
    def units(self):
        return sum(line.quantity for line in self.lines)

    def packing(self):
        """What to pack: (product title, units) for every product in the group."""
        totals = {}
        for line in self.lines:
            totals[line.title] = totals.get(line.title, 0) + line.quantity
        return sorted(totals.items())


def delivery_groups(partners, since=None):
    """A secretary's lines grouped by delivery day and pickup point (postal last), soonest first."""
    lines = village_lines(partners).filter(order__delivery__isnull=False).order_by(
        "order__delivery__deliver_on", F("order__delivery__pickup_point").asc(nulls_last=True),
        "order__number", "pk")
    if since is not None:
        lines = lines.filter(order__delivery__deliver_on__gte=since)
    groups = []
    for (day, _point), chunk in groupby(lines, key=lambda line: (line.order.delivery.deliver_on,
                                                                 line.order.delivery.pickup_point_id)):
        chunk = list(chunk)
        groups.append(DeliveryGroup(day, chunk[0].order.delivery.pickup_point, chunk))
    return groups


def group_for(partners, deliver_on, point):
    lines = list(village_lines(partners).filter(order__delivery__deliver_on=deliver_on,
                                                order__delivery__pickup_point=point)
                 .order_by("order__number", "pk"))
    return DeliveryGroup(deliver_on, point, lines) if lines else None


def mark_delivered(partners, deliver_on, point):
    """The village's lines for this point and day are at the point: set their status, and each
    order's once all its lines are there; tell each buyer (in the background). Returns the orders."""
    with transaction.atomic():
        lines = list(village_lines(partners).select_for_update(of=("self",))
                     .filter(order__delivery__deliver_on=deliver_on, order__delivery__pickup_point=point,
                             status=settings.ORDER_STATUS_PLACED))
        orders = {}
        for line in lines:
            line.set_status(settings.ORDER_STATUS_AT_PICKUP)
            orders[line.order_id] = line.order
        for order in orders.values():
            if not order.lines.exclude(status=settings.ORDER_STATUS_AT_PICKUP).exists() \
                    and order.status == settings.ORDER_STATUS_PLACED:
                order.set_status(settings.ORDER_STATUS_AT_PICKUP)
        if orders:
            from .tasks import notify_delivered

            line_ids = [line.pk for line in lines]
            transaction.on_commit(lambda: notify_delivered.enqueue(line_ids))
    return list(orders.values())


def notify_buyers_of_delivery(line_ids):
    """Tell each buyer that these lines of their order wait at the pickup point (in the site, email, push,
    or SMS when no push reached them)."""
    lines = (Line.objects.filter(pk__in=line_ids).select_related("order", "order__user", "order__delivery",
                                                                 "order__delivery__pickup_point")
             .order_by("order_id", "pk"))
    told = 0
    for order, chunk in groupby(lines, key=lambda line: line.order):
        chunk = list(chunk)
        point = order.delivery.pickup_point
        if order.user is None or point is None:
            continue
        facts = {"number": order.number, "titles": "、".join(line.title for line in chunk), "point": point.name,
                 "code": order.delivery.pickup_code, "hours": point.opening_hours or "-", "address": point.address}
        told += notify("delivered", f"delivered:{order.number}:{chunk[0].pk}", [order.user],
                       _("订单 %(number)s 已送达自提点") % facts,
                       _("你订单里的%(titles)s已送到%(point)s（%(address)s，%(hours)s），取货时出示取货码 %(code)s。")
                       % facts, url=reverse("customer:order", args=[order.number]), link=_("查看订单"),
                       sms_params={"point": point.name[:20], "code": facts["code"], "hours": facts["hours"][:20]})
    return told


def week_sales(partners, now=None):
    """This week's (since Monday 00:00 local) units and takings per product for these partners."""
    now = timezone.localtime(now or timezone.now())
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (village_lines(partners).filter(order__date_placed__gte=monday).values("product_id")
            .annotate(units=Sum("quantity"), takings=Sum("line_price_incl_tax")))
    return {row["product_id"]: row for row in rows}
