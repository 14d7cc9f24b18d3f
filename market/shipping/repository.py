"""Shipping choices: free pickup at a community pickup point, or postal delivery."""

from decimal import Decimal as D

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.apps.shipping import repository

from market.models import PickupPoint, Resident

PICKUP_PREFIX = "pickup-"  # a pickup method's code is this and the point's id


class Pickup(methods.Free):
    """Collect the order at a community pickup point (自提点), free of charge."""

    def __init__(self, point):
        self.point = point
        self.code = f"{PICKUP_PREFIX}{point.pk}"
        self.name = _("社区自提 · %(point)s") % {"point": point.name}
        self.description = point.address


class PostalDelivery(methods.FixedPrice):
    """Delivery by the district's postal company; free above a threshold."""

    code = "postal"
    name = _("邮政配送")
    charge_excl_tax = charge_incl_tax = D("8.00")
    free_over = D("99.00")

    @property
    def description(self):
        return _("邮政公司配送到家，满 ¥%(amount)s 包邮") % {"amount": self.free_over}

    def calculate(self, basket):
        if basket.total_incl_tax >= self.free_over:
            return methods.Free().calculate(basket)
        return super().calculate(basket)


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        """Pickup at every active point, the buyer's own community's first (the basket shows the first as
        the default, and checkout preselects the same), then postal delivery."""
        points = list(PickupPoint.objects.filter(is_active=True).select_related("community"))
        owner = getattr(basket, "owner", None)
        if owner is not None and owner.is_authenticated:
            home = Resident.objects.filter(user=owner).values_list("community_id", flat=True).first()
            points.sort(key=lambda point: point.community_id != home)
        return [Pickup(point) for point in points] + [PostalDelivery()]
