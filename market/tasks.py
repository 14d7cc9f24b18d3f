"""Background work of the shop, on django-tasks' database backend (make run starts the worker)."""

from django_tasks import task

from . import orders


@task(backend="background")
def cancel_uncollected_orders():
    """Cancel pay-at-pickup orders nobody collected in time, returning their stock."""
    return orders.cancel_uncollected_orders()
