"""
Checkout views, forked from Oscar. A pickup order takes two pages after the
basket: 收货方式 (the resident's own community's pickup point chosen for them,
the name and mobile number of who collects) and the preview, where it is
placed. Postal delivery goes on to Oscar's address book.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views import generic
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.payment.models import Source, SourceType
from phonenumber_field.phonenumber import PhoneNumber

from market.orders import open_unpaid_pickup_orders

from market.models import PickupPoint, Resident

from market.shipping.repository import Pickup, PostalDelivery

from .forms import PAY_AT_PICKUP, DeliveryForm, PaymentMethodForm


class IndexView(views.IndexView):
    """Signed-in residents go straight to choosing how their order reaches them."""

    success_url = reverse_lazy("checkout:delivery")


class DeliveryView(views.CheckoutSessionMixin, generic.FormView):
    """收货方式: pickup at a community point (name and mobile only) or postal delivery."""

    template_name = "oscar/checkout/delivery.html"
    form_class = DeliveryForm
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["points"] = PickupPoint.objects.filter(is_active=True).select_related("community")
        return kwargs

    def get_initial(self):
        user = self.request.user
        resident = Resident.objects.filter(user=user).select_related("community").first() \
            if user.is_authenticated else None
        point = None
        if resident and resident.community:
            point = resident.community.pickup_points.filter(is_active=True).first()
        chosen = self.checkout_session.shipping_method_code(self.request.basket)
        return {
            "method": chosen or (Pickup(point).code if point else None),
            "name": (self.checkout_session.new_shipping_address_fields() or {}).get("first_name")
            or (f"{user.last_name}{user.first_name}" if user.is_authenticated else ""),
            "mobile": resident.mobile if resident else "",
        }

    def form_valid(self, form):
        self.checkout_session.reset_shipping_data()
        point = form.point
        if point is None:
            self.checkout_session.use_shipping_method(PostalDelivery.code)
            return redirect("checkout:shipping-address")
        data = form.cleaned_data
        self.checkout_session.ship_to_new_address({
            "first_name": data["name"].strip(), "last_name": "", "line1": point.address,
            "line4": point.community.name, "country_id": "CN",
            "phone_number": PhoneNumber.from_string("+86" + data["mobile"]),
            "notes": "",
        })
        self.checkout_session.use_shipping_method(Pickup(point).code)
        self.checkout_session.pay_by(PAY_AT_PICKUP)
        if self.request.user.is_authenticated:
            # remembered for next time: their pickup point's community and their number
            Resident.objects.update_or_create(user=self.request.user,
                                              defaults={"community": point.community, "mobile": data["mobile"]})
        return redirect("checkout:preview")


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
