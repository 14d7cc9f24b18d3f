import io

import qrcode
import qrcode.image.svg
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from django.views.static import serve
from django.views.generic.edit import CreateView, UpdateView
from oscar.core.loading import get_model

from market.cards import card_queryset

from . import fanout, pricing, replay, services
from .forms import LineupFormSet, LiveSessionForm, ModeratorForm
from .models import HOSTS_GROUP, LiveSession


def is_community_host(user):
    return user.is_authenticated and (user.is_staff or user.groups.filter(name=HOSTS_GROUP).exists())


class LiveSessionListView(ListView):
    """/live/: live now first, then upcoming (with 开播提醒), then replays."""

    template_name = "live/session_list.html"
    context_object_name = "sessions"

    def get_queryset(self):
        sessions = LiveSession.objects.upcoming_and_live().select_related("community", "host", "village")
        if self.request.user.is_authenticated:
            sessions = sessions.annotate(reminded=Exists(
                LiveSession.subscribers.through.objects.filter(
                    livesession_id=OuterRef("pk"), user_id=self.request.user.pk)
            ))
        return sessions

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["replays"] = (
            LiveSession.objects.filter(status=LiveSession.Status.ENDED)
            .select_related("community", "host")
            .order_by("-ended_at")[:12]
        )
        ctx["is_host"] = is_community_host(self.request.user)
        return ctx


class LiveSessionDetailView(DetailView):
    """A session's page: the player (or replay), the chat box and the session's facts."""

    template_name = "live/session_detail.html"
    context_object_name = "live_session"
    queryset = LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED).select_related(
        "community", "host", "village"
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_moderate"] = services.can_moderate(self.object, self.request.user)
        ctx["reminded"] = (self.request.user.is_authenticated
                           and self.object.subscribers.filter(pk=self.request.user.pk).exists())
        # 本场好物: the lineup as shop cards (with the live price while the session is live)
        Product = get_model("catalogue", "Product")
        ids = list(self.object.lineup.order_by("position").values_list("product_id", flat=True))
        found = {p.pk: p for p in card_queryset(Product.objects.browsable().filter(pk__in=ids))}
        ctx["lineup_products"] = [found[i] for i in dict.fromkeys(ids) if i in found]
        if self.object.status == LiveSession.Status.ENDED and self.object.replay:
            ctx["replay_events"] = replay.replay_events(self.object)
            ctx["chapters"] = [{**c, "label": replay.clock_label(c["t"])} for c in replay.chapters(ctx["replay_events"])]
        return ctx


class HostRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return is_community_host(self.request.user)


class SessionFormMixin(HostRequiredMixin):
    """Create or edit a session together with its ordered lineup."""

    model = LiveSession
    form_class = LiveSessionForm
    template_name = "live/session_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "host": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("lineup", LineupFormSet(instance=self.object, prefix="lineup"))
        return ctx

    def form_valid(self, form):
        lineup = LineupFormSet(self.request.POST, instance=form.instance, prefix="lineup")
        if not lineup.is_valid():
            return self.render_to_response(self.get_context_data(form=form, lineup=lineup))
        with transaction.atomic():
            if not form.instance.pk:
                form.instance.host = self.request.user
            self.object = form.save()
            lineup.instance = self.object
            lineup.save()
        messages.success(self.request, _("直播「%(title)s」已保存") % {"title": self.object.title})
        return redirect("live:console", pk=self.object.pk)

    def form_invalid(self, form):
        lineup = LineupFormSet(self.request.POST, instance=form.instance, prefix="lineup")
        lineup.is_valid()
        return self.render_to_response(self.get_context_data(form=form, lineup=lineup))


class LiveSessionCreateView(SessionFormMixin, CreateView):
    pass


class LiveSessionUpdateView(SessionFormMixin, UpdateView):
    def get_object(self, queryset=None):
        session = get_object_or_404(LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED),
                                    pk=self.kwargs["pk"])
        if not services.is_host(session, self.request.user):
            raise PermissionDenied
        return session


class ConsoleView(LoginRequiredMixin, DetailView):
    """/live/<id>/console/: the host's (and moderators') control room."""

    template_name = "live/console.html"
    context_object_name = "live_session"
    queryset = LiveSession.objects.select_related("community", "host", "village")

    def get_object(self, queryset=None):
        session = super().get_object(queryset)
        if not services.can_moderate(session, self.request.user):
            raise PermissionDenied
        return session

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = self.object
        ctx["is_host"] = services.is_host(session, self.request.user)
        ctx["grace_s"] = settings.LIVE_RECONNECT_GRACE_S
        ctx["lineup"] = session.lineup.filter(product__is_public=True).select_related("product")
        ctx["moderators"] = session.moderators.all()
        ctx["moderator_form"] = ModeratorForm()
        if ctx["is_host"]:
            publish_url = f"{settings.LIVE_RTMP_URL}/{session.stream_key}"
            ctx["rtmp_url"] = settings.LIVE_RTMP_URL
            ctx["qr_svg"] = qr_svg(publish_url)
        return ctx


def hls(request, path):
    """The HLS folder nginx-rtmp writes, for when no front web server serves it (development)."""
    response = serve(request, path, document_root=settings.LIVE_HLS_ROOT)
    if path.endswith(".m3u8"):
        response["Cache-Control"] = "no-cache"  # the live playlist changes every couple of seconds
    return response


def qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def hosted_session(request, pk):
    session = get_object_or_404(LiveSession, pk=pk)
    if not services.is_host(session, request.user):
        raise PermissionDenied
    return session


@login_required
@require_POST
def regenerate_key(request, pk):
    session = hosted_session(request, pk)
    session.regenerate_stream_key()
    messages.success(request, _("推流密钥已更换，旧密钥不能再推流"))
    return redirect("live:console", pk=pk)


@login_required
@require_POST
def end(request, pk):
    """结束直播: only the host (or an operator) ends a session for good; a dropped stream only pauses it."""
    from .ingest import end_session

    session = hosted_session(request, pk)
    if session.status != LiveSession.Status.LIVE:
        messages.error(request, _("这场直播没有在进行中"))
    else:
        end_session(session)
        messages.success(request, _("直播已结束，观众会看到“已结束”"))
    return redirect("live:console", pk=pk)


@login_required
@require_POST
def moderators(request, pk):
    """Appoint (or with ``remove``, dismiss) a 场控 for this session."""
    session = hosted_session(request, pk)
    if "remove" in request.POST:
        remove = request.POST["remove"]
        if remove.isdigit():
            session.moderators.remove(*session.moderators.filter(pk=int(remove)))
            # sockets of the dismissed moderator stop getting the console's figures at once
            async_to_sync(fanout.recheck_rights)(session.pk)
        return redirect("live:console", pk=pk)
    form = ModeratorForm(request.POST)
    if form.is_valid():
        session.moderators.add(form.cleaned_data["username"])
        messages.success(request, _("已设为场控：%(name)s") % {"name": services.display_name(form.cleaned_data["username"])})
    else:
        messages.error(request, form.errors["username"][0])
    return redirect("live:console", pk=pk)


@login_required
@require_POST
def remind(request, pk):
    """开播提醒: subscribe or unsubscribe."""
    session = get_object_or_404(LiveSession, pk=pk, status=LiveSession.Status.SCHEDULED)
    if session.subscribers.filter(pk=request.user.pk).exists():
        session.subscribers.remove(request.user)
        messages.info(request, _("已取消开播提醒"))
    else:
        session.subscribers.add(request.user)
        messages.success(request, _("开播时会提醒你"))
    return HttpResponseRedirect(safe_next(request, reverse("live:list")))


@login_required
@require_POST
def buy(request, pk):
    """立即购买 without JavaScript: the same rules as the room's ``buy`` frame."""
    session = get_object_or_404(LiveSession, pk=pk)
    try:
        product_id = int(request.POST.get("product_id", ""))
    except ValueError:
        product_id = None
    try:
        events = services.buy(session, request.user, product_id)
    except services.RoomError as error:
        messages.error(request, error.message)
        return redirect(session)
    if events:
        async_to_sync(fanout.broadcast)(session.pk, *events)
    return redirect("checkout:index")


@require_POST
def replay_add(request, pk):
    """加入购物车 from a replay: a product the session sold, at today's shop price (Oscar's basket and
    strategy; live and flash prices ended with the session). JSON for the replay script."""
    session = get_object_or_404(LiveSession, pk=pk, status=LiveSession.Status.ENDED)
    Product = get_model("catalogue", "Product")
    product_id = request.POST.get("product_id", "")
    product = Product.objects.browsable().filter(
        pk=int(product_id) if product_id.isdigit() and len(product_id) < 10 else 0,
        pk__in=session.lineup.values("product_id")).first()
    wants_json = "application/json" in request.headers.get("Accept", "")
    if product is None:
        message, ok = _("这件商品已下架或不在本场直播的商品清单里"), False
    else:
        info = request.strategy.fetch_for_product(product)
        quantity = request.basket.line_quantity(product, info.stockrecord) + 1
        ok, reason = info.availability.is_purchase_permitted(quantity) if info.stockrecord else (False, None)
        if ok:
            request.basket.add_product(product, 1)
            message = _("「%(title)s」已加入购物车") % {"title": product.get_title()}
        else:
            message = reason or _("库存不足")
    if wants_json:
        return JsonResponse({"ok": ok, "message": str(message), "basket_url": reverse("basket:summary")},
                            status=200 if ok else 409)
    (messages.success if ok else messages.error)(request, message)
    return redirect("basket:summary" if ok else session.get_absolute_url())


def safe_next(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


class PriceApprovalListView(LoginRequiredMixin, ListView):
    """/live/prices/: a first secretary's queue of live prices below their village's floor."""

    template_name = "live/price_approvals.html"
    context_object_name = "items"

    def get_queryset(self):
        items = list(pricing.pending_for(self.request.user))
        for item in items:  # a short queue: one lookup each
            item.floor = pricing.price_floor(item.product)
        return items


@login_required
@require_POST
def decide_price(request, pk):
    """Approve or refuse one pending live price; only the product's village's secretaries may."""
    approve = request.POST.get("decision") == "approve"
    if not pricing.decide(pk, request.user, approve):
        raise Http404
    messages.success(request, _("已批准这个直播价") if approve else _("已拒绝这个直播价"))
    return redirect("live:prices")
