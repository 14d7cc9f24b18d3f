"""代下单 for community workers: how to order for a resident, and the orders they placed (nobody else's)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from .services import orders_placed_by, worker_points


class WorkerMixin(LoginRequiredMixin):
    """For a community's workers only (read from the database on every request)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.points = list(worker_points(request.user))
        if not self.points:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AssistHomeView(WorkerMixin, TemplateView):
    template_name = "market/assist/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(points=self.points, orders=orders_placed_by(self.request.user)[:50], **kwargs)


class AssistOrderView(WorkerMixin, TemplateView):
    template_name = "market/assist/order.html"

    def get_context_data(self, **kwargs):
        order = get_object_or_404(orders_placed_by(self.request.user), number=kwargs["number"])
        return super().get_context_data(order=order, **kwargs)
