"""Stripe's webhook, "pay" for an order awaiting payment, and refunds by operators and first secretaries."""

import json
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from . import gateway, refunds, services, webhooks

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """Stripe's events: only a body signed with STRIPE_WEBHOOK_SECRET changes anything."""

    def post(self, request):
        if not gateway.configured() or not settings.STRIPE_WEBHOOK_SECRET:
            # without a secret anyone could sign: refuse everything rather than trust an empty key
            logger.error("Stripe webhook called but STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set")
            return HttpResponseBadRequest("webhook not configured")
        if not request.headers.get("Stripe-Signature"):
            return HttpResponseBadRequest("missing signature")
        payload = request.body.decode("utf-8", "replace")
        try:
            gateway.verified_event(payload, request.headers["Stripe-Signature"])
            event = json.loads(payload)
            if not (isinstance(event["id"], str) and isinstance(event["type"], str)
                    and isinstance(event["data"]["object"], dict) and event["data"]["object"]["id"]):
                raise ValueError("not a Stripe event")
        except (ValueError, KeyError, TypeError, stripe.SignatureVerificationError) as error:
            logger.warning("Stripe webhook refused: %s", error)
            return HttpResponseBadRequest("invalid event")
        handled = webhooks.handle(event)
        return HttpResponse("ok" if handled else "already handled")


class PayView(LoginRequiredMixin, View):
    """去支付 / 重新支付: the open Checkout Session, or a new one for the same order (never a new order)."""

    def post(self, request, number):
        order = get_object_or_404(Order, number=number, user=request.user)
        try:
            return redirect(services.start(order))
        except services.PaymentUnavailable as error:
            order.refresh_from_db()
            if refunds.paid_attempt(order) is not None:  # Stripe had it already: the late news came in now
                messages.success(request, _("已收到你的付款，不用再付了"))
            else:
                messages.error(request, str(error))
        return redirect("customer:order", order_number=order.number)


class RefundView(LoginRequiredMixin, TemplateView):
    """退款: an operator refunds any lines of a paid order, a first secretary their own village's lines."""

    template_name = "market/payments/refund.html"
    staff_only = False  # Oscar's dashboard is for operators; first secretaries refund from /village/

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.staff_only and not request.user.is_staff:
            raise PermissionDenied
        self.order = Order.objects.filter(number=kwargs["number"]).first()
        if self.order is None:
            raise Http404
        self.lines = self.order.lines.all()
        if not request.user.is_staff:
            partners = request.user.partners.filter(village__isnull=False)
            if not partners.exists():
                raise PermissionDenied
            self.lines = self.lines.filter(partner__in=partners)
            if not self.lines.exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        refundable = set(refunds.refundable_lines(self.order).values_list("pk", flat=True))
        ctx.update(order=self.order, lines=[(line, line.pk in refundable) for line in self.lines],
                   refunds=self.order.refunds.prefetch_related("lines"),
                   paid=refunds.paid_attempt(self.order) is not None)
        return ctx

    def post(self, request, number):
        ids = set()
        for value in request.POST.getlist("line"):
            if value.isdigit():
                ids.add(int(value))
        chosen = list(self.lines.filter(pk__in=ids))
        if len(chosen) != len(ids):  # another village's line, or none of this order's
            theirs = self.order.lines.filter(pk__in=ids).count() == len(ids)
            messages.error(request, _("所选商品不是你们村的，不能由你退款") if theirs else _("所选商品不在这张订单里"))
            return self.render_to_response(self.get_context_data(reason=request.POST.get("reason", "")),
                                           status=403 if theirs else 400)
        if not chosen:
            messages.error(request, _("请勾选要退款的商品"))
            return self.render_to_response(self.get_context_data(reason=request.POST.get("reason", "")))
        try:
            record = refunds.refund(self.order, chosen, request.user, request.POST.get("reason", "").strip())
        except refunds.RefundRefused as refusal:
            messages.error(request, str(refusal))
            return self.render_to_response(self.get_context_data(reason=request.POST.get("reason", "")))
        messages.success(request, _("已向支付平台申请退款 ¥%(amount)s：%(status)s") % {
            "amount": gateway.yuan(record.amount), "status": record.get_status_display()})
        return redirect(request.path)
