from django import template
from django.conf import settings
from django.utils.translation import gettext_noop

from market.qr import qr_data_uri

register = template.Library()

PICKUP_STEPS = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_AT_PICKUP, settings.ORDER_STATUS_COLLECTED)


@register.simple_tag
def order_pickup(order):
    """An order's pickup facts for the resident: point, code and its QR, and where it is on its way."""
    from market.models import OrderDelivery

    delivery = OrderDelivery.objects.select_related("pickup_point").filter(order=order).first()
    if delivery is None or delivery.pickup_point is None:
        return None
    reached = PICKUP_STEPS.index(order.status) if order.status in PICKUP_STEPS else -1
    return {
        "delivery": delivery, "point": delivery.pickup_point, "code": delivery.pickup_code,
        "qr": qr_data_uri(delivery.pickup_code, box_size=6) if delivery.pickup_code else "",
        "steps": [(step, "current" if index == reached else "done" if index < reached else "todo")
                  for index, step in enumerate(PICKUP_STEPS)],
        "cancelled": order.status in (settings.ORDER_STATUS_CANCELLED, settings.ORDER_STATUS_REFUNDED),
        "awaiting_payment": order.status == settings.ORDER_STATUS_AWAITING_PAYMENT,
    }


@register.simple_tag
def order_postal(order):
    """A postal order's way to the buyer: its steps (待发货 → 已发货 → 已签收) and tracking numbers."""
    from market.models import OrderDelivery
    from market.postal import POSTAL_STEPS, tracking_numbers

    delivery = OrderDelivery.objects.filter(order=order).first()
    if delivery is None or delivery.pickup_point_id is not None:
        return None
    reached = POSTAL_STEPS.index(order.status) if order.status in POSTAL_STEPS else -1
    labels = {settings.ORDER_STATUS_PLACED: gettext_noop("待发货")}
    return {
        "steps": [(labels.get(step, step), "current" if i == reached else "done" if i < reached else "todo")
                  for i, step in enumerate(POSTAL_STEPS)],
        "tracking": tracking_numbers(order),
        "can_confirm": order.status == settings.ORDER_STATUS_SHIPPED,
        "cancelled": order.status in (settings.ORDER_STATUS_CANCELLED, settings.ORDER_STATUS_REFUNDED),
    }


@register.simple_tag
def site_url(path=""):
    """An absolute link on the site's own public address (SITE_URL), for emails."""
    return settings.SITE_URL.rstrip("/") + path


@register.filter
def cash_due(order):
    """Money still to collect for an order paid on receipt (0 when none)."""
    from market.postal import cash_due as due

    return due(order)
