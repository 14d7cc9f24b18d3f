from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from accounts import codes
from accounts.forms import CodeForm
from accounts.mobile import masked
from accounts.views import client_address
from accounts.models import SmsCode, VerifiedMobile
from notices import push
from notices.models import PushSubscription

from .services import orders_of, overview


class MeView(LoginRequiredMixin, TemplateView):
    """我的: pickup codes on top, then what waits for payment or the post, then everything else."""

    template_name = "mine/home.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Personal-Page"] = "1"  # the service worker keeps it for use without a network
        return response

    def get_context_data(self, **kwargs):
        from market.context_processors import workspace_link

        return {**super().get_context_data(**kwargs), **overview(self.request.user),
                "workspace": workspace_link(self.request.user), "active_tab": "me"}


class OrdersView(LoginRequiredMixin, ListView):
    """全部订单: each with its status, newest first (no date filter)."""

    template_name = "mine/orders.html"
    paginate_by = 20
    context_object_name = "orders"

    def get_queryset(self):
        return orders_of(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "active_tab": "orders"}


class SettingsView(LoginRequiredMixin, TemplateView):
    """设置: 长辈版, language, mobile, password, log out."""

    template_name = "mine/settings.html"

    def get_context_data(self, **kwargs):
        mobile = VerifiedMobile.objects.filter(user=self.request.user).first()
        pending = self.request.session.get("mobile_change") or {}
        return {**super().get_context_data(**kwargs), "active_tab": "settings",
                "mobile": masked(mobile.number) if mobile else "", "pending": masked(pending.get("number", "")),
                "push_key": push.application_server_key() if push.enabled() else "",
                "push_devices": PushSubscription.objects.filter(user=self.request.user).count(),
                "code_form": kwargs.get("code_form") or CodeForm(initial={"mobile": pending.get("number", "")})}


class MobileView(SettingsView):
    """Changing the verified mobile: a code sent to the new number, then that code."""

    def get(self, request):
        return redirect("mine:settings")

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(code_form=form))
        number = form.cleaned_data["mobile"]
        if request.POST.get("action") == "send":
            try:
                codes.send_code(number, SmsCode.Purpose.CHANGE, client_address(request), user=request.user)
            except codes.Refused as refused:
                form.add_error("mobile", str(refused))
                return self.render_to_response(self.get_context_data(code_form=form))
            request.session["mobile_change"] = {"number": number}
            messages.success(request, _("验证码已发送到 %(number)s") % {"number": masked(number)})
            return redirect("mine:settings")
        try:
            codes.check_code(number, SmsCode.Purpose.CHANGE, form.cleaned_data["code"], user=request.user)
        except codes.Refused as refused:
            form.add_error("code", str(refused))
            return self.render_to_response(self.get_context_data(code_form=form))
        try:
            with transaction.atomic():
                VerifiedMobile.objects.update_or_create(user=request.user, defaults={
                    "number": number, "verified_at": timezone.now()})
        except IntegrityError:
            form.add_error("mobile", _("这个手机号已绑定另一个账号，可以退出后用它登录"))
            return self.render_to_response(self.get_context_data(code_form=form))
        request.session.pop("mobile_change", None)
        messages.success(request, _("手机号已换成 %(number)s") % {"number": masked(number)})
        return redirect("mine:settings")


class PasswordView(LoginRequiredMixin, FormView):
    """Set a password (accounts made with a code have none) or change it."""

    template_name = "mine/password.html"

    def get_form_class(self):
        return PasswordChangeForm if self.request.user.has_usable_password() else SetPasswordForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        form.save()
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已保存，以后也可以用手机号和密码登录"))
        return redirect(reverse("mine:settings"))
