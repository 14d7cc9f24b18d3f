"""
搜索社区内容: community, village, news and event pages and the service
directory, through Wagtail's search on either database, with the query cut
into words by jieba as the pages were (``cms.models.segmented``).
"""

from django import forms
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from market.search.text import words

from .models import CommunityNewsPage, CommunityPage, CommunityService, EventPage, VillagePage

PER_PAGE = 10
SEARCHED = (CommunityPage, CommunityNewsPage, EventPage, VillagePage)


def query_words(query):
    return " ".join(words(query or ""))


def search_pages(query):
    """Live public pages holding every word of the query (a search result set: slice or paginate it);
    events only while they are to come, and of a weekly series only its next date."""
    terms = query_words(query)
    if not terms:
        return Page.objects.none()
    pages = Page.objects.live().public().type(*SEARCHED).exclude(pk__in=hidden_events(timezone.now()))
    return pages.specific().search(terms, operator="and")


def hidden_events(now):
    """Ended events, and every date of a weekly series but the next."""
    hidden = set(EventPage.objects.filter(end__lt=now).values_list("pk", flat=True))
    series = {}
    for pk, first, start in EventPage.objects.filter(end__gte=now).values_list("pk", "repeat_of_id", "start"):
        series.setdefault(first or pk, []).append((start, pk))
    for dates in series.values():
        hidden.update(pk for _start, pk in sorted(dates)[1:])
    return hidden


def search_services(query):
    terms = query_words(query)
    if not terms:
        return []
    return get_search_backend().search(terms, CommunityService.objects.select_related("community"),
                                       operator="and")


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False)


class SearchView(TemplateView):
    template_name = "cms/search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        ctx.update(query=query, too_long=not form.is_valid())
        if query:
            page = Paginator(search_pages(query), PER_PAGE).get_page(self.request.GET.get("page"))
            ctx.update(page_obj=page, results=[(result, kind_of(result)) for result in page.object_list],
                       services=list(search_services(query)[:10]) if page.number == 1 else [])
        return ctx


def kind_of(page):
    """The label shown next to a result."""
    return {CommunityPage: _("社区"), CommunityNewsPage: _("社区新闻"), EventPage: _("活动"),
            VillagePage: _("帮扶村")}.get(type(page), "")
