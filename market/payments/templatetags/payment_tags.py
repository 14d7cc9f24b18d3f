from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


WAIT_ROUNDS = 12  # back from the payment page: 12 looks, 5 s apart, before the page says what to do


@register.simple_tag(takes_context=True)
def order_payment(context, order):
    """How an order's online payment stands, for its buyer: None if it was not paid online.

    states: paid · late (arrived after the order was cancelled: it goes back) · processing (Stripe is
    confirming: no way to pay again) · returning (just back from paying: 支付确认中 for a bounded while)
    · slow (still no word after that: what to do, and paying again is safe) · failed · awaiting · released
    """
    from market.payments import services
    from market.payments.models import CheckoutAttempt, PaymentIssue, Refund
    from market.payments.refunds import paid_attempt

    attempts = list(order.checkout_attempts.all())
    if not attempts and not services.online_source(order):
        return None
    request = context.get("request")
    query = request.GET if request is not None else {}
    statuses = {attempt.status for attempt in attempts}
    Status = CheckoutAttempt.Status
    awaiting = order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    extra = {issue.kind: issue for issue in order.payment_issues.filter(
        kind__in=(PaymentIssue.Kind.PAID_TWICE, PaymentIssue.Kind.PAID_AFTER_RELEASE))}
    wait = int(query.get("wait", "0")) if str(query.get("wait", "0")).isdigit() else 0
    refresh = None
    if paid_attempt(order) is not None:
        state = "paid"
    elif PaymentIssue.Kind.PAID_AFTER_RELEASE in extra:
        state = "late"
    elif awaiting and Status.PROCESSING in statuses:
        state, refresh = "processing", "?paid=1"
    elif awaiting and query.get("paid") and wait < WAIT_ROUNDS:
        state, refresh = "returning", f"?paid=1&wait={wait + 1}"
    elif awaiting and query.get("paid"):
        state = "slow"
    elif awaiting:
        latest = max(attempts, key=lambda attempt: attempt.number) if attempts else None
        state = "failed" if latest and latest.status == Status.FAILED else "awaiting"
    else:
        state = "released"
    refunds = list(order.refunds.exclude(status=Refund.Status.FAILED).select_related("issue"))
    returned = [issue for issue in extra.values()
                if any(r.issue_id == issue.pk and r.status == Refund.Status.SUCCEEDED for r in refunds)]
    return {
        "state": state,
        "can_pay": awaiting and state in ("awaiting", "failed", "slow"),
        "refresh": refresh,
        "deadline": timezone.localtime(services.deadline(order)) if awaiting else None,
        "refunds": [r for r in refunds if r.issue_id is None],
        "amount": services.online_amount(order),
        "twice": extra.get(PaymentIssue.Kind.PAID_TWICE),
        "returned": bool(returned),
    }


@register.filter
def paid_online(order):
    """The order's money came through Stripe (so its lines can be refunded online)."""
    from market.payments.refunds import paid_attempt

    return paid_attempt(order) is not None


@register.filter
def fen_to_yuan(amount):
    """Stripe's amount in fen as yuan (for ``currency``)."""
    from market.payments.gateway import yuan

    return yuan(amount or 0)
