"""
Prices for this shop: Oscar's default strategy, plus the live room's prices.

A product bought with 立即购买 in a live room carries that room's price into
the basket: the flash price while the flash sale runs, for no more units than
the buyer claimed; otherwise the lineup's live price while the session is
live. Anything else is the shop price.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import StockRequired
from oscar.apps.partner.prices import FixedPrice


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        return LiveStrategy(request, user)


class ClaimedUnits(StockRequired):
    """A flash-sale product: buyable up to the units the buyer claimed (and in stock)."""

    def __init__(self, num_available, claimed):
        super().__init__(min(num_available, claimed))
        self.claimed = claimed

    def is_purchase_permitted(self, quantity):
        if quantity > self.claimed:
            return False, _("秒杀价每人限购，你抢到了 %(n)d 件") % {"n": self.claimed}
        return super().is_purchase_permitted(quantity)


class LiveStrategy(strategy.Default):
    def __init__(self, request=None, user=None):
        super().__init__(request)
        if user is not None and user.is_authenticated:
            self.user = user
        self._open_purchases = None

    def live_terms(self, product):
        """(price, claimed units or None) from this user's open live purchases of the product, or None."""
        if self.user is None or product.pk is None:
            return None
        if self._open_purchases is None:
            # one query per request, however many products the page prices (usually none match)
            from live.models import LivePurchase

            self._open_purchases = {}
            for purchase in (LivePurchase.objects.filter(user=self.user, order__isnull=True)
                             .select_related("flash", "session").order_by("-created")):
                self._open_purchases.setdefault(purchase.product_id, []).append(purchase)
        purchases = self._open_purchases.get(product.pk)
        return self._terms(product, purchases) if purchases else None

    def _terms(self, product, purchases):
        from live.models import LineupItem, LiveSession

        now = timezone.now()
        for purchase in purchases:  # newest first
            if purchase.flash_id and purchase.flash.holds_price(now):
                claimed = sum(p.quantity for p in purchases if p.flash_id == purchase.flash_id)
                return purchase.price, claimed
            if purchase.session.status != LiveSession.Status.LIVE:
                continue
            if not purchase.flash_id:
                return purchase.price, None
            # the flash sale is over: the session's live price, if it has one
            live_price = (
                LineupItem.objects.filter(session_id=purchase.session_id, product=product)
                .values_list("live_price", flat=True).first()
            )
            if live_price is not None:
                return live_price, None
        return None

    def pricing_policy(self, product, stockrecord):
        terms = self.live_terms(product)
        if terms and stockrecord:
            return FixedPrice(currency=stockrecord.price_currency, excl_tax=terms[0], tax=0)
        return super().pricing_policy(product, stockrecord)

    def availability_policy(self, product, stockrecord):
        terms = self.live_terms(product)
        if terms and terms[1] is not None and stockrecord:
            return ClaimedUnits(stockrecord.net_stock_level, terms[1])
        return super().availability_policy(product, stockrecord)
