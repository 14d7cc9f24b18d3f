"""
积分 at checkout: how much of a basket points may pay. Goods in the 积分兑换
category may be had for points alone; of other goods points pay at most
POINTS_MAX_PERCENT; never the postage. The ledger itself is ``cms.points``.
"""

from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from oscar.core.loading import get_model

from cms import points as ledger

Product = get_model("catalogue", "Product")


def exchange_goods(products):
    """The ids of these products on the 积分兑换 shelf (a variant by its parent), in one query."""
    ids = {product.pk: product.parent_id or product.pk for product in products}
    shelf = set(Product.objects.filter(pk__in=set(ids.values()),
                                       categories__slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG)
                .values_list("pk", flat=True))
    return {pk for pk, own in ids.items() if own in shelf}


def payable_with_points(basket):
    """The yuan of this basket points may pay."""
    share = Decimal(settings.POINTS_MAX_PERCENT) / 100
    lines = list(basket.all_lines())
    exchange = exchange_goods(line.product for line in lines)
    total = Decimal(0)
    for line in lines:
        price = line.line_price_incl_tax_incl_discounts or Decimal(0)
        total += price if line.product_id in exchange else price * share
    return total.quantize(ledger.FEN, rounding=ROUND_DOWN)


def max_points(user, basket):
    """The most points this user may put towards this basket (0 without an account or a balance)."""
    if not user.is_authenticated:
        return 0
    return max(0, min(ledger.balance(user), ledger.points_for(payable_with_points(basket))))
