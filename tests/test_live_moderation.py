"""Host and moderator actions in the live room, each checked on the server."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from live.models import ChatMessage, LiveSession

from .test_live_room import connect, receive_type

async def joined(stage, who):
    communicator, connected, _ = await connect(stage["session"].pk, user=stage[who] if who else None)
    assert connected
    await communicator.receive_json_from()
    return communicator


async def test_host_pins_a_lineup_product_and_every_viewer_sees_the_card(stage):
    host, viewer = await joined(stage, "host"), await joined(stage, None)
    await host.send_json_to({"type": "pin", "product_id": stage["honey"].pk})
    event = await receive_type(viewer, "pin")
    card = event["product"]
    assert card["title"] == "桑梓土蜂蜜 500g" and card["price"] == "68.00" and card["live_price"] == "49.90"
    assert card["stock"] == 200 and card["url"] == stage["honey"].get_absolute_url() and card["image"]
    late = await joined(stage, None)  # hello carries the pinned card too
    await late.disconnect()
    hello_viewer, _, _ = await connect(stage["session"].pk)
    assert (await hello_viewer.receive_json_from())["pinned"]["id"] == stage["honey"].pk

    await host.send_json_to({"type": "unpin"})
    assert (await receive_type(viewer, "unpin"))["type"] == "unpin"
    for c in (host, viewer, hello_viewer):
        await c.disconnect()


async def test_pin_outside_the_lineup_is_refused(stage):
    host = await joined(stage, "host")
    await host.send_json_to({"type": "pin", "product_id": stage["outside"].pk})
    assert (await receive_type(host, "error"))["code"] == "not_found"
    await host.send_json_to({"type": "pin", "product_id": "1; drop table"})
    assert (await receive_type(host, "error"))["code"] == "invalid"
    await host.disconnect()


@pytest.mark.parametrize(
    "frame",
    [{"type": "pin", "product_id": 1}, {"type": "unpin"}, {"type": "hide", "message_id": 1},
     {"type": "mute", "user_id": 1, "minutes": 5}, {"type": "announce", "text": "大家好"}],
)
async def test_a_viewer_cannot_use_host_actions(stage, frame):
    viewer = await joined(stage, "viewer")
    await viewer.send_json_to(frame)
    error = await receive_type(viewer, "error")
    assert error["code"] == "not_allowed" and error["message"]
    anonymous = await joined(stage, None)
    await anonymous.send_json_to(frame)
    assert (await receive_type(anonymous, "error"))["code"] == "login_required"
    session = await database_sync_to_async(LiveSession.objects.get)(pk=stage["session"].pk)
    assert session.pinned_id is None and session.announcement == ""
    for c in (viewer, anonymous):
        await c.disconnect()


async def test_moderator_hides_a_message_for_everyone_and_history_drops_it(stage):
    speaker, moderator = await joined(stage, "viewer"), await joined(stage, "moderator")
    await speaker.send_json_to({"type": "chat", "text": "广告：加微信"})
    chat = await receive_type(moderator, "chat")
    await moderator.send_json_to({"type": "hide", "message_id": chat["id"]})
    assert (await receive_type(speaker, "chat.hidden"))["id"] == chat["id"]
    assert await database_sync_to_async(ChatMessage.objects.get)(pk=chat["id"]) is not None
    newcomer, _, _ = await connect(stage["session"].pk)
    hello = await newcomer.receive_json_from()
    assert chat["id"] not in [m["id"] for m in hello["history"]]
    for c in (speaker, moderator, newcomer):
        await c.disconnect()


async def test_muted_viewer_gets_muted_error_until_the_mute_ends(stage):
    speaker, moderator = await joined(stage, "viewer"), await joined(stage, "moderator")
    await speaker.send_json_to({"type": "chat", "text": "第一句"})
    chat = await receive_type(moderator, "chat")
    assert chat["user"] == "胡大爷" and chat["user_id"] == stage["viewer"].pk
    await moderator.send_json_to({"type": "mute", "user_id": chat["user_id"], "minutes": 0})
    assert (await receive_type(moderator, "error"))["code"] == "invalid"
    await moderator.send_json_to({"type": "mute", "user_id": chat["user_id"], "minutes": 10})
    await moderator.send_json_to({"type": "ping"})
    await receive_type(moderator, "pong")
    await speaker.send_json_to({"type": "chat", "text": "第二句"})
    error = await receive_type(speaker, "error")
    assert error["code"] == "muted" and "禁言" in error["message"]
    # The moderator cannot mute the host.
    await moderator.send_json_to({"type": "mute", "user_id": stage["host"].pk, "minutes": 5})
    assert (await receive_type(moderator, "error"))["code"] == "not_allowed"
    for c in (speaker, moderator):
        await c.disconnect()


async def test_host_announces_and_clears_and_moderator_may_not(stage):
    host, viewer, moderator = await joined(stage, "host"), await joined(stage, None), await joined(stage, "moderator")
    await host.send_json_to({"type": "announce", "text": "  今晚 8 点抽奖  "})
    assert (await receive_type(viewer, "announce"))["text"] == "今晚 8 点抽奖"
    await moderator.send_json_to({"type": "announce", "text": "我来发公告"})
    assert (await receive_type(moderator, "error"))["code"] == "not_allowed"
    await host.send_json_to({"type": "announce", "text": None})
    assert (await receive_type(viewer, "announce"))["text"] is None
    for c in (host, viewer, moderator):
        await c.disconnect()


async def test_likes_and_viewers_arrive_as_periodic_stats_not_one_by_one(stage, settings):
    settings.LIVE_STATS_INTERVAL = 0.2
    viewer, other = await joined(stage, "viewer"), await joined(stage, None)
    await viewer.send_json_to({"type": "like", "count": 5})
    await viewer.send_json_to({"type": "like", "count": 21})
    assert (await receive_type(viewer, "error"))["code"] == "invalid"
    await other.send_json_to({"type": "like", "count": 1})
    assert (await receive_type(other, "error"))["code"] == "login_required"
    for _ in range(3):
        await viewer.send_json_to({"type": "like", "count": 5})
    # one stats event carries all of them, not one event per like
    stats = await receive_type(other, "stats")
    while stats["likes"] < 20:
        stats = await receive_type(other, "stats")
    assert stats == {"type": "stats", "viewers": 2, "likes": 20}
    assert await other.receive_nothing(timeout=0.5)  # nothing changed: no more stats
    session = await database_sync_to_async(LiveSession.objects.get)(pk=stage["session"].pk)
    assert session.likes == 20
    await other.disconnect()
    stats = await receive_type(viewer, "stats")
    while stats["viewers"] != 1:
        stats = await receive_type(viewer, "stats")
    assert stats["likes"] == 20
    await viewer.disconnect()


class FakeSocket:
    """A viewer in another server process, as far as that process's hub is concerned."""

    is_staff = False

    def __init__(self):
        self.frames = []

    async def base_send(self, message):  # what the hub writes with: the ASGI server's send
        self.frames.append(message["text"])


async def test_viewers_are_counted_across_server_processes_and_every_process_gets_every_event(stage, settings):
    from live import fanout

    settings.LIVE_STATS_INTERVAL = 0.2
    viewer = await joined(stage, "viewer")
    other_process = fanout.RoomHub(stage["session"].pk)  # a second process's hub on the same channel layer
    await other_process.ready
    remote = [FakeSocket() for _ in range(3)]
    other_process.sockets.update(remote)
    stats = await receive_type(viewer, "stats")
    while stats["viewers"] != 4:
        stats = await receive_type(viewer, "stats")
    await viewer.send_json_to({"type": "chat", "text": "两个进程都能看到", "client_id": "x1"})
    await receive_type(viewer, "chat")
    for _ in range(20):
        if all(any("两个进程都能看到" in f for f in s.frames) for s in remote):
            break
        await asyncio.sleep(0.05)
    assert all(any("两个进程都能看到" in f for f in s.frames) for s in remote)
    await other_process.stop()
    stats = await receive_type(viewer, "stats")
    while stats["viewers"] != 1:
        stats = await receive_type(viewer, "stats")
    await viewer.disconnect()
