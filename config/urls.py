from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from cms.search import SearchView
from config.media import serve_media
from live import views as live_views
from mine import pwa
from market.payments import issues
from market.payments.views import RefundView
from market.views import ElderModeView, TraceView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("elder-mode/", ElderModeView.as_view(), name="elder-mode"),
    # One login for the shop, the dashboard, Wagtail's admin and the live room.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("me/push/", include("notices.urls")),
    path("me/", include("mine.urls")),
    # the installable app (mine/pwa.py)
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.ServiceWorkerView.as_view(), name="service-worker"),
    path("offline/", pwa.OfflineView.as_view(), name="offline"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Oscar's dashboard has a login page of its own; send it to the one above.
    path("dashboard/login/", RedirectView.as_view(url=settings.LOGIN_URL, query_string=True)),
    path("dashboard/orders/<str:number>/refund/", RefundView.as_view(staff_only=True), name="order-refund"),
    path("dashboard/payment-issues/", issues.IssueListView.as_view(), name="payment-issues"),
    path("dashboard/payment-issues/<int:pk>/refund/", issues.IssueRefundView.as_view(), name="payment-issue-refund"),
    path("dashboard/payment-issues/<int:pk>/resolve/", issues.IssueResolveView.as_view(),
         name="payment-issue-resolve"),
    path("village/orders/<str:number>/refund/", RefundView.as_view(), name="village-refund"),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    path("shop/", include("market.urls")),
    # Oscar's login-or-register pages: the site has one login page, where a phone number also signs up
    path("shop/accounts/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("shop/accounts/register/", RedirectView.as_view(pattern_name="login", query_string=True)),
    # Oscar's account home and order list: 我的 and its order list replace them
    path("shop/accounts/", RedirectView.as_view(pattern_name="mine:home")),
    path("shop/accounts/orders/", RedirectView.as_view(pattern_name="mine:orders", query_string=True)),
    path("shop/", include("market.payments.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("live/", include("live.urls")),
    path("village/", include("market.workspace.urls")),
    path("pickup/", include("market.pickup.urls")),
    path("assist/", include("market.assist.urls")),
    path("trace/<str:code>/", TraceView.as_view(), name="trace"),
    path("events/", include("cms.urls")),
    path("points/", include("cms.points_urls")),
    path("search/", SearchView.as_view(), name="site-search"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"), serve_media,
                            {"document_root": settings.MEDIA_ROOT})]
    # HLS from nginx-rtmp (make ingest); in production the front web server serves this folder
    urlpatterns += [re_path(r"^%s(?P<path>.+)$" % settings.LIVE_HLS_URL.lstrip("/"), live_views.hls)]

# Wagtail serves everything else, starting with the home page at /.
urlpatterns += [path("", include(wagtail_urls))]
