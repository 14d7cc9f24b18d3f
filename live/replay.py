"""
A replay's history: what the room showed, each event at its moment in the video.

The recording is the session's pieces (one per publish) joined without the gaps
between them, so a moment in the room maps to the video through those pieces
(``LiveSession.replay_pieces``): an event during a reconnect shows where the next
piece begins. Products are shown at today's shop price; flash sales as past.
"""

from collections import OrderedDict

from oscar.core.loading import get_class

from .models import ChatMessage, FlashSale, LivePurchase, RoomEvent
from .services import display_name, mask_name

Selector = get_class("partner.strategy", "Selector")


def video_clock(session):
    """A function: a moment (aware datetime) → seconds into the replay, never below 0."""
    pieces = session.replay_pieces or ([[session.started_at.timestamp(), None]] if session.started_at else [])

    def seconds(when):
        moment, offset = when.timestamp(), 0.0
        for start, length in pieces:
            if moment < start:  # before this piece: the encoder was away, show it as the piece starts
                break
            if length is None or moment <= start + length:
                offset += moment - start
                break
            offset += length
        return round(max(offset, 0.0), 1)

    return seconds


def shop_card(product, strategy):
    """A product as the replay shows it: today's shop price, and whether it can be bought now."""
    info = strategy.fetch_for_product(product)
    image = product.primary_image()
    return {
        "id": product.pk,
        "title": product.get_title(),
        "price": str(info.price.incl_tax) if info.price.exists else None,
        "image": image.original.url if hasattr(image, "original") else None,
        "url": product.get_absolute_url(),
        "available": bool(product.is_public and info.availability.is_purchase_permitted(1)[0]),
    }


def replay_events(session):
    """Everything the replay shows, in video order: chat (never hidden messages), pins, announcements,
    flash sales and their end, order notices."""
    at = video_clock(session)
    strategy = Selector().strategy()
    cards = {}
    events = []
    for message in ChatMessage.objects.filter(session=session, is_hidden=False).select_related("user"):
        events.append({"type": "chat", "t": at(message.created), "id": message.pk,
                       "user": display_name(message.user), "text": message.text})
    for event in RoomEvent.objects.filter(session=session).select_related("product"):
        if event.kind == RoomEvent.Kind.PIN and event.product:
            if event.product_id not in cards:
                cards[event.product_id] = shop_card(event.product, strategy)
            events.append({"type": "pin", "t": at(event.at), "product": cards[event.product_id]})
        elif event.kind == RoomEvent.Kind.ANNOUNCE:
            events.append({"type": "announce", "t": at(event.at), "text": event.text or None})
        else:
            events.append({"type": "unpin", "t": at(event.at)})
    for flash in FlashSale.objects.filter(session=session).select_related("product"):
        events.append({"type": "flash", "t": at(flash.started_at), "product_id": flash.product_id,
                       "title": flash.product.get_title(), "price": str(flash.price),
                       "quantity": flash.quantity, "sold": flash.sold})
        ended = flash.ended_at or flash.ends_at
        events.append({"type": "flash.end", "t": at(ended), "product_id": flash.product_id,
                       "reason": flash.end_reason or FlashSale.EndReason.EXPIRED})
    events.extend(order_notices(session, at))
    order = {"pin": 0, "unpin": 0, "announce": 1, "flash": 2, "flash.end": 2, "order": 3, "chat": 4}
    events.sort(key=lambda e: (e["t"], order[e["type"]]))
    return events


def order_notices(session, at):
    """One notice per order and product bought from the room, when the order was placed."""
    grouped = OrderedDict()
    purchases = (LivePurchase.objects.filter(session=session, order__isnull=False)
                 .select_related("order__user", "product").order_by("order__date_placed", "id"))
    for purchase in purchases:
        key = (purchase.order_id, purchase.product_id)
        if key not in grouped:
            grouped[key] = {"type": "order", "t": at(purchase.order.date_placed),
                            "buyer": mask_name(purchase.order.user), "product_title": purchase.product.get_title(),
                            "quantity": 0}
        grouped[key]["quantity"] += purchase.quantity
    return list(grouped.values())


def chapters(events):
    """The moments each product was pinned (a product pinned again after another gets a new chapter)."""
    found = []
    for event in events:
        if event["type"] == "pin" and (not found or found[-1]["product_id"] != event["product"]["id"]):
            found.append({"t": event["t"], "title": event["product"]["title"], "product_id": event["product"]["id"]})
    return found


def clock_label(seconds):
    """12:05 or 1:02:05."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
