"""What hosts do outside the room: schedule sessions, run the console, stream through nginx-rtmp's callbacks."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from live.models import LiveSession
from market.models import Community

from .conftest import login_client

Notification = get_model("communication", "Notification")
Product = get_model("catalogue", "Product")
TOKEN = {"token": settings.LIVE_RTMP_CALLBACK_TOKEN}


def scheduled():
    return LiveSession.objects.get(title="桑梓蜂蜜助农直播")


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (32, 18), "red").save(out, "PNG")
    return out.getvalue()


def session_post(**overrides):
    honey, tomato = Product.objects.order_by("pk")[:2]
    data = {
        "title": "大庙屯西红柿专场", "description": "", "community": Community.objects.get(slug="chaoyangjie").pk,
        "village": "", "scheduled_start": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "lineup-TOTAL_FORMS": "2", "lineup-INITIAL_FORMS": "0", "lineup-MIN_NUM_FORMS": "0",
        "lineup-MAX_NUM_FORMS": "1000",
        "lineup-0-product": honey.pk, "lineup-0-position": "1", "lineup-0-live_price": "39.90",
        "lineup-1-product": tomato.pk, "lineup-1-position": "2", "lineup-1-live_price": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_host_schedules_a_session_with_cover_and_ordered_lineup(client):
    login_client(client, "host")
    assert client.get("/live/new/").status_code == 200
    cover = SimpleUploadedFile("cover.png", png_bytes(), content_type="image/png")
    response = client.post("/live/new/", {**session_post(), "cover": cover})
    session = LiveSession.objects.get(title="大庙屯西红柿专场")
    assert response.status_code == 302 and response["Location"] == f"/live/{session.pk}/console/"
    assert session.host.username == "host" and session.status == "scheduled" and session.cover
    lineup = list(session.lineup.values_list("position", "live_price"))
    assert [p for p, _ in lineup] == [1, 2] and str(lineup[0][1]) == "39.90" and lineup[1][1] is None
    assert "大庙屯西红柿专场" in client.get("/live/").content.decode()


@pytest.mark.django_db
def test_a_bad_cover_or_price_rerenders_the_form_with_errors_and_keeps_the_input(client):
    login_client(client, "host")
    fake = SimpleUploadedFile("cover.png", b"<script>not an image</script>", content_type="image/png")
    response = client.post("/live/new/", {**session_post(**{"lineup-0-live_price": "-3"}), "cover": fake})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请上传一张有效的图片" in html and "直播价必须大于 0" in html
    assert 'value="大庙屯西红柿专场"' in html
    assert not LiveSession.objects.filter(title="大庙屯西红柿专场").exists()


@pytest.mark.django_db
def test_hosts_schedule_only_for_their_own_community_and_residents_not_at_all(client):
    login_client(client, "host")
    other = Community.objects.exclude(slug="chaoyangjie").first()
    response = client.post("/live/new/", session_post(community=other.pk))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    client.logout()
    login_client(client, "resident")
    assert client.get("/live/new/").status_code == 403
    assert client.post("/live/new/", session_post()).status_code == 403
    assert client.get(f"/live/{scheduled().pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_the_console_is_for_the_host_moderators_and_staff_and_only_the_host_sees_the_key(client):
    session = scheduled()
    url = f"/live/{session.pk}/console/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    login_client(client, "resident")
    assert client.get(url).status_code == 403
    assert client.post(f"/live/{session.pk}/key/").status_code == 403
    session.moderators.add(get_user_model().objects.get(username="resident"))
    html = client.get(url).content.decode()
    assert "商品清单" in html and session.stream_key not in html and "开始秒杀" not in html
    client.logout()
    login_client(client, "host")
    html = client.get(url).content.decode()
    assert session.stream_key in html and "rtmp://" in html and "<svg" in html and "开始秒杀" in html
    client.post(f"/live/{session.pk}/key/")
    session_after = LiveSession.objects.get(pk=session.pk)
    assert session_after.stream_key != session.stream_key


@pytest.mark.django_db
def test_the_host_appoints_and_removes_moderators(client):
    session = scheduled()
    login_client(client, "host")
    client.post(f"/live/{session.pk}/moderators/", {"username": "elder"})
    assert list(session.moderators.values_list("username", flat=True)) == ["elder"]
    response = client.post(f"/live/{session.pk}/moderators/", {"username": "nobody"}, follow=True)
    assert "找不到这个用户" in response.content.decode()
    client.post(f"/live/{session.pk}/moderators/", {"remove": session.moderators.get().pk})
    assert not session.moderators.exists()


@pytest.mark.django_db
def test_residents_subscribe_to_go_live_reminders_and_get_told_in_site_and_by_email(client, monkeypatch):
    session = scheduled()
    login_client(client, "resident")
    response = client.post(f"/live/{session.pk}/remind/", {"next": "/live/"})
    assert response["Location"] == "/live/"
    assert "取消开播提醒" in client.get("/live/").content.decode()
    resident = get_user_model().objects.get(username="resident")
    resident.email = "chenna@example.cn"
    resident.save()
    response = client.post(f"/live/rtmp/publish/?{'token=' + TOKEN['token']}", {"name": session.stream_key, "call": "publish"})
    assert response.status_code == 302 and response["Location"] == f"session-{session.pk}"
    # the reminders go out from the django-tasks worker (make run starts it)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    note = Notification.objects.get(recipient=resident)
    assert session.title in note.subject and session.get_absolute_url() in note.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chenna@example.cn"]
    assert f"/live/{session.pk}/" in mail.outbox[0].body
    # publishing again (a reconnect) does not notify twice
    client.post(f"/live/rtmp/publish/?token={TOKEN['token']}", {"name": session.stream_key})
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    assert Notification.objects.filter(recipient=resident).count() == 1


@pytest.mark.django_db
def test_on_publish_accepts_only_a_valid_key_of_a_scheduled_or_live_session(client):
    session = scheduled()
    publish = f"/live/rtmp/publish/?token={TOKEN['token']}"
    assert client.post(publish, {"name": "wrong-key"}).status_code == 403
    assert client.post(publish, {"name": ""}).status_code == 403
    assert client.post("/live/rtmp/publish/?token=guess", {"name": session.stream_key}).status_code == 403
    assert client.get(publish).status_code == 405
    ended = LiveSession.objects.get(status="ended")
    assert client.post(publish, {"name": ended.stream_key}).status_code == 403
    assert LiveSession.objects.get(pk=session.pk).status == "scheduled"

    assert client.post(publish, {"name": session.stream_key}).status_code == 302
    session.refresh_from_db()
    assert session.status == "live" and session.started_at
    done = client.post(f"/live/rtmp/publish-done/?token={TOKEN['token']}", {"name": session.stream_key})
    assert done.status_code == 200
    session.refresh_from_db()
    assert session.status == "live" and session.room_status == "reconnecting"  # waits for the encoder
    from live import ingest

    ingest.end_abandoned(now=timezone.now() + timedelta(seconds=settings.LIVE_RECONNECT_GRACE_S + 1))
    session.refresh_from_db()
    assert session.status == "ended" and session.ended_at
    assert client.post(publish, {"name": session.stream_key}).status_code == 403


@pytest.mark.django_db(transaction=False)
def test_the_recording_becomes_the_replay_on_the_ended_session_page(client, tmp_path, settings):
    assert shutil.which("ffmpeg"), "ffmpeg is installed by scripts/system-deps.sh (make test)"
    settings.LIVE_RECORDINGS_ROOT = tmp_path
    flv = tmp_path / "session-1-1700000000.flv"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10", "-t", "1",
                    "-c:v", "libx264", "-f", "flv", str(flv)], check=True, timeout=60)
    session = LiveSession.objects.get(status="ended")
    from live import ingest

    response = client.post(f"/live/rtmp/record-done/?token={TOKEN['token']}",
                           {"name": f"session-{session.pk}", "path": "/etc/passwd"})
    assert response.content == b"ignored"
    ingest.save_replay(session.pk, flv)  # what the callback starts in a thread
    session.refresh_from_db()
    assert session.replay.name.endswith(".mp4")
    html = client.get(session.get_absolute_url()).content.decode()
    assert f'src="{session.replay.url}"' in html and 'data-role="replay"' in html


@pytest.mark.django_db
def test_viewers_play_hls_by_session_id_and_never_see_the_stream_key(client, tmp_path, settings):
    settings.LIVE_HLS_ROOT = tmp_path
    live = LiveSession.objects.get(status="live")
    html = client.get(live.get_absolute_url()).content.decode()
    assert f'data-hls="/hls/session-{live.pk}/index.m3u8"' in html and live.stream_key not in html
    assert "/static/vendor/hls.js/hls.min.js" in html  # from npm, not a CDN
    (tmp_path / live.stream_key).mkdir()
    (tmp_path / live.stream_key / "index.m3u8").write_text("#EXTM3U\n")
    from live import ingest

    ingest.link_hls_folder(live, live.stream_key)  # what on_publish does
    response = client.get(f"/hls/session-{live.pk}/index.m3u8")
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response["Cache-Control"] == "no-cache"
    assert client.get("/hls/").status_code == 404
    assert client.get(f"/hls/session-{live.pk}/").status_code == 404  # no folder listings


@pytest.mark.django_db(transaction=False)
def test_a_recording_cut_by_reconnects_becomes_one_replay(tmp_path, settings):
    """Each publish leaves a piece (nginx-rtmp's record_unique): the replay joins them in order, no re-encoding."""
    from datetime import datetime, timezone as dt_timezone

    from live import ingest

    settings.LIVE_RECORDINGS_ROOT = tmp_path
    session = LiveSession.objects.get(status="ended")
    session.started_at = datetime.fromtimestamp(1700000000, tz=dt_timezone.utc)
    session.save(update_fields=["started_at"])
    pieces = []
    for offset, seconds in ((0, 2), (90, 1)):  # before and after the phone dropped the stream
        piece = tmp_path / f"session-{session.pk}-{1700000000 + offset}.flv"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10", "-t",
                        str(seconds), "-c:v", "libx264", "-f", "flv", str(piece)], check=True, timeout=60)
        pieces.append(piece)
    (tmp_path / f"session-{session.pk}-1600000000.flv").write_bytes(b"")  # older than the session: not its own
    ingest.save_replay(session.pk, pieces[-1])
    session.refresh_from_db()
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            session.replay.path], capture_output=True, text=True, check=True, timeout=60)
    assert 2.7 <= float(probe.stdout) <= 3.3, probe.stdout  # 2 s + 1 s
    # where each piece sits in the day, for the replay's clock: chat during the drop shows as piece two begins
    assert [start for start, _length in session.replay_pieces] == [1700000000, 1700000090]
    assert [round(length) for _start, length in session.replay_pieces] == [2, 1]
    assert not list(tmp_path.glob("*.txt")) and not list(tmp_path.glob("*.mp4"))
