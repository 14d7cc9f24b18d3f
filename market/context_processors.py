from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .views import ELDER_COOKIE

NAVIGATION = [
    ("/", _("首页")),
    ("/shop/", _("共富超市")),
    ("/shop/silver/", _("银发专柜")),
    ("/live/", _("幸福直播间")),
    ("/communities/", _("社区")),
    ("/villages/", _("帮扶村")),
]


def workspace_link(user):
    """The header's link to a first secretary's workspace (or the operators' review queue)."""
    if not user.is_authenticated:
        return None
    from .models import Village

    if Village.objects.filter(partner__users=user).exists():
        return {"url": "/village/", "label": _("村务工作台")}
    if user.pickup_points.exists():
        return {"url": "/pickup/", "label": _("自提点")}
    if user.worker_communities.exists():
        return {"url": "/assist/", "label": _("代下单")}
    if user.is_staff:
        return {"url": "/village/review/", "label": _("上架审核")}
    return None


# The phone's bottom tabs, as mini-programs have: (url, label, icon, the paths that light it up)
TABS = [
    ("/", pgettext_lazy("tab", "首页"), "home", ("/",)),
    ("/shop/", pgettext_lazy("tab", "共富超市"), "shop", ("/shop/", "/search/", "/trace/")),
    ("/live/", pgettext_lazy("tab", "直播"), "live", ("/live/",)),
    ("/communities/", pgettext_lazy("tab", "社区"), "community", ("/communities/", "/events/", "/villages/")),
    ("/me/", pgettext_lazy("tab", "我的"), "me", ("/me/", "/shop/accounts/", "/points/", "/events/mine/")),
]


def bottom_tabs(path):
    def score(prefixes):
        return max((len(p) for p in prefixes if (path == p if p == "/" else path.startswith(p))), default=0)

    best = max(TABS, key=lambda tab: score(tab[3]))
    active = best if score(best[3]) else None
    return [{"url": url, "label": label, "icon": icon, "active": (url, label, icon, prefixes) == active}
            for url, label, icon, prefixes in TABS]


def app_owner(request):
    """Whose pages the phone keeps for offline use (an opaque id; empty when nobody is logged in)."""
    from django.utils.crypto import salted_hmac

    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return ""
    return salted_hmac("mine.app-owner", str(user.pk), algorithm="sha256").hexdigest()[:20]


def site_chrome(request):
    """Navigation, elder mode and the workspace link for the one base template every page extends."""
    path = request.path
    active = max((url for url, _label in NAVIGATION if path.startswith(url)), key=len, default="/")
    return {
        "site_nav": [
            {"url": url, "label": label, "active": url == active} for url, label in NAVIGATION
        ],
        "tabs": bottom_tabs(path),
        "app_owner": app_owner(request),
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "workspace": workspace_link(request.user) if hasattr(request, "user") else None,
    }
