"""The live room WebSocket (see shared/docs/live-protocol.md); the rules live in services."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation
from django.utils.translation import gettext as _

from config.middleware import language_from_cookie

from . import services
from .models import LiveSession
from .services import RoomError

CLOSE_NOT_FOUND = 4404
CLOSE_CANCELLED = 4410


def room_group(session_id):
    return f"live.{session_id}"


class LiveRoomConsumer(AsyncWebsocketConsumer):
    """One viewer's socket in one session's room."""

    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.user = self.scope.get("user")
        self.language = language_from_cookie(self.scope.get("cookies", {}))
        self.session = await database_sync_to_async(services.get_session)(self.session_id)
        if self.session is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if self.session.status == LiveSession.Status.CANCELLED:
            await self.close(code=CLOSE_CANCELLED)
            return
        self.group = room_group(self.session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_event(await self.call(services.hello_event, self.session, self.user))

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            try:
                await self.dispatch_frame(text_data, bytes_data)
            except RoomError as error:
                await self.send_event(error.as_event())

    async def dispatch_frame(self, text_data, bytes_data):
        if text_data is None:
            raise RoomError("invalid", _("只接受 JSON 文本消息"))
        try:
            frame = json.loads(text_data)
        except ValueError:
            raise RoomError("invalid", _("消息不是有效的 JSON")) from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise RoomError("invalid", _("消息缺少 type 字段"))
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

    async def on_like(self, frame):
        await self.call(services.add_likes, self.session, self.user, frame.get("count"))

    async def broadcast(self, event):
        await self.channel_layer.group_send(self.group, {"type": "room.event", "event": event})

    async def room_event(self, message):
        await self.send_event(message["event"])

    async def send_event(self, event):
        await self.send(text_data=json.dumps(event, ensure_ascii=False))

    async def call(self, func, *args):
        """Run a service in a worker thread, in this viewer's language."""

        def run():
            with translation.override(self.language):
                return func(*args)

        return await database_sync_to_async(run)()
