"""
The community's directory, kept by its editors as Wagtail snippets: the
services a resident can call (``CommunityService``: 政务, 医疗, 法律, 家政,
养老 …) and its volunteer teams (``VolunteerTeam``), whom a resident asks to
join (``VolunteerRequest``, seen by that community's staff).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .segmented import SegmentedText


class CommunityService(SegmentedText, index.Indexed, models.Model):
    """A service residents can reach from their community page: who, what, where, when, and a number."""

    class Category(models.TextChoices):
        GOVERNMENT = "government", _("政务")
        MEDICAL = "medical", _("医疗")
        LEGAL = "legal", _("法律")
        HOUSEKEEPING = "housekeeping", _("家政")
        ELDERLY = "elderly", _("养老")
        CHILDREN = "children", _("托幼")
        OTHER = "other", _("其他")

    community = models.ForeignKey("market.Community", on_delete=models.CASCADE, related_name="services",
                                  verbose_name=_("社区"))
    name = models.CharField(_("服务名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    hours = models.CharField(_("服务时间"), max_length=80, blank=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("community"), FieldPanel("name"), FieldPanel("category"), FieldPanel("phone"),
              FieldPanel("hours"), FieldPanel("place"), FieldPanel("note")]
    search_fields = [index.SearchField("name"), index.SearchField("note"), index.FilterField("community"),
                     SegmentedText.segmented_search_field]
    segmented_fields = ("name", "place", "note")

    class Meta:
        verbose_name = _("便民服务")
        verbose_name_plural = _("便民服务")
        ordering = ["community__name", "category", "name"]

    def __str__(self):
        return self.name

    @property
    def tel(self):
        """The number as a tel: link wants it: digits, and a leading + if there was one."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return ("+" if self.phone.strip().startswith("+") else "") + digits


class VolunteerTeam(models.Model):
    """A community's volunteer team (志愿服务队): what it does and when it meets; residents ask to join."""

    community = models.ForeignKey("market.Community", on_delete=models.CASCADE, related_name="volunteer_teams",
                                  verbose_name=_("社区"))
    name = models.CharField(_("队伍名称"), max_length=60)
    leader = models.CharField(_("队长"), max_length=30)
    activities = models.CharField(_("做什么"), max_length=200)
    meets = models.CharField(_("活动时间"), max_length=80, blank=True)

    panels = [FieldPanel("community"), FieldPanel("name"), FieldPanel("leader"), FieldPanel("activities"),
              FieldPanel("meets")]

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["community__name", "name"]

    def __str__(self):
        return self.name


class VolunteerRequest(models.Model):
    """A resident's request to join a volunteer team, for the community's staff to answer."""

    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="requests",
                             verbose_name=_("志愿服务队"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("账号"))
    name = models.CharField(_("姓名"), max_length=30)
    mobile = models.CharField(_("手机号"), max_length=11)
    note = models.CharField(_("想说的话"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    handled = models.BooleanField(_("已联系"), default=False)

    panels = [FieldPanel("handled")]

    class Meta:
        verbose_name = _("志愿者报名")
        verbose_name_plural = _("志愿者报名")
        ordering = ["handled", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_request_per_team")]

    def __str__(self):
        return f"{self.team.name} · {self.name}"
