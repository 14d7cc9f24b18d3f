from django.views.generic import DetailView, ListView

from .models import LiveSession


class LiveSessionListView(ListView):
    """/live/: live now first, then upcoming, then replays."""

    template_name = "live/session_list.html"
    context_object_name = "sessions"

    def get_queryset(self):
        return LiveSession.objects.upcoming_and_live().select_related("community", "host")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["replays"] = (
            LiveSession.objects.filter(status=LiveSession.Status.ENDED)
            .select_related("community", "host")
            .order_by("-ended_at")[:12]
        )
        return ctx


class LiveSessionDetailView(DetailView):
    """A session's page: the player, the chat box and the session's facts."""

    template_name = "live/session_detail.html"
    context_object_name = "live_session"
    queryset = LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED).select_related(
        "community", "host", "village"
    )
