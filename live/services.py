"""
What happens in a live room, as plain functions the consumer calls.

They take and return plain data (the event dicts of the live protocol) so
they can be tested without a socket, and they are synchronous: the consumer
runs them through ``database_sync_to_async``.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .models import ChatMessage, LiveSession

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
        "text": message.text,
        "ts": message.created.isoformat(),
        "client_id": message.client_id or None,
    }


def get_session(session_id):
    return LiveSession.objects.select_related("host").filter(pk=session_id).first()


def can_chat(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_host(session, user):
    return bool(user and user.is_authenticated and (user.pk == session.host_id or user.is_staff))


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
        "pinned": None,
        "flash": None,
        "announce": None,
        "viewers": 0,
        "likes": 0,
        "you": {
            "user": display_name(user),
            "can_chat": can_chat(user),
            "is_host": is_host(session, user),
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
    message = ChatMessage.objects.create(
        session=session, user=user, text=text, client_id=client_id or ""
    )
    message.user = user
    return chat_event(message)
