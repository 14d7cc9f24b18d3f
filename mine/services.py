"""What 我的 shows a resident: only their own orders, reservations, points and notices."""

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from market.orders import pay_at_pickup_due
from market.qr import qr_data_uri

Order = get_model("order", "Order")
Notification = get_model("communication", "Notification")

OPEN_PICKUP = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_AT_PICKUP)
OPEN_POSTAL = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_SHIPPED)


def orders_of(user):
    return (Order.objects.filter(user=user)
            .select_related("delivery__pickup_point", "delivery__placed_by")
            .prefetch_related("lines", "sources__source_type").order_by("-date_placed", "-pk"))


def pickup_card(order):
    delivery = order.delivery
    return {"order": order, "delivery": delivery, "point": delivery.pickup_point, "code": delivery.pickup_code,
            "qr": qr_data_uri(delivery.pickup_code, box_size=6) if delivery.pickup_code else "",
            "arrived": order.status == settings.ORDER_STATUS_AT_PICKUP, "due": pay_at_pickup_due(order),
            "placed_by": delivery.placed_by}


def overview(user):
    from cms import points
    from cms.models import Reservation

    open_orders = list(orders_of(user).filter(
        status__in={settings.ORDER_STATUS_AWAITING_PAYMENT, *OPEN_PICKUP, *OPEN_POSTAL}))
    with_delivery = [o for o in open_orders if hasattr(o, "delivery")]
    to_collect = [pickup_card(o) for o in with_delivery if o.delivery.pickup_point_id and o.status in OPEN_PICKUP]
    to_collect.sort(key=lambda card: (not card["arrived"], card["delivery"].deliver_on))
    now = timezone.now()
    reservations = [r for r in Reservation.objects.filter(user=user, event__end__gte=now)
                    .select_related("event").order_by("event__start") if r.is_active][:3]
    for reservation in reservations:
        reservation.qr = (qr_data_uri(reservation.code, box_size=5)
                          if reservation.status == Reservation.Status.CONFIRMED else "")
    return {
        "to_collect": to_collect,
        "to_pay": [o for o in open_orders if o.status == settings.ORDER_STATUS_AWAITING_PAYMENT],
        "postal": [o for o in with_delivery if not o.delivery.pickup_point_id and o.status in OPEN_POSTAL],
        "history": list(orders_of(user)[:5]),
        "reservations": reservations,
        "points": points.balance(user),
        "unread": Notification.objects.filter(recipient=user, date_read__isnull=True).count(),
    }
