"""
The live room's failures stay the room's: a channel layer that is down never
turns a placed order into an error page or refuses a host's stream, a hub that
could not start is forgotten so the next viewer gets a fresh one, and the
go-live reminders go out from the worker, off nginx's callback.
"""

import asyncio
import json
import time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model

from live import fanout
from live.models import LivePurchase, LiveSession

from .test_live_host import TOKEN, scheduled
from .test_live_room import connect, receive_type, room  # noqa: F401  (the fixture)

Notification = get_model("communication", "Notification")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


async def broken_broadcast(*args, **kwargs):
    raise ConnectionError("Redis went away")


@pytest.mark.django_db
def test_a_room_that_cannot_be_told_never_breaks_an_order_already_placed(resident_client, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    from .test_pickup import buy_for_pickup

    session = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    LivePurchase.objects.create(session=session, user=get_user_model().objects.get(username="resident"),
                                product=honey, price=Decimal("60.00"), quantity=1)
    monkeypatch.setattr(fanout, "broadcast", broken_broadcast)
    from market.models import PickupPoint

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        buy_for_pickup(resident_client, PickupPoint.objects.get(community__name="朝阳街社区"))
    assert callbacks, "the order's notice to the room runs once the order is committed"
    for callback in callbacks:
        callback()  # as the commit would: a failing room is logged, not raised into the checkout
    order = Order.objects.get(user__username="resident")
    assert LivePurchase.objects.get(session=session, product=honey).order_id == order.pk


@pytest.mark.django_db
def test_nginx_is_answered_even_when_the_room_cannot_be_told(client, monkeypatch):
    monkeypatch.setattr(fanout, "broadcast", broken_broadcast)
    session = scheduled()
    response = client.post(f"/live/rtmp/publish/?token={TOKEN['token']}", {"name": session.stream_key})
    assert response.status_code == 302
    done = client.post(f"/live/rtmp/publish-done/?token={TOKEN['token']}", {"name": session.stream_key})
    assert done.status_code == 200


class Socket:
    is_staff = False

    async def base_send(self, message):
        pass


async def test_a_hub_that_failed_to_start_is_dropped_and_the_next_join_starts_afresh(room, monkeypatch):
    # the hub's start is what fails (as it does when the channel layer is down); patched on the class,
    # not on the layer, whose Redis proxy would keep a method bound to this test's event loop
    real_start = fanout.RoomHub.start
    failures = []

    async def down_once(hub):
        if not failures:
            failures.append(1)
            raise ConnectionError("channel layer not reachable")
        return await real_start(hub)

    monkeypatch.setattr(fanout.RoomHub, "start", down_once)
    session_id = room["session"].pk
    with pytest.raises(ConnectionError):
        await fanout.join(session_id, Socket())
    communicator, connected, _code = await connect(session_id)  # the layer is back: the room works
    assert connected
    assert (await receive_type(communicator, "hello"))["session"]["id"] == session_id
    await communicator.disconnect()


@pytest.mark.django_db
def test_go_live_reminders_for_2000_subscribers_leave_nginxs_callback_to_the_worker(
        client, monkeypatch, django_assert_max_num_queries):
    User = get_user_model()
    User.objects.bulk_create([User(username=f"fan{i}", email=f"fan{i}@example.cn") for i in range(2000)])
    session = scheduled()
    session.subscribers.add(*User.objects.filter(username__startswith="fan"))
    with django_assert_max_num_queries(12):  # the same few queries for 2,000 subscribers as for one
        response = client.post(f"/live/rtmp/publish/?token={TOKEN['token']}", {"name": session.stream_key})
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient__username__startswith="fan").exists()
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    assert Notification.objects.filter(recipient__username__startswith="fan", subject__contains=session.title) \
        .count() == 2000


class Viewer:
    """A socket of this process's hub: one that takes frames, or one whose connection is stuck."""

    is_staff = False

    def __init__(self, stuck=False):
        self.stuck, self.frames, self.closed_with = stuck, [], None

    async def base_send(self, message):  # what the hub writes with: the ASGI server's send
        if self.stuck:
            await asyncio.Event().wait()  # its TCP buffer is full: the write never completes
        self.frames.append(message["text"])

    async def close(self, code=None):
        self.closed_with = code


async def test_a_viewer_who_cannot_keep_up_is_dropped_and_holds_up_nobody(room, settings):
    settings.LIVE_SEND_TIMEOUT = 0.3
    hub = fanout.RoomHub(room["session"].pk)
    await hub.ready
    stuck, others = Viewer(stuck=True), [Viewer() for _ in range(50)]
    hub.sockets.update([stuck, *others])
    started = asyncio.get_running_loop().time()
    hub.push({"type": "announce", "text": "今天的西红柿很甜"})
    while not all(viewer.frames for viewer in others):
        assert asyncio.get_running_loop().time() - started < 2, "the stuck viewer held up the room"
        await asyncio.sleep(0.02)
    while stuck.closed_with is None:
        await asyncio.sleep(0.02)
    assert stuck not in hub.sockets and stuck.closed_with == fanout.CLOSE_TOO_SLOW  # it reconnects
    started = asyncio.get_running_loop().time()
    hub.push({"type": "announce", "text": "秒杀马上开始"})
    while not all(len(viewer.frames) == 2 for viewer in others):
        await asyncio.sleep(0.01)
    assert asyncio.get_running_loop().time() - started < 0.25  # the next frame waits for nobody
    await hub.stop()


class BusyViewer(Viewer):
    """A socket whose write costs the process 2 ms (as thousands of real ones together do)."""

    async def base_send(self, message):
        time.sleep(0.002)
        self.frames.append(message["text"])


async def test_a_room_too_big_to_write_often_gets_fewer_bigger_frames_and_every_event(room, settings):
    """100 sockets × 2 ms: a pass takes 0.2 s, so frames leave at most every 0.6 s (LIVE_FANOUT_LOAD 3),
    each carrying what came in meanwhile; the loop keeps 2/3 of its time for everything else."""
    settings.LIVE_FANOUT_WINDOW, settings.LIVE_FANOUT_LOAD, settings.LIVE_FANOUT_MAX_WINDOW = 0.1, 3, 1.0
    hub = fanout.RoomHub(room["session"].pk)
    await hub.ready
    viewers = [BusyViewer() for _ in range(100)]
    hub.sockets.update(viewers)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for n in range(30):  # 20 events a second for 1.5 s
        hub.push({"type": "chat", "id": n, "text": f"第{n}条"})
        await asyncio.sleep(0.05)
    while loop.time() - started < 5 and not any(f'"id":29,' in frame for frame in viewers[-1].frames):
        await asyncio.sleep(0.05)
    await hub.stop()
    got = [json.loads(frame) for frame in viewers[0].frames]
    ids = [e["id"] for frame in got for e in (frame["events"] if frame["type"] == "batch" else [frame])
           if e["type"] == "chat"]
    assert ids == list(range(30))  # every event, in order
    # a fixed 0.1 s window would have needed 7 or more passes of 0.2 s here
    assert len(got) <= 5, len(got)
