"""
Prices for this shop: Oscar's default strategy, plus the live room's prices.

A product bought with 立即购买 in a live room carries that room's price into
the basket: the flash price while the flash sale runs, for no more units than
the buyer claimed; otherwise the lineup's (approved) live price while the
session is live, for no more units than the buyer took at it. Anything else
is the shop price.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import StockRequired
from oscar.apps.partner.prices import FixedPrice


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        return LiveStrategy(request, user)


def max_per_order(stockrecord):
    """Units of one product an order may take: the stock record's own cap, or the site's."""
    return stockrecord.max_per_order or settings.SHOP_MAX_UNITS_PER_ORDER


class PerOrderLimit(StockRequired):
    """In stock, and no more units in one order than the product allows (no hoarding)."""

    def __init__(self, num_available, limit):
        super().__init__(num_available)
        self.limit = limit

    def is_purchase_permitted(self, quantity):
        if quantity > self.limit:
            return False, _("这件商品每单最多买 %(n)d 件") % {"n": self.limit}
        return super().is_purchase_permitted(quantity)


class ClaimedUnits(PerOrderLimit):
    """A product bought at a live or flash price: buyable up to the units the buyer took (and the order cap)."""

    def __init__(self, num_available, claimed, limit):
        super().__init__(min(num_available, claimed), limit)
        self.claimed = claimed

    def is_purchase_permitted(self, quantity):
        if quantity > self.claimed:
            return False, _("直播价每人限购，你抢到了 %(n)d 件") % {"n": self.claimed}
        return super().is_purchase_permitted(quantity)


class LiveStrategy(strategy.Default):
    def __init__(self, request=None, user=None):
        super().__init__(request)
        if user is not None and user.is_authenticated:
            self.user = user
        self._live_terms = None

    def live_terms(self, product):
        """(price, claimed units or None) from this user's open live purchases of the product, or None."""
        if self.user is None or product.pk is None:
            return None
        if self._live_terms is None:
            from live.shop import price_terms  # the live app's one function for the shop

            self._live_terms = price_terms(self.user)
        return self._live_terms(product)

    def pricing_policy(self, product, stockrecord):
        terms = self.live_terms(product)
        if terms and stockrecord:
            return FixedPrice(currency=stockrecord.price_currency, excl_tax=terms[0], tax=0)
        return super().pricing_policy(product, stockrecord)

    def availability_policy(self, product, stockrecord):
        terms = self.live_terms(product)
        if terms and terms[1] is not None and stockrecord:
            return ClaimedUnits(stockrecord.net_stock_level, terms[1], max_per_order(stockrecord))
        policy = super().availability_policy(product, stockrecord)
        if isinstance(policy, StockRequired):
            return PerOrderLimit(stockrecord.net_stock_level, max_per_order(stockrecord))
        return policy
