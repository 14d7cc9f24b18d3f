"""
Online payment of an order, from its placing to its release.

An order for online payment is placed as 待支付 with its stock allocated and
a Checkout Session is opened for it. Only Stripe's webhook marks it paid
(``record_paid``), after checking the amount and currency. One not paid by
its deadline (the last session's expiry) is cancelled and its stock returned
by ``release_overdue``: a django-tasks task scheduled at placement and the
periodic sweep both call it, so nothing waits on a webhook.
"""

import logging
from datetime import datetime, timedelta, timezone as dt_timezone

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import gateway
from .models import CheckoutAttempt, PaymentIssue
from .signals import unpaid_order_released

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
EventHandler = get_class("order.processing", "EventHandler")

ONLINE = "stripe"  # Oscar's SourceType code for money taken through Stripe
GRACE = timedelta(minutes=1)  # after a session's expiry, before the order is released


class PaymentUnavailable(Exception):
    """Stripe could not be reached or refused the request; the order stays 待支付."""


def source_type():
    return SourceType.objects.get_or_create(code=ONLINE, defaults={"name": "在线支付"})[0]


def online_source(order):
    return order.sources.filter(source_type__code=ONLINE).first()


def online_amount(order):
    """What the buyer pays on Stripe: the order's total less any part paid with 积分."""
    from cms.points import still_to_pay

    return still_to_pay(order)


def awaiting(order):
    return order.status == settings.ORDER_STATUS_AWAITING_PAYMENT


def deadline(order):
    """When an unpaid order is released: its last session's expiry (or the timeout, if none was opened)."""
    last = order.checkout_attempts.order_by("-expires_at").values_list("expires_at", flat=True).first()
    return last or order.date_placed + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)


def open_attempt(order, now=None):
    """The session the buyer can still pay in, if any."""
    now = now or timezone.now()
    return order.checkout_attempts.filter(status=CheckoutAttempt.Status.OPEN, expires_at__gt=now).first()


def start(order):
    """Open a Checkout Session for an order awaiting payment and return its URL (PaymentUnavailable if not)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not awaiting(order):
            raise PaymentUnavailable(_("这张订单不需要再付款"))
        current = open_attempt(order)
        if current is not None:
            return current.url
        number = order.checkout_attempts.count() + 1
        if number > settings.PAYMENT_MAX_ATTEMPTS:
            raise PaymentUnavailable(_("这张订单已经试过 %(n)d 次付款，请重新下单") % {"n": settings.PAYMENT_MAX_ATTEMPTS})
        try:
            session = gateway.create_checkout_session(order, number)
        except stripe.StripeError as error:
            logger.warning("Order %s: no Checkout Session (%s)", order.number, error)
            raise PaymentUnavailable(_("暂时连不上支付服务，请稍后在订单页点「去支付」")) from error
        CheckoutAttempt.objects.get_or_create(session_id=session.id, defaults={
            "order": order, "url": session.url, "amount": session.amount_total,
            "currency": session.currency,
            "expires_at": datetime.fromtimestamp(session.expires_at, tz=dt_timezone.utc)})
    return session.url


def flag(order, kind, detail, event_id=""):
    """Leave an issue for the operators, and a note on the order that Oscar's dashboard shows."""
    PaymentIssue.objects.create(order=order, kind=kind, detail=detail, event_id=event_id)
    OrderNote.objects.create(order=order, note_type="支付异常",
                             message=f"{PaymentIssue.Kind(kind).label}：{detail}")
    logger.error("Order %s: payment issue %s (%s)", order.number, kind, detail)


def record_paid(attempt, amount, currency, payment_intent, event_id=""):
    """Stripe says this session is paid: mark the order 已支付, once, if the money matches it.

    The order row is locked, so two deliveries of the news queue up here; money for
    an order already released or already paid is flagged for a refund, never
    taken silently.
    """
    order = Order.objects.select_for_update().get(pk=attempt.order_id)
    attempt.refresh_from_db()
    if attempt.status == CheckoutAttempt.Status.PAID:
        return False
    due = online_amount(order)
    if currency != settings.PAYMENT_CURRENCY or amount != gateway.fen(due) or amount != attempt.amount:
        flag(order, PaymentIssue.Kind.AMOUNT_MISMATCH,
             f"Stripe {amount / 100:.2f} {currency.upper()}，应付 {due} {settings.PAYMENT_CURRENCY.upper()}",
             event_id)
        return False
    already_paid = order.checkout_attempts.filter(status=CheckoutAttempt.Status.PAID).exists()
    attempt.status, attempt.paid_at, attempt.payment_intent = CheckoutAttempt.Status.PAID, timezone.now(), payment_intent
    attempt.save(update_fields=["status", "paid_at", "payment_intent"])
    if already_paid:
        flag(order, PaymentIssue.Kind.PAID_TWICE, f"{attempt.session_id} / {payment_intent}", event_id)
        return False
    if not awaiting(order):
        flag(order, PaymentIssue.Kind.PAID_AFTER_RELEASE,
             f"{order.status}：{attempt.session_id} / {payment_intent}", event_id)
        return False
    source = online_source(order) or Source.objects.create(
        order=order, source_type=source_type(), currency=order.currency, amount_allocated=due)
    source.debit(due, reference=payment_intent)
    paid = PaymentEventType.objects.get_or_create(code="paid", defaults={"name": "已支付"})[0]
    EventHandler(None).create_payment_event(
        order, paid, due, reference=payment_intent,
        lines=list(order.lines.all()), line_quantities=[line.quantity for line in order.lines.all()])
    placed(order)
    transaction.on_commit(lambda: tell_buyer_paid(order.pk))
    return True


def placed(order):
    """待支付 → 待备货 with its lines: the one way past the pipeline, which lets nobody else do it."""
    from oscar.apps.order.signals import order_status_changed

    old = order.status
    order.status = settings.ORDER_STATUS_PLACED
    order.save(update_fields=["status"])
    order.lines.filter(status=settings.ORDER_STATUS_AWAITING_PAYMENT).update(status=settings.ORDER_STATUS_PLACED)
    order_status_changed.send(sender=order, order=order, old_status=old, new_status=order.status)
    order._create_order_status_change(old, order.status)  # the dashboard's 状态变更 list, as set_status keeps it


def tell_buyer_paid(order_pk):
    from .tasks import notify_paid

    notify_paid.enqueue(order_pk)


def release(order_pk, now=None):
    """Cancel an unpaid online order past its deadline and return its stock; False if it is not one."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(
            pk=order_pk, status=settings.ORDER_STATUS_AWAITING_PAYMENT).first()
        if order is None or deadline(order) + GRACE > now:
            return False
        if order.checkout_attempts.filter(status=CheckoutAttempt.Status.PROCESSING).exists():
            return False  # a payment Stripe is still confirming: its result decides
        lines = list(order.lines.select_related("stockrecord"))
        EventHandler().cancel_stock_allocations(order, lines, [line.quantity for line in lines])
        order.checkout_attempts.filter(status=CheckoutAttempt.Status.OPEN).update(status=CheckoutAttempt.Status.EXPIRED)
        order.set_status(settings.ORDER_STATUS_CANCELLED)
        OrderNote.objects.create(order=order, note_type="系统",
                                 message=_("超过付款时间未支付，订单已取消，库存已退回"))
        unpaid_order_released.send(sender=Order, order=order)
    return True


def release_overdue(now=None):
    """Release every online order whose payment time is up; return how many."""
    now = now or timezone.now()
    candidates = Order.objects.filter(status=settings.ORDER_STATUS_AWAITING_PAYMENT,
                                      date_placed__lte=now - GRACE).values_list("pk", flat=True)
    return sum(release(pk, now) for pk in list(candidates))
