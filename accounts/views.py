"""
Signing up with an email address, without telling anyone whether that address already has an account:
every valid form is answered with the same page (请查收邮件), and the mailbox gets either a link that
creates the account or a note that it exists already, with links to log in or reset the password.
The link carries the sign-up signed (name, email, password hash) for a day; nothing is stored before it
is followed, and following it twice creates one account (the username is made from the address).
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from oscar.apps.customer.signals import user_registered

from .forms import RegistrationForm

SALT = "accounts.register"
LINK_HOURS = 24


def username_for(email):
    """One username per address, so a link followed twice cannot make two accounts."""
    return "e_" + hashlib.sha256(email.encode()).hexdigest()[:24]


def existing_account(email):
    return get_user_model().objects.filter(email__iexact=email).exists()


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("customer:order-list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        password = make_password(data["password1"])  # hashed either way: both answers take as long
        if existing_account(data["email"]):
            subject = _("你已经有共富超市的账号了")
            body = _("有人（可能是你自己）用这个邮箱注册共富超市。这个邮箱已经有账号，可以直接登录：%(login)s\n"
                     "忘记密码可以在这里重设：%(reset)s\n如果不是你本人操作，请忽略这封邮件。") % {
                "login": absolute(reverse("login")), "reset": absolute(reverse("password-reset"))}
        else:
            token = signing.dumps({"name": data["name"], "email": data["email"],
                                   "password": password}, salt=SALT, compress=True)
            subject = _("完成注册共富超市")
            body = _("%(name)s，你好！点下面的链接完成注册（%(hours)d 小时内有效）：\n%(link)s\n"
                     "如果不是你本人操作，请忽略这封邮件。") % {
                "name": data["name"], "hours": LINK_HOURS,
                "link": absolute(reverse("accounts:register-confirm", args=[token]))}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [data["email"]], fail_silently=True)
        self.request.session["registration_email"] = data["email"]
        return redirect("accounts:register-sent")


class SentView(TemplateView):
    """The same answer whether the address was new or not."""

    template_name = "accounts/register_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.request.session.get("registration_email", ""), **kwargs)


class ConfirmView(TemplateView):
    """The link from the email: a button (POST) that creates the account and logs it in."""

    template_name = "accounts/register_confirm.html"

    def signup(self):
        try:
            return signing.loads(self.kwargs["token"], salt=SALT, max_age=LINK_HOURS * 3600)
        except signing.BadSignature:  # also SignatureExpired
            return None

    def get(self, request, *args, **kwargs):
        signup = self.signup()
        return self.render_to_response(self.get_context_data(signup=signup), status=200 if signup else 400)

    def post(self, request, *args, **kwargs):
        signup = self.signup()
        if signup is None:
            return self.render_to_response(self.get_context_data(signup=None), status=400)
        User = get_user_model()
        try:
            with transaction.atomic():
                if existing_account(signup["email"]):
                    raise IntegrityError("email taken")
                user = User.objects.create(username=username_for(signup["email"]), email=signup["email"],
                                           first_name=signup["name"], password=signup["password"])
        except IntegrityError:
            messages.info(request, _("这个邮箱已经注册好了，请直接登录"))
            return redirect("login")
        user_registered.send_robust(sender=self, request=request, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎你，%(name)s！") % {"name": user.first_name})
        return redirect("/")
