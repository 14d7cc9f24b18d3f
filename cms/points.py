"""
积分: earning (checked in at an event, volunteer hours a community's staff
confirm), spending at checkout, returning it when an order is cancelled, and
staff corrections — each one entry in the append-only ledger
(``cms.models.PointsEntry``); the balance is their sum.

Whatever takes points away holds the resident's user row locked while it adds
up the balance and writes its entry, so two checkouts at once can never take
the balance below zero (SQLite's transactions are IMMEDIATE: one writer at a
time). Refusals are ``Refused`` with the reason in the user's words.
"""

from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PointsEntry
from .reservations import Refused

Reason = PointsEntry.Reason
FEN = Decimal("0.01")


def total(entries):
    return entries.aggregate(total=Sum("amount"))["total"] or 0


def balance(user):
    return total(PointsEntry.objects.filter(user=user))


def value(points):
    """What these points are worth in yuan (whole fen, rounded down)."""
    return (Decimal(points) / settings.POINTS_PER_YUAN).quantize(FEN, rounding=ROUND_DOWN)


def points_for(amount):
    """The points that pay this many yuan (rounded up to a whole point)."""
    return int((Decimal(amount) * settings.POINTS_PER_YUAN).to_integral_value(rounding=ROUND_CEILING))


def _lock(user_id):
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


def _take(user_id, points, **entry):
    """Write a negative entry if the balance covers it (the caller is inside a transaction)."""
    _lock(user_id)
    have = total(PointsEntry.objects.filter(user_id=user_id))
    if have < points:
        raise Refused(_("积分不够：现有 %(have)d 积分，需要 %(need)d 积分") % {"have": have, "need": points})
    return PointsEntry.objects.create(user_id=user_id, amount=-points, **entry)


def for_check_in(reservation, staff):
    """The event's points for the resident just checked in, once per reservation (None if it gives none)."""
    event = reservation.event
    if not event.points or reservation.user_id is None:
        return None
    return PointsEntry.objects.create(user_id=reservation.user_id, amount=event.points, reason=Reason.EVENT,
                                      reservation=reservation, community_id=event.community_id,
                                      created_by=staff, note=event.title[:120])


def for_volunteering(user, hours, community, staff, note=""):
    """Hours of volunteering confirmed by the community's staff, at POINTS_PER_VOLUNTEER_HOUR."""
    amount = int((Decimal(hours) * settings.POINTS_PER_VOLUNTEER_HOUR).to_integral_value(rounding=ROUND_DOWN))
    if amount <= 0:
        raise Refused(_("请填写服务时长，至少 0.5 小时"))
    return PointsEntry.objects.create(user=user, amount=amount, reason=Reason.VOLUNTEER, community=community,
                                      hours=hours, created_by=staff, note=note.strip()[:120])


def correct(user, amount, community, staff, note):
    """A staff counter-entry (never an edit); it may not take the balance below zero."""
    if not amount:
        raise Refused(_("更正的积分不能为 0"))
    if not note.strip():
        raise Refused(_("请写明更正的原因"))
    fields = {"reason": Reason.CORRECTION, "community": community, "created_by": staff, "note": note.strip()[:120]}
    with transaction.atomic():
        if staff is not None and not staff.is_staff:  # community staff are capped; operators and the system not
            _within_caps(staff, amount)
        if amount < 0:
            return _take(user.pk, -amount, **fields)
        return PointsEntry.objects.create(user=user, amount=amount, **fields)


def _within_caps(staff, amount):
    """POINTS_CORRECTION_MAX an entry, and points added by one staff member's corrections in a day at most
    POINTS_CORRECTION_DAILY_MAX (counted with the staff member's row locked: two at once cannot both fit)."""
    if abs(amount) > settings.POINTS_CORRECTION_MAX:
        raise Refused(_("一次最多更正 %(n)d 积分，更多请联系平台运营人员") % {"n": settings.POINTS_CORRECTION_MAX})
    if amount < 0:
        return
    _lock(staff.pk)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = total(PointsEntry.objects.filter(created_by=staff, reason=Reason.CORRECTION, amount__gt=0,
                                             created_at__gte=midnight))
    if today + amount > settings.POINTS_CORRECTION_DAILY_MAX:
        raise Refused(_("你今天已用更正加了 %(done)d 积分，每天最多 %(n)d 积分，更多请联系平台运营人员")
                      % {"done": today, "n": settings.POINTS_CORRECTION_DAILY_MAX})


def spend(user, points, order_number):
    """Pay part of an order with points (call inside the transaction that places it)."""
    with transaction.atomic():
        return _take(user.pk, points, reason=Reason.ORDER, order_number=order_number)


def return_for_order(order):
    """A cancelled order gives back whatever points it still holds, once; returns the entry or None. The
    order's 积分 payment source is marked refunded with them, so Oscar's records say the same."""
    if order.user_id is None:
        return None
    with transaction.atomic():
        _lock(order.user_id)
        held = -total(PointsEntry.objects.filter(user_id=order.user_id, order_number=order.number))
        if held <= 0:
            return None
        entry = PointsEntry.objects.create(user_id=order.user_id, amount=held, reason=Reason.RETURNED,
                                           order_number=order.number)
        source = order.sources.filter(source_type__code=POINTS_SOURCE).first()
        if source is not None and source.amount_refunded < source.amount_debited:
            source.refund(source.amount_debited - source.amount_refunded, reference=_("积分已退回"))
        return entry


POINTS_SOURCE = "points"  # the Oscar payment source type of the part paid with points


def used_on(order):
    """(points, yuan) of the order paid with points: its 积分 source (the points are its reference)."""
    for source in order.sources.all():
        if source.source_type.code == POINTS_SOURCE:
            return int(source.reference or 0), source.amount_allocated
    return 0, Decimal(0)


def still_to_pay(order):
    """The order's total less what points paid."""
    return order.total_incl_tax - used_on(order)[1]
