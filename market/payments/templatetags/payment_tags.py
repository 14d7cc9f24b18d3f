from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.simple_tag
def order_payment(order):
    """How an order's online payment stands, for its buyer: None if it was not paid online."""
    from market.payments import services
    from market.payments.models import CheckoutAttempt, Refund

    attempts = list(order.checkout_attempts.all())
    if not attempts and not services.online_source(order):
        return None
    statuses = {attempt.status for attempt in attempts}
    Status = CheckoutAttempt.Status
    awaiting = order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    if Status.PAID in statuses:
        state = "paid"
    elif awaiting and Status.PROCESSING in statuses:
        state = "processing"
    elif awaiting:
        latest = attempts[0] if attempts else None
        state = "failed" if latest and latest.status == Status.FAILED else "awaiting"
    else:
        state = "released"
    refunds = list(order.refunds.exclude(status=Refund.Status.FAILED))
    return {
        "state": state,
        "can_pay": awaiting and state in ("awaiting", "failed"),
        "deadline": timezone.localtime(services.deadline(order)) if awaiting else None,
        "refunds": refunds,
        "amount": services.online_amount(order),
    }


@register.filter
def paid_online(order):
    """The order's money came through Stripe (so it can be refunded online)."""
    from market.payments.models import CheckoutAttempt

    return order.checkout_attempts.filter(status=CheckoutAttempt.Status.PAID).exists()
