"""
自提点: pickup-point staff see the orders arriving at their point and hand them
over against the pickup code (typed, or read from the buyer's QR). A right code
for a delivered order completes it once; anything else changes nothing and says why.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from market import throttle
from market.checkout.forms import PAY_AT_PICKUP
from market.orders import pay_at_pickup_due
from market.models import OrderDelivery, PickupPoint
from market.payments.models import PaymentIssue

Order = get_model("order", "Order")


class HandOverRefused(Exception):
    """Why a code cannot be handed over, in the staff's words."""


class WrongCode(HandOverRefused):
    """No order to hand over has this code at the staff's points (it counts against guessing)."""


def hand_over(points, code, staff, confirm=True):
    """The delivered order at one of these points whose pickup code this is: completed when ``confirm``
    (the staff took the money and handed the goods over), otherwise only found, for the staff to check
    the recipient, the items and the amount first. Returns the order.

    The points' rows are locked for the whole look-up, so the count of wrong codes (``market.throttle``:
    per staff account and per point) holds when many are typed at once; a wrong code is recorded even
    though nothing else changes, and another point's code is answered exactly like a wrong one.
    """
    code = re.sub(r"\D", "", code or "")
    if len(code) != 6:
        raise HandOverRefused(_("请输入 6 位数字的取货码"))
    keys = [f"user:{staff.pk}"] + [f"point:{point.pk}" for point in points]
    with transaction.atomic():
        list(PickupPoint.objects.select_for_update().filter(pk__in=[point.pk for point in points]).order_by("pk"))
        pause = throttle.counter_pause("pickup", keys)
        if pause:
            raise HandOverRefused(pause)
        try:
            delivery = collectable(points, code)
        except WrongCode as wrong:
            refusal = wrong
            throttle.failed("pickup", keys)
        else:
            return complete(delivery, staff) if confirm else delivery.order
    raise refusal


def collectable(points, code):
    """The delivery, at these points, of an order waiting to be collected with this code."""
    deliveries = (OrderDelivery.objects.select_for_update(of=("self",)).select_related("order", "pickup_point")
                  .filter(pickup_code=code, pickup_point__in=points)
                  .exclude(order__status=settings.ORDER_STATUS_CANCELLED).order_by("-order__date_placed"))
    by_status = {}
    for delivery in deliveries:
        by_status.setdefault(delivery.order.status, delivery)
    delivery = by_status.get(settings.ORDER_STATUS_AT_PICKUP)
    if delivery is None:
        if settings.ORDER_STATUS_PLACED in by_status:
            raise HandOverRefused(_("这张订单的货还没全部送到自提点，请等到货后再交付"))
        if settings.ORDER_STATUS_COLLECTED in by_status:
            done = by_status[settings.ORDER_STATUS_COLLECTED]
            raise HandOverRefused(_("这张订单已在 %(when)s 取过货了，不能重复交付")
                                  % {"when": timezone.localtime(done.collected_at).strftime("%m-%d %H:%M")
                                     if done.collected_at else ""})
        raise WrongCode(_("取货码不对，请核对后再输入"))
    if delivery.order.payment_issues.filter(kind=PaymentIssue.Kind.REFUND_OUTSIDE, resolved=False).exists():
        raise HandOverRefused(_("这张订单的钱在支付平台被退过，请先联系平台运营人员核对，核对前不要交付"))
    return delivery


def complete(delivery, staff):
    order = Order.objects.select_for_update().get(pk=delivery.order_id)
    for line in order.lines.all():
        line.set_status(settings.ORDER_STATUS_COLLECTED)
    order.set_status(settings.ORDER_STATUS_COLLECTED)
    for source in order.sources.filter(source_type__code=PAY_AT_PICKUP, amount_debited=0):
        source.debit(reference=_("自提点收款"))  # paid at the counter
    delivery.collected_at, delivery.handed_over_by = timezone.now(), staff
    delivery.save(update_fields=["collected_at", "handed_over_by"])
    return order


def masked_name(name):
    """胡奶奶 → 胡**: enough to ask "are you …?", not a full name on a screen others can see."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class PickupStaffMixin(LoginRequiredMixin):
    """For the staff of a pickup point only (read from the database on every request)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.points = list(PickupPoint.objects.filter(staff=request.user, is_active=True))
        if not self.points:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PickupHomeView(PickupStaffMixin, TemplateView):
    """Today's orders at the staff's point(s): to arrive, waiting to be collected, collected today."""

    template_name = "market/pickup/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        deliveries = (OrderDelivery.objects.filter(pickup_point__in=self.points)
                      .select_related("order", "order__shipping_address", "pickup_point")
                      .prefetch_related("order__lines").order_by("deliver_on", "order__number"))
        ctx["waiting"] = deliveries.filter(order__status=settings.ORDER_STATUS_AT_PICKUP)
        ctx["arriving"] = deliveries.filter(order__status=settings.ORDER_STATUS_PLACED,
                                            deliver_on__lte=today + timedelta(days=1))
        ctx["collected"] = deliveries.filter(order__status=settings.ORDER_STATUS_COLLECTED,
                                             collected_at__date__gte=today).order_by("-collected_at")
        ctx["points"] = self.points
        return ctx


class HandOverView(PickupStaffMixin, TemplateView):
    """The hand-over screen: type the code or scan the buyer's QR."""

    template_name = "market/pickup/handover.html"

    def post(self, request):
        """Two steps: the code finds the order (who, what, how much to collect); 确认已收款并交付 completes it."""
        code, confirm = request.POST.get("code", ""), request.POST.get("action") == "confirm"
        try:
            order = hand_over(self.points, code, request.user, confirm=confirm)
        except HandOverRefused as refusal:
            return self.render_to_response(self.get_context_data(error=str(refusal), code=code[:12]), status=200)
        facts = {"order": order, "due": pay_at_pickup_due(order),
                 "recipient": masked_name(order.shipping_address.first_name if order.shipping_address else "")}
        if confirm:
            return self.render_to_response(self.get_context_data(done=facts))
        return self.render_to_response(self.get_context_data(found=facts, code=re.sub(r"\D", "", code)))
