"""
Who may set which live price.

A village sets a floor (``Village.price_floor_percent`` of the shop price,
70 % unless it says otherwise). A live price or flash price below it applies
only after the village's first secretary approves it for that session's
lineup item; a host cannot sell another village's goods for ¥0.01.
"""

from decimal import Decimal

from oscar.core.loading import get_model

from .models import LineupItem, PriceStatus

StockRecord = get_model("partner", "StockRecord")


def price_floor(product):
    """The lowest live price a product's village allows without approval, or None if no village sells it."""
    record = (StockRecord.objects.select_related("partner__village").filter(product=product)
              .order_by("pk").first())
    village = getattr(record.partner, "village", None) if record else None
    if village is None or record.price is None:
        return None
    return (record.price * village.price_floor_percent / Decimal(100)).quantize(Decimal("0.01"))


def needs_approval(product, price, approved_price=None):
    """True if this price is below the village's floor and not covered by an approved price."""
    floor = price_floor(product)
    if floor is None or price >= floor:
        return False
    return approved_price is None or price < approved_price


def review_lineup_price(item):
    """Before a lineup item is saved: does its live price need the secretary's approval?"""
    if item.live_price is None or not needs_approval(item.product, item.live_price, item.approved_price):
        item.price_status = PriceStatus.APPROVED
    else:
        item.price_status = PriceStatus.PENDING


def pending_for(user):
    """The lineup prices waiting for this first secretary's decision, across their villages."""
    return (LineupItem.objects.filter(price_status=PriceStatus.PENDING,
                                      product__stockrecords__partner__users=user)
            .select_related("session", "session__host", "product").distinct().order_by("session__scheduled_start"))


def decide(item_id, user, approve):
    """A first secretary approves or refuses a pending live price of their village; False if not theirs."""
    item = pending_for(user).filter(pk=item_id).first()
    if item is None:
        return False
    changes = {"price_status": PriceStatus.APPROVED if approve else PriceStatus.REFUSED, "price_decided_by": user}
    if approve:
        changes["approved_price"] = item.live_price
    # only if still pending and at the price the secretary saw
    return bool(LineupItem.objects.filter(pk=item.pk, price_status=PriceStatus.PENDING,
                                          live_price=item.live_price).update(**changes))
