"""
Wagtail pages of 社区家园.

``HomePage`` is the site root. Communities and villages come in index/detail
pairs: a ``CommunityPage`` tells one ``market.Community`` (its service centre,
its directory, its news and events below it, its live sessions), a
``VillagePage`` one ``market.Village`` (its story, first secretary, producers,
the products its first secretary lists in the shop, its live sessions and its
harvest calendar). ``CommunityNewsPage`` and ``EventPage`` live under a
community page and carry its community, so listings need no tree walk.
``ServiceDirectoryPage`` is the district-wide directory of services and
volunteer teams.
"""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import StoryBlock
from .segmented import SegmentedText

NEWS_PER_PAGE = 10


class HomePage(Page):
    """The site's front page: what's live, the 银发专柜, and the resident's own community's
    next events and news (the district's for everyone else)."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.CommunityIndexPage", "cms.VillageIndexPage", "cms.ServiceDirectoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from live.models import LiveSession
        from market.views import silver_products

        from .events import EventPage

        ctx = super().get_context(request, *args, **kwargs)
        community = resident_community(request.user)
        sessions = LiveSession.objects.upcoming_and_live().select_related("community")
        events = EventPage.objects.live().public().filter(end__gte=timezone.now()).select_related("community")
        news = CommunityNewsPage.objects.live().public().select_related("community")
        if community is not None:
            sessions, events, news = (qs.filter(community=community) for qs in (sessions, events, news))
        ctx["home_community"] = community
        ctx["live_sessions"] = sessions[:4]
        ctx["events"] = events.order_by("start")[:4]
        ctx["news"] = news.order_by("-date", "-pk")[:4]
        ctx["silver_products"] = list(silver_products()[:4])
        ctx["communities"] = CommunityPage.objects.live().public()[:8]
        ctx["villages"] = VillagePage.objects.live().public()[:8]
        return ctx


def resident_community(user):
    """The community a signed-in resident said they live in, or None."""
    if not user.is_authenticated:
        return None
    from market.models import Resident

    resident = Resident.objects.filter(user=user).select_related("community").first()
    return resident.community if resident else None


class IndexPage(Page):
    """A page that lists its children (communities, villages) with their shop records in one query."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    related_name = None  # the detail page's link to its shop record

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        child_model = self.specific_class.subpage_types[0]
        from django.apps import apps

        model = apps.get_model(child_model)
        ctx["children"] = (model.objects.child_of(self).live().public()
                           .select_related(self.related_name).order_by("path"))
        return ctx


class CommunityIndexPage(IndexPage):
    """Lists the community pages (社区) below it."""

    subpage_types = ["cms.CommunityPage"]
    related_name = "community"

    class Meta:
        verbose_name = _("社区列表页")


class CommunityPage(SegmentedText, RoutablePageMixin, Page):
    """One community (社区): its 党群服务中心 (address, hours, phone), its story, its services
    and volunteer teams, its news and events (child pages), pickup points and live sales."""

    community = models.OneToOneField(
        "market.Community", on_delete=models.PROTECT, related_name="page",
        verbose_name=_("社区"),
    )
    intro = models.CharField(_("导语"), max_length=200, blank=True)
    service_centre = models.CharField(_("党群服务中心地址"), max_length=200, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    phone = models.CharField(_("服务电话"), max_length=32, blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("community", permission="market.change_community"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("service_centre"), FieldPanel("opening_hours"), FieldPanel("phone")],
                        heading=_("党群服务中心")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          SegmentedText.segmented_search_field]
    parent_page_types = ["cms.CommunityIndexPage"]
    subpage_types = ["cms.CommunityNewsPage", "cms.EventPage"]

    class Meta:
        verbose_name = _("社区页")

    def news(self):
        return CommunityNewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from .directory import CommunityService, VolunteerTeam
        from .events import EventPage

        ctx = super().get_context(request, *args, **kwargs)
        ctx["pickup_points"] = self.community.pickup_points.filter(is_active=True)
        ctx["live_sessions"] = (self.community.live_sessions.exclude(status="cancelled")
                                .select_related("community").order_by("-scheduled_start")[:6])
        ctx["latest_news"] = self.news()[:3]
        ctx["events"] = (EventPage.objects.child_of(self).live().public().filter(end__gte=timezone.now())
                         .order_by("start")[:6])
        ctx["services"] = CommunityService.objects.filter(community=self.community)
        ctx["body_blocks"] = {block.block_type for block in self.body}  # the page's own sections defer to these
        ctx["teams"] = VolunteerTeam.objects.filter(community=self.community)
        return ctx

    @path("news/")
    def news_list(self, request):
        """All the community's news, newest first, ten a page."""
        paginator = Paginator(self.news(), NEWS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        return self.render(request, context_overrides={"news_page": page},
                           template="cms/community_news_list.html")


class CommunityNewsPage(SegmentedText, Page):
    """A dated news item (社区新闻) under a community page; carries that page's community."""

    community = models.ForeignKey("market.Community", on_delete=models.PROTECT, related_name="news_pages",
                                  editable=False, verbose_name=_("社区"))
    date = models.DateField(_("日期"), default=timezone.localdate)
    intro = models.CharField(_("摘要"), max_length=200, blank=True)
    cover = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("题图"))
    body = StreamField(StoryBlock(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("cover"),
                                            FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          SegmentedText.segmented_search_field]
    parent_page_types = ["cms.CommunityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("社区新闻")
        verbose_name_plural = _("社区新闻")

    def full_clean(self, *args, **kwargs):
        set_community_from_parent(self)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        set_community_from_parent(self)
        super().save(*args, **kwargs)


def set_community_from_parent(page):
    """News and events belong to the community of the community page they are under."""
    if page.community_id:
        return
    parent = page.get_parent() if page.pk or page.path else None
    parent = parent.specific if parent else getattr(page, "_parent_for_community", None)
    if isinstance(parent, CommunityPage):
        page.community_id = parent.community_id


class VillageIndexPage(IndexPage):
    """Lists the village pages (帮扶村) below it."""

    subpage_types = ["cms.VillagePage"]
    related_name = "village"

    class Meta:
        verbose_name = _("帮扶村列表页")


class VillagePage(SegmentedText, Page):
    """One assisted village (帮扶村): its story, first secretary, producers, the produce it sells
    in the shop, its live sessions and replays, and a harvest calendar (``HarvestMonth``)."""

    village = models.OneToOneField(
        "market.Village", on_delete=models.PROTECT, related_name="page",
        verbose_name=_("帮扶村"),
    )
    intro = models.CharField(_("导语"), max_length=200, blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("村里的故事"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("village"),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("harvests", label=_("采收日历")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          SegmentedText.segmented_search_field]
    parent_page_types = ["cms.VillageIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("帮扶村页")

    def get_context(self, request, *args, **kwargs):
        from live.models import LiveSession
        from market.cards import card_queryset
        from market.models import ProductOrigin

        ctx = super().get_context(request, *args, **kwargs)
        products = self.village.products()
        ctx["products"] = card_queryset(products)[:24]
        ctx["secretaries"] = list(self.village.secretaries)
        ctx["producers"] = (ProductOrigin.objects.filter(product__in=products).values_list("producer", flat=True)
                            .distinct().order_by("producer"))
        sessions = LiveSession.objects.filter(village=self.village).select_related("community")
        ctx["live_sessions"] = sessions.upcoming_and_live()[:4]
        ctx["replays"] = sessions.filter(status=LiveSession.Status.ENDED).exclude(replay="") \
            .order_by("-ended_at")[:4]
        ctx["calendar"] = harvest_calendar(self.harvests.all())
        return ctx


MONTHS = range(1, 13)


def harvest_calendar(harvests):
    """Rows of (produce, [12 booleans]) for the months each produce is harvested."""
    return [(h.produce, [h.covers(m) for m in MONTHS]) for h in harvests]


class HarvestMonth(Orderable):
    """One produce of a village and the months it is harvested in (wrapping over new year)."""

    page = ParentalKey(VillagePage, on_delete=models.CASCADE, related_name="harvests")
    produce = models.CharField(_("农产品"), max_length=40)
    first_month = models.PositiveSmallIntegerField(_("从几月"), choices=[(m, m) for m in MONTHS])
    last_month = models.PositiveSmallIntegerField(_("到几月"), choices=[(m, m) for m in MONTHS])

    panels = [FieldPanel("produce"), FieldPanel("first_month"), FieldPanel("last_month")]

    class Meta(Orderable.Meta):
        verbose_name = _("采收月份")

    def covers(self, month):
        if self.first_month <= self.last_month:
            return self.first_month <= month <= self.last_month
        return month >= self.first_month or month <= self.last_month


class ServiceDirectoryPage(Page):
    """The district's directory of services and volunteer teams, filterable by category and community."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("便民服务目录")

    def get_context(self, request, *args, **kwargs):
        from market.models import Community

        from .directory import CommunityService, VolunteerTeam

        ctx = super().get_context(request, *args, **kwargs)
        categories = dict(CommunityService.Category.choices)
        category = request.GET.get("category", "")
        community = request.GET.get("community", "")
        services = CommunityService.objects.select_related("community")
        teams = VolunteerTeam.objects.select_related("community")
        if category in categories:
            services = services.filter(category=category)
        else:
            category = ""
        communities = list(Community.objects.filter(page__isnull=False).order_by("name"))
        chosen = next((c for c in communities if c.slug == community), None)
        if chosen:
            services, teams = services.filter(community=chosen), teams.filter(community=chosen)
        ctx.update(services=services, teams=teams, categories=categories, category=category,
                   communities=communities, community=chosen)
        return ctx
