"""
Residents' side of events (reserve, join the waitlist, cancel, add to calendar,
我的预约), volunteer sign-up, and the community staff's side (the reservation
list, check-in by code or QR, attendance as CSV). Rights are read from the
database on every request (``cms.permissions``).
"""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .calendar import event_ics
from .forms import ReservationForm, VolunteerRequestForm
from .models import EventPage, Reservation, VolunteerRequest, VolunteerTeam
from .permissions import is_community_staff, staffed_communities
from .reservations import Refused, cancel, check_in, reserve


def public_event(pk):
    event = EventPage.objects.live().public().filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def render_event(request, event, **extra):
    """The event's own page, with a form that failed or a message (what the resident typed stays)."""
    ctx = event.get_context(request)
    ctx.update(extra)
    return TemplateResponse(request, event.get_template(request), ctx)


class ReserveView(LoginRequiredMixin, View):
    """预约 / 加入候补 (POST only)."""

    def get(self, request, pk):
        return redirect(public_event(pk).url)

    def post(self, request, pk):
        event = public_event(pk)
        form = ReservationForm(request.POST, event=event)
        if not form.is_valid():
            return render_event(request, event, form=form)
        data = form.cleaned_data
        try:
            reservation = reserve(event, request.user, data["name"], data["mobile"], data["places"],
                                  waitlist=data["waitlist"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
            return render_event(request, event, form=form, offer_waitlist=event.places_left() < data["places"])
        if reservation.status == Reservation.Status.CONFIRMED:
            messages.success(request, _("预约成功！签到码 %(code)s，到场时出示。") % {"code": reservation.code})
        else:
            messages.info(request, _("已加入候补。有人取消时会按顺序递补，递补成功会通知你。"))
        return redirect(event.url)


class EventCalendarView(View):
    """The event as an .ics file (anyone who can see the event)."""

    def get(self, request, pk):
        event = public_event(pk)
        return ics_response(event_ics(event), f"event-{event.pk}.ics")


def ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MyReservationsView(LoginRequiredMixin, TemplateView):
    """我的预约: coming and past reservations with their codes, QR and calendar links."""

    template_name = "cms/my_reservations.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Personal-Page"] = "1"  # the service worker keeps it for use without a network
        return response

    def get_context_data(self, **kwargs):
        from market.qr import qr_data_uri

        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        mine = (Reservation.objects.filter(user=self.request.user).select_related("event")
                .order_by("event__start", "pk"))
        coming = [r for r in mine if r.event.end >= now and r.is_active]
        for reservation in coming:
            reservation.qr = (qr_data_uri(reservation.code, box_size=5)
                              if reservation.status == Reservation.Status.CONFIRMED else "")
        ctx["coming"], ctx["active_tab"] = coming, "reservations"
        ctx["past"] = [r for r in mine if r not in coming][::-1][:30]
        return ctx


class OwnReservationMixin(LoginRequiredMixin):
    def get_reservation(self, pk):
        reservation = get_object_or_404(Reservation.objects.select_related("event"), pk=pk)
        if reservation.user_id != self.request.user.pk:
            raise Http404  # never tell a stranger whose reservation this is
        return reservation


class CancelView(OwnReservationMixin, View):
    """取消预约 (POST only); the first who fits on the waitlist gets the places."""

    def post(self, request, pk):
        reservation = self.get_reservation(pk)
        try:
            cancel(reservation, request.user)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已取消「%(title)s」的预约") % {"title": reservation.event.title})
        return redirect("events:mine")


class ReservationCalendarView(OwnReservationMixin, View):
    def get(self, request, pk):
        reservation = self.get_reservation(pk)
        return ics_response(event_ics(reservation.event, reservation), f"reservation-{reservation.pk}.ics")


class JoinTeamView(LoginRequiredMixin, View):
    """A resident asks to join a volunteer team (POST); the community's staff see it in the admin."""

    def post(self, request, pk):
        team = get_object_or_404(VolunteerTeam.objects.select_related("community__page"), pk=pk)
        form = VolunteerRequestForm(request.POST)
        back = team.community.page.url if hasattr(team.community, "page") else "/"
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back + f"#team-{team.pk}")
        try:
            with transaction.atomic():
                VolunteerRequest.objects.create(team=team, user=request.user, **form.cleaned_data)
        except IntegrityError:
            messages.info(request, _("你已经报名过「%(team)s」了，社区会联系你") % {"team": team.name})
        else:
            messages.success(request, _("已报名「%(team)s」，社区工作人员会打电话联系你") % {"team": team.name})
        return redirect(back + f"#team-{team.pk}")


# --- the community staff's side ---------------------------------------------------
class StaffEventMixin(LoginRequiredMixin):
    """For the staff of the event's community only (editors, workers, operators)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = get_object_or_404(EventPage, pk=kwargs["pk"])
        if not is_community_staff(request.user, self.event.community):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffHomeView(LoginRequiredMixin, TemplateView):
    """社区活动管理: the coming and recent events of the communities this person works for."""

    template_name = "cms/staff_events.html"

    def get_context_data(self, **kwargs):
        communities = staffed_communities(self.request.user)
        if not communities.exists():
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        since = timezone.now() - timezone.timedelta(days=7)
        ctx["events"] = (EventPage.objects.filter(community__in=communities, end__gte=since)
                         .select_related("community").order_by("start"))
        ctx["requests"] = (VolunteerRequest.objects.filter(team__community__in=communities, handled=False)
                           .select_related("team__community"))
        return ctx


class VolunteerRequestHandledView(LoginRequiredMixin, View):
    """已联系: the community's staff mark a request to join a team as answered (POST)."""

    def post(self, request, pk):
        volunteer = get_object_or_404(VolunteerRequest.objects.select_related("team__community"), pk=pk)
        if not is_community_staff(request.user, volunteer.team.community):
            raise PermissionDenied
        VolunteerRequest.objects.filter(pk=volunteer.pk).update(handled=True)
        messages.success(request, _("已标记为联系过：%(name)s（%(team)s）") % {
            "name": volunteer.name, "team": volunteer.team.name})
        return redirect("events:staff")


class ReservationListView(StaffEventMixin, TemplateView):
    """The event's reservations, waitlist and attendance so far."""

    template_name = "cms/staff_reservations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(self.event.reservations.select_related("user"))
        ctx.update(event=self.event, confirmed=[r for r in rows if r.status == Reservation.Status.CONFIRMED],
                   waiting=[r for r in rows if r.status == Reservation.Status.WAITLISTED],
                   cancelled=[r for r in rows if r.status == Reservation.Status.CANCELLED])
        ctx["checked_in"] = sum(r.places for r in ctx["confirmed"] if r.checked_in_at)
        ctx["taken"] = sum(r.places for r in ctx["confirmed"])
        return ctx


class CheckInView(StaffEventMixin, TemplateView):
    """签到: type the resident's code or scan their QR; each code once, this event's only."""

    template_name = "cms/staff_checkin.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["event"] = self.event
        ctx["arrived"] = (self.event.reservations.filter(checked_in_at__isnull=False)
                          .order_by("-checked_in_at")[:10])
        return ctx

    def post(self, request, pk):
        code = request.POST.get("code", "")
        try:
            reservation = check_in(self.event, code, request.user)
        except Refused as refusal:
            return self.render_to_response(self.get_context_data(error=str(refusal), code=code[:16]))
        return self.render_to_response(self.get_context_data(done=reservation))


class AttendanceCSVView(StaffEventMixin, View):
    """The attendance list as CSV (opens in Excel/WPS: UTF-8 with a byte-order mark)."""

    def get(self, request, pk):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="attendance-{self.event.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("姓名"), _("手机号"), _("人数"), _("状态"), _("预约时间"), _("签到时间"), _("签到码")])
        for r in self.event.reservations.order_by("status", "created_at"):
            writer.writerow([safe_cell(r.name), r.mobile, r.places, r.get_status_display(),
                             timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                             timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
                             r.code])
        return response


def safe_cell(text):
    """A name typed by a resident never runs as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
