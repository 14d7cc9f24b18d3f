"""
Operators' screens in Wagtail's admin for the shop's places and people
(communities with their hosts, pickup points with their hours, villages with
their first secretaries) and search synonyms, grouped under one 共富超市 menu.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from market.models import Community, PickupPoint, Village
from market.search.models import SynonymGroup

from .forms import CommunityForm, VillageForm


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    list_display = ["name", "district", "street"]
    search_fields = ["name", "street", "district"]
    edit_handler = ObjectList([
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("district"), FieldPanel("street"),
        FieldPanel("hosts"),
    ], base_form_class=CommunityForm)


class PickupPointViewSet(SnippetViewSet):
    model = PickupPoint
    icon = "site"
    list_display = ["name", "community", "opening_hours", "phone", "is_active"]
    list_filter = ["community", "is_active"]
    search_fields = ["name", "address"]
    panels = [FieldPanel("community"), FieldPanel("name"), FieldPanel("address"), FieldPanel("opening_hours"),
              FieldPanel("phone"), FieldPanel("is_active")]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "home"
    list_display = ["name", "location", "price_floor_percent"]
    search_fields = ["name", "location"]
    edit_handler = ObjectList([
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("location"), FieldPanel("price_floor_percent"),
        MultiFieldPanel([
            FieldPanel("secretary_username"), FieldPanel("secretary_name"), FieldPanel("secretary_email"),
            FieldPanel("secretary_password"), FieldPanel("remove_secretaries"),
        ], heading=_("第一书记")),
    ], base_form_class=VillageForm)


class SynonymGroupViewSet(SnippetViewSet):
    """Words buyers use for the same produce (番茄 西红柿): a new group works in the next search."""

    model = SynonymGroup
    icon = "search"
    list_display = ["words"]
    search_fields = ["words"]
    panels = [FieldPanel("words")]


class ShopPlacesGroup(SnippetViewSetGroup):
    menu_label = _("共富超市")
    menu_icon = "pick"
    menu_order = 250
    items = (VillageViewSet, CommunityViewSet, PickupPointViewSet, SynonymGroupViewSet)


register_snippet(ShopPlacesGroup)
