"""Background work of the shop, on django-tasks' database backend (make run starts the worker)."""

from django_tasks import task

from . import delivery, orders


@task(backend="background")
def cancel_uncollected_orders():
    """Cancel pay-at-pickup orders nobody collected in time, returning their stock."""
    return orders.cancel_uncollected_orders()


@task(backend="background")
def notify_delivered(line_ids):
    """Tell buyers that their goods wait at the pickup point (in-site notification and email)."""
    return delivery.notify_buyers_of_delivery(line_ids)
