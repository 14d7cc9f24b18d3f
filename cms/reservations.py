"""
Reserving places at an event, the waitlist, cancelling, and checking in at the door.

Every change to an event's places happens with the event's row locked, so the
confirmed places never exceed its capacity however many residents press 预约 at
once. Refusals are ``Refused`` with the reason in the resident's words.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.mobile import normalise

from .models import EventPage, Reservation



class Refused(Exception):
    """Why the reservation, cancellation or check-in could not be done, for the person at the screen."""


def _locked_event(event_id):
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def reserve(event, user, name, mobile, places, waitlist=False, now=None):
    """Confirm ``places`` for the user if they fit, else put them on the waitlist when they asked to.
    Returns the reservation."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise Refused(_("请填写姓名"))
    try:
        mobile = normalise(mobile)
    except ValidationError as error:
        raise Refused(error.messages[0]) from None
    with transaction.atomic():
        event = _locked_event(event.pk)
        if not 1 <= places <= event.max_places:
            raise Refused(_("每次可预约 1 到 %(n)s 位") % {"n": event.max_places})
        state = event.reservation_state(now)
        if state != "open":
            raise Refused({
                "none": _("这场活动不用预约，直接来就行"),
                "not_open": _("还没到开放预约的时间"),
                "closed": _("预约已经截止了"),
                "over": _("活动已经结束了"),
            }[state])
        if event.reservations.filter(user=user).exclude(status=Reservation.Status.CANCELLED).exists():
            raise Refused(_("你已经预约过这场活动了，可以在「我的预约」里查看"))
        left = event.capacity - event.places_taken()
        fits = places <= left
        if not fits and not waitlist:
            if left > 0:
                raise Refused(ngettext("只剩 %(n)d 位了，可以少约几位，或加入候补",
                                       "只剩 %(n)d 位了，可以少约几位，或加入候补", left) % {"n": left})
            raise Refused(_("名额刚刚约满了，可以加入候补，有人取消会按顺序递补"))
        status = Reservation.Status.CONFIRMED if fits else Reservation.Status.WAITLISTED
        try:
            with transaction.atomic():
                reservation = Reservation.objects.create(event=event, user=user, name=name, mobile=mobile,
                                                         places=places, status=status, created_at=now)
        except IntegrityError:
            raise Refused(_("你已经预约过这场活动了，可以在「我的预约」里查看")) from None
    if reservation.status == Reservation.Status.CONFIRMED:
        _schedule_reminder(reservation)
    return reservation


def cancel(reservation, user, now=None):
    """The resident cancels their own reservation before the event starts; frees places for the waitlist."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(reservation.event_id)
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if reservation.user_id != user.pk:
            raise Refused(_("只能取消自己的预约"))
        if reservation.status == Reservation.Status.CANCELLED:
            raise Refused(_("这个预约已经取消了"))
        if reservation.checked_in_at:
            raise Refused(_("已经签到的预约不能取消"))
        if now >= event.start:
            raise Refused(_("活动已经开始，不能再取消了"))
        was_confirmed = reservation.status == Reservation.Status.CONFIRMED
        reservation.status, reservation.cancelled_at = Reservation.Status.CANCELLED, now
        reservation.save(update_fields=["status", "cancelled_at"])
        promoted = promote_waitlist(event, now) if was_confirmed else []
    return promoted


def promote_waitlist(event, now):
    """Confirm waiting reservations in the order they came, each that fits the places now free;
    tells each one (in the site and by email, from the worker). The event row must be locked."""
    free = event.capacity - event.places_taken()
    promoted = []
    for waiting in event.reservations.filter(status=Reservation.Status.WAITLISTED).order_by("created_at", "pk"):
        if free <= 0:
            break
        if waiting.places <= free:
            waiting.status, waiting.promoted_at = Reservation.Status.CONFIRMED, now
            waiting.save(update_fields=["status", "promoted_at"])
            free -= waiting.places
            promoted.append(waiting)
    if promoted:
        from .tasks import notify_promoted

        ids = [r.pk for r in promoted]
        transaction.on_commit(lambda: notify_promoted.enqueue(ids))
        for reservation in promoted:
            transaction.on_commit(lambda r=reservation: _schedule_reminder(r))
    return promoted


def check_in(event, code, staff, now=None):
    """Check the reservation with this code in at this event, once; returns it.

    Only from ``EVENT_CHECKIN_OPENS_MINUTES`` before the start to the end, never by the reservation's own
    holder (the points would be theirs), and a code of another event is answered like a wrong one. Wrong
    codes are throttled per staff member and per event (``market.throttle``), under the event's row lock.
    """
    from market import throttle

    now = now or timezone.now()
    code = re.sub(r"\D", "", code or "")
    if len(code) != 8:
        raise Refused(_("请输入 8 位数字的签到码"))
    keys = [f"user:{staff.pk}", f"event:{event.pk}"]
    with transaction.atomic():
        event = _locked_event(event.pk)
        pause = throttle.counter_pause("checkin", keys)
        if pause:
            raise Refused(pause)
        opens = event.start - timedelta(minutes=settings.EVENT_CHECKIN_OPENS_MINUTES)
        if now < opens:
            raise Refused(_("签到在活动开始前 %(n)d 分钟开放（%(time)s 起）") % {
                "n": settings.EVENT_CHECKIN_OPENS_MINUTES, "time": timezone.localtime(opens).strftime("%m-%d %H:%M")})
        if now > event.end:
            raise Refused(_("活动已经结束，不能再签到"))
        reservation = (Reservation.objects.select_for_update(of=("self",)).filter(code=code, event=event).first())
        if reservation is None:
            throttle.failed("checkin", keys)
            refusal = Refused(_("签到码不对，请核对后再输入"))
        else:
            return _check_in(reservation, staff, now)
    raise refusal  # after the commit: the wrong code stays counted


def _check_in(reservation, staff, now):
    if reservation.user_id == staff.pk:
        raise Refused(_("不能给自己签到，请其他工作人员帮你签到"))
    if reservation.status == Reservation.Status.CANCELLED:
        raise Refused(_("这个预约已经取消了，不能签到"))
    if reservation.status == Reservation.Status.WAITLISTED:
        raise Refused(_("这位还在候补，没有名额，不能签到"))
    if reservation.checked_in_at:
        raise Refused(_("%(name)s 已在 %(when)s 签到过了，不能重复签到") % {
            "name": reservation.name, "when": timezone.localtime(reservation.checked_in_at).strftime("%H:%M")})
    reservation.checked_in_at, reservation.checked_in_by = now, staff
    reservation.save(update_fields=["checked_in_at", "checked_in_by"])
    from .points import for_check_in

    for_check_in(reservation, staff)  # the event's 积分, in the same transaction
    return reservation


def _schedule_reminder(reservation):
    """The day-before reminder, from the worker; a reservation made later than that gets none."""
    from .tasks import remind_reservation

    when = reservation.remind_at()
    if when > timezone.now():
        remind_reservation.using(run_after=when).enqueue(reservation.pk)
