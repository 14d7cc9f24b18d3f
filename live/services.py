"""
What happens in a live room, as plain functions the consumer calls.

They take and return plain data (the event dicts of the live protocol) so
they can be tested without a socket, and they are synchronous: the consumer
runs them through ``database_sync_to_async``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from .models import ChatMessage, LineupItem, LiveSession, Mute

Selector = get_class("partner.strategy", "Selector")

MAX_CHAT_LENGTH = 200
MAX_CLIENT_ID_LENGTH = 64


class RoomError(Exception):
    """A refused client frame; becomes an ``error`` event with this code and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_event(self):
        return {"type": "error", "code": self.code, "message": str(self.message)}


def display_name(user):
    """How a user is shown to others: 胡奶奶 (family name first) for Chinese names."""
    if user is None or not user.is_authenticated:
        return None
    last, first = user.last_name.strip(), user.first_name.strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in last + first):
        return last + first
    return user.get_full_name() or user.get_username()


def chat_event(message):
    return {
        "type": "chat",
        "id": message.pk,
        "user": display_name(message.user),
        "user_id": message.user_id,
        "text": message.text,
        "ts": message.created.isoformat(),
        "client_id": message.client_id or None,
    }


def get_session(session_id):
    return LiveSession.objects.select_related("host").filter(pk=session_id).first()


def can_chat(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_host(session, user):
    """The session's host, or platform staff."""
    return bool(user and user.is_authenticated and (user.pk == session.host_id or user.is_staff))


def can_moderate(session, user):
    """The host, staff, or a moderator (场控) appointed for this session."""
    return is_host(session, user) or bool(
        user and user.is_authenticated and session.moderators.filter(pk=user.pk).exists()
    )


def require_host(session, user):
    if not (user and user.is_authenticated):
        raise RoomError("login_required", _("请先登录"))
    if not is_host(session, user):
        raise RoomError("not_allowed", _("只有本场主播可以这样做"))


def require_moderator(session, user):
    if not (user and user.is_authenticated):
        raise RoomError("login_required", _("请先登录"))
    if not can_moderate(session, user):
        raise RoomError("not_allowed", _("只有主播或场控可以这样做"))


def whole_number(value, low, high, field):
    """A frame's integer field, checked against its range."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RoomError("invalid", _("%(field)s 必须是 %(low)d 到 %(high)d 之间的整数")
                        % {"field": field, "low": low, "high": high})
    return value


def short_text(value, field, limit=MAX_CHAT_LENGTH):
    if not isinstance(value, str) or not value.strip():
        raise RoomError("invalid", _("%(field)s 不能为空") % {"field": field})
    value = value.strip()
    if len(value) > limit:
        raise RoomError("too_long", _("不能超过 %(n)d 个字") % {"n": limit})
    return value


def product_card(item):
    """The pinned product as the room shows it: shop price, live price, stock."""
    product = item.product
    info = Selector().strategy().fetch_for_product(product)
    image = product.primary_image()
    return {
        "id": product.pk,
        "title": product.get_title(),
        "price": str(info.price.incl_tax) if info.price.exists else None,
        "live_price": None if item.live_price is None else str(item.live_price),
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


def hello_event(session, user):
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
            "status": session.status,
            "host": display_name(session.host),
        },
        "history": [chat_event(m) for m in reversed(recent)],
        "pinned": pinned_card(session),
        "flash": None,
        "announce": session.announcement or None,
        "viewers": 0,
        "likes": session.likes,
        "you": {
            "user": display_name(user),
            "can_chat": can_chat(user) and not is_muted(session, user),
            "is_host": is_host(session, user),
            "is_moderator": can_moderate(session, user),
        },
    }


def post_chat(session, user, text, client_id=None):
    """Validate and store a chat message; return the ``chat`` event to broadcast."""
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再发言"))
    if not isinstance(text, str):
        raise RoomError("invalid", _("消息内容必须是文字"))
    text = text.strip()
    if not text:
        raise RoomError("invalid", _("消息不能为空"))
    if len(text) > MAX_CHAT_LENGTH:
        raise RoomError("too_long", _("消息不能超过 %(n)d 个字") % {"n": MAX_CHAT_LENGTH})
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID_LENGTH):
        raise RoomError("invalid", _("client_id 格式不正确"))
    if is_muted(session, user):
        raise RoomError("muted", _("你已被禁言，暂时不能发言"))
    message = ChatMessage.objects.create(
        session=session, user=user, text=text, client_id=client_id or ""
    )
    return chat_event(message)


def is_muted(session, user):
    if not (user and user.is_authenticated):
        return False
    return Mute.objects.filter(session=session, user=user, until__gt=timezone.now()).exists()


def pin(session, user, product_id):
    """Pin a product of the lineup; returns the ``pin`` event."""
    require_moderator(session, user)
    product_id = whole_number(product_id, 1, 2**31 - 1, "product_id")
    item = LineupItem.objects.select_related("product").filter(session=session, product_id=product_id).first()
    if item is None:
        raise RoomError("not_found", _("这件商品不在本场直播的商品清单里"))
    LiveSession.objects.filter(pk=session.pk).update(pinned=item)
    session.pinned_id = item.pk
    return {"type": "pin", "product": product_card(item)}


def unpin(session, user):
    require_moderator(session, user)
    LiveSession.objects.filter(pk=session.pk).update(pinned=None)
    session.pinned_id = None
    return {"type": "unpin"}


def hide(session, user, message_id):
    """Hide one chat message for everyone; returns the ``chat.hidden`` event."""
    require_moderator(session, user)
    message_id = whole_number(message_id, 1, 2**63 - 1, "message_id")
    if not ChatMessage.objects.filter(session=session, pk=message_id).update(is_hidden=True):
        raise RoomError("not_found", _("找不到这条消息"))
    return {"type": "chat.hidden", "id": message_id}


def mute(session, user, user_id, minutes):
    """Silence a user in this session's chat for some minutes."""
    require_moderator(session, user)
    user_id = whole_number(user_id, 1, 2**31 - 1, "user_id")
    minutes = whole_number(minutes, 1, 1440, "minutes")
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise RoomError("not_found", _("找不到这个用户"))
    if can_moderate(session, target):
        raise RoomError("not_allowed", _("不能禁言主播或场控"))
    Mute.objects.update_or_create(
        session=session, user=target,
        defaults={"until": timezone.now() + timedelta(minutes=minutes), "by": user},
    )


def announce(session, user, text):
    """Set (or with an empty text, clear) the line shown pinned above the chat."""
    require_host(session, user)
    text = None if text in (None, "") else short_text(text, _("公告"))
    LiveSession.objects.filter(pk=session.pk).update(announcement=text or "")
    return {"type": "announce", "text": text}


def add_likes(session, user, count):
    """Count likes; they reach viewers in the periodic ``stats``, never one by one."""
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再点赞"))
    count = whole_number(count, 1, 20, "count")
    LiveSession.objects.filter(pk=session.pk).update(likes=F("likes") + count)
