"""上架审核: the operators' queue of new products, big price changes and new categories from villages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from market import listings
from market.models import Listing

from .forms import ReviewForm


class OperatorMixin(LoginRequiredMixin):
    """Platform staff only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(OperatorMixin, TemplateView):
    """The operators' queue: new products and big price changes waiting for a decision."""

    template_name = "market/workspace/review.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["listings"] = listings.pending()
        ctx["recent"] = (Listing.objects.exclude(status=Listing.Status.PENDING).filter(decided_by__isnull=False)
                         .select_related("product").order_by("-decided_at")[:10])  # operators' decisions
        ctx["review_percent"] = settings.SHOP_PRICE_REVIEW_PERCENT
        ctx.setdefault("form", ReviewForm())
        return ctx


class ReviewDecisionView(OperatorMixin, View):
    def post(self, request, pk):
        listing = get_object_or_404(Listing, pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect("workspace:review")
        if form.cleaned_data["decision"] == "approve":
            done = listings.approve(listing, request.user)
            text = _("已通过「%(title)s」")
        else:
            done = listings.reject(listing, request.user, form.cleaned_data["reason"].strip())
            text = _("已退回「%(title)s」，第一书记会看到原因")
        if done:
            messages.success(request, text % {"title": listing.product.title})
        else:
            messages.info(request, _("这项已经有人审核过了"))
        return redirect("workspace:review")
