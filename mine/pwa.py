"""The installable app: its manifest, its service worker (Workbox from npm) and the page shown offline.

The service worker keeps the two pages a resident needs where there is no signal — 我的 (open orders
with their pickup codes and QRs) and 我的活动预约 (check-in codes) — as she last opened them, and shows
the offline page for everything else. Nothing personal is cached for anyone else: static/js/app.js
empties that cache when nobody, or somebody else, is logged in.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

PERSONAL_PAGES = ["/me/", "/events/mine/"]


def manifest(request):
    return JsonResponse({
        "name": _("共富超市 · 幸福直播间"), "short_name": _("共富超市"),
        "description": _("帮扶村好物、社区自提、幸福直播间与社区家园"),
        "lang": request.LANGUAGE_CODE, "dir": "ltr",
        "start_url": "/?source=app", "scope": "/", "display": "standalone", "orientation": "portrait",
        "theme_color": "#c8102e", "background_color": "#fff8f0",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
        "shortcuts": [{"name": _("我的取货码"), "url": "/me/",
                       "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}]}],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


class ServiceWorkerView(TemplateView):
    """/sw.js, at the root so it may look after every page; never cached by the browser's HTTP cache."""

    template_name = "mine/sw.js"
    content_type = "text/javascript"

    @classmethod
    def as_view(cls, **kwargs):
        return never_cache(super().as_view(**kwargs))

    def get_context_data(self, **kwargs):
        modules = {f"workbox-{name}": static(f"vendor/workbox/workbox-{name}.prod.js")
                   for name in settings.WORKBOX_MODULES}
        return {**super().get_context_data(**kwargs), "workbox_sw": json.dumps(static("vendor/workbox/workbox-sw.js")),
                "modules": json.dumps(modules, indent=2), "personal_pages": json.dumps(PERSONAL_PAGES),
                "static_prefix": json.dumps(settings.STATIC_URL), "icon": json.dumps(static("img/icon-192.png"))}


class OfflineView(TemplateView):
    """What a page that was never saved shows without a network: nothing personal, a way to the codes."""

    template_name = "mine/offline.html"
