"""One login page for everyone: 手机号 + 短信验证码 first (which also signs a new resident up), a password
for staff and for those who set one.

The code flow answers the same whether or not a number has an account; only after the code is right
does the page either log in or ask a new resident for their name and community. Wrong codes also count
as failed logins for django-axes, so its lockout covers both ways in.
"""

import secrets
from datetime import datetime, timedelta


from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from . import codes
from .forms import CodeForm, SignupForm
from .mobile import masked
from .models import SmsCode, VerifiedMobile

BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGNUP_MINUTES = 15  # how long a verified number may wait for its sign-up form


def landing(user):
    """Where someone goes after logging in when no page asked for them: staff to their own place."""
    from market.context_processors import workspace_link

    place = workspace_link(user)
    if place:
        return place["url"]
    if user.has_perm("wagtailadmin.access_admin"):
        return "/cms/"
    return "/"


def next_url(request, default=None):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def client_address(request):
    """The visitor's address as django-axes sees it (behind the front proxy: the forwarded one)."""
    AxesProxyHandler.update_request(request)
    return request.axes_ip_address


def login_page(request, code_form=None, password_form=None, status=200):
    sent = request.session.get("sms_login") or {}
    wait = 0
    if sent.get("at"):
        wait = max(0, int(settings.SMS_CODE_RESEND_S - (timezone.now() - datetime.fromisoformat(sent["at"])).total_seconds()))
    context = {
        "code_form": code_form or CodeForm(initial={"mobile": sent.get("number", "")}),
        "form": password_form or AuthenticationForm(request),
        "sent_to": masked(sent.get("number", "")), "resend_wait": wait,
        "next": next_url(request, ""), "password_first": password_form is not None and password_form.is_bound,
    }
    return render(request, "registration/login.html", context, status=status)


class LoginView(auth_views.LoginView):
    """The password half of the page (Django's own view, behind django-axes)."""

    def get_default_redirect_url(self):
        return landing(self.request.user)

    def get(self, request, *args, **kwargs):
        return login_page(request)

    def form_invalid(self, form):
        return login_page(self.request, password_form=form)


class CodeView(View):
    """POST only: ``action=send`` sends a code; ``action=login`` checks it."""

    def get(self, request):
        return redirect(reverse("login"))

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return login_page(request, code_form=form)
        number = form.cleaned_data["mobile"]
        if request.POST.get("action") == "send":
            return self.send(request, form, number)
        return self.check(request, form, number)

    def send(self, request, form, number):
        try:
            codes.send_code(number, SmsCode.Purpose.LOGIN, client_address(request))
        except codes.Refused as refused:
            form.add_error("mobile", str(refused))
            return login_page(request, code_form=form)
        request.session["sms_login"] = {"number": number, "at": timezone.now().isoformat()}
        messages.success(request, _("验证码已发送到 %(number)s，%(minutes)d 分钟内有效")
                         % {"number": masked(number), "minutes": settings.SMS_CODE_VALID_MINUTES})
        query = {"next": next_url(request)} if next_url(request) else {}
        return redirect(reverse("login") + ("?" + urlencode(query) if query else ""))

    def check(self, request, form, number):
        if not form.cleaned_data["code"]:
            form.add_error("code", _("请填写短信里的 6 位验证码"))
            return login_page(request, code_form=form)
        credentials = {"username": number}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        try:
            codes.check_code(number, SmsCode.Purpose.LOGIN, form.cleaned_data["code"])
        except codes.Refused as refused:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", str(refused))
            return login_page(request, code_form=form)
        request.session.pop("sms_login", None)
        found = VerifiedMobile.objects.filter(number=number).select_related("user").first()
        if found is None:
            request.session["signup_mobile"] = {"number": number, "at": timezone.now().isoformat()}
            query = {"next": next_url(request)} if next_url(request) else {}
            return redirect(reverse("accounts:signup") + ("?" + urlencode(query) if query else ""))
        if not found.user.is_active:
            form.add_error(None, _("这个账号已停用，请联系社区工作人员"))
            return login_page(request, code_form=form)
        login(request, found.user, backend=BACKEND)
        return redirect(next_url(request, landing(found.user)))


def verified_for_signup(request):
    held = request.session.get("signup_mobile") or {}
    if not held.get("number"):
        return None
    if timezone.now() - datetime.fromisoformat(held["at"]) > timedelta(minutes=SIGNUP_MINUTES):
        return None
    return held["number"]


class SignupView(FormView):
    """The number is verified: the new resident's name and community, and consent (PIPL)."""

    template_name = "accounts/signup.html"
    form_class = SignupForm

    def dispatch(self, request, *args, **kwargs):
        self.number = verified_for_signup(request)
        if self.number is None:
            messages.info(request, _("请先用手机号获取验证码"))
            return redirect(reverse("login"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        from market.models import Community

        return {**super().get_form_kwargs(), "communities": Community.objects.order_by("name")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "number": masked(self.number), "next": next_url(self.request, "")}

    def form_valid(self, form):
        user = create_resident(self.number, form.cleaned_data)
        self.request.session.pop("signup_mobile", None)
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, _("欢迎你，%(name)s！") % {"name": user.last_name + user.first_name})
        return redirect(next_url(self.request, "/"))


def create_resident(number, data):
    """The account, its verified mobile and its resident record; a number that got its account a moment
    ago (the same form sent twice) gives that account."""
    from market.models import Resident

    User = get_user_model()
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(username="r" + secrets.token_hex(8), first_name=data["given_name"], last_name=data["family_name"])
            user.set_unusable_password()
            user.save()
            VerifiedMobile.objects.create(user=user, number=number, verified_at=now, agreed_at=now)
            Resident.objects.create(user=user, community=data["community"], mobile=number)
    except IntegrityError:
        return VerifiedMobile.objects.select_related("user").get(number=number).user
    return user


class TermsView(TemplateView):
    template_name = "accounts/terms.html"


class PrivacyView(TemplateView):
    template_name = "accounts/privacy.html"
