"""Background work of 社区家园, on django-tasks' database backend (make run starts the worker)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from notices.notify import notify

from .models import Reservation


def _tell(kind, key, reservation, subject, text):
    """One notice about a reservation, linking to 我的预约 (in the site, by email, push, SMS)."""
    facts = _facts(reservation)
    return notify(kind, key, [reservation.user], subject, text, url=reverse("events:mine"), link=_("查看我的预约"),
                  sms_params={"title": facts["title"][:20], "when": facts["when"], "code": facts["code"]})


def _facts(reservation):
    start = timezone.localtime(reservation.event.start)
    return {"title": reservation.event.title, "when": start.strftime("%m-%d %H:%M"),
            "place": reservation.event.place, "places": reservation.places, "code": reservation.code}


@task(backend="background")
def notify_promoted(reservation_ids):
    """Tell residents taken off the waitlist that they have their places now."""
    told = 0
    for reservation in Reservation.objects.filter(pk__in=reservation_ids, status=Reservation.Status.CONFIRMED) \
            .select_related("event", "user"):
        facts = _facts(reservation)
        told += _tell("promoted", f"promoted:{reservation.pk}", reservation, _("候补成功：%(title)s") % facts,
                      _("有人取消了预约，你候补的%(places)s个名额已确认：%(title)s，%(when)s，%(place)s。"
                        "签到码 %(code)s。") % facts)
    return told


@task(backend="background")
def remind_reservation(reservation_id):
    """The day before: remind a resident with a confirmed reservation, once. If the event moved
    later, the reminder waits for the new day-before."""
    reservation = Reservation.objects.filter(pk=reservation_id).select_related("event", "user").first()
    if reservation is None or reservation.status != Reservation.Status.CONFIRMED or reservation.reminded_at:
        return False
    now = timezone.now()
    if now >= reservation.event.start:
        return False
    if reservation.remind_at() - now > timedelta(hours=1):
        remind_reservation.using(run_after=reservation.remind_at()).enqueue(reservation.pk)
        return False
    updated = Reservation.objects.filter(pk=reservation.pk, reminded_at__isnull=True).update(reminded_at=now)
    if updated:
        facts = _facts(reservation)
        _tell("reminder", f"reminder:{reservation.pk}", reservation, _("明天的活动：%(title)s") % facts,
              _("提醒你：%(title)s 在 %(when)s 开始，地点 %(place)s，共 %(places)s 位。到场出示签到码 %(code)s。")
              % facts)
    return bool(updated)
