"""
Wagtail pages of 社区家园.

``HomePage`` is the site root. Communities and villages come in index/detail
pairs: a ``CommunityPage`` tells one ``market.Community`` (its pickup points,
its live sessions), a ``VillagePage`` one ``market.Village`` (its story and
the products its first secretary lists in the shop).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The site's front page: what's live, the 银发专柜, communities and villages."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.CommunityIndexPage", "cms.VillageIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from live.models import LiveSession
        from market.views import silver_products

        ctx = super().get_context(request, *args, **kwargs)
        ctx["live_sessions"] = LiveSession.objects.upcoming_and_live().select_related("community")[:4]
        ctx["silver_products"] = list(silver_products()[:4])
        ctx["communities"] = CommunityPage.objects.live().public().specific()[:8]
        ctx["villages"] = VillagePage.objects.live().public().specific()[:8]
        return ctx


class CommunityIndexPage(Page):
    """Lists the community pages (社区) below it."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CommunityPage"]

    class Meta:
        verbose_name = _("社区列表页")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["children"] = self.get_children().live().public().specific()
        return ctx


class CommunityPage(Page):
    """One community (社区): its service centre, pickup points and live sales."""

    community = models.OneToOneField(
        "market.Community", on_delete=models.PROTECT, related_name="page",
        verbose_name=_("社区"),
    )
    intro = models.CharField(_("导语"), max_length=200, blank=True)
    service_centre = models.CharField(_("党群服务中心地址"), max_length=200, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("community"),
        FieldPanel("intro"),
        FieldPanel("service_centre"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.CommunityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("社区页")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["pickup_points"] = self.community.pickup_points.filter(is_active=True)
        ctx["live_sessions"] = self.community.live_sessions.exclude(status="cancelled").order_by("-scheduled_start")[:6]
        return ctx


class VillageIndexPage(Page):
    """Lists the village pages (帮扶村) below it."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.VillagePage"]

    class Meta:
        verbose_name = _("帮扶村列表页")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["children"] = self.get_children().live().public().specific()
        return ctx


class VillagePage(Page):
    """One assisted village (帮扶村): its story and the produce it sells in the shop."""

    village = models.OneToOneField(
        "market.Village", on_delete=models.PROTECT, related_name="page",
        verbose_name=_("帮扶村"),
    )
    intro = models.CharField(_("导语"), max_length=200, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("village"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.VillageIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("帮扶村页")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        from market.cards import card_queryset

        ctx["products"] = card_queryset(self.village.products())[:24]
        return ctx
