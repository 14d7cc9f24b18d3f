"""Oscar's partner dashboard views; linking a user to a village's partner only by POST with CSRF."""

from oscar.apps.dashboard.partners.views import *  # noqa: F401,F403
from oscar.apps.dashboard.partners import views as oscar_views


class PartnerUserLinkView(oscar_views.PartnerUserLinkView):
    """Oscar also links on GET (for an "undo" link): a cross-site link could then grant dashboard access."""

    http_method_names = ["post"]
