"""The room's chat and its moderation: messages, the rate limit, hiding, muting, the
announcement, likes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ChatMessage, LiveSession, Mute, RoomEvent
from .base import (MAX_CHAT_LENGTH, MAX_CLIENT_ID_LENGTH, RoomError, can_chat, can_moderate, display_name,
                   require_host, require_moderator, short_text, whole_number)


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
    if is_rate_limited(user):
        raise RoomError("rate_limited", _("发言太快了，请稍等一下再发"))
    message = ChatMessage.objects.create(
        session=session, user=user, text=text, client_id=client_id or ""
    )
    return chat_event(message)


def is_rate_limited(user):
    """At most LIVE_CHAT_BURST messages in any window of BURST / RATE seconds (about one a second).

    Counted from the stored messages, so it holds across tabs, rooms and server processes.
    """
    window = timedelta(seconds=settings.LIVE_CHAT_BURST / settings.LIVE_CHAT_RATE)
    recent = ChatMessage.objects.filter(user=user, created__gt=timezone.now() - window)
    return recent.count() >= settings.LIVE_CHAT_BURST


def is_muted(session, user):
    if not (user and user.is_authenticated):
        return False
    return Mute.objects.filter(session=session, user=user, until__gt=timezone.now()).exists()


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
    RoomEvent.objects.create(session=session, kind=RoomEvent.Kind.ANNOUNCE, text=text or "")
    return {"type": "announce", "text": text}


def check_likes(user, count):
    """A valid ``like`` frame's count; the room's hub adds it up and stores it once a tick."""
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再点赞"))
    return whole_number(count, 1, 20, "count")


def store_likes(session_id, count):
    """Add a tick's likes to the session; return its total."""
    if count:
        LiveSession.objects.filter(pk=session_id).update(likes=F("likes") + count)
    return LiveSession.objects.filter(pk=session_id).values_list("likes", flat=True).first() or 0


