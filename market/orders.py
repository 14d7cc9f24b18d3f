"""
Pay-at-pickup orders reserve stock without money changing hands, so they are
kept in bounds: an account has at most SHOP_MAX_OPEN_UNPAID_ORDERS of them
open, and one not collected within SHOP_PICKUP_DAYS is cancelled and its stock
returned (by the background task in market.tasks).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from .checkout.forms import PAY_AT_PICKUP

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")

OPEN_STATUSES = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_AT_PICKUP)


def pay_at_pickup_due(order):
    """Money to collect at the pickup point for this order (0 when it was paid online or with points)."""
    return sum((s.amount_allocated for s in order.sources.all() if s.source_type.code == PAY_AT_PICKUP), 0)


def open_unpaid_pickup_orders(user=None):
    """Pay-at-pickup orders that are neither collected nor cancelled."""
    orders = Order.objects.filter(status__in=OPEN_STATUSES, sources__source_type__code=PAY_AT_PICKUP,
                                  sources__amount_debited=0)
    return (orders.filter(user=user) if user is not None else orders).distinct()


def cancel_uncollected_orders(now=None):
    """Cancel the pay-at-pickup orders placed more than SHOP_PICKUP_DAYS ago; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SHOP_PICKUP_DAYS)
    overdue = open_unpaid_pickup_orders().filter(date_placed__lte=cutoff).values_list("pk", flat=True)
    return sum(cancel(pk) for pk in list(overdue))


def cancel(order_pk):
    """Cancel one open order and give its units back to stock; False if it was no longer open."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_pk, status__in=OPEN_STATUSES).first()
        if order is None:
            return False
        lines = list(order.lines.select_related("stockrecord"))
        EventHandler().cancel_stock_allocations(order, lines, [line.quantity for line in lines])
        order.set_status(settings.ORDER_STATUS_CANCELLED)
    return True
