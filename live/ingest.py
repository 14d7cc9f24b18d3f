"""
nginx-rtmp's callbacks (deploy/nginx-rtmp.conf): the site decides who may publish.

nginx-rtmp calls these with form fields (``name`` is the stream name the
encoder pushed to, i.e. the stream key) and the token from its configuration.
A 2xx lets the stream in, anything else drops it, and a 3xx renames it: a
valid key is renamed to ``session-<id>``, which names the recording. The HLS
module has already picked its folder by then (the key), so the site links
``session-<id>`` to it: viewers load /hls/session-<id>/ and never see the key.
"""

import logging
import re
import secrets
import shutil
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.files import File
from django.db import connections
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import fanout
from .models import FlashSale, LiveSession

logger = logging.getLogger(__name__)


def from_nginx(view):
    """Only nginx-rtmp, which knows the callback token, may call these."""

    @csrf_exempt
    @require_POST
    def checked(request):
        token = settings.LIVE_RTMP_CALLBACK_TOKEN
        if not token or not secrets.compare_digest(request.GET.get("token", ""), token):
            return HttpResponseForbidden("bad token")
        return view(request)

    return checked


def session_for_stream(name):
    """The session behind a stream name: its secret key, or the public session-<id> it was renamed to."""
    if name.startswith("session-") and name[8:].isdigit():
        return LiveSession.objects.filter(pk=int(name[8:])).first()
    return LiveSession.objects.filter(stream_key=name).first() if name else None


@from_nginx
def on_publish(request):
    key = request.POST.get("name", "")
    session = LiveSession.objects.filter(
        stream_key=key, status__in=[LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE]
    ).first() if key else None
    if session is None:
        logger.warning("refused an RTMP publish with an unknown or spent stream key from %s",
                       request.POST.get("addr"))
        return HttpResponseForbidden("unknown stream key")
    link_hls_folder(session, key)
    went_live = session.go_live()
    session.resume()  # back within the grace: the same session, chat and figures carry on
    tell_room(session.pk, {"type": "status", "status": "live"})
    if went_live:
        from .tasks import notify_went_live

        notify_went_live.enqueue(session.pk)
    response = HttpResponse(status=302)
    response["Location"] = session.stream_name
    return response


def tell_room(session_id, *events):
    """Viewers hear of it; a channel-layer failure is logged and never refuses the stream."""
    try:
        async_to_sync(fanout.broadcast)(session_id, *events)
    except Exception:  # noqa: BLE001
        logger.exception("could not tell live room %s: %s", session_id, [e.get("type") for e in events])


def link_hls_folder(session, key):
    link = Path(settings.LIVE_HLS_ROOT) / session.stream_name
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.symlink_to(key, target_is_directory=True)


@from_nginx
def on_publish_done(request):
    """The encoder stopped. A phone on mobile data drops out for a second: the session waits
    LIVE_RECONNECT_GRACE_S for it (viewers see 主播网络波动), and only then ends."""
    session = session_for_stream(request.POST.get("name", ""))
    if session is not None and session.lose_encoder():
        tell_room(session.pk, {"type": "status", "status": "reconnecting"})
        from .tasks import end_if_not_back

        run_after = session.disconnected_at + timedelta(seconds=settings.LIVE_RECONNECT_GRACE_S, milliseconds=500)
        end_if_not_back.using(run_after=run_after).enqueue(session.pk)
    return HttpResponse("ok")


def end_session(session):
    """End a live session for good (its running flash sale stops) and tell every room."""
    session.end()
    running = FlashSale.objects.filter(session=session, ended_at__isnull=True).first()
    events = [{"type": "status", "status": "ended"}]
    if running:
        from .services import end_flash

        events.insert(0, end_flash(running, FlashSale.EndReason.STOPPED))
    tell_room(session.pk, *[e for e in events if e])


def end_abandoned(now=None):
    """End the live sessions whose encoder has been gone longer than the grace; return how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.LIVE_RECONNECT_GRACE_S)
    sessions = list(LiveSession.objects.filter(status=LiveSession.Status.LIVE, disconnected_at__lte=cutoff))
    for session in sessions:
        end_session(session)
    return len(sessions)


@from_nginx
def on_record_done(request):
    """Keep the recording as the session's replay: remux nginx's FLV into MP4 (no re-encoding)."""
    session = session_for_stream(request.POST.get("name", ""))
    path = Path(request.POST.get("path", ""))
    recordings = Path(settings.LIVE_RECORDINGS_ROOT).resolve()
    if (session is None or not path.resolve().is_relative_to(recordings) or not path.is_file()
            or not recorded_for(session, path)):
        return HttpResponse("ignored")
    threading.Thread(target=save_replay_in_thread, args=(session.pk, path), daemon=True).start()
    return HttpResponse("ok")


def piece_time(session, path):
    """nginx-rtmp names a recording after the (renamed) stream: session-<id>[-<unix time>].flv.

    The piece's start (0 without one) if it is such a file of this session, recorded after it
    went live; None for any other file.
    """
    match = re.fullmatch(rf"{re.escape(session.stream_name)}(?:-(\d+))?\.flv", path.name)
    if match is None or session.started_at is None:
        return None
    when = int(match.group(1) or 0)
    return None if match.group(1) and when < int(session.started_at.timestamp()) - 60 else when


def recorded_for(session, path):
    """Only a recording of this session, made after it went live, may become its replay."""
    return piece_time(session, path) is not None


def save_replay_in_thread(session_id, flv):
    try:
        save_replay(session_id, flv)
    finally:
        connections.close_all()  # this thread's own database connection


def pieces(session):
    """The session's recording, oldest piece first: nginx-rtmp starts a new file at every publish,
    so a host who reconnected left several."""
    return [path for _when, path in timed_pieces(session)]


def timed_pieces(session):
    """(unix start, path) of each piece, oldest first."""
    root = Path(settings.LIVE_RECORDINGS_ROOT)
    return sorted((when, path) for path in root.glob(f"{session.stream_name}*.flv")
                  if (when := piece_time(session, path)) is not None)


def duration(path):
    """A recording's length in seconds (ffprobe)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return round(float(out.strip()), 2)


def replay_pieces(session, timed):
    """Where each piece sits in the day: [[unix start, seconds], ...], for the replay's clock."""
    started = session.started_at.timestamp()
    return [[when or started, duration(path)] for when, path in timed]


def save_replay(session_id, flv):
    """Remux the recording into the session's MP4 replay, its pieces joined in order (no re-encoding)."""
    mp4 = flv.with_suffix(".mp4")
    listing = flv.with_suffix(".txt")
    try:
        session = LiveSession.objects.get(pk=session_id)
        timed = timed_pieces(session) or [(piece_time(session, flv), flv)]
        parts = [path for _when, path in timed]
        session.replay_pieces = replay_pieces(session, timed)
        if len(parts) == 1:
            source = ["-i", str(parts[0])]
        else:  # ffmpeg's concat demuxer: one list of files, their timestamps carried on
            listing.write_text("".join(f"file '{part.resolve()}'\n" for part in parts))
            source = ["-f", "concat", "-safe", "0", "-i", str(listing)]
        subprocess.run(["ffmpeg", "-y", "-v", "error", *source, "-c", "copy", "-movflags", "+faststart", str(mp4)],
                       check=True, timeout=3600)
        with mp4.open("rb") as stream:
            session.replay.save(f"session-{session_id}.mp4", File(stream), save=False)
        session.save(update_fields=["replay", "replay_pieces"])
        mp4.unlink()
    except (OSError, ValueError, subprocess.SubprocessError, LiveSession.DoesNotExist):
        logger.exception("could not keep the replay of live session %s from %s", session_id, flv)
    finally:
        listing.unlink(missing_ok=True)
