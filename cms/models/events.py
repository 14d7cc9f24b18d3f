"""
Events (活动) and the places residents reserve at them.

An ``EventPage`` lives under a ``CommunityPage`` and carries its community. If
it needs a reservation, residents hold ``Reservation`` rows for 1–N places:
confirmed while the places fit the capacity, otherwise on the waitlist in the
order they came; a cancellation promotes whoever is first and fits
(``cms.reservations``). Each reservation has its own check-in code.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import StoryBlock
from .pages import set_community_from_parent
from .segmented import SegmentedText


class EventPage(SegmentedText, Page):
    """One event (睦邻市集, 社区夜校, 星光放映厅 …) of a community, with its reservation rules.
    A weekly series is made by publishing the first with ``repeat_weeks``: the other dates are
    copies of it (``repeat_of``)."""

    class Kind(models.TextChoices):
        MARKET = "market", _("睦邻市集")
        NIGHT_SCHOOL = "night_school", _("社区夜校")
        CINEMA = "cinema", _("星光放映厅")
        OTHER = "other", _("其他活动")

    community = models.ForeignKey("market.Community", on_delete=models.PROTECT, related_name="event_pages",
                                  editable=False, verbose_name=_("社区"))
    kind = models.CharField(_("活动类型"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120)
    intro = models.CharField(_("一句话介绍"), max_length=200, blank=True)
    cover = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("封面图"))
    body = StreamField(StoryBlock(), verbose_name=_("活动介绍"), blank=True)
    needs_reservation = models.BooleanField(_("需要预约"), default=True)
    capacity = models.PositiveIntegerField(_("名额"), default=50, validators=[MinValueValidator(1)])
    max_places = models.PositiveSmallIntegerField(
        _("每人最多预约几位"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)])
    reservation_opens = models.DateTimeField(_("开放预约时间"), null=True, blank=True,
                                             help_text=_("留空则发布后即可预约"))
    reservation_closes = models.DateTimeField(_("截止预约时间"), null=True, blank=True,
                                              help_text=_("留空则到活动开始为止"))
    points = models.PositiveSmallIntegerField(_("签到得积分"), default=0,
                                              help_text=_("居民到场签到后得到的积分"))
    repeat_weeks = models.PositiveSmallIntegerField(
        _("每周重复，共几期"), default=1, validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("例如社区夜校每周二一期、共 8 期：填 8，发布后自动生成后面 7 期"))
    repeat_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                  related_name="repeats", verbose_name=_("系列第一期"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldPanel("place"),
            FieldPanel("repeat_weeks"),
        ], heading=_("时间地点")),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
        MultiFieldPanel([
            FieldPanel("needs_reservation"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_places")]),
            FieldRowPanel([FieldPanel("reservation_opens"), FieldPanel("reservation_closes")]),
            FieldPanel("points"),
        ], heading=_("预约与积分")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          index.SearchField("place"), index.FilterField("start"),
                                          SegmentedText.segmented_search_field]
    segmented_fields = ("title", "intro", "place", "body")
    parent_page_types = ["cms.CommunityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("社区活动")
        verbose_name_plural = _("社区活动")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("结束时间要晚于开始时间")
        if self.reservation_opens and self.reservation_closes and self.reservation_closes <= self.reservation_opens:
            errors["reservation_closes"] = _("截止时间要晚于开放时间")
        if self.reservation_closes and self.start and self.reservation_closes > self.start:
            errors["reservation_closes"] = _("预约最晚在活动开始时截止")
        if errors:
            raise ValidationError(errors)

    def full_clean(self, *args, **kwargs):
        set_community_from_parent(self)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        set_community_from_parent(self)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..forms import ReservationForm

        ctx = super().get_context(request, *args, **kwargs)
        ctx["state"] = self.reservation_state()
        ctx["places_left"] = self.places_left()
        ctx["waitlist_length"] = self.waitlist_length()
        ctx["series_dates"] = self.series_dates()
        ctx["mine"] = None
        if request.user.is_authenticated:
            mine = self.reservations.filter(user=request.user).exclude(status=Reservation.Status.CANCELLED).first()
            ctx["mine"] = mine
            if mine and mine.status == Reservation.Status.CONFIRMED:
                from market.qr import qr_data_uri

                ctx["mine_qr"] = qr_data_uri(mine.code, box_size=5)
            if "form" not in ctx:
                from live.services import display_name

                resident = getattr(request.user, "resident", None)
                ctx["form"] = ReservationForm(event=self, initial={
                    "name": display_name(request.user) or "",
                    "mobile": getattr(resident, "mobile", "") if resident else "",
                    "places": 1})
        return ctx

    # --- reservation rules -------------------------------------------------------
    @property
    def closes_at(self):
        return self.reservation_closes or self.start

    def reservation_state(self, now=None):
        """'none' (walk in), 'not_open', 'open', 'closed' or 'over'."""
        now = now or timezone.now()
        if not self.needs_reservation:
            return "none"
        if now >= self.end:
            return "over"
        if self.reservation_opens and now < self.reservation_opens:
            return "not_open"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def places_taken(self):
        return (self.reservations.filter(status=Reservation.Status.CONFIRMED)
                .aggregate(n=Sum("places"))["n"] or 0)

    def places_left(self):
        return max(self.capacity - self.places_taken(), 0)

    def waitlist_length(self):
        return self.reservations.filter(status=Reservation.Status.WAITLISTED).count()

    def series_dates(self, now=None):
        """The other coming dates of this event's weekly series (none for a single event)."""
        first = self.repeat_of_id or self.pk
        dates = (EventPage.objects.live().filter(models.Q(pk=first) | models.Q(repeat_of_id=first))
                 .exclude(pk=self.pk).filter(end__gte=now or timezone.now()).order_by("start"))
        return dates if self.repeat_of_id or self.repeat_weeks > 1 else EventPage.objects.none()



def new_checkin_code():
    """Eight digits: easy to read out at the door, and one code never names two reservations."""
    return f"{secrets.randbelow(10**8):08d}"


class Reservation(models.Model):
    """A resident's places at an event: confirmed, on the waitlist, or cancelled; checked in once."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已预约")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="reservations",
                              verbose_name=_("活动"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reservations",
                             verbose_name=_("账号"))
    name = models.CharField(_("姓名"), max_length=30)
    mobile = models.CharField(_("手机号"), max_length=11)
    places = models.PositiveSmallIntegerField(_("人数"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, db_index=True)
    code = models.CharField(_("签到码"), max_length=8, unique=True, default=new_checkin_code, editable=False)
    created_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("签到经办人"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动预约")
        verbose_name_plural = _("活动预约")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=~Q(status="cancelled"),
                                    name="one_open_reservation_per_event"),
        ]

    def __str__(self):
        return f"{self.event.title} · {self.name} × {self.places}"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    def can_cancel(self, now=None):
        return self.is_active and not self.checked_in_at and (now or timezone.now()) < self.event.start

    def remind_at(self):
        return self.event.start - timedelta(days=1)
