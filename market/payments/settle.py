"""
Asking Stripe how a payment stands when its news is late or missing.

- Before a buyer is sent to pay again, sessions past their expiry that are still open here are looked up:
  one paid at the last moment is recorded (never paid a second time), one being confirmed holds the order.
- A payment Stripe is confirming (an async method) has a deadline: after PAYMENT_PROCESSING_CHECK_MINUTES
  the sweep asks Stripe and settles it (paid, with the amount checked; or failed, so the order can be paid
  again or released); one still unconfirmed after PAYMENT_PROCESSING_MAX_HOURS is given up (the order is
  released, and money arriving later is flagged for a refund like any late payment).

Stripe is always called outside a transaction; what it says is applied with the order row locked, through
the same ``record_paid`` as the webhook, so replies and webhooks racing each other pay an order once.
"""

import logging
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import gateway
from .models import CheckoutAttempt
from .services import Order, OrderNote, PaymentUnavailable, record_paid

logger = logging.getLogger(__name__)
Status = CheckoutAttempt.Status
PAID = ("paid", "no_payment_required")


def mark_processing(attempt, payment_intent):
    """Checkout is complete but the money is on its way (an async method): the order waits for it."""
    if attempt.status in (Status.OPEN, Status.EXPIRED):
        attempt.status, attempt.payment_intent = Status.PROCESSING, payment_intent or ""
        attempt.processing_since = timezone.now()
        attempt.save(update_fields=["status", "payment_intent", "processing_since"])


def apply_session(attempt, session, source):
    """What Stripe says of a session, applied under the order's lock (``source`` names who asked)."""
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=attempt.order_id)
        attempt.refresh_from_db()
        if session.payment_status in PAID:
            return record_paid(attempt, session.amount_total, session.currency, session.payment_intent or "", source)
        if session.status == "complete":
            mark_processing(attempt, session.payment_intent)
        elif session.status == "expired" and attempt.status == Status.OPEN:
            CheckoutAttempt.objects.filter(pk=attempt.pk).update(status=Status.EXPIRED)
    return False


def check_lapsed_sessions(order, now=None):
    """Sessions past their expiry but still open here, looked up before a new one is opened."""
    now = now or timezone.now()
    for attempt in order.checkout_attempts.filter(status=Status.OPEN, session_id__isnull=False, expires_at__lte=now):
        try:
            session = gateway.retrieve_checkout_session(attempt.session_id)
        except stripe.StripeError as error:
            logger.warning("Order %s: cannot check session %s (%s)", order.number, attempt.session_id, error)
            raise PaymentUnavailable(_("暂时连不上支付平台，请稍后在订单页点「去支付」")) from error
        apply_session(attempt, session, "lapsed-check")


def settle_processing(now=None):
    """Payments confirming for longer than PAYMENT_PROCESSING_CHECK_MINUTES, checked with Stripe; how many
    were settled (paid or failed)."""
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.PAYMENT_PROCESSING_CHECK_MINUTES)
    settled = 0
    for attempt in CheckoutAttempt.objects.filter(status=Status.PROCESSING, processing_since__lte=due):
        try:
            session = gateway.retrieve_checkout_session(attempt.session_id)
            intent = gateway.retrieve_payment_intent(session.payment_intent) if session.payment_intent else None
        except stripe.StripeError as error:
            logger.warning("Session %s: cannot be checked with Stripe (%s)", attempt.session_id, error)
            continue
        if session.payment_status in PAID:
            apply_session(attempt, session, "processing-check")
            settled += 1
        elif intent is None or intent.status in ("requires_payment_method", "canceled"):
            settled += give_up(attempt, _("支付平台告知这笔付款没有成功"))
        elif attempt.processing_since <= now - timedelta(hours=settings.PAYMENT_PROCESSING_MAX_HOURS):
            settled += give_up(attempt, _("支付平台 %(h)d 小时内没有确认这笔付款，按未付款处理；之后若到账会退款")
                               % {"h": settings.PAYMENT_PROCESSING_MAX_HOURS})
    return settled


def give_up(attempt, why):
    """The payment failed (or never came): the order may be paid again until its deadline, then released."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=attempt.order_id)
        if not CheckoutAttempt.objects.filter(pk=attempt.pk, status=Status.PROCESSING).update(status=Status.FAILED):
            return 0
        OrderNote.objects.create(order=order, note_type="支付", message=why)
    return 1
