"""The shop tells the live rooms about orders placed from them."""

import logging

from asgiref.sync import async_to_sync
from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from . import fanout, services

logger = logging.getLogger(__name__)


@receiver(order_placed)
def announce_live_order(sender, order, user=None, **kwargs):
    notices = services.record_order(order)

    def tell_rooms():
        # the order is placed and committed: a room that cannot be told must not turn that into an error page
        for session_id in {session_id for session_id, _event in notices}:
            try:
                events = [event for sid, event in notices if sid == session_id]
                figures = services.figures(services.get_session(session_id))
                async_to_sync(fanout.broadcast)(session_id, *events, figures)
            except Exception:  # noqa: BLE001
                logger.exception("could not tell live room %s about order %s", session_id, order.number)

    if notices:
        transaction.on_commit(tell_rooms)
