"""
Refunds of online payments: the whole order or some of its lines.

An operator may refund any line, a village's first secretary only their own
village's lines (checked in the view). The lines not yet handed over are
cancelled and their stock returned at once; the money goes through Stripe
with an idempotency key made of the lines, so retrying the same refund never
pays twice; the lines and the order show 已退款 once Stripe confirms it (in
its answer, or later in ``charge.refunded``).
"""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import gateway
from .models import CheckoutAttempt, Refund

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
EventHandler = get_class("order.processing", "EventHandler")

NOT_HANDED_OVER = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_AT_PICKUP)


class RefundRefused(Exception):
    """The refund cannot be made; the message says why, in the user's language."""


def paid_attempt(order):
    return order.checkout_attempts.filter(status=CheckoutAttempt.Status.PAID).order_by("paid_at").first()


def refundable_lines(order):
    """Lines paid online and not in a refund already made or under way."""
    if paid_attempt(order) is None:
        return order.lines.none()
    return order.lines.exclude(refunds__status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED))


def refund(order, lines, user, reason=""):
    """Refund these lines of a paid order through Stripe; return the Refund (RefundRefused if it cannot be)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        attempt = paid_attempt(order)
        if attempt is None or not attempt.payment_intent:
            raise RefundRefused(_("这张订单没有在线付款，不能在线退款"))
        open_lines = list(refundable_lines(order))
        wanted = [line for line in open_lines if line.pk in {line.pk for line in lines}]
        if not wanted or len(wanted) != len(lines):
            raise RefundRefused(_("所选商品已经退过款或正在退款"))
        amount = sum(gateway.fen(line.line_price_incl_tax) for line in wanted)
        if len(wanted) == len(open_lines):
            amount += gateway.fen(order.shipping_incl_tax)  # the last lines take the postage back with them
        already = sum(Refund.objects.filter(order=order, status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED))
                      .values_list("amount", flat=True))
        amount = min(amount, attempt.amount - already)
        record = Refund.objects.create(order=order, attempt=attempt, amount=amount, reason=reason[:200],
                                       requested_by=user)
        record.lines.set(wanted)
    key = "refund-%s-%s" % (order.number, "-".join(str(line.pk) for line in sorted(wanted, key=lambda ln: ln.pk)))
    try:
        answer = gateway.create_refund(attempt.payment_intent, amount, key, order.number)
    except stripe.StripeError as error:
        logger.warning("Order %s: refund refused by Stripe (%s)", order.number, error)
        Refund.objects.filter(pk=record.pk).update(status=Refund.Status.FAILED)
        raise RefundRefused(_("Stripe 没有受理这笔退款：%(error)s") % {
            "error": getattr(error, "user_message", None) or _("暂时连不上支付服务")}) from error
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        Refund.objects.filter(pk=record.pk).update(stripe_id=answer.id)
        take_back(order, wanted)
        if answer.status == "succeeded":
            confirm_refunds(order, Refund.objects.filter(pk=record.pk))
        elif answer.status in ("failed", "canceled"):
            Refund.objects.filter(pk=record.pk).update(status=Refund.Status.FAILED)
    record.refresh_from_db()
    return record


def take_back(order, lines):
    """Lines not yet handed over are cancelled and their stock returned; an order with none left is cancelled."""
    # read again under the order's lock: lines cancelled meanwhile must not give their units back twice
    waiting = list(order.lines.filter(pk__in=[line.pk for line in lines], status__in=NOT_HANDED_OVER))
    if waiting:
        EventHandler().cancel_stock_allocations(order, waiting, [line.quantity for line in waiting])
        for line in waiting:
            line.set_status(settings.ORDER_STATUS_CANCELLED)
    if order.status in NOT_HANDED_OVER and not order.lines.filter(status__in=NOT_HANDED_OVER).exists():
        order.set_status(settings.ORDER_STATUS_CANCELLED)


def confirm(payment_intent, amount_refunded, refund_ids=()):
    """``charge.refunded``: mark the refunds Stripe has made for this payment as done."""
    if not payment_intent:
        return 0
    attempt = CheckoutAttempt.objects.filter(payment_intent=payment_intent, status=CheckoutAttempt.Status.PAID).first()
    if attempt is None:
        return 0
    order = Order.objects.select_for_update().get(pk=attempt.order_id)
    pending = Refund.objects.filter(attempt=attempt, status=Refund.Status.PENDING).order_by("created")
    if refund_ids:
        pending = pending.filter(stripe_id__in=refund_ids)
    else:  # an event without its refunds listed: as many of ours, oldest first, as the amount covers
        done = sum(Refund.objects.filter(attempt=attempt, status=Refund.Status.SUCCEEDED).values_list("amount", flat=True))
        chosen = []
        for record in pending.exclude(stripe_id=""):
            if done + record.amount > amount_refunded:
                break
            done += record.amount
            chosen.append(record.pk)
        pending = Refund.objects.filter(pk__in=chosen)
    return confirm_refunds(order, pending)


def confirm_refunds(order, records):
    """Money is back with the buyer: lines 已退款, Oscar's refund transaction and payment event, the order too."""
    from .services import online_source

    count = 0
    refunded = PaymentEventType.objects.get_or_create(code="refunded", defaults={"name": "已退款"})[0]
    for record in records.filter(status=Refund.Status.PENDING):
        lines = list(record.lines.all())
        money = gateway.yuan(record.amount)
        online_source(order).refund(money, reference=record.stripe_id)
        EventHandler(None).create_payment_event(order, refunded, money, reference=record.stripe_id,
                                                lines=lines, line_quantities=[line.quantity for line in lines])
        for line in lines:
            line.set_status(settings.ORDER_STATUS_REFUNDED)
        Refund.objects.filter(pk=record.pk).update(status=Refund.Status.SUCCEEDED, confirmed_at=timezone.now())
        count += 1
    if count and not order.lines.exclude(status=settings.ORDER_STATUS_REFUNDED).exists():
        order.set_status(settings.ORDER_STATUS_REFUNDED)
    return count

