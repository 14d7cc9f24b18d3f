"""
我的积分 (the balance and every entry behind it) and the community staff's
积分登记 (volunteer hours, corrections by counter-entry). Staff reach only the
residents of the communities they work for, read from the database on every
request.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from live.services import display_name

from . import points
from .forms import PointsForm
from .models import PointsEntry
from .permissions import staffed_communities

Category = get_model("catalogue", "Category")


class MyPointsView(LoginRequiredMixin, TemplateView):
    template_name = "cms/my_points.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entries = (PointsEntry.objects.filter(user=self.request.user)
                   .select_related("reservation__event", "community"))
        page = Paginator(entries, 20).get_page(self.request.GET.get("page"))
        balance = points.balance(self.request.user)
        ctx.update(balance=balance, page_obj=page, entries=page.object_list,
                   worth=points.value(balance), active_tab="points",
                   per_yuan=settings.POINTS_PER_YUAN, per_hour=settings.POINTS_PER_VOLUNTEER_HOUR,
                   exchange=Category.objects.filter(slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG).first())
        return ctx


class StaffPointsView(LoginRequiredMixin, TemplateView):
    """积分登记: the community's staff confirm volunteer hours or add a correction."""

    template_name = "cms/staff_points.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.communities = staffed_communities(request.user)
        if not self.communities.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", PointsForm(communities=self.communities))
        ctx["recent"] = (PointsEntry.objects.filter(community__in=self.communities,
                                                    reason__in=(PointsEntry.Reason.VOLUNTEER,
                                                                PointsEntry.Reason.CORRECTION))
                         .select_related("user", "created_by", "community")[:30])
        ctx["per_hour"] = settings.POINTS_PER_VOLUNTEER_HOUR
        return ctx

    def post(self, request):
        form = PointsForm(request.POST, communities=self.communities)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data, resident = form.cleaned_data, form.resident
        if resident.user_id == request.user.pk:
            form.add_error("mobile", _("不能给自己记积分，请同事帮忙登记"))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            if data["kind"] == PointsForm.VOLUNTEER:
                entry = points.for_volunteering(resident.user, data["hours"], resident.community, request.user,
                                                data["note"])
            else:
                entry = points.correct(resident.user, data["amount"], resident.community, request.user, data["note"])
        except points.Refused as refusal:
            form.add_error(None, str(refusal))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已为 %(name)s 记 %(amount)+d 积分，现有 %(balance)d 积分") % {
            "name": display_name(resident.user), "amount": entry.amount, "balance": points.balance(resident.user)})
        return redirect("points:staff")
