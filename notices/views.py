"""手机通知: a browser's push subscription, taken (开启) or dropped (关闭) from 我的 → 设置."""

import base64
import binascii
import ipaddress
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from .models import PushSubscription

SESSION_KEY = "push_endpoints"


def _bad(message):
    return JsonResponse({"ok": False, "error": message}, status=400)


def allowed_endpoint(url):
    """A push service's address: https on a public host (http and loopback only outside production)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host or len(url) > 1000:
        return False
    if not settings.PRODUCTION:
        return parts.scheme in ("https", "http")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return parts.scheme == "https" and host != "localhost" and "." in host
    return parts.scheme == "https" and address.is_global


def _key(value, length):
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return value if len(raw) == length else None


class PushView(LoginRequiredMixin, View):
    """POST {"endpoint", "keys": {"p256dh", "auth"}} to take pushes on this browser; POST {"endpoint",
    "off": true} to stop. Answers JSON (the page's script says what happened in the person's language)."""

    http_method_names = ["post"]
    raise_exception = True

    def post(self, request):
        try:
            data = json.loads(request.body or b"{}")
            endpoint = str(data.get("endpoint", ""))
        except (ValueError, AttributeError):
            return _bad(_("请求格式不对，请刷新页面再试"))
        if not allowed_endpoint(endpoint):
            return _bad(_("这个浏览器的推送地址不能用"))
        mine = request.session.get(SESSION_KEY, [])
        if data.get("off"):
            PushSubscription.objects.filter(user=request.user, endpoint=endpoint).delete()
            request.session[SESSION_KEY] = [e for e in mine if e != endpoint]
            return JsonResponse({"ok": True, "on": False, "message": _("已关闭这台设备的手机通知")})
        keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
        p256dh, auth = _key(keys.get("p256dh"), 65), _key(keys.get("auth"), 16)
        if not (p256dh and auth):
            return _bad(_("这个浏览器的推送密钥不对，请关闭后重新开启"))
        defaults = {"user": request.user, "p256dh": p256dh, "auth": auth}
        try:  # the same browser moves to whoever is logged in on it now
            PushSubscription.objects.update_or_create(endpoint=endpoint, defaults=defaults)
        except IntegrityError:  # taken by a simultaneous request a moment ago
            PushSubscription.objects.filter(endpoint=endpoint).update(**defaults)
        request.session[SESSION_KEY] = list(dict.fromkeys(mine + [endpoint]))[-5:]
        return JsonResponse({"ok": True, "on": True, "message": _("已开启：取货、候补和开播会推送到这台设备")})


def forget_on_logout(sender, request, user, **kwargs):
    """Logging out of a phone stops its pushes for that account (the next person gets none of them)."""
    endpoints = request.session.get(SESSION_KEY, []) if request is not None else []
    if user is not None and endpoints:
        PushSubscription.objects.filter(user=user, endpoint__in=endpoints).delete()
