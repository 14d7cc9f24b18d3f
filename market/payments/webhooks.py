"""
Stripe's webhook events, each handled exactly once.

The event's id is stored in the same transaction as its effects, under a
unique constraint: a replay finds it and does nothing, and a second delivery
arriving at the same moment waits on the first one's row and then does
nothing. Handlers lock the order, so events for one order apply one at a
time, in whatever order they come, and none undoes a payment.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import refunds, services, settle
from .models import CheckoutAttempt, StripeEvent

logger = logging.getLogger(__name__)

Status = CheckoutAttempt.Status


def handle(event):
    """Apply a verified event; False if it had been handled before."""
    data = event["data"]["object"]
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event["id"], type=event["type"],
                                       order_number=order_number(data)[:128])
            handler = HANDLERS.get(event["type"])
            if handler is not None:
                handler(data, event["id"])
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event["id"]).exists():
            return False
        raise
    return True


def order_number(data):
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return str(metadata.get("order_number") or data.get("client_reference_id") or "")


def attempt_for(data):
    """Our attempt for a Checkout Session, its order row locked."""
    attempt = CheckoutAttempt.objects.filter(session_id=data["id"]).first()
    if attempt is None:
        logger.warning("Stripe session %s is not one of ours", data["id"])
        return None
    services.Order.objects.select_for_update().get(pk=attempt.order_id)
    attempt.refresh_from_db()
    return attempt


def paid(attempt, data, event_id):
    """record_paid with what the event says (a missing amount or currency is flagged there, not a crash)."""
    return services.record_paid(attempt, data.get("amount_total"), data.get("currency"),
                                data.get("payment_intent") or "", event_id)


def session_completed(data, event_id):
    attempt = attempt_for(data)
    if attempt is None:
        return
    if data.get("payment_status") in settle.PAID:
        paid(attempt, data, event_id)
    else:  # an async method: the money is on its way; the order is held until Stripe says yes or no
        settle.mark_processing(attempt, data.get("payment_intent"))


def async_succeeded(data, event_id):
    attempt = attempt_for(data)
    if attempt is not None:
        paid(attempt, data, event_id)


def async_failed(data, event_id):
    attempt = attempt_for(data)
    if attempt is not None and attempt.status in (Status.OPEN, Status.PROCESSING):
        attempt.status = Status.FAILED
        attempt.save(update_fields=["status"])


def session_expired(data, event_id):
    attempt = attempt_for(data)
    if attempt is None or attempt.status != Status.OPEN:
        return  # an expiry never undoes a payment, whatever order the events come in
    attempt.status = Status.EXPIRED
    attempt.save(update_fields=["status"])
    transaction.on_commit(lambda: services.release(attempt.order_id, timezone.now() + services.GRACE))


def charge_refunded(data, event_id):
    listed = (data.get("refunds") or {}).get("data") or []
    refunds.confirm(data.get("payment_intent") or "", data.get("amount_refunded") or 0,
                    [refund.get("id") for refund in listed if isinstance(refund, dict)], event_id)


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": async_succeeded,
    "checkout.session.async_payment_failed": async_failed,
    "checkout.session.expired": session_expired,
    "charge.refunded": charge_refunded,
}
