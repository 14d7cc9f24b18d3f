"""
The calls this site makes to Stripe, through Stripe's own client library.

``STRIPE_API_BASE`` points the client at another server (the tests' fake
Stripe); every amount sent is in fen, the currency ``PAYMENT_CURRENCY``.
"""

from datetime import timedelta

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

# Stripe accepts a Checkout Session's expires_at between 30 minutes and 24 hours from its creation. A
# session is asked for with its expiry fixed beforehand (so the same request can be sent again after a lost
# answer); the 5 minutes over Stripe's least leave room to send it again, unchanged.
STRIPE_MIN_LIFETIME, MAX_LIFETIME = timedelta(minutes=30), timedelta(hours=24)
MIN_LIFETIME = STRIPE_MIN_LIFETIME + timedelta(minutes=5)


def configured():
    """Online payment is offered only when a Stripe secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def client():
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE},
                               max_network_retries=2)


def fen(amount):
    """A Decimal in yuan as Stripe's integer amount in fen."""
    return int((amount * 100).quantize(1))


def line_items(order):
    """The order's lines, shipping and discounts as Checkout line items that add up to what is paid
    online (one item for the whole order when part of it was paid with 积分 or a discount does not split)."""
    from .services import online_amount

    currency = settings.PAYMENT_CURRENCY
    due = fen(online_amount(order))
    items = []
    for line in order.lines.all():
        total = fen(line.line_price_incl_tax)
        quantity = line.quantity if total % line.quantity == 0 else 1  # a discount may not split evenly
        name = line.title if quantity == line.quantity else f"{line.title} × {line.quantity}"
        items.append({"quantity": quantity, "price_data": {
            "currency": currency, "unit_amount": total // quantity, "product_data": {"name": name[:250]}}})
    if order.shipping_incl_tax:
        items.append({"quantity": 1, "price_data": {
            "currency": currency, "unit_amount": fen(order.shipping_incl_tax),
            "product_data": {"name": "运费"}}})  # not translated: the same request whatever the language
    if sum(item["quantity"] * item["price_data"]["unit_amount"] for item in items) != due:
        items = [{"quantity": 1, "price_data": {"currency": currency, "unit_amount": due,
                                                "product_data": {"name": f"订单 {order.number}"}}}]
    return items


def session_lifetime():
    wanted = timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)
    return min(max(wanted, MIN_LIFETIME), MAX_LIFETIME)


def order_key(order):
    """An order's name in idempotency keys: its number and the microsecond it was placed, so that two
    installations sharing a Stripe account (a test site beside a training one) never share a key."""
    return f"{order.number}.{int(order.date_placed.timestamp() * 1_000_000)}"


def can_resend(attempt, now=None):
    """Whether the request for this attempt's session can still be sent again exactly as it was."""
    return attempt.expires_at - (now or timezone.now()) > STRIPE_MIN_LIFETIME + timedelta(minutes=1)


def create_checkout_session(order, attempt):
    """A hosted Checkout Session for one attempt at paying the order. Everything sent is fixed by the order
    and the attempt (its number is in the idempotency key, its expiry in the body), so sending it again
    after a lost answer gets the same session back instead of Stripe's idempotency error."""
    site = settings.SITE_URL.rstrip("/")
    order_url = site + reverse("customer:order", args=[order.number])
    params = {
        "mode": "payment",
        "line_items": line_items(order),
        "payment_method_types": list(settings.PAYMENT_METHOD_TYPES),
        "payment_method_options": {"wechat_pay": {"client": "web"}},
        "client_reference_id": order.number,
        "metadata": {"order_number": order.number},
        "payment_intent_data": {"metadata": {"order_number": order.number}},
        "success_url": order_url + "?paid=1",
        "cancel_url": order_url + "?cancelled=1",
        "expires_at": int(attempt.expires_at.timestamp()),
        "locale": "auto",  # the buyer's phone's language; not the request's, which may differ on a retry
    }
    if order.email:
        params["customer_email"] = order.email
    return client().v1.checkout.sessions.create(
        params, {"idempotency_key": f"checkout-{order_key(order)}-{attempt.number}"})


def retrieve_checkout_session(session_id):
    return client().v1.checkout.sessions.retrieve(session_id)


def retrieve_payment_intent(payment_intent):
    return client().v1.payment_intents.retrieve(payment_intent)


def list_checkout_sessions(created_after):
    """Every Checkout Session created since then (auto-paginated)."""
    page = client().v1.checkout.sessions.list({"created": {"gte": int(created_after.timestamp())}, "limit": 100})
    return page.auto_paging_iter()


def create_refund(payment_intent, amount, key, order_number):
    return client().v1.refunds.create(
        {"payment_intent": payment_intent, "amount": amount, "metadata": {"order_number": order_number}},
        {"idempotency_key": key})


def verified_event(payload, signature):
    """The webhook's event, if Stripe signed it with STRIPE_WEBHOOK_SECRET in the last five minutes."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def yuan(amount_fen):
    from decimal import Decimal

    return (Decimal(amount_fen) / 100).quantize(Decimal("0.01"))
