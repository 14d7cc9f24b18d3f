from django.utils.translation import gettext_lazy as _

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


def site_chrome(request):
    """Navigation, elder mode and the workspace link for the one base template every page extends."""
    path = request.path
    active = max((url for url, _label in NAVIGATION if path.startswith(url)), key=len, default="/")
    return {
        "site_nav": [
            {"url": url, "label": label, "active": url == active} for url, label in NAVIGATION
        ],
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "workspace": workspace_link(request.user) if hasattr(request, "user") else None,
    }
