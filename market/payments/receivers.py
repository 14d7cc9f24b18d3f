"""Scheduling the release of an online order placed unpaid."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction


def schedule_release(sender, order, **kwargs):
    """Have the worker look at an online order again once its payment time is up."""
    if order.status != settings.ORDER_STATUS_AWAITING_PAYMENT:
        return
    from . import gateway
    from .services import GRACE
    from .tasks import release_unpaid_orders

    run_after = order.date_placed + gateway.session_lifetime() + GRACE + timedelta(seconds=5)
    transaction.on_commit(lambda: release_unpaid_orders.using(run_after=run_after).enqueue())
