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


def site_chrome(request):
    """Navigation and elder mode for the one base template every page extends."""
    path = request.path
    active = max((url for url, _label in NAVIGATION if path.startswith(url)), key=len, default="/")
    return {
        "site_nav": [
            {"url": url, "label": label, "active": url == active} for url, label in NAVIGATION
        ],
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
    }
