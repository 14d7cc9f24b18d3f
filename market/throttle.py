"""
Slowing down whoever guesses codes at a counter (pickup codes, event check-in codes).

Each wrong code is a ``FailedAttempt`` under one or more keys (the staff account, the pickup point or
event). A key that collected ``limit`` wrong codes within ``window`` seconds is paused for ``pause``
seconds after the last of them, and while it is paused every code is refused, right or wrong, so a
pause tells a guesser nothing. Callers hold a row lock (the point or the event) around the check and
the record, so many requests at once cannot slip past the count.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FailedAttempt

KEEP = timedelta(days=1)


def paused_for(scope, keys, limit, window, pause, now=None):
    """Seconds until these keys may try again (0: now)."""
    now = now or timezone.now()
    wait = 0
    for key in keys:
        recent = list(FailedAttempt.objects.filter(scope=scope, key=key, at__gt=now - timedelta(seconds=window + pause))
                      .order_by("-at").values_list("at", flat=True)[:limit])
        if len(recent) == limit and (recent[0] - recent[-1]).total_seconds() <= window:
            wait = max(wait, (recent[0] + timedelta(seconds=pause) - now).total_seconds())
    return max(int(wait + 0.999), 0)


def failed(scope, keys, now=None):
    """Record a wrong code under each key (and forget those older than a day)."""
    now = now or timezone.now()
    FailedAttempt.objects.bulk_create([FailedAttempt(scope=scope, key=key, at=now) for key in keys])
    FailedAttempt.objects.filter(scope=scope, at__lt=now - KEEP).delete()


def counter_pause(scope, keys):
    """The message refusing every code while these keys are paused (site settings), or None."""
    wait = paused_for(scope, keys, settings.CODE_ATTEMPTS_LIMIT, settings.CODE_ATTEMPTS_WINDOW_S,
                      settings.CODE_ATTEMPTS_PAUSE_S)
    if not wait:
        return None
    return _("输错的次数太多，请 %(n)d 分钟后再试") % {"n": (wait + 59) // 60}
