"""Checkout views, forked from Oscar to let the resident choose how to pay."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.payment.models import Source, SourceType

from market.orders import open_unpaid_pickup_orders

from .forms import PAY_AT_PICKUP, PaymentMethodForm


class PaymentMethodView(views.PaymentMethodView):
    """Ask for the payment method instead of skipping straight to details."""

    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        form = PaymentMethodForm(initial={"method": self.checkout_session.payment_method()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")


class PaymentDetailsView(views.PaymentDetailsView):
    """Place the order; pay-at-pickup records an Oscar payment source, no money moves."""

    pre_conditions = views.PaymentDetailsView.pre_conditions + ["check_open_unpaid_orders"]

    def check_payment_data_is_captured(self, request):
        if self.checkout_session.payment_method() != PAY_AT_PICKUP:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("请先选择付款方式")
            )

    def check_open_unpaid_orders(self, request):
        """At most SHOP_MAX_OPEN_UNPAID_ORDERS pay-at-pickup orders open at once per account."""
        limit = settings.SHOP_MAX_OPEN_UNPAID_ORDERS
        if (self.checkout_session.payment_method() == PAY_AT_PICKUP
                and open_unpaid_pickup_orders(request.user).count() >= limit):
            raise FailedPreCondition(
                url=reverse("customer:order-list"),
                message=_("你已有 %(n)d 张到店付款的订单还没取货，请先取货或取消后再下单") % {"n": limit},
            )

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payment_method_label"] = dict(
            PaymentMethodForm.base_fields["method"].choices
        ).get(self.checkout_session.payment_method())
        return ctx

    def handle_payment(self, order_number, total, **kwargs):
        if self.checkout_session.payment_method() == PAY_AT_PICKUP:
            source_type, _created = SourceType.objects.get_or_create(
                code=PAY_AT_PICKUP, defaults={"name": "到店付款"}
            )
            self.add_payment_source(
                Source(
                    source_type=source_type,
                    currency=total.currency,
                    amount_allocated=total.incl_tax,
                    reference=order_number,
                )
            )
            self.add_payment_event("待付款", total.incl_tax)
