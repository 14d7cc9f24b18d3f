"""Keeping Django's and Oscar's own records in line with this site's settings."""

from urllib.parse import urlsplit

from django.conf import settings


def site_from_setting(**kwargs):
    """Links in emails (password reset, Oscar's order mails) use SITE_URL's host, not example.com."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": str(settings.OSCAR_SHOP_NAME)})
    Site.objects.clear_cache()


def schedule_pickup_deadline(sender, order, **kwargs):
    """When a pickup order is placed, have the worker look at it again once its pickup days are up."""
    from datetime import timedelta

    from django.db import transaction

    from .tasks import cancel_uncollected_orders

    run_after = order.date_placed + timedelta(days=settings.SHOP_PICKUP_DAYS, minutes=1)
    transaction.on_commit(lambda: cancel_uncollected_orders.using(run_after=run_after).enqueue())
