"""The live room WebSocket (see shared/docs/live-protocol.md); the rules live in services."""

import json
from collections import Counter

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.middleware import language_from_cookie

from . import fanout, services
from .models import LiveSession
from .services import RoomError

CLOSE_NOT_FOUND = 4404
CLOSE_CANCELLED = 4410
CLOSE_TOO_MANY = 4429  # too many sockets from one client address

# Open sockets per client address in this process (a viewer count cannot be inflated from one machine).
_sockets_by_address = Counter()


def client_address(scope):
    client = scope.get("client") or ("", 0)
    return client[0] or ""


def has_lone_surrogate(frame):
    """JSON may carry "\ud800": a str Python cannot encode, store or send back."""
    try:
        json.dumps(frame, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class LiveRoomConsumer(AsyncWebsocketConsumer):
    """One viewer's socket in one session's room; broadcasts go through the room's hub."""

    hub = None
    is_staff = False
    address = None

    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.user = self.scope.get("user")
        self.language = language_from_cookie(self.scope.get("cookies", {}))
        # Accepted first, then closed with the contract's code: a client can tell "not found" from "forbidden".
        await self.accept()
        address = client_address(self.scope)
        if _sockets_by_address[address] >= settings.LIVE_MAX_SOCKETS_PER_ADDRESS:
            await self.close(code=CLOSE_TOO_MANY)
            return
        self.address = address
        _sockets_by_address[address] += 1
        self.session = await database_sync_to_async(services.get_session)(self.session_id)
        if self.session is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if self.session.status == LiveSession.Status.CANCELLED:
            await self.close(code=CLOSE_CANCELLED)
            return
        self.is_staff = await self.call(services.can_moderate, self.session, self.user)
        self.hub = await fanout.join(self.session_id, self)
        await self.send_event(await self.call(services.hello_event, self.session, self.user, self.hub.viewers))
        if self.is_staff:
            await self.send_event(await self.call(services.figures, self.session))

    async def disconnect(self, code):
        if self.address is not None:
            _sockets_by_address[self.address] -= 1
            if _sockets_by_address[self.address] <= 0:
                del _sockets_by_address[self.address]
            self.address = None
        if self.hub is not None:
            await fanout.leave(self.hub, self)

    async def recheck_rights(self):
        """Called by the hub: is this viewer still the host, staff or a moderator?"""
        self.is_staff = await self.call(services.can_moderate, self.session, self.user)

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            try:
                await self.dispatch_frame(text_data, bytes_data)
            except RoomError as error:
                await self.send_event(error.as_event())

    async def dispatch_frame(self, text_data, bytes_data):
        if text_data is None:
            raise RoomError("invalid", _("只接受 JSON 文本消息"))
        if len(text_data) > settings.LIVE_MAX_FRAME_CHARS:  # checked before parsing anything
            raise RoomError("too_long", _("消息太长了"))
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            raise RoomError("invalid", _("消息不是有效的 JSON")) from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise RoomError("invalid", _("消息缺少 type 字段"))
        if has_lone_surrogate(frame):
            raise RoomError("invalid", _("消息里有无效的字符"))
        handler = getattr(self, "on_" + frame["type"].replace(".", "_"), None)
        if handler is None:
            raise RoomError("invalid", _("未知的消息类型：%(type)s") % {"type": frame["type"][:32]})
        await handler(frame)

    async def on_ping(self, frame):
        await self.send_event({"type": "pong"})

    async def on_chat(self, frame):
        await self.broadcast(await self.call(
            services.post_chat, self.session, self.user, frame.get("text"), frame.get("client_id")
        ))

    async def on_like(self, frame):
        count = await self.call(services.check_likes, self.user, frame.get("count"))
        if not self.hub.add_likes(self.user.pk, count):
            raise RoomError("rate_limited", _("点赞太快了，歇一下吧"))

    async def on_pin(self, frame):
        await self.broadcast(await self.call(services.pin, self.session, self.user, frame.get("product_id")))

    async def on_unpin(self, frame):
        await self.broadcast(await self.call(services.unpin, self.session, self.user))

    async def on_hide(self, frame):
        await self.broadcast(await self.call(services.hide, self.session, self.user, frame.get("message_id")))

    async def on_mute(self, frame):
        await self.call(services.mute, self.session, self.user, frame.get("user_id"), frame.get("minutes"))

    async def on_announce(self, frame):
        await self.broadcast(await self.call(services.announce, self.session, self.user, frame.get("text")))

    async def on_flash_start(self, frame):
        await self.broadcast(*await self.call(
            services.start_flash, self.session, self.user, frame.get("product_id"), frame.get("price"),
            frame.get("quantity"), frame.get("per_user_limit"), frame.get("duration_s"),
        ))

    async def on_flash_stop(self, frame):
        await self.broadcast(*await self.call(services.stop_flash, self.session, self.user))

    async def on_buy(self, frame):
        """立即购买 (an extension of the contract): into the basket at the live price, then ``bought``."""
        events = await self.call(services.buy, self.session, self.user, frame.get("product_id"),
                                 frame.get("quantity", 1), frame.get("flash_id"))
        await self.send_event({"type": "bought", "product_id": frame.get("product_id"),
                               "checkout_url": reverse("checkout:index")})
        if events:
            await self.broadcast(*events)

    async def broadcast(self, *events):
        await fanout.broadcast(self.session_id, *events)

    async def send_event(self, event):
        await self.send(text_data=json.dumps(event, ensure_ascii=False))

    async def call(self, func, *args):
        """Run a service in a worker thread, in this viewer's language."""

        def run():
            with translation.override(self.language):
                return func(*args)

        return await database_sync_to_async(run)()
