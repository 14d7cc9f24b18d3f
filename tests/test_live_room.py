"""The live room WebSocket, spoken the way the browser page speaks it (shared/docs/live-protocol.md)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from config.asgi import application
from live.models import ChatMessage, LiveSession
from market.models import Community

from .conftest import make_community_host

ORIGIN = (b"origin", b"http://testserver")
HOST = (b"host", b"testserver")


@pytest.fixture
def room(transactional_db):
    """A live session with a host, a resident and some earlier chat."""
    User = get_user_model()
    host = User.objects.create_user("room_host", password="pw-host-123", first_name="主理人")
    resident = User.objects.create_user("room_resident", password="pw-res-123", last_name="胡", first_name="奶奶")
    community = Community.objects.create(name="测试社区", slug="test-community")
    make_community_host(host, community)
    session = LiveSession.objects.create(
        title="桑梓蜂蜜助农直播", host=host, community=community, status=LiveSession.Status.LIVE,
        scheduled_start=timezone.now() - timedelta(minutes=5),
    )
    for text in ("第一条", "第二条", "第三条"):
        ChatMessage.objects.create(session=session, user=host, text=text)
    ChatMessage.objects.create(session=session, user=host, text="被隐藏的", is_hidden=True)
    return {"session": session, "host": host, "resident": resident}


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode())


async def connect(session_id, user=None, language=None):
    headers = [ORIGIN, HOST]
    if user is not None:
        headers.append(await database_sync_to_async(session_cookie)(user))
    if language:
        headers.append((b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}={language}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/live/{session_id}/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def receive_type(communicator, wanted, timeout=3):
    """Next event of the wanted type, unwrapping batches; other events are skipped."""
    while True:
        event = await next_event(communicator, timeout)
        if event["type"] == wanted:
            return event


async def next_event(communicator, timeout=3):
    """The next event, whether it came alone or in a ``batch`` frame."""
    pending = communicator.__dict__.setdefault("pending_events", [])
    if not pending:
        frame = await communicator.receive_json_from(timeout=timeout)
        pending.extend(frame["events"] if frame["type"] == "batch" else [frame])
    return pending.pop(0)


async def test_hello_comes_first_with_visible_history(room):
    viewer, connected, _ = await connect(room["session"].pk)
    assert connected
    hello = await viewer.receive_json_from()
    assert hello["type"] == "hello"
    assert hello["session"]["status"] == "live" and hello["session"]["title"] == "桑梓蜂蜜助农直播"
    assert [m["text"] for m in hello["history"]] == ["第一条", "第二条", "第三条"]
    ids = [m["id"] for m in hello["history"]]
    assert ids == sorted(ids)
    assert hello["you"] == {"user": None, "can_chat": False, "is_host": False, "is_moderator": False}
    await viewer.disconnect()


async def test_logged_in_chat_is_stored_and_reaches_another_viewer(room):
    speaker, connected, _ = await connect(room["session"].pk, user=room["resident"])
    assert connected
    listener, connected, _ = await connect(room["session"].pk)
    assert connected
    hello = await speaker.receive_json_from()
    assert hello["you"]["user"] == "胡奶奶"
    assert hello["you"]["can_chat"] is True
    await listener.receive_json_from()

    await speaker.send_json_to({"type": "chat", "text": "  蜂蜜还有吗？<script>alert(1)</script>  ", "client_id": "c-1"})
    own = await receive_type(speaker, "chat")
    heard = await receive_type(listener, "chat")
    assert heard == own
    assert heard["text"] == "蜂蜜还有吗？<script>alert(1)</script>" and heard["client_id"] == "c-1"
    stored = await database_sync_to_async(ChatMessage.objects.get)(pk=heard["id"])
    assert stored.text == heard["text"] and stored.user_id == room["resident"].pk

    # A viewer joining later gets it in the history.
    late, _, _ = await connect(room["session"].pk)
    hello = await late.receive_json_from()
    assert hello["history"][-1]["id"] == heard["id"]
    for c in (speaker, listener, late):
        await c.disconnect()


async def test_anonymous_chat_gets_login_required_in_chinese(room):
    viewer, _, _ = await connect(room["session"].pk)
    await viewer.receive_json_from()
    await viewer.send_json_to({"type": "chat", "text": "你好"})
    error = await receive_type(viewer, "error")
    assert error["code"] == "login_required" and error["message"] == "请先登录后再发言"
    assert await database_sync_to_async(ChatMessage.objects.filter(text="你好").count)() == 0
    await viewer.disconnect()


async def test_error_messages_follow_the_language_switch(room):
    viewer, _, _ = await connect(room["session"].pk, language="en")
    await viewer.receive_json_from()
    await viewer.send_json_to({"type": "chat", "text": "hi"})
    error = await receive_type(viewer, "error")
    assert error["message"] == "Please log in to chat"
    await viewer.disconnect()


@pytest.mark.parametrize(
    "frame, code",
    [
        ("not json at all", "invalid"),
        ("[1, 2, 3]", "invalid"),
        ('{"text": "no type"}', "invalid"),
        ('{"type": "dance"}', "invalid"),
        ('{"type": "chat", "text": "   "}', "invalid"),
        ('{"type": "chat", "text": 42}', "invalid"),
        ('{"type": "chat", "text": "' + "长" * 201 + '"}', "too_long"),
        ('{"type": "chat", "text": "ok", "client_id": "' + "x" * 65 + '"}', "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(room, frame, code):
    viewer, _, _ = await connect(room["session"].pk, user=room["resident"])
    await viewer.receive_json_from()
    await viewer.send_to(text_data=frame)
    error = await receive_type(viewer, "error")
    assert error["code"] == code and error["message"]
    await viewer.send_json_to({"type": "ping"})
    assert (await receive_type(viewer, "pong"))["type"] == "pong"
    await viewer.disconnect()


async def test_binary_frame_is_rejected_with_invalid(room):
    viewer, _, _ = await connect(room["session"].pk)
    await viewer.receive_json_from()
    await viewer.send_to(bytes_data=b"\x00\x01")
    assert (await receive_type(viewer, "error"))["code"] == "invalid"
    await viewer.send_json_to({"type": "ping"})
    assert (await receive_type(viewer, "pong"))["type"] == "pong"
    await viewer.disconnect()


async def closed_with(communicator):
    """The socket was accepted (not refused with HTTP 403) and then closed: with which code?"""
    message = await communicator.receive_output(timeout=3)
    assert message["type"] == "websocket.close", message
    return message.get("code")


async def test_unknown_session_is_accepted_then_closed_4404_and_cancelled_4410(room):
    communicator, connected, _ = await connect(999999)
    assert connected, "refused with HTTP 403: a client could not tell not-found from forbidden"
    assert await closed_with(communicator) == 4404
    session = room["session"]
    session.status = LiveSession.Status.CANCELLED
    await database_sync_to_async(session.save)()
    communicator, connected, _ = await connect(session.pk)
    assert connected and await closed_with(communicator) == 4410


async def test_foreign_origin_is_refused(room):
    communicator = WebsocketCommunicator(
        application, f"/ws/live/{room['session'].pk}/", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
