"""
A dropped encoder is not the end of the show: nginx's publish-done leaves the
session live and waiting (viewers hear ``reconnecting``, chat and sales go on),
a new publish with the same key within LIVE_RECONNECT_GRACE_S resumes the same
session, and only the grace running out or the host's 结束直播 ends it.
"""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from live import ingest, services
from live.models import LiveSession

from .conftest import login_client
from .test_live_host import TOKEN
from .test_live_room import connect, receive_type, room  # noqa: F401  (the fixture)

PUBLISH = f"/live/rtmp/publish/?token={TOKEN['token']}"
DONE = f"/live/rtmp/publish-done/?token={TOKEN['token']}"


def live_session():
    session = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    return session


@pytest.mark.django_db
def test_a_dropped_stream_waits_for_its_encoder_and_the_same_key_resumes_the_same_session(client):
    session = live_session()
    assert client.post(DONE, {"name": session.stream_key}).status_code == 200
    session.refresh_from_db()
    assert session.status == "live" and session.disconnected_at and session.room_status == "reconnecting"
    hello = services.hello_event(session, AnonymousUser())
    assert hello["session"]["status"] == "reconnecting"
    page = client.get(f"/live/{session.pk}/").content.decode()
    assert "主播网络波动，正在重连…" in page and 'data-status="reconnecting"' in page
    # sales go on meanwhile
    from django.contrib.auth import get_user_model

    buyer = get_user_model().objects.get(username="resident")
    product_id = session.lineup.filter(product__is_public=True).first().product_id
    services.buy(session, buyer, product_id, 1)

    response = client.post(PUBLISH, {"name": session.stream_key})
    assert response.status_code == 302 and response["Location"] == session.stream_name
    session.refresh_from_db()
    assert session.status == "live" and session.disconnected_at is None
    # a second publish-done after a resume starts a new wait, not an end
    client.post(DONE, {"name": session.stream_key})
    session.refresh_from_db()
    assert session.status == "live" and session.room_status == "reconnecting"


@pytest.mark.django_db
def test_the_grace_running_out_ends_the_session_from_the_worker(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    session = live_session()
    client.post(DONE, {"name": session.stream_key})
    session.refresh_from_db()
    task = DBTaskResult.objects.filter(task_path="live.tasks.end_if_not_back").latest("enqueued_at")
    assert abs((task.run_after - session.disconnected_at).total_seconds() - 120) < 2  # LIVE_RECONNECT_GRACE_S
    assert ingest.end_abandoned() == 0  # still within the grace
    LiveSession.objects.filter(pk=session.pk).update(disconnected_at=timezone.now() - timedelta(seconds=121))
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    session.refresh_from_db()
    assert session.status == "ended" and session.ended_at
    assert client.post(PUBLISH, {"name": session.stream_key}).status_code == 403  # over: the key is spent


@pytest.mark.django_db
def test_only_the_host_ends_a_session_with_the_consoles_button(client):
    session = live_session()
    assert login_client(Client(), "resident").post(f"/live/{session.pk}/end/").status_code in (403, 404)
    host = login_client(client, session.host.username)
    assert host.get(f"/live/{session.pk}/end/").status_code == 405
    assert "结束直播" in host.get(f"/live/{session.pk}/console/").content.decode()
    response = host.post(f"/live/{session.pk}/end/", follow=True)
    assert "直播已结束" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "ended"


async def test_viewers_hear_reconnecting_then_live_and_chat_carries_on_meanwhile(room):
    session = room["session"]
    viewer, connected, _code = await connect(session.pk, room["resident"])
    assert connected
    await receive_type(viewer, "hello")
    post = database_sync_to_async(lambda url: Client().post(url, {"name": session.stream_key}))
    await post(DONE)
    assert (await receive_type(viewer, "status"))["status"] == "reconnecting"
    await viewer.send_json_to({"type": "chat", "text": "主播网卡了吗"})
    assert (await receive_type(viewer, "chat"))["text"] == "主播网卡了吗"
    await post(PUBLISH)
    assert (await receive_type(viewer, "status"))["status"] == "live"
    await viewer.disconnect()
    again, _connected, _code = await connect(session.pk, room["resident"])
    hello = await receive_type(again, "hello")
    assert hello["session"]["status"] == "live" and hello["history"][-1]["text"] == "主播网卡了吗"  # same chat
    await again.disconnect()
