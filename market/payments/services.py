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
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import Max
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
    """The order's own online payment (not a second or late one, which has a source of its own)."""
    return order.sources.filter(source_type__code=ONLINE).order_by("pk").first()


def online_amount(order):
    """What the buyer pays on Stripe: the order's total less any part paid with 积分."""
    from cms.points import still_to_pay

    return still_to_pay(order)


def awaiting(order):
    return order.status == settings.ORDER_STATUS_AWAITING_PAYMENT


def deadline(order):
    """When an unpaid order is released: the latest expiry of its sessions that Stripe has not closed early
    (its placing and the timeout if it has none; at once if every session was expired)."""
    attempts = list(order.checkout_attempts.values_list("expires_at", "status"))
    if not attempts:
        return order.date_placed + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)
    live = [expires_at for expires_at, status in attempts if status != CheckoutAttempt.Status.EXPIRED]
    return max(live) if live else order.date_placed


def open_attempt(order, now=None):
    """The session the buyer can still pay in, if any."""
    now = now or timezone.now()
    return order.checkout_attempts.filter(status=CheckoutAttempt.Status.OPEN, session_id__isnull=False,
                                          expires_at__gt=now).first()


def confirming(order):
    """A payment Stripe is still confirming (an async method): nobody may pay again meanwhile."""
    return order.checkout_attempts.filter(status=CheckoutAttempt.Status.PROCESSING).exists()


def start(order):
    """Open a Checkout Session for an order awaiting payment and return its URL (PaymentUnavailable if not).

    Stripe is called outside any transaction: the attempt (its number and expiry) is recorded first under
    the order's lock, then Stripe is asked, then the answer is stored under the lock again. Sessions past
    their expiry that Stripe may still have been paid in are checked with Stripe first, so a buyer whose
    payment is late to arrive is never sent to pay a second time.
    """
    from .settle import check_lapsed_sessions

    check_lapsed_sessions(order)
    attempt = reserve_attempt(order)
    if attempt.url:
        return attempt.url
    try:
        session = gateway.create_checkout_session(order, attempt)
    except stripe.StripeError as error:
        logger.warning("Order %s: no Checkout Session (%s)", order.number, error)
        raise PaymentUnavailable(_("暂时连不上支付平台，请稍后在订单页点「去支付」")) from error
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        CheckoutAttempt.objects.filter(pk=attempt.pk, session_id__isnull=True).update(
            session_id=session.id, url=session.url, amount=session.amount_total, currency=session.currency)
    return session.url


def reserve_attempt(order):
    """Under the order's lock: the open session (its url set), or the attempt to ask Stripe for now."""
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not awaiting(order):
            raise PaymentUnavailable(_("这张订单不需要再付款"))
        current = open_attempt(order, now)
        if current is not None:
            return current
        if confirming(order):
            raise PaymentUnavailable(_("你的付款正在确认中，请不要重复付款，确认后会通知你"))
        waiting = order.checkout_attempts.filter(status=CheckoutAttempt.Status.OPEN, session_id__isnull=True).first()
        if waiting is not None and gateway.can_resend(waiting, now):
            return waiting  # asked before, answer lost: the same request again
        if waiting is not None:
            CheckoutAttempt.objects.filter(pk=waiting.pk).update(status=CheckoutAttempt.Status.EXPIRED)
        number = (order.checkout_attempts.aggregate(n=Max("number"))["n"] or 0) + 1
        if number > settings.PAYMENT_MAX_ATTEMPTS:
            raise PaymentUnavailable(_("这张订单已经试过 %(n)d 次付款，请重新下单") % {"n": settings.PAYMENT_MAX_ATTEMPTS})
        return CheckoutAttempt.objects.create(
            order=order, number=number, amount=gateway.fen(online_amount(order)),
            currency=settings.PAYMENT_CURRENCY, expires_at=now + gateway.session_lifetime())


def flag(order, kind, detail, event_id="", attempt=None, amount=None, payment_intent=""):
    """Leave an issue for the operators' queue (with the money it concerns), and a note on the order."""
    PaymentIssue.objects.create(order=order, kind=kind, detail=detail, event_id=event_id, attempt=attempt,
                                amount=amount, payment_intent=payment_intent or "")
    OrderNote.objects.create(order=order, note_type="支付异常",
                             message=f"{PaymentIssue.Kind(kind).label}：{detail}")
    logger.error("Order %s: payment issue %s (%s)", order.number, kind, detail)


def record_paid(attempt, amount, currency, payment_intent, event_id=""):
    """Stripe says this session is paid: mark the order 已支付, once, if the money matches it.

    The order row is locked, so two deliveries of the news queue up here; a session already recorded as
    paid is news already had. Money for an order already released or already paid is kept on the order's
    records (an Oscar source of its own) and flagged for the operators to send back, never taken silently;
    money of the wrong amount or currency, or without an amount, is flagged.
    """
    order = Order.objects.select_for_update().get(pk=attempt.order_id)
    attempt.refresh_from_db()
    if attempt.status == CheckoutAttempt.Status.PAID:
        return False
    due = online_amount(order)
    known = isinstance(amount, int) and not isinstance(amount, bool) and isinstance(currency, str)
    money = {"attempt": attempt, "amount": amount if known else None, "payment_intent": payment_intent}
    if not known or currency != settings.PAYMENT_CURRENCY or amount != gateway.fen(due) or amount != attempt.amount:
        told = f"{amount / 100:.2f} {currency.upper()}" if known else _("没有金额")
        flag(order, PaymentIssue.Kind.AMOUNT_MISMATCH,
             f"Stripe {told}，应付 {due} {settings.PAYMENT_CURRENCY.upper()}", event_id, **money)
        return False
    already_paid = order.checkout_attempts.filter(status=CheckoutAttempt.Status.PAID).exists()
    attempt.status, attempt.paid_at, attempt.payment_intent = CheckoutAttempt.Status.PAID, timezone.now(), payment_intent
    attempt.save(update_fields=["status", "paid_at", "payment_intent"])
    if already_paid or not awaiting(order):
        Source.objects.create(order=order, source_type=source_type(), currency=order.currency, amount_allocated=due,
                              reference=attempt.session_id).debit(due, reference=payment_intent)
        kind = PaymentIssue.Kind.PAID_TWICE if already_paid else PaymentIssue.Kind.PAID_AFTER_RELEASE
        flag(order, kind, f"{order.status}：{attempt.session_id} / {payment_intent}", event_id, **money)
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
    """Settle payments confirming for too long (asking Stripe), then release every online order whose
    payment time is up; return how many were released."""
    from .settle import settle_processing

    now = now or timezone.now()
    if gateway.configured():
        settle_processing(now)
    candidates = Order.objects.filter(status=settings.ORDER_STATUS_AWAITING_PAYMENT,
                                      date_placed__lte=now - GRACE).values_list("pk", flat=True)
    return sum(release(pk, now) for pk in list(candidates))
