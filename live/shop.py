"""
The one way the shop reads live prices (``market.partner.strategy``): what a
buyer took in a live room, as terms the shop prices a product at. The shop
imports nothing else from the live app.
"""

from django.utils import timezone


def price_terms(user):
    """A function product → (price, units the buyer took) or None, for this user's open live purchases
    (one query, however many products it is asked about)."""
    from .models import LineupItem, LivePurchase, LiveSession

    open_purchases = {}
    for purchase in (LivePurchase.objects.filter(user=user, order__isnull=True)
                     .select_related("flash", "session").order_by("-created")):
        open_purchases.setdefault(purchase.product_id, []).append(purchase)

    def terms(product):
        purchases = open_purchases.get(product.pk)
        if not purchases:
            return None
        now = timezone.now()
        for purchase in purchases:  # newest first
            if purchase.flash_id and purchase.flash.holds_price(now):
                claimed = sum(p.quantity for p in purchases if p.flash_id == purchase.flash_id)
                return purchase.price, claimed
            if purchase.session.status != LiveSession.Status.LIVE:
                continue
            # live-price units (or a flash sale's, once it is over, at the live price): as many as were taken
            claimed = sum(p.quantity for p in purchases if p.session_id == purchase.session_id)
            if not purchase.flash_id:
                return purchase.price, claimed
            item = LineupItem.objects.filter(session_id=purchase.session_id, product=product).first()
            if item and item.effective_live_price is not None:
                return item.effective_live_price, claimed
        return None

    return terms
