"""
积分 at checkout: how much of a basket points may pay. Goods in the 积分兑换
category may be had for points alone; of other goods points pay at most
POINTS_MAX_PERCENT; never the postage. The ledger itself is ``cms.points``.
"""

from decimal import ROUND_DOWN, Decimal

from django.conf import settings

from cms import points as ledger


def is_exchange(product):
    if product.is_child:
        product = product.parent
    return product.categories.filter(slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG).exists()


def payable_with_points(basket):
    """The yuan of this basket points may pay."""
    share = Decimal(settings.POINTS_MAX_PERCENT) / 100
    total = Decimal(0)
    for line in basket.all_lines():
        price = line.line_price_incl_tax_incl_discounts or Decimal(0)
        total += price if is_exchange(line.product) else price * share
    return total.quantize(ledger.FEN, rounding=ROUND_DOWN)


def max_points(user, basket):
    """The most points this user may put towards this basket (0 without an account or a balance)."""
    if not user.is_authenticated:
        return 0
    return max(0, min(ledger.balance(user), ledger.points_for(payable_with_points(basket))))
