"""SMS codes: sending within the limits, and checking one exactly once.

- A code is 6 digits, valid ``SMS_CODE_VALID_MINUTES``; only the newest code for a number counts.
- One number gets a new code at most every ``SMS_CODE_RESEND_S`` seconds and ``SMS_CODES_PER_NUMBER_DAY``
  times a day; one address asks for at most ``SMS_CODES_PER_ADDRESS_DAY`` a day. The counters are rows
  changed by a conditional UPDATE, so many presses at once cannot send more.
- Every try claims one of ``SMS_CODE_TRIES`` (conditional UPDATE); after that the code is void. A right
  code is used once (conditional UPDATE on ``used_at``).
- The answer is the same whether or not the number has an account; only the code's keyed hash is stored.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SendQuota, SmsCode
from .sealing import seal
from .tasks import send_sms


class Refused(Exception):
    """Said to the person, in their language."""


def digest(number, purpose, code):
    return salted_hmac("accounts.sms-code", f"{number}:{purpose}:{code}", algorithm="sha256").hexdigest()


def _take(key, limit, gap_s, now, day_message):
    quota, _created = SendQuota.objects.get_or_create(key=key, day=timezone.localdate(now))
    taken = (SendQuota.objects.filter(pk=quota.pk, sent__lt=limit)
             .filter(Q(last_at=None) | Q(last_at__lte=now - timedelta(seconds=gap_s)))
             .update(sent=F("sent") + 1, last_at=now))
    if taken:
        return
    quota.refresh_from_db()
    if quota.sent >= limit:
        raise Refused(day_message)
    wait = max(int(gap_s - (now - quota.last_at).total_seconds() + 0.999), 1)
    raise Refused(ngettext("请 %(n)d 秒后再获取验证码", "请 %(n)d 秒后再获取验证码", wait) % {"n": wait})


def send_code(number, purpose, address, user=None, now=None):
    """Send a new code to ``number`` (already normalised), or raise Refused."""
    now = now or timezone.now()
    with transaction.atomic():
        _take(f"number:{number}", settings.SMS_CODES_PER_NUMBER_DAY, settings.SMS_CODE_RESEND_S, now,
              _("这个号码今天获取验证码的次数已用完，请明天再试"))
        _take(f"address:{address}", settings.SMS_CODES_PER_ADDRESS_DAY, 0, now,
              _("这台设备今天获取验证码的次数太多了，请明天再试"))
        code = f"{secrets.randbelow(10 ** 6):06d}"
        SmsCode.objects.create(number=number, purpose=purpose, code_hash=digest(number, purpose, code),
                               sent_at=now, user=user)
        params = {"code": code, "minutes": settings.SMS_CODE_VALID_MINUTES}
        transaction.on_commit(lambda: send_sms.enqueue(number, "code", seal(params)))


def check_code(number, purpose, code, user=None, now=None):
    """Use the newest code sent to ``number`` if ``code`` is it; otherwise raise Refused."""
    now = now or timezone.now()
    code = (code or "").strip()
    latest = (SmsCode.objects.filter(number=number, purpose=purpose,
                                     sent_at__gt=now - timedelta(minutes=settings.SMS_CODE_VALID_MINUTES))
              .order_by("-sent_at", "-pk").first())
    if latest is None or latest.used_at or (user is not None and latest.user_id != user.pk):
        raise Refused(_("验证码已失效，请重新获取"))
    limit = settings.SMS_CODE_TRIES
    if not SmsCode.objects.filter(pk=latest.pk, used_at=None, tries__lt=limit).update(tries=F("tries") + 1):
        raise Refused(_("验证码输错次数太多，已失效，请重新获取"))
    if not constant_time_compare(latest.code_hash, digest(number, purpose, code)):
        left = limit - SmsCode.objects.get(pk=latest.pk).tries
        if left <= 0:
            raise Refused(_("验证码输错次数太多，已失效，请重新获取"))
        raise Refused(ngettext("验证码不对，还可以再试 %(n)d 次", "验证码不对，还可以再试 %(n)d 次", left) % {"n": left})
    if not SmsCode.objects.filter(pk=latest.pk, used_at=None).update(used_at=now):
        raise Refused(_("验证码已失效，请重新获取"))
