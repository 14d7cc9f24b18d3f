import os
import tempfile
from pathlib import Path
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from live.models import HOSTS_GROUP, LineupItem, LiveSession
from market.models import Community

# Keep the tests' uploads out of the developer's own.
_scratch = tempfile.mkdtemp(prefix="gongfu-tests-")
settings.MEDIA_ROOT = os.path.join(_scratch, "media")

# pytest-xdist runs the suite in two processes (pytest.ini): each has its own test database (pytest-django
# names them), and here its own Redis database and channel-layer prefix, so one worker's channel groups,
# cache and sessions never meet the other's. The servers a worker starts inherit both (REDIS_URL,
# CHANNEL_PREFIX).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and settings.REDIS_URL:
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(settings.REDIS_URL)
    _own = urlunsplit(_parts._replace(path=f"/{1 + int(_worker.removeprefix('gw'))}"))
    os.environ["REDIS_URL"] = settings.REDIS_URL = _own
    for _cache in settings.CACHES.values():
        if _cache.get("LOCATION") == _parts.geturl():
            _cache["LOCATION"] = _own
    # Redis pub/sub ignores database numbers: the channel layer's names get the worker's prefix as well
    os.environ["CHANNEL_PREFIX"] = f"asgi-{_worker}"
    settings.CHANNEL_LAYERS["default"]["CONFIG"].update(hosts=[_own], prefix=os.environ["CHANNEL_PREFIX"])


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """The browser tests share one stack (Uvicorn, nginx-rtmp, Chromium): they run on one worker."""
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("stack"))

DEMO_PASSWORD = "gongfu2026"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once into the test database, as a new user gets it from make run."""
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


def make_community_host(user, community):
    """A 社区主理人: in the hosts group and one of the community's hosts (what host rights need)."""
    user.groups.add(Group.objects.get_or_create(name=HOSTS_GROUP)[0])
    community.hosts.add(user)
    return user


def verified_resident(username, mobile, community="chaoyangjie", **names):
    """A resident account whose mobile was verified by a code (what 代下单 and 积分登记 look up)."""
    from accounts.models import VerifiedMobile
    from market.models import Resident

    user = get_user_model().objects.create_user(username, password=DEMO_PASSWORD, **names)
    Resident.objects.create(user=user, community=Community.objects.get(slug=community), mobile=mobile)
    VerifiedMobile.objects.create(user=user, number=mobile, verified_at=timezone.now())
    return user


def login_client(client, username):
    # django-axes checks every authentication against its lockouts, so it needs the request
    logged_in = client.login(request=RequestFactory().post("/accounts/login/"), username=username,
                             password=DEMO_PASSWORD)
    assert logged_in, f"demo user {username} cannot log in"
    return client


@pytest.fixture(scope="session")
def stack(tmp_path_factory, stripe_server):
    """The real stack (Uvicorn, nginx-rtmp, its own database, online payment through the fake
    Stripe server) for the browser tests, started once."""
    from .e2e import run_stack

    yield from run_stack(tmp_path_factory, stripe=stripe_server)


@pytest.fixture
def resident_client(client, db):
    return login_client(client, "resident")


@pytest.fixture
def stage(transactional_db):
    """A live session whose lineup holds one demo product, with a moderator and two viewers."""
    User = get_user_model()
    host = User.objects.create_user("stage_host", password="pw-123456")
    moderator = User.objects.create_user("stage_mod", password="pw-123456")
    viewer = User.objects.create_user("stage_viewer", password="pw-123456", last_name="胡", first_name="大爷")
    community = Community.objects.create(name="直播测试社区", slug="stage-test")
    make_community_host(host, community)
    session = LiveSession.objects.create(
        title="桑梓蜂蜜助农直播", host=host, community=community,
        status=LiveSession.Status.LIVE, scheduled_start=timezone.now() - timedelta(minutes=1),
    )
    session.moderators.add(moderator)
    honey = create_product(title="桑梓土蜂蜜 500g", price=Decimal("68.00"), num_in_stock=200)
    get_model("catalogue", "ProductImage").objects.create(product=honey, original="images/honey.jpg")
    LineupItem.objects.create(session=session, product=honey, position=1, live_price=Decimal("49.90"))
    outside = create_product(title="小庄黄桃 3斤", price=Decimal("29.80"), num_in_stock=50)
    return {"session": session, "host": host, "moderator": moderator, "viewer": viewer,
            "honey": honey, "outside": outside}


@pytest.fixture(scope="session")
def stripe_server():
    """The fake Stripe HTTP server (tests/fake_stripe.py), started once."""
    from .fake_stripe import FakeStripe

    fake = FakeStripe()
    yield fake
    fake.close()


@pytest.fixture
def fake_stripe(stripe_server, settings):
    """Online payment switched on, the real stripe client pointed at the fake server."""
    from .fake_stripe import SECRET_KEY, WEBHOOK_SECRET

    stripe_server.reset()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server.url
    return stripe_server


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language (a test that served an English page leaves English active in
    its thread, and with two workers any test may come after it)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
