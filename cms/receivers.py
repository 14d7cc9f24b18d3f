"""A weekly event series: publishing its first date publishes the others as copies, one week apart;
a cancelled or refunded order gives back the 积分 it was paid with."""

from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from .models import EventPage


@receiver(page_published, sender=EventPage)
def publish_series(sender, instance, **kwargs):
    """On the first publish of an event with ``repeat_weeks`` > 1, copy it to the following weeks
    (each its own page, so each has its own reservations and can be moved or cancelled alone)."""
    event = instance
    if event.repeat_of_id or event.repeat_weeks <= 1 or event.repeats.exists():
        return
    parent = event.get_parent()
    for week in range(1, event.repeat_weeks):
        shift = timedelta(weeks=week)
        event.copy(to=parent, keep_live=True, copy_revisions=False, log_action=None, update_attrs={
            "title": _("%(title)s（第%(n)s期）") % {"title": event.title, "n": week + 1},
            "slug": f"{event.slug}-{week + 1}",
            "start": event.start + shift, "end": event.end + shift,
            "reservation_opens": event.reservation_opens + shift if event.reservation_opens else None,
            "reservation_closes": event.reservation_closes + shift if event.reservation_closes else None,
            "repeat_weeks": 1, "repeat_of": event,
        })


@receiver(order_status_changed)
def return_points(sender, order, old_status, new_status, **kwargs):
    if new_status in (settings.ORDER_STATUS_CANCELLED, settings.ORDER_STATUS_REFUNDED):
        from .points import return_for_order

        return_for_order(order)
