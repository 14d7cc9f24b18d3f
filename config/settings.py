"""
Settings for 共富超市 · 幸福直播间.

Everything comes from the environment, with embedded defaults that need no
services: a SQLite file, the in-memory channel layer and a local cache.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis for the
channel layer, the cache and sessions. ``DJANGO_ENV=production`` turns on the
deployment settings and refuses to start without a secret key and hosts.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.defaults import *  # noqa: F401,F403  (Oscar's OSCAR_* defaults)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret(name):
    """A random secret kept in var/local-secrets.json (development only); made on first use."""
    import json
    import secrets

    path = Path(os.environ.get("LOCAL_SECRETS_FILE", BASE_DIR / "var" / "local-secrets.json"))
    try:
        values = json.loads(path.read_text())
    except (OSError, ValueError):
        values = {}
    if name not in values:
        values[name] = secrets.token_urlsafe(50)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(values))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return values[name]


PRODUCTION = os.environ.get("DJANGO_ENV", "development").lower() == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS."
        )
    DEBUG = False
else:
    # Outside production the secrets come from var/local-secrets.json, made at random on first
    # start (and ignored by git), so no published key or token is ever accepted.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret("secret_key")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
    DEBUG = env_bool("DJANGO_DEBUG", True)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.forms",  # widget templates for FORM_RENDERER below
    # Our own apps come first so their templates win.
    "market",
    "accounts",
    "mine",
    "notices",
    "cms",
    "live",
    # django-oscar; forked apps live under market/.
    "market.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "market.checkout.apps.CheckoutConfig",
    "market.address.apps.AddressConfig",
    "market.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "market.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "market.search.apps.SearchConfig",
    "market.payments.apps.PaymentsConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "market.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "market.dashboard.orders.apps.OrdersDashboardConfig",
    "market.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "market.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Channels
    "channels",
    # Security and background work
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last, as django-axes asks: turns a locked-out login into its lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "market.context_processors.site_chrome",
            ],
        },
    },
]

# Form widgets render through TEMPLATES too, so templates/ can override a widget (Oscar's image input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Under ASGI every thread would keep its own persistent connection, and PostgreSQL runs out of
        # them ("too many clients"): Django's docs advise 0 there. PostgreSQL gets psycopg's pool instead.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", 1)),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", 20)),  # per process
        "timeout": int(os.environ.get("DATABASE_POOL_TIMEOUT", 20)),  # seconds to wait for a free connection
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the ASGI server read while a request writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Redis: channel layer, cache, sessions --------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # CHANNEL_PREFIX keeps sites (or test processes) that share one Redis apart: pub/sub has no databases
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("CHANNEL_PREFIX", "asgi")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gongfu"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth: one login for the shop, the dashboard, Wagtail and the live room --
AUTHENTICATION_BACKENDS = [
    # first: refuses every login form (ours, Oscar's, the admin's) while an account or address is locked out
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.MobilePasswordBackend",  # the verified mobile in place of the username
    "oscar.apps.customer.auth_backends.EmailBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Phone-number accounts: SMS codes (accounts/codes.py) and how they are sent (accounts/sms/).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.console.ConsoleBackend")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "共富超市")
# our template name → the provider's approved template (accounts.sms.TEXTS says what each one says)
SMS_TEMPLATES = {
    "code": os.environ.get("SMS_TEMPLATE_CODE", "SMS_000000000"),
    "delivered": os.environ.get("SMS_TEMPLATE_DELIVERED", "SMS_000000001"),
    "promoted": os.environ.get("SMS_TEMPLATE_PROMOTED", "SMS_000000002"),
    "reminder": os.environ.get("SMS_TEMPLATE_REMINDER", "SMS_000000003"),
}
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_ALIYUN_PROTOCOL = os.environ.get("SMS_ALIYUN_PROTOCOL", "https")
# Web Push (notices/push.py): the VAPID key (base64url of the raw 32-byte P-256 private key, as
# `vapid --gen` or notices' `make_vapid_key` command prints it). Outside production one is derived from
# var/local-secrets.json; in production push is off until the key is set.
WEBPUSH_VAPID_PRIVATE_KEY = os.environ.get("WEBPUSH_VAPID_PRIVATE_KEY") or (
    "" if PRODUCTION else base64.urlsafe_b64encode(hashlib.sha256(local_secret("vapid").encode()).digest())
    .decode().rstrip("="))
WEBPUSH_CONTACT = os.environ.get("WEBPUSH_CONTACT", "mailto:it@gongfu.example.cn")
WEBPUSH_TTL_S = int(os.environ.get("WEBPUSH_TTL_S", 24 * 3600))

SMS_CODE_VALID_MINUTES = int(os.environ.get("SMS_CODE_VALID_MINUTES", 5))
SMS_CODE_RESEND_S = int(os.environ.get("SMS_CODE_RESEND_S", 60))
SMS_CODE_TRIES = int(os.environ.get("SMS_CODE_TRIES", 5))
SMS_CODES_PER_NUMBER_DAY = int(os.environ.get("SMS_CODES_PER_NUMBER_DAY", 5))
SMS_CODES_PER_ADDRESS_DAY = int(os.environ.get("SMS_CODES_PER_ADDRESS_DAY", 20))

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account,
# or from one address, logins from there are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind the front nginx the client's address is the last hop it adds to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", 1 if PRODUCTION else 0)) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PRODUCTION else ("REMOTE_ADDR",)
)

# --- Locale ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from the npm registry at set-up time (package.json, `npm ci`), never a CDN.
for _package in ("hls.js", "jsqr"):  # the live player; the pickup screen's QR reader
    if (BASE_DIR / "node_modules" / _package / "dist").is_dir():
        STATICFILES_DIRS.append((f"vendor/{_package}", BASE_DIR / "node_modules" / _package / "dist"))
# Workbox (the service worker that keeps 我的 on the phone): every module in one folder, as workbox-sw loads them
WORKBOX_MODULES = ["core", "routing", "strategies", "expiration", "cacheable-response", "precaching", "recipes"]
for _package in ["sw"] + WORKBOX_MODULES:
    if (BASE_DIR / "node_modules" / f"workbox-{_package}" / "build").is_dir():
        STATICFILES_DIRS.append(("vendor/workbox", BASE_DIR / "node_modules" / f"workbox-{_package}" / "build"))
if (BASE_DIR / "node_modules" / "china-area-data" / "data.json").is_file():  # the postal form's 省/市/区
    STATICFILES_DIRS.append(("vendor/china-area-data", BASE_DIR / "node_modules" / "china-area-data"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve uploaded media from Django itself unless a front server does it.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", not PRODUCTION)

SITE_ID = 1
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@gongfu.local")

# --- django-oscar ----------------------------------------------------------
OSCAR_SHOP_NAME = _("共富超市")
OSCAR_SHOP_TAGLINE = _("帮扶村好物 · 社区自提")
OSCAR_HOMEPAGE = "/shop/"
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¥#,##0.00"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "country")
OSCAR_SEND_REGISTRATION_EMAIL = False
OSCAR_SLUG_ALLOW_UNICODE = True
# Product search and browsing run on the database (market.search: jieba words and pypinyin
# spellings in a SearchEntry per product). Oscar's own search modules still import Haystack,
# so it gets a configuration, but no index and no signal processor.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
OSCAR_SEARCH_FACETS = {"fields": {}, "queries": {}}
# Reviews only from signed-in residents, shown after an operator approves them.
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True

# The dashboard is for platform staff; first secretaries work in /village/ (market.workspace).
def _staff_only(user, url_name=None, url_args=None, url_kwargs=None):
    return user.is_staff


OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION + [  # noqa: F405
    {"label": _("上架审核"), "icon": "fas fa-clipboard-check", "url_name": "workspace:review",
     "access_fn": _staff_only},
    {"label": _("支付异常"), "icon": "fas fa-exclamation-triangle", "url_name": "payment-issues",
     "access_fn": _staff_only},
]

# Order statuses: pickup orders are placed, at the pickup point, collected; postal ones placed
# (shown as 待发货), shipped with a tracking number, received; either may be cancelled.
# Oscar stores the status text itself; templates translate it with {% trans order.status %}.
ORDER_STATUS_AWAITING_PAYMENT = gettext_noop("待支付")
ORDER_STATUS_PLACED = gettext_noop("待备货")
ORDER_STATUS_AT_PICKUP = gettext_noop("已送达自提点")
ORDER_STATUS_COLLECTED = gettext_noop("已取货")
ORDER_STATUS_SHIPPED = gettext_noop("已发货")
ORDER_STATUS_RECEIVED = gettext_noop("已签收")
ORDER_STATUS_CANCELLED = gettext_noop("已取消")
ORDER_STATUS_REFUNDED = gettext_noop("已退款")
OSCAR_INITIAL_ORDER_STATUS = ORDER_STATUS_PLACED
OSCAR_INITIAL_LINE_STATUS = ORDER_STATUS_PLACED
OSCAR_ORDER_STATUS_PIPELINE = {
    # online payment: placed as 待支付 (stock held); only Stripe's webhook moves it on to 待备货
    # (market.payments.services.record_paid), so the dashboard can cancel it but never mark it paid
    ORDER_STATUS_AWAITING_PAYMENT: (ORDER_STATUS_CANCELLED,),
    ORDER_STATUS_PLACED: (ORDER_STATUS_AT_PICKUP, ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED, ORDER_STATUS_REFUNDED),
    ORDER_STATUS_AT_PICKUP: (ORDER_STATUS_COLLECTED, ORDER_STATUS_CANCELLED, ORDER_STATUS_REFUNDED),
    ORDER_STATUS_SHIPPED: (ORDER_STATUS_RECEIVED, ORDER_STATUS_REFUNDED),
    ORDER_STATUS_COLLECTED: (ORDER_STATUS_REFUNDED,),
    ORDER_STATUS_RECEIVED: (ORDER_STATUS_REFUNDED,),
    ORDER_STATUS_CANCELLED: (ORDER_STATUS_REFUNDED,),
    ORDER_STATUS_REFUNDED: (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# Limits against hoarding stock with pay-at-pickup orders.
SHOP_MAX_UNITS_PER_ORDER = int(os.environ.get("SHOP_MAX_UNITS_PER_ORDER", 20))  # per product, unless it sets its own
# Wrong codes typed at a counter (pickup codes, event check-in codes): after CODE_ATTEMPTS_LIMIT of them
# within CODE_ATTEMPTS_WINDOW_S seconds, from one staff account or at one pickup point or event, every
# code there is refused for CODE_ATTEMPTS_PAUSE_S seconds (market.throttle).
CODE_ATTEMPTS_LIMIT = int(os.environ.get("CODE_ATTEMPTS_LIMIT", 10))
CODE_ATTEMPTS_WINDOW_S = int(os.environ.get("CODE_ATTEMPTS_WINDOW_S", 60))
CODE_ATTEMPTS_PAUSE_S = int(os.environ.get("CODE_ATTEMPTS_PAUSE_S", 300))
SHOP_MAX_OPEN_UNPAID_ORDERS = int(os.environ.get("SHOP_MAX_OPEN_UNPAID_ORDERS", 3))  # per account
SHOP_PICKUP_DAYS = int(os.environ.get("SHOP_PICKUP_DAYS", 7))  # uncollected pickup orders are cancelled after
SHOP_DELIVERY_CUTOFF_HOUR = int(os.environ.get("SHOP_DELIVERY_CUTOFF_HOUR", 20))  # ordered before: delivered next day
SHOP_PRICE_REVIEW_PERCENT = int(os.environ.get("SHOP_PRICE_REVIEW_PERCENT", 30))  # bigger price changes need review
LIVE_CLAIM_MINUTES = int(os.environ.get("LIVE_CLAIM_MINUTES", 30))  # flash units not checked out are given back after
LIVE_PRICE_PER_USER_LIMIT = int(os.environ.get("LIVE_PRICE_PER_USER_LIMIT", 10))  # units at a live price, per session

# --- Payments: Stripe Checkout (card, Alipay, WeChat Pay); without a key only pay-at-pickup --
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")  # not needed by hosted Checkout
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
# where Checkout Sessions' pages live: the checkout form's redirect goes there, so the CSP's form-action allows it
STRIPE_CHECKOUT_ORIGIN = os.environ.get("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")
PAYMENT_CURRENCY = os.environ.get("PAYMENT_CURRENCY", "cny")
PAYMENT_TIMEOUT_MINUTES = int(os.environ.get("PAYMENT_TIMEOUT_MINUTES", 30))  # unpaid online orders are released after
PAYMENT_METHOD_TYPES = ["card", "alipay", "wechat_pay"]
PAYMENT_MAX_ATTEMPTS = int(os.environ.get("PAYMENT_MAX_ATTEMPTS", 5))  # Checkout Sessions per order ("pay again")
# A payment Stripe is still confirming (an async method) is checked with Stripe after this many minutes, and
# given up (the order released; money arriving later is refunded from the operators' queue) after these hours.
PAYMENT_PROCESSING_CHECK_MINUTES = int(os.environ.get("PAYMENT_PROCESSING_CHECK_MINUTES", 30))
PAYMENT_PROCESSING_MAX_HOURS = int(os.environ.get("PAYMENT_PROCESSING_MAX_HOURS", 72))

# --- Uploads: every image that enters the site ---------------------------------
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("IMAGE_UPLOAD_MAX_PIXELS", 40_000_000))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = IMAGE_UPLOAD_MAX_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = IMAGE_UPLOAD_MAX_PIXELS
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields other than files

# --- Background work: django-tasks, database backend (make run starts its worker) --
TASKS = {
    # Wagtail's own small jobs (reference index, image renditions) stay immediate.
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "共富超市 · 幸福直播间"
def served_at():
    """Where `make run` serves (HOST, PORT) when SITE_URL is not set. A server listening on every address
    is reached from phones on the same network at this machine's own address, not 0.0.0.0."""
    host, port = os.environ.get("HOST") or "127.0.0.1", os.environ.get("PORT") or "8000"
    if host in ("0.0.0.0", "::"):
        import socket

        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.255.255.255", 1))  # picks the outgoing address; nothing is sent
                host = probe.getsockname()[0]
        except OSError:
            host = "127.0.0.1"
    return f"http://{host}:{port}"


# The site's one public address: QR labels, links in emails, Stripe's way back, the WebSocket Origin check.
SITE_URL = os.environ.get("SITE_URL") or served_at()
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "csv"]
# The admin calls no outside server: no avatars from gravatar.com, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Live room -----------------------------------------------------------------
LIVE_CHAT_HISTORY = 50
LIVE_RECONNECT_GRACE_S = int(os.environ.get("LIVE_RECONNECT_GRACE_S", 120))  # a dropped encoder may come back within

# --- Content-Security-Policy (django-csp): scripts only from this site; the few inline
# scripts Oscar's templates need carry the per-request nonce. --------------------------
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],  # Oscar's and Wagtail's style attributes
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],  # hls.js plays through MediaSource blobs
        "worker-src": [SELF, "blob:"],
        "connect-src": [SELF],  # 'self' covers the same-origin WebSocket
        "font-src": [SELF, "data:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF] + ([STRIPE_CHECKOUT_ORIGIN] if STRIPE_SECRET_KEY else []),
    },
}

# --- Production hardening ------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    # Both are hard to undo for a whole domain: opt in once every subdomain serves HTTPS.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        check for check, on in (("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
                                ("security.W021", SECURE_HSTS_PRELOAD)) if not on
    ]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    OSCAR_BASKET_COOKIE_SECURE = True
    OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Live rooms (see live/fanout.py) ---------------------------------------------
LIVE_STATS_INTERVAL = float(os.environ.get("LIVE_STATS_INTERVAL", 2.0))  # seconds between `stats`
LIVE_FANOUT_WINDOW = float(os.environ.get("LIVE_FANOUT_WINDOW", 0.1))  # at most one frame per socket per window,
LIVE_FANOUT_LOAD = float(os.environ.get("LIVE_FANOUT_LOAD", 3))  # ...or this many times the last write pass's time,
LIVE_FANOUT_MAX_WINDOW = float(os.environ.get("LIVE_FANOUT_MAX_WINDOW", 1.0))  # ...but never longer than this
LIVE_SEND_TIMEOUT = float(os.environ.get("LIVE_SEND_TIMEOUT", 2.0))  # a socket slower than this is dropped
LIVE_CHAT_RATE = float(os.environ.get("LIVE_CHAT_RATE", 1.0))  # chat messages per second per user...
LIVE_CHAT_BURST = int(os.environ.get("LIVE_CHAT_BURST", 3))  # ...with this many at once
LIVE_LIKES_PER_SECOND = int(os.environ.get("LIVE_LIKES_PER_SECOND", 20))  # per user, the rest are refused
LIVE_MAX_FRAME_CHARS = int(os.environ.get("LIVE_MAX_FRAME_CHARS", 4096))  # characters in a client frame (Uvicorn caps bytes at 16 KiB)
LIVE_MAX_SOCKETS_PER_ADDRESS = int(os.environ.get("LIVE_MAX_SOCKETS_PER_ADDRESS", 20))  # per process
LIVE_HLS_ROOT = Path(os.environ.get("LIVE_HLS_ROOT", BASE_DIR / "var" / "hls"))
LIVE_HLS_URL = os.environ.get("LIVE_HLS_URL", "/hls/")
LIVE_RECORDINGS_ROOT = Path(os.environ.get("LIVE_RECORDINGS_ROOT", BASE_DIR / "var" / "recordings"))
LIVE_RTMP_URL = os.environ.get("LIVE_RTMP_URL", "rtmp://127.0.0.1:1935/live")
LIVE_RTMP_PORT = int(os.environ.get("LIVE_RTMP_PORT", 1935))
# nginx-rtmp's callbacks carry this token; without it, on_publish/on_publish_done refuse.
LIVE_RTMP_CALLBACK_TOKEN = os.environ.get("LIVE_RTMP_CALLBACK_TOKEN") or (
    "" if PRODUCTION else local_secret("rtmp_callback_token")
)

# 积分 (cms.points): what a point is worth at checkout, how much of an order points may pay, what an hour earns.
POINTS_PER_YUAN = int(os.environ.get("POINTS_PER_YUAN", 100))  # 100 积分 = ¥1
POINTS_MAX_PERCENT = int(os.environ.get("POINTS_MAX_PERCENT", 50))  # of ordinary goods; 积分兑换 goods in full
EVENT_CHECKIN_OPENS_MINUTES = int(os.environ.get("EVENT_CHECKIN_OPENS_MINUTES", 60))  # check-in opens before the start
# Community staff's 积分 corrections: at most this many points an entry and, added up, a day per staff member;
# operators (platform staff) are not capped and make the larger ones.
POINTS_CORRECTION_MAX = int(os.environ.get("POINTS_CORRECTION_MAX", 500))
POINTS_CORRECTION_DAILY_MAX = int(os.environ.get("POINTS_CORRECTION_DAILY_MAX", 2000))
POINTS_PER_VOLUNTEER_HOUR = int(os.environ.get("POINTS_PER_VOLUNTEER_HOUR", 100))
POINTS_EXCHANGE_CATEGORY_SLUG = "points-exchange"  # 积分兑换: goods that points may pay for entirely
