"""代下单: a community worker orders on behalf of a resident who cannot do it alone.

The worker shops with their own basket; at 收货方式 they choose 替居民代下单 and give the
resident's mobile number (and name). The order is the resident's when that number belongs to
an account (they see it under 我的订单), a guest order otherwise; either way it records the
worker as ``OrderDelivery.placed_by``, and the worker sees the orders they placed at /assist/.
Pickup at the worker's own community, pay at pickup.
"""

from oscar.core.loading import get_model

from market.models import PickupPoint, Resident

Order = get_model("order", "Order")


def is_worker(user):
    return user.is_authenticated and user.worker_communities.exists()


def worker_points(user):
    """The active pickup points of the communities this user works for (checked in the database)."""
    if not user.is_authenticated:
        return PickupPoint.objects.none()
    return PickupPoint.objects.filter(community__workers=user, is_active=True).select_related("community").distinct()


def resident_by_mobile(mobile):
    """The resident whose account verified this mobile (a number typed at checkout never counts)."""
    return Resident.objects.filter(user__verified_mobile__number=mobile).select_related("user", "community").first()


def resident_name(resident):
    user = resident.user
    return f"{user.last_name}{user.first_name}".strip() or ""


def orders_placed_by(worker):
    """The orders this worker placed for residents, newest first (nobody else's)."""
    return (Order.objects.filter(delivery__placed_by=worker)
            .select_related("delivery__pickup_point", "shipping_address", "user")
            .prefetch_related("lines").order_by("-date_placed"))
