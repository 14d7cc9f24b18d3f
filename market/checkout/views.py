"""
Checkout views, forked from Oscar. A pickup order takes two pages after the
basket: 收货方式 (the resident's own community's pickup point chosen for them,
the name and mobile number of who collects) and the preview, where it is
placed. Postal delivery goes on to Oscar's address book.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.models import Source, SourceType

from cms import points as ledger
from market.assist.services import worker_points
from market.models import OrderDelivery
from market.orders import open_unpaid_pickup_orders
from market.partner.models import OutOfStock
from market.payments import services as payments

from .delivery_views import DeliveryView, ShippingAddressView, payment_methods  # noqa: F401 (Oscar loads them here)
from .forms import ONLINE, PAY_AT_PICKUP, PaymentMethodForm
from .points import max_points


class IndexView(views.IndexView):
    """Signed-in residents go straight to choosing how their order reaches them."""

    success_url = reverse_lazy("checkout:delivery")

class PaymentMethodView(views.PaymentMethodView):
    """The payment method is chosen on the preview page, next to the button that places the order."""

    def get(self, request, *args, **kwargs):
        return redirect("checkout:preview")

    post = get


class PaymentDetailsView(views.PaymentDetailsView):
    """Place the order; pay-at-pickup records an Oscar payment source, no money moves."""

    # the cap on unpaid orders depends on the method chosen with the button: handle_place_order_submission
    pre_conditions = views.PaymentDetailsView.pre_conditions + ["check_assist_is_allowed"]

    def check_payment_data_is_captured(self, request):
        """The method comes with the preview's form (see handle_place_order_submission)."""

    points_used = 0
    paid_in_full = False  # by points: nothing left for Stripe or the counter

    def max_points(self):
        """积分 the buyer may use here: their own, never a resident's during 代下单."""
        return 0 if self.assisting() else max_points(self.request.user, self.request.basket)

    def payment_form(self, data=None, **kwargs):
        return PaymentMethodForm(data, methods=self.payment_methods(), max_points=self.max_points(), **kwargs)

    def payment_methods(self):
        pickup = getattr(self.get_shipping_method(self.request.basket), "point", None) is not None
        return payment_methods(pickup, self.assisting())

    def check_open_unpaid_orders(self, request):
        """At most SHOP_MAX_OPEN_UNPAID_ORDERS unpaid orders open at once per account, of either kind."""
        limit = settings.SHOP_MAX_OPEN_UNPAID_ORDERS
        buyer = self.buyer()
        if not buyer.is_authenticated:
            return
        if self.checkout_session.payment_method() == PAY_AT_PICKUP:
            if open_unpaid_pickup_orders(buyer).count() >= limit:
                raise FailedPreCondition(
                    url=reverse("mine:home"),
                    message=_("你已有 %(n)d 张到店付款的订单还没取货，请先取货或取消后再下单") % {"n": limit})
        elif buyer.orders.filter(status=settings.ORDER_STATUS_AWAITING_PAYMENT).count() >= limit:
            raise FailedPreCondition(
                url=reverse("mine:home"),
                message=_("你已有 %(n)d 张订单等待付款，请先付款或等它们过期后再下单") % {"n": limit})

    def handle_place_order_submission(self, request):
        """Place the order with the payment method chosen on the preview (checked against what it allows)."""
        methods = self.payment_methods()
        data = request.POST.copy()
        if "method" not in data and len(methods) == 1:
            data["method"] = methods[0]  # nothing to choose: the page shows it as text
        form = self.payment_form(data)
        if not form.is_valid():
            return self.render_preview(request, payment_form=form, error=next(iter(form.errors.values()))[0])
        self.checkout_session.pay_by(form.cleaned_data["method"])
        self.points_used = form.cleaned_data["points"]
        try:
            self.check_open_unpaid_orders(request)
        except FailedPreCondition as refusal:
            for message in refusal.messages:
                messages.warning(request, message)
            return redirect(refusal.url)
        return super().handle_place_order_submission(request)

    def paying_online(self):
        return self.checkout_session.payment_method() == ONLINE and not self.paid_in_full

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def assisting(self):
        """代下单 in progress, and the user still a worker of the chosen point's community."""
        if not hasattr(self, "_assisting"):
            point = None
            if self.checkout_session.assisted_mobile():
                point = getattr(self.get_shipping_method(self.request.basket), "point", None)
            self._assisting = point is not None and worker_points(self.request.user).filter(pk=point.pk).exists()
        return self._assisting

    def buyer(self):
        """Whose order this is: the user, or for 代下单 the account of the resident of the worker's community
        (checked again now; a guest order without one)."""
        if not self.assisting():
            return self.request.user
        point = self.get_shipping_method(self.request.basket).point
        return get_user_model().objects.filter(pk=self.checkout_session.assisted_user_id(),
                                               resident__community=point.community_id).first() or AnonymousUser()

    def check_assist_is_allowed(self, request):
        """代下单 only while the user is still a worker of the pickup point's community."""
        if self.checkout_session.assisted_mobile() and not self.assisting():
            self.checkout_session.stop_assisting()
            raise FailedPreCondition(url=reverse("checkout:delivery"), message=_("你已不是这个社区的工作人员，不能代下单"))

    def handle_order_placement(self, order_number, user, *args, **kwargs):
        return super().handle_order_placement(order_number, self.buyer(), *args, **kwargs)

    def get_initial_order_status(self, basket):
        return settings.ORDER_STATUS_AWAITING_PAYMENT if self.paying_online() else None

    def place_order(self, *args, **kwargs):
        """The order, its stock, its points and its lines' status in one transaction: if another buyer
        took the last units a moment ago (OutOfStock from the stock record's conditional UPDATE) or
        spent the points, nothing is placed and the preview says why, with the basket as it was."""
        try:
            with transaction.atomic():
                order = super().place_order(*args, **kwargs)
                if self.assisting():
                    OrderDelivery.objects.filter(order=order).update(placed_by=self.request.user)
                if self.points_used:
                    ledger.spend(order.user, self.points_used, order.number)
                if self.paying_online():
                    # its lines wait with it: no village prepares them until it is paid
                    order.lines.update(status=settings.ORDER_STATUS_AWAITING_PAYMENT)
        except (OutOfStock, ledger.Refused) as refusal:
            raise UnableToPlaceOrder(str(refusal)) from refusal
        return order

    def handle_successful_order(self, order):
        """An online order goes on to Stripe's payment page (or to its own page if Stripe cannot be reached)."""
        if order.status != settings.ORDER_STATUS_AWAITING_PAYMENT:
            return super().handle_successful_order(order)
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.id
        try:
            url = payments.start(order)
        except payments.PaymentUnavailable as error:
            messages.warning(self.request, str(error))
            url = reverse("customer:order", args=[order.number])
        response = redirect(url)
        self.send_signal(self.request, response, order)
        return response

    def send_order_placed_email(self, order):
        if order.user is None and not order.guest_email:
            return  # 代下单 for a resident without an account: the worker tells them the code
        if order.status == settings.ORDER_STATUS_AWAITING_PAYMENT:
            return  # the buyer hears from us once the payment has arrived
        super().send_order_placed_email(order)

    def get_message_context(self, order):
        ctx = super().get_message_context(order)
        ctx["user"] = order.user  # the buyer, not the worker who placed it
        return ctx

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["assisting"] = self.assisting()
        methods = self.payment_methods()
        chosen = self.checkout_session.payment_method()
        ctx["online_offered"] = ONLINE in methods
        if "payment_form" not in ctx:
            ctx["payment_form"] = self.payment_form(initial={"method": chosen if chosen in methods else methods[0]})
        if self.request.user.is_authenticated and not ctx["assisting"]:
            ctx["points_balance"] = ledger.balance(self.request.user)
            ctx["points_max"] = ctx["payment_form"].max_points
            ctx["points_per_yuan"] = settings.POINTS_PER_YUAN
            ctx["points_max_value"] = ledger.value(ctx["points_max"])
        if ctx.get("order_total") is not None:  # what the button says is left to pay after the 积分 typed
            try:
                points = min(max(int(ctx["payment_form"]["points"].value() or 0), 0), ctx.get("points_max", 0))
            except (TypeError, ValueError):
                points = 0
            ctx["amount_due"] = max(ctx["order_total"].incl_tax - ledger.value(points), 0)
        return ctx

    def handle_payment(self, order_number, total, **kwargs):
        """No money moves here: pay-at-pickup is taken at the counter, online payment on Stripe's page;
        the part paid with 积分 is taken from the ledger as the order is placed (``place_order``)."""
        due = total.incl_tax
        if self.points_used:
            paid = min(ledger.value(self.points_used), due)
            self.points_used = min(self.points_used, ledger.points_for(paid))
            source_type, _created = SourceType.objects.get_or_create(code=ledger.POINTS_SOURCE,
                                                                     defaults={"name": "积分抵扣"})
            self.add_payment_source(Source(source_type=source_type, currency=total.currency, amount_allocated=paid,
                                           amount_debited=paid, reference=str(self.points_used)))
            due -= paid
            self.paid_in_full = not due
            if not due:
                return
        if self.paying_online():
            self.add_payment_source(Source(source_type=payments.source_type(), currency=total.currency,
                                           amount_allocated=due, reference=order_number))
            return
        source_type, _created = SourceType.objects.get_or_create(code=PAY_AT_PICKUP, defaults={"name": "到店付款"})
        self.add_payment_source(Source(source_type=source_type, currency=total.currency,
                                       amount_allocated=due, reference=order_number))
        self.add_payment_event("待付款", due)
