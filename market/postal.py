"""邮政配送: a village posts its lines of a postal order with a tracking number (Oscar's
ShippingEvent, the number in its notes); the order is 已发货 once every line is, and the buyer
confirms 已签收 on their order page."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.urls import reverse
from oscar.core.loading import get_model

from notices.notify import notify

from .delivery import village_lines

Order = get_model("order", "Order")
ShippingEventType = get_model("order", "ShippingEventType")

POSTAL_STEPS = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_SHIPPED, settings.ORDER_STATUS_RECEIVED)


class Refused(Exception):
    """Why the action cannot be done, in the user's words."""


def postal_orders(partners):
    """The open postal orders with lines of these villages still to post."""
    return (Order.objects.filter(delivery__isnull=False, delivery__pickup_point__isnull=True,
                                 lines__partner__in=partners, lines__status=settings.ORDER_STATUS_PLACED)
            .exclude(status=settings.ORDER_STATUS_CANCELLED).distinct())


def ship(partners, number, tracking_number):
    """Post the villages' lines of a postal order; returns the order (its status 已发货 once all lines are)."""
    tracking_number = "".join((tracking_number or "").split()).upper()
    if not (6 <= len(tracking_number) <= 30) or not tracking_number.isalnum():
        raise Refused(_("请填写快递单号（6–30 位字母或数字）"))
    with transaction.atomic():
        order = (Order.objects.select_for_update(of=("self",)).filter(number=number, delivery__pickup_point__isnull=True)
                 .exclude(status=settings.ORDER_STATUS_CANCELLED).first())
        lines = list(village_lines(partners).filter(order=order, status=settings.ORDER_STATUS_PLACED)) if order else []
        if not lines:
            raise Refused(_("这张订单没有本村待发货的商品"))
        event_type, _created = ShippingEventType.objects.get_or_create(code="shipped", defaults={"name": "已发货"})
        event = order.shipping_events.create(event_type=event_type, notes=tracking_number)
        for line in lines:
            event.line_quantities.create(line=line, quantity=line.quantity)
            line.set_status(settings.ORDER_STATUS_SHIPPED)
        if not order.lines.exclude(status=settings.ORDER_STATUS_SHIPPED).exists():
            order.set_status(settings.ORDER_STATUS_SHIPPED)
    if order.user_id:
        facts = {"number": order.number, "tracking": tracking_number}
        notify("shipped", f"shipped:{event.pk}", [order.user], _("订单 %(number)s 已发货") % facts,
               _("快递单号 %(tracking)s。") % facts, url=reverse("customer:order", args=[order.number]),
               link=_("查看订单"))
    return order


def confirm_received(user, number):
    """The buyer confirms a shipped postal order arrived."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(number=number, user=user).first()
        if order is None:
            raise Refused(_("找不到这张订单"))
        if order.status != settings.ORDER_STATUS_SHIPPED:
            raise Refused(_("订单还没有全部发货，到货后再确认收货"))
        for line in order.lines.all():
            line.set_status(settings.ORDER_STATUS_RECEIVED)
        order.set_status(settings.ORDER_STATUS_RECEIVED)
    return order  # money paid on receipt is recorded by who collects it (record_cash), never by the buyer


def cash_due(order):
    """What is still to be collected for an order paid on receipt (its unpaid 到店付款 sources)."""
    from .checkout.forms import PAY_AT_PICKUP

    return sum(source.amount_allocated for source in order.sources.all()
               if source.source_type.code == PAY_AT_PICKUP and not source.amount_debited)


def record_cash(partners, number):
    """货款已收到: a village that posted a postal order paid on receipt records the money collected for it."""
    from .checkout.forms import PAY_AT_PICKUP

    with transaction.atomic():
        order = (Order.objects.select_for_update(of=("self",))
                 .filter(number=number, delivery__pickup_point__isnull=True).first())
        if order is None or not order.lines.filter(partner__in=partners).exists():
            raise Refused(_("这张订单没有本村的商品"))
        if order.status not in (settings.ORDER_STATUS_SHIPPED, settings.ORDER_STATUS_RECEIVED):
            raise Refused(_("订单发货后才能登记货款"))
        sources = list(order.sources.filter(source_type__code=PAY_AT_PICKUP, amount_debited=0))
        if not sources:
            raise Refused(_("这张订单没有待收的货款"))
        for source in sources:
            source.debit(reference=_("货到付款"))
    return order


def tracking_numbers(order):
    return [event.notes for event in order.shipping_events.filter(event_type__code="shipped").order_by("date_created")]
