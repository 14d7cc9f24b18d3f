"""Oscar's checkout session mixin (every checkout view's base), saying in the shop's words when units
in the basket have gone since they were put there."""

from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as OscarCheckoutSessionMixin
from django.urls import reverse

from market.partner.models import sold_out_message


class CheckoutSessionMixin(OscarCheckoutSessionMixin):
    def check_basket_is_valid(self, request):
        """Every line still buyable: 「…」刚刚卖完了 / 只剩 N 件了 for stock, Oscar's reason for anything else."""
        refusals = []
        for line in request.basket.all_lines():
            result = request.strategy.fetch_for_line(line)
            permitted, reason = result.availability.is_purchase_permitted(line.quantity)
            if permitted:
                continue
            record = result.stockrecord
            if record is not None and record.can_track_allocations and record.net_stock_level < line.quantity:
                refusals.append(sold_out_message(line.product.get_title(), record.net_stock_level))
            else:
                refusals.append(f"「{line.product.get_title()}」{reason}")
        if refusals:
            raise exceptions.FailedPreCondition(url=reverse("basket:summary"), messages=refusals)
