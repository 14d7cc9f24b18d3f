"""
Operators' screens in Wagtail's admin for the shop's places and people
(communities with their hosts, pickup points with their hours, villages with
their first secretaries) and search synonyms, grouped under one 共富超市 menu;
and the 社区家园 menu where each community's editors keep its services and
volunteer teams and see who asked to join (their own communities' rows only).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views import chooser as snippet_chooser_views, snippets as snippet_views
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from market.models import Community, PickupPoint, Village
from market.search.models import SynonymGroup

from .forms import CommunityForm, VillageForm
from .models import CommunityService, VolunteerRequest, VolunteerTeam
from .permissions import editable_communities


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


# --- 社区家园: each community's editors keep their own directory ------------------
class CommunityScopedPolicy(ModelPermissionPolicy):
    """Model rights from the user's groups, and then only for rows of communities whose page the
    user may edit (operators: all). ``community_path`` is how a row reaches its community."""

    def __init__(self, model, community_path="community"):
        super().__init__(model)
        self.community_path = community_path

    def _communities(self, user):
        return editable_communities(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.model.objects.filter(**{f"{self.community_path}__in": self._communities(user)})

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()


class ScopedObjectMixin:
    """A snippet view for one row (edit, delete, inspect, history, usage, copy) opens only for a
    user whose communities the row belongs to; Wagtail's own views check model rights only."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(type(obj))
        if not policy.user_has_any_permission_for_instance(self.request.user, ["change", "view", "delete"], obj):
            raise PermissionDenied
        return obj


def scoped(view_class):
    return type(view_class.__name__, (ScopedObjectMixin, view_class), {})


class ScopedChoiceMixin:
    """A chooser's listing, search results and chosen rows (single or several): the user's rows only,
    as the policy scopes them; Wagtail's own chooser reads the whole table."""

    def _scoped(self, queryset):
        policy = policy_registry.get_by_type(self.model_class)
        mine = policy.instances_user_has_any_permission_for(self.request.user, ["add", "change", "delete", "view"])
        return queryset.filter(pk__in=mine.values("pk"))

    def get_object_list(self):
        return self._scoped(super().get_object_list())

    def get_object(self, pk):
        return self._scoped(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self._scoped(super().get_objects(pks))


def scoped_choice(view_class):
    return type(view_class.__name__, (ScopedChoiceMixin, view_class), {})


class ScopedChooserViewSet(snippet_chooser_views.SnippetChooserViewSet):
    choose_view_class = scoped_choice(snippet_chooser_views.ChooseView)
    choose_results_view_class = scoped_choice(snippet_chooser_views.ChooseResultsView)
    chosen_view_class = scoped_choice(snippet_chooser_views.SnippetChosenView)
    chosen_multiple_view_class = scoped_choice(snippet_chooser_views.SnippetChosenMultipleView)


class CommunityScopedViewSet(SnippetViewSet):
    """A snippet listing that shows an editor their own communities' rows, opens only those, and
    offers only those communities in its form."""

    community_path = "community"
    chooser_viewset_class = ScopedChooserViewSet
    edit_view_class = scoped(snippet_views.EditView)
    delete_view_class = scoped(snippet_views.DeleteView)
    inspect_view_class = scoped(snippet_views.InspectView)
    history_view_class = scoped(snippet_views.HistoryView)
    usage_view_class = scoped(snippet_views.UsageView)
    copy_view_class = scoped(snippet_views.CopyView)

    def get_queryset(self, request):
        return self.model.objects.filter(**{f"{self.community_path}__in": editable_communities(request.user)})

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        path = self.community_path

        class ScopedForm(form_class):
            def __init__(self, *args, for_user=None, **kwargs):
                super().__init__(*args, for_user=for_user, **kwargs)
                if path == "community" and "community" in self.fields and for_user is not None:
                    self.fields["community"].queryset = editable_communities(for_user)

        ScopedForm.__name__ = form_class.__name__
        return ScopedForm


class CommunityServiceViewSet(CommunityScopedViewSet):
    model = CommunityService
    icon = "list-ul"
    list_display = ["name", "category", "community", "phone", "hours"]
    list_filter = ["category", "community"]
    search_fields = ["name", "note"]


class VolunteerTeamViewSet(CommunityScopedViewSet):
    model = VolunteerTeam
    icon = "group"
    list_display = ["name", "community", "leader", "meets"]
    list_filter = ["community"]


class VolunteerRequestViewSet(CommunityScopedViewSet):
    """Residents who asked to join a team: their names and numbers are for that community's staff."""

    model = VolunteerRequest
    icon = "mail"
    community_path = "team__community"
    list_display = ["name", "mobile", "team", "note", "created_at", "handled"]
    list_filter = ["handled", "team"]
    add_to_admin_menu = False
    inspect_view_enabled = True


class CommunityHomeGroup(SnippetViewSetGroup):
    menu_label = _("社区家园")
    menu_icon = "home"
    menu_order = 240
    items = (CommunityServiceViewSet, VolunteerTeamViewSet, VolunteerRequestViewSet)


for viewset in CommunityHomeGroup.items:
    register_permission_policy(viewset.model, CommunityScopedPolicy(viewset.model, viewset.community_path))
register_snippet(CommunityHomeGroup)
