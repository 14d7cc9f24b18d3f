"""Every notice the site sends, through one function.

``notify(kind, key, users, ...)`` tells these people once per ``key``, however often the task that calls
it runs (the key is claimed in the same transaction that writes the in-site notices):

- in the site (Oscar's notifications, 我的 → 消息), always;
- by email, to those who gave an address;
- by Web Push, to the phones that took 手机通知 (我的 → 设置), for the kinds that push;
- by SMS, to those no push reached, for the kinds with a text message (a pickup is waiting, a place came
  free, an event is tomorrow). Marketing-like notices (开播提醒) never go by SMS.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils.html import escape, format_html
from django.utils.text import Truncator
from oscar.core.loading import get_model

from . import push
from .models import Notice, PushSubscription

log = logging.getLogger(__name__)
Notification = get_model("communication", "Notification")


@dataclass(frozen=True)
class Kind:
    push: bool = False
    sms: str | None = None  # the SMS template (accounts.sms.TEXTS) for those no push reached


KINDS = {
    "delivered": Kind(push=True, sms="delivered"),   # 已送达自提点
    "live": Kind(push=True),                         # 开播提醒
    "promoted": Kind(push=True, sms="promoted"),     # 候补成功
    "reminder": Kind(push=True, sms="reminder"),     # 明天的活动
    "paid": Kind(),                                  # 付款成功
    "shipped": Kind(),                               # 已发货
    "listing": Kind(),                               # 上架审核 (for secretaries)
}


def notify(kind, key, users, subject, text, url="", link="", sms_params=None):
    """Tell ``users`` (plain-text ``subject`` and ``text``, a site ``url`` with its ``link`` label) once per
    ``key``. Returns how many were told (0 when this key was sent before)."""
    spec = KINDS[kind]
    users = [user for user in dict.fromkeys(users) if user is not None and user.is_active]
    if not users:
        return 0
    body = format_html('{} <a href="{}">{}</a>', text, url, link) if url else escape(text)
    try:
        with transaction.atomic():
            Notice.objects.create(key=key, kind=kind, recipients=len(users))
            Notification.objects.bulk_create(
                [Notification(recipient=user, subject=stored_subject(subject), body=body) for user in users],
                batch_size=500)
    except IntegrityError:
        return 0  # already sent by an earlier run of the same task
    # what leaves the site goes after the claim is committed: call notify outside any transaction of yours
    _send_out(spec, key, users, subject, text, url, sms_params or {})
    return len(users)


def stored_subject(subject, limit=255):
    """The subject as Oscar keeps it (HTML, escaped), cut to fit its 255 characters (a product's title may be
    long, and PostgreSQL refuses what does not fit)."""
    stored, length = escape(subject), len(subject)
    while len(stored) > limit:
        length -= max(1, len(stored) - limit)
        stored = escape(Truncator(subject).chars(length))
    return stored


def _send_out(spec, key, users, subject, text, url, sms_params):
    _email(users, subject, text, settings.SITE_URL.rstrip("/") + url if url else "")
    reached = _push(users, {"title": subject, "body": text, "url": url or "/me/", "tag": key}) if spec.push else set()
    if spec.sms:
        _sms([user for user in users if user.pk not in reached], spec.sms, sms_params)


def _email(users, subject, text, site_url):
    message = f"{text}\n{site_url}" if site_url else text
    send_mass_mail([(subject, message, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users if user.email],
                   fail_silently=True)


def _push(users, payload):
    """Push to every browser of these users; returns the ids of the users at least one push reached."""
    reached = set()
    if not push.enabled():
        return reached
    for subscription in PushSubscription.objects.filter(user__in=users):
        try:
            push.send(subscription, payload)
        except push.Gone:
            subscription.delete()
        except push.Failed as exc:
            log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
        else:
            reached.add(subscription.user_id)
    return reached


def _sms(users, template, params):
    from accounts.models import VerifiedMobile
    from accounts.sealing import seal
    from accounts.tasks import send_sms

    for number in VerifiedMobile.objects.filter(user__in=users).values_list("number", flat=True):
        send_sms.enqueue(number, template, seal(params))
