"""The room as a whole: the product card, pinning, and the ``hello`` a client gets on joining."""

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from ..models import ChatMessage, LineupItem, LiveSession, RoomEvent
from .base import RoomError, can_chat, can_moderate, display_name, is_host, require_moderator, whole_number
from .chat import chat_event, is_muted
from .flash import current_flash, flash_event

Selector = get_class("partner.strategy", "Selector")


def product_card(item):
    """The pinned product as the room shows it: shop price, live price, stock."""
    product = item.product
    info = Selector().strategy().fetch_for_product(product)
    image = product.primary_image()
    return {
        "id": product.pk,
        "title": product.get_title(),
        "price": str(info.price.incl_tax) if info.price.exists else None,
        "live_price": None if item.effective_live_price is None else str(item.effective_live_price),
        "image": image.original.url if hasattr(image, "original") else None,
        "url": product.get_absolute_url(),
        "stock": info.stockrecord.net_stock_level if info.stockrecord else 0,
    }


def pinned_card(session):
    item = (
        LineupItem.objects.select_related("product").filter(pk=session.pinned_id).first()
        if session.pinned_id else None
    )
    return product_card(item) if item else None


def pin(session, user, product_id):
    """Pin a product of the lineup; returns the ``pin`` event."""
    require_moderator(session, user)
    product_id = whole_number(product_id, 1, 2**31 - 1, "product_id")
    # a product taken off sale (not public, e.g. back in review) cannot be pinned either
    item = LineupItem.objects.select_related("product").filter(session=session, product_id=product_id,
                                                               product__is_public=True).first()
    if item is None:
        raise RoomError("not_found", _("这件商品不在本场直播的商品清单里"))
    LiveSession.objects.filter(pk=session.pk).update(pinned=item)
    RoomEvent.objects.create(session=session, kind=RoomEvent.Kind.PIN, product=item.product)
    session.pinned_id = item.pk
    return {"type": "pin", "product": product_card(item)}


def unpin(session, user):
    require_moderator(session, user)
    LiveSession.objects.filter(pk=session.pk).update(pinned=None)
    RoomEvent.objects.create(session=session, kind=RoomEvent.Kind.UNPIN)
    session.pinned_id = None
    return {"type": "unpin"}


def hello_event(session, user, viewers=0):
    """The first event a client gets: the session, recent chat and who it is."""
    recent = (
        ChatMessage.objects.filter(session=session, is_hidden=False)
        .select_related("user")
        .order_by("-id")[: settings.LIVE_CHAT_HISTORY]
    )
    return {
        "type": "hello",
        "session": {
            "id": session.pk,
            "title": session.title,
            "status": session.room_status,
            "host": display_name(session.host),
        },
        "history": [chat_event(m) for m in reversed(recent)],
        "pinned": pinned_card(session),
        "flash": flash_event(flash) if (flash := current_flash(session)) else None,
        "announce": session.announcement or None,
        "viewers": viewers,
        "likes": session.likes,
        "you": {
            "user": display_name(user),
            "can_chat": can_chat(user) and not is_muted(session, user),
            "is_host": is_host(session, user),
            "is_moderator": can_moderate(session, user),
        },
    }
