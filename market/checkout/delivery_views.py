"""
收货方式, the first checkout page after the basket: pickup at a community point (the resident's own
community's chosen for them; name and mobile only), 代下单 for a community's workers (pickup at their
community, paid there), or postal delivery on to the Chinese address form. The preview, where the order
is placed and paid for, is ``market.checkout.views``.
"""

from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views import generic
from oscar.apps.checkout import views
from phonenumber_field.phonenumber import PhoneNumber

from market.assist.services import worker_points
from market.models import PickupPoint, Resident
from market.payments import gateway
from market.shipping.repository import Pickup, PostalDelivery
from market.views import ELDER_COOKIE

from .forms import ONLINE, PAY_AT_PICKUP, DeliveryForm


def payment_methods(pickup, assisting):
    """What an order may be paid with: online only when Stripe is configured, at pickup only for pickup
    orders (and for postal ones, paid on receipt, while there is no online payment); 代下单 at pickup."""
    if not gateway.configured() or assisting:
        return [PAY_AT_PICKUP]
    return [ONLINE, PAY_AT_PICKUP] if pickup else [ONLINE]


class DeliveryView(views.CheckoutSessionMixin, generic.FormView):
    """收货方式: pickup at a community point (name and mobile only) or postal delivery."""

    template_name = "oscar/checkout/delivery.html"
    form_class = DeliveryForm
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["points"] = PickupPoint.objects.filter(is_active=True).select_related("community")
        kwargs["assist_points"] = list(worker_points(self.request.user))
        return kwargs

    def get_initial(self):
        user = self.request.user
        resident = Resident.objects.filter(user=user).select_related("community").first() \
            if user.is_authenticated else None
        point = None
        if resident and resident.community:
            point = resident.community.pickup_points.filter(is_active=True).first()
        chosen = self.checkout_session.shipping_method_code(self.request.basket)
        assisting = self.checkout_session.assisted_mobile()
        if assisting:
            return {"for_whom": "resident", "method": chosen, "mobile": assisting,
                    "name": (self.checkout_session.new_shipping_address_fields() or {}).get("first_name")}
        worker_point = worker_points(user).first()
        if worker_point is not None and not resident:
            # a community worker's account is mostly used for 代下单: start there, at their community's point
            return {"for_whom": "resident", "method": chosen or Pickup(worker_point).code}
        return {
            "for_whom": "self",
            "method": chosen or (Pickup(point).code if point else None),
            "name": (self.checkout_session.new_shipping_address_fields() or {}).get("first_name")
            or (f"{user.last_name}{user.first_name}" if user.is_authenticated else ""),
            "mobile": resident.mobile if resident else "",
        }

    def form_valid(self, form):
        self.checkout_session.reset_shipping_data()
        self.checkout_session.stop_assisting()
        if form.assisting:
            return self.assisted(form)
        point = form.point
        if point is None:
            self.checkout_session.use_shipping_method(PostalDelivery.code)
            return redirect("checkout:shipping-address")
        data = form.cleaned_data
        self.pickup_at(point, data["name"].strip(), data["mobile"])
        if self.request.user.is_authenticated:
            # remembered for next time: their pickup point's community and their number
            Resident.objects.update_or_create(user=self.request.user,
                                              defaults={"community": point.community, "mobile": data["mobile"]})
        return redirect("checkout:preview")


    def assisted(self, form):
        """代下单: the resident collects at the worker's community and pays there."""
        data, point = form.cleaned_data, form.assist_points[form.cleaned_data["method"]]
        self.pickup_at(point, data["name"].strip(), data["mobile"])
        self.checkout_session.assist(data["mobile"], form.resident.user_id if form.resident else None)
        return redirect("checkout:preview")

    def pickup_at(self, point, name, mobile):
        self.checkout_session.ship_to_new_address({
            "first_name": name, "last_name": "", "line1": point.address,
            "line4": point.community.name, "country_id": "CN",
            "phone_number": PhoneNumber.from_string("+86" + mobile), "notes": "",
        })
        self.checkout_session.use_shipping_method(Pickup(point).code)
        methods = payment_methods(True, bool(self.checkout_session.assisted_mobile()))
        # 长辈版: paying at the counter, as at any shop, comes first; otherwise online, the quickest
        elder = self.request.COOKIES.get(ELDER_COOKIE) == "1"
        self.checkout_session.pay_by(PAY_AT_PICKUP if elder and PAY_AT_PICKUP in methods else methods[0])


class ShippingAddressView(views.ShippingAddressView):
    """邮政配送's address (the Chinese form, or one from the address book), then straight to the
    preview: postal delivery was chosen at 收货方式; it is paid online (on receipt without Stripe)."""

    template_name = "oscar/checkout/shipping_address.html"
    success_url = reverse_lazy("checkout:preview")

    def get_success_url(self):
        self.checkout_session.use_shipping_method(PostalDelivery.code)
        self.checkout_session.pay_by(payment_methods(False, False)[0])
        return str(self.success_url)

    def get_initial(self):
        initial = super().get_initial() or {}
        user = self.request.user
        resident = Resident.objects.filter(user=user).first()
        initial.setdefault("first_name", f"{user.last_name}{user.first_name}")
        if resident and resident.mobile:
            initial.setdefault("phone_number", resident.mobile)
        return initial

    def get_context_data(self, **kwargs):
        from market import regions

        return super().get_context_data(regions=regions.available(), **kwargs)
