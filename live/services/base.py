"""Who is in a live room and what they may do (checked in the database every time), and the
checks every frame's fields go through; a refusal is a ``RoomError``."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import HOSTS_GROUP, LiveSession

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


def get_session(session_id):
    return LiveSession.objects.select_related("host").filter(pk=session_id).first()


def can_chat(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_host(session, user):
    """Platform staff, or the session's host while still a community host of its community.

    Read from the database every time, not from the user object a socket
    loaded when it connected: rights taken away take effect at once.
    """
    if not (user and user.is_authenticated):
        return False
    return get_user_model().objects.filter(pk=user.pk, is_active=True).filter(
        Q(is_staff=True)
        | Q(pk=session.host_id, groups__name=HOSTS_GROUP, hosted_communities=session.community_id)
    ).exists()


def can_moderate(session, user):
    """The host, staff, or a moderator (场控) appointed for this session (checked in the database)."""
    return is_host(session, user) or bool(
        user and user.is_authenticated and session.moderators.filter(pk=user.pk, is_active=True).exists()
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
