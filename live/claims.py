"""
Flash-sale units given back: those claimed for an order released unpaid, and
those claimed in a room by a buyer who never checked out (after
LIVE_CLAIM_MINUTES). A sale that sold out and still has time opens again, and
the rooms hear the new remaining count.
"""

import logging
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import fanout
from .models import FlashSale, LivePurchase
from .services import flash_event

logger = logging.getLogger(__name__)


def give_back(purchases):
    """Return these purchases' flash units to their sales and forget the purchases; how many units."""
    units = 0
    with transaction.atomic():
        purchases = list(purchases.select_for_update())
        changed = {}
        for purchase in purchases:
            if purchase.flash_id:
                FlashSale.objects.filter(pk=purchase.flash_id).update(sold=F("sold") - purchase.quantity)
                changed[purchase.flash_id] = purchase.session_id
                units += purchase.quantity
        LivePurchase.objects.filter(pk__in=[p.pk for p in purchases]).delete()
        now = timezone.now()
        for flash in FlashSale.objects.filter(pk__in=changed).select_related("product"):
            if flash.end_reason == FlashSale.EndReason.SOLD_OUT and now < flash.ends_at and flash.remaining > 0:
                FlashSale.objects.filter(pk=flash.pk).update(ended_at=None, end_reason="")
            transaction.on_commit(lambda flash=flash: tell_room(flash.session_id, flash_event(flash)))
    return units


def tell_room(session_id, event):
    """The room's side effect never breaks the shop: a channel-layer failure is logged, not raised."""
    try:
        async_to_sync(fanout.broadcast)(session_id, event)
    except Exception:  # noqa: BLE001
        logger.exception("could not tell live room %s about returned flash units", session_id)


def release_for_order(sender, order, **kwargs):
    """unpaid_order_released: the order's flash units go back to their sales."""
    return give_back(LivePurchase.objects.filter(order=order))


def release_stale(now=None):
    """Units claimed in a room but never checked out within LIVE_CLAIM_MINUTES; how many units."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.LIVE_CLAIM_MINUTES)
    return give_back(LivePurchase.objects.filter(order__isnull=True, flash__isnull=False, created__lte=cutoff))
