"""What a new user and an operator depend on: demo data, production settings, the services in use."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model

from cms.models import CommunityPage, HomePage, VillagePage
from live.models import LiveSession
from market.models import Community, Listing, OrderDelivery, PickupPoint, Village

ROOT = Path(__file__).resolve().parent.parent
Product = get_model("catalogue", "Product")


@pytest.mark.django_db
def test_seed_demo_is_complete_and_idempotent():
    def counts():
        return (Community.objects.count(), PickupPoint.objects.count(), Village.objects.count(),
                Product.objects.count(), LiveSession.objects.count(), CommunityPage.objects.count(),
                VillagePage.objects.count(), get_user_model().objects.count(), Listing.objects.count(),
                OrderDelivery.objects.count())

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before
    communities, pickups, villages, products, sessions, community_pages, village_pages, *_rest = before
    assert communities >= 4 and pickups >= communities and villages >= 4 and products >= 30
    assert community_pages == communities and village_pages == villages
    assert set(LiveSession.objects.values_list("status", flat=True)) >= {"scheduled", "live", "ended"}
    assert all(p.images.exists() for p in Product.objects.all())
    honey = Village.objects.get(name="桑梓店村")
    assert list(honey.secretaries.values_list("username", flat=True)) == ["secretary"]
    # origin facts and trace codes on every product; something for the review queue and the packing lists
    assert all(hasattr(p, "origin") and p.batches.exists() for p in Product.objects.all())
    assert set(Listing.objects.values_list("status", flat=True)) == {"approved", "pending", "rejected"}
    assert Listing.objects.filter(status="pending", proposed_price__isnull=False).exists()
    assert OrderDelivery.objects.values("pickup_point").distinct().count() >= 3
    assert HomePage.objects.get().get_url() == "/"
    User = get_user_model()
    for username in ("admin", "host", "secretary", "resident", "elder"):
        assert User.objects.get(username=username).check_password("gongfu2026")
    assert User.objects.get(username="admin").is_superuser


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_refuse_to_start_without_secret_and_hosts():
    result = run_manage("check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 20 + "-Zq8!rT4$wLm2@pVn6#bYc0&hKs9^dFj3*gUe7",
        DJANGO_ALLOWED_HOSTS="gongfu.example.cn", SMS_BACKEND="accounts.sms.aliyun.AliyunBackend",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_login_codes_would_only_be_printed():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 20 + "-Zq8!rT4$wLm2@pVn6#bYc0&hKs9^dFj3*gUe7",
        DJANGO_ALLOWED_HOSTS="gongfu.example.cn", SMS_BACKEND="accounts.sms.console.ConsoleBackend",
    )
    assert result.returncode != 0 and "accounts.W001" in result.stdout + result.stderr


def test_seed_demo_is_refused_under_production_settings():
    result = run_manage(
        "seed_demo", DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 20 + "-Zq8!rT4$wLm2@pVn6#bYc0&hKs9^dFj3*gUe7",
        DJANGO_ALLOWED_HOSTS="gongfu.example.cn",
    )
    assert result.returncode != 0
    assert "refused" in result.stderr


@pytest.mark.django_db
def test_configured_services_are_the_ones_in_use():
    """With DATABASE_URL / REDIS_URL set (as in CI), the suite really runs on PostgreSQL and Redis."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("select 1")
    else:
        assert connection.vendor == "sqlite"
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert layer == "channels_redis.pubsub.RedisPubSubChannelLayer"
        from django.core.cache import cache

        cache.set("gongfu-ci-probe", "ok", 10)
        assert cache.get("gongfu-ci-probe") == "ok"
    else:
        assert layer == "channels.layers.InMemoryChannelLayer"


@pytest.mark.parametrize("env, expected", [
    ({"PORT": "8101"}, "http://127.0.0.1:8101"),
    ({"HOST": "127.0.0.2", "PORT": "8102"}, "http://127.0.0.2:8102"),
    ({"PORT": "8101", "SITE_URL": "https://gongfu.example.cn"}, "https://gongfu.example.cn"),
])
def test_the_sites_own_address_follows_host_and_port_unless_set(env, expected):
    """QR labels, email links, Stripe's way back and the WebSocket Origin check use SITE_URL."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
                            cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == expected, result.stderr


def test_make_run_hands_host_and_port_to_the_processes_it_starts():
    result = subprocess.run(["make", "-s", "-f", "Makefile", "--eval", "show: ; @echo $$PORT $$HOST", "show",
                             "PORT=8103"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["8103", "127.0.0.1"], result.stderr


@pytest.mark.django_db
def test_a_broken_ffmpeg_skips_the_demo_replay_with_a_warning_instead_of_stopping_make_run(tmp_path, monkeypatch):
    """Seen on a machine mid-install: ffmpeg present but exiting 127 on a missing shared library."""
    from live.demo import record
    from live.models import LiveSession

    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'error while loading shared libraries: libavdevice.so.59' >&2\nexit 127\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    session = LiveSession.objects.filter(status="ended").first()
    before = session.replay.name
    with pytest.warns(UserWarning, match="demo replay skipped.*libavdevice"):
        record(session)  # returns: seed_demo goes on
    session.refresh_from_db()
    assert session.replay.name == before
