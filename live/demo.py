"""The demo's replay: the ended 银发专柜 session as a short recording with its room's history along it."""

import shutil
import subprocess
import tempfile
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files import File

from .models import ChatMessage, FlashSale, RoomEvent

LENGTH_S = 90
CHAT = [  # (seconds into the show, who, what)
    (3, "host", "欢迎大家，银发专柜的商品都可以到社区自提点取货。"),
    (15, "elder", "蜂蜜是今年的新蜜吗？"),
    (20, "host", "是今年春天的新蜜，桑梓店村自己的蜂场。"),
    (33, "resident", "抢到了！"),
    (55, "resident", "已下单，周末去朝阳街自提！"),
    (75, "elder", "这个适合老人家吃吗？"),
]


def seed_replay(session, users):
    """Chat, pins, an announcement and a flash sale at their moments, and (with ffmpeg) the recording."""
    start = session.started_at
    ChatMessage.objects.filter(session=session).delete()
    for seconds, who, text in CHAT:
        message = ChatMessage.objects.create(session=session, user=users[who], text=text)
        ChatMessage.objects.filter(pk=message.pk).update(created=start + timedelta(seconds=seconds))
    items = list(session.lineup.select_related("product").order_by("position"))
    for seconds, item in zip((8, 50, 70), items):
        RoomEvent.objects.create(session=session, kind=RoomEvent.Kind.PIN, product=item.product,
                                 at=start + timedelta(seconds=seconds))
    RoomEvent.objects.create(session=session, kind=RoomEvent.Kind.ANNOUNCE, text="满 99 元包邮，朝阳街社区自提点周六开放",
                             at=start + timedelta(seconds=10))
    if items:
        FlashSale.objects.create(
            session=session, product=items[0].product, price=(items[0].live_price or Decimal("10")) - 1,
            quantity=10, per_user_limit=2, sold=10, started_at=start + timedelta(seconds=25),
            ends_at=start + timedelta(seconds=85), ended_at=start + timedelta(seconds=40),
            end_reason=FlashSale.EndReason.SOLD_OUT)
    record(session)


def record(session):
    """A test-card recording of LENGTH_S seconds as the replay (skipped, with a warning, where ffmpeg is not
    installed or does not work: the demo is still loaded and ``make run`` goes on)."""
    if not shutil.which("ffmpeg"):
        return
    with tempfile.TemporaryDirectory() as scratch:
        mp4 = Path(scratch) / "replay.mp4"
        try:
            subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                            f"testsrc2=size=480x270:rate=10:d={LENGTH_S}",
                            "-f", "lavfi", "-i", f"sine=frequency=440:d={LENGTH_S}", "-c:v", "libx264",
                            "-preset", "veryfast", "-crf", "32", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k",
                            "-shortest", "-movflags", "+faststart", str(mp4)],
                           check=True, timeout=300, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            stderr = getattr(error, "stderr", b"") or b""
            warnings.warn(f"demo replay skipped: ffmpeg failed ({error}; {stderr.decode(errors='replace')[-300:]})",
                          stacklevel=2)
            return
        with mp4.open("rb") as stream:
            session.replay.save(f"session-{session.pk}.mp4", File(stream), save=False)
    session.replay_pieces = [[session.started_at.timestamp(), float(LENGTH_S)]]
    session.save(update_fields=["replay", "replay_pieces"])
