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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import gateway
from .models import CheckoutAttempt, PaymentIssue, Refund

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEventType = get_model("order", "PaymentEventType")
EventHandler = get_class("order.processing", "EventHandler")

NOT_HANDED_OVER = (settings.ORDER_STATUS_PLACED, settings.ORDER_STATUS_AT_PICKUP)


class RefundRefused(Exception):
    """The refund cannot be made; the message says why, in the user's language."""


def paid_attempt(order):
    """The payment the order was paid with (a second or late one is the operators' issue, not this)."""
    extra = (PaymentIssue.Kind.PAID_TWICE, PaymentIssue.Kind.PAID_AFTER_RELEASE)
    return (order.checkout_attempts.filter(status=CheckoutAttempt.Status.PAID).exclude(issues__kind__in=extra)
            .order_by("paid_at").first())


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
        already = sum(Refund.objects.filter(attempt=attempt, issue__isnull=True,
                                            status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED))
                      .values_list("amount", flat=True))
        amount = min(amount, attempt.amount - already)
        record = Refund.objects.create(order=order, attempt=attempt, amount=amount, reason=reason[:200],
                                       requested_by=user)
        record.lines.set(wanted)
    lines_key = "-".join(str(line.pk) for line in sorted(wanted, key=lambda line: line.pk))
    key = f"refund-{gateway.order_key(order)}-{lines_key}"
    return send(order, record, attempt.payment_intent, key, wanted)


def send(order, record, payment_intent, key, lines):
    """Ask Stripe for a refund recorded (pending) a moment ago, outside any transaction; apply its answer
    under the order's lock: these lines taken back, and 已退款 once Stripe says it is done."""
    try:
        answer = gateway.create_refund(payment_intent, record.amount, key, order.number)
    except stripe.StripeError as error:
        logger.warning("Order %s: refund refused by Stripe (%s)", order.number, error)
        Refund.objects.filter(pk=record.pk).update(status=Refund.Status.FAILED)
        raise RefundRefused(_("支付平台没有受理这笔退款：%(error)s") % {
            "error": getattr(error, "user_message", None) or _("暂时连不上支付平台")}) from error
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        Refund.objects.filter(pk=record.pk).update(stripe_id=answer.id)
        take_back(order, lines)
        if answer.status == "succeeded":
            confirm_refunds(order, Refund.objects.filter(pk=record.pk))
        elif answer.status in ("failed", "canceled"):
            Refund.objects.filter(pk=record.pk).update(status=Refund.Status.FAILED)
    record.refresh_from_db()
    return record


def take_back(order, lines):
    """Lines not yet handed over are cancelled and their stock returned; an order with none left is cancelled."""
    if not lines:
        return
    # read again under the order's lock: lines cancelled meanwhile must not give their units back twice
    waiting = list(order.lines.filter(pk__in=[line.pk for line in lines], status__in=NOT_HANDED_OVER))
    if waiting:
        EventHandler().cancel_stock_allocations(order, waiting, [line.quantity for line in waiting])
        for line in waiting:
            line.set_status(settings.ORDER_STATUS_CANCELLED)
    if order.status in NOT_HANDED_OVER and not order.lines.filter(status__in=NOT_HANDED_OVER).exists():
        order.set_status(settings.ORDER_STATUS_CANCELLED)


def confirm(payment_intent, amount_refunded, refund_ids=(), event_id=""):
    """``charge.refunded``: mark the refunds Stripe has made for this payment as done, and deal with any
    refund made in Stripe's dashboard rather than through the site (``outside_refund``)."""
    if not payment_intent:
        return 0
    attempt = CheckoutAttempt.objects.filter(payment_intent=payment_intent).first()
    issue = PaymentIssue.objects.filter(payment_intent=payment_intent).first()
    order_id = attempt.order_id if attempt else issue.order_id if issue else None
    if order_id is None:
        return 0
    order = Order.objects.select_for_update().get(pk=order_id)
    for_this = Refund.objects.filter(Q(attempt__payment_intent=payment_intent) | Q(issue__payment_intent=payment_intent))
    pending = for_this.filter(status=Refund.Status.PENDING).order_by("created")
    if refund_ids:
        pending = pending.filter(stripe_id__in=refund_ids)
    else:  # an event without its refunds listed: as many of ours, oldest first, as the amount covers
        done = sum(for_this.filter(status=Refund.Status.SUCCEEDED).values_list("amount", flat=True))
        chosen = []
        for record in pending.exclude(stripe_id=""):
            if done + record.amount > amount_refunded:
                break
            done += record.amount
            chosen.append(record.pk)
        pending = Refund.objects.filter(pk__in=chosen)
    count = confirm_refunds(order, pending)
    known = sum(for_this.filter(status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED))
                .values_list("amount", flat=True))
    known += sum(PaymentIssue.objects.filter(payment_intent=payment_intent, kind=PaymentIssue.Kind.REFUND_OUTSIDE)
                 .values_list("amount", flat=True))
    if isinstance(amount_refunded, int) and amount_refunded > known and attempt is not None:
        outside_refund(order, attempt, amount_refunded - known, [i for i in refund_ids if i], event_id)
    return count


def outside_refund(order, attempt, amount, refund_ids, event_id):
    """Money sent back in Stripe's dashboard, not through the site. All that was left of the order's own
    payment: the order is refunded here too (goods not handed over cancelled, stock back, 已退款). Any other
    amount: an issue for the operators, and the order is not handed over until they have looked."""
    from .services import flag

    paid = paid_attempt(order)
    left = attempt.amount - sum(Refund.objects.filter(attempt=attempt, issue__isnull=True, status__in=(
        Refund.Status.PENDING, Refund.Status.SUCCEEDED)).values_list("amount", flat=True))
    if paid is not None and paid.pk == attempt.pk and amount == left:
        lines = list(refundable_lines(order))
        record = Refund.objects.create(order=order, attempt=attempt, amount=amount, reason=_("在 Stripe 后台退款"),
                                       stripe_id=",".join(refund_ids)[:255])
        record.lines.set(lines)
        take_back(order, lines)
        OrderNote.objects.create(order=order, note_type="支付", message=_("在 Stripe 后台整单退款 ¥%(amount)s")
                                 % {"amount": gateway.yuan(amount)})
        return confirm_refunds(order, Refund.objects.filter(pk=record.pk))
    flag(order, PaymentIssue.Kind.REFUND_OUTSIDE,
         _("Stripe 上退了 ¥%(amount)s，本站没有对应的退款，请核对后处理") % {"amount": gateway.yuan(amount)},
         event_id, attempt=attempt, amount=amount, payment_intent=attempt.payment_intent)
    return 0


def confirm_refunds(order, records):
    """Money is back with the buyer: lines 已退款, Oscar's refund transaction and payment event, the order too."""
    from .services import online_source

    count = lines_refunded = 0
    refunded = PaymentEventType.objects.get_or_create(code="refunded", defaults={"name": "已退款"})[0]
    for record in records.filter(status=Refund.Status.PENDING).select_related("issue__attempt"):
        lines = list(record.lines.all())
        money = gateway.yuan(record.amount)
        if record.issue_id:  # a second or late payment has a source of its own (a wrong amount has none)
            source = order.sources.filter(reference=record.issue.attempt.session_id).first()
        else:
            source = online_source(order)
        if source is not None:
            source.refund(money, reference=record.stripe_id)
        EventHandler(None).create_payment_event(order, refunded, money, reference=record.stripe_id,
                                                lines=lines, line_quantities=[line.quantity for line in lines])
        for line in lines:
            line.set_status(settings.ORDER_STATUS_REFUNDED)
        Refund.objects.filter(pk=record.pk).update(status=Refund.Status.SUCCEEDED, confirmed_at=timezone.now())
        if record.issue_id:
            PaymentIssue.objects.filter(pk=record.issue_id).update(
                resolved=True, resolved_at=timezone.now(), resolved_by=record.requested_by,
                note=_("已退款 ¥%(amount)s") % {"amount": money})
        count += 1
        lines_refunded += len(lines)
    if lines_refunded and not order.lines.exclude(status=settings.ORDER_STATUS_REFUNDED).exists():
        order.set_status(settings.ORDER_STATUS_REFUNDED)
    return count


def refund_payment(issue, user, reason=""):
    """An operator sends back a whole payment an issue is about (paid twice, paid after release, a wrong
    amount): through Stripe with the key ``issue-<id>``, never touching the order's goods."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=issue.order_id)
        issue = PaymentIssue.objects.select_related("attempt").get(pk=issue.pk)
        if issue.resolved:
            raise RefundRefused(_("这个问题已经处理过了"))
        if not (issue.payment_intent and issue.amount and issue.attempt_id):
            raise RefundRefused(_("这个问题没有可以退的付款"))
        if issue.refunds.filter(status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED)).exists():
            raise RefundRefused(_("这笔付款已经在退款了"))
        record = Refund.objects.create(order=order, attempt=issue.attempt, issue=issue, amount=issue.amount,
                                       reason=reason[:200], requested_by=user)
    return send(order, record, issue.payment_intent, f"issue-{gateway.order_key(order)}-{issue.pk}", [])

