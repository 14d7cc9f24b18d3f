"""
开播提醒 at scale: how long nginx's on_publish callback takes with N subscribers, and how long the
django-tasks worker then takes to notify them all (in-site notification and email), in a scratch
SQLite database with the demo data (or BENCH_DATABASE_URL).

    .venv/bin/python bench/go_live.py            # 2,000 subscribers
    .venv/bin/python bench/go_live.py --subscribers 5000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongfu_bench_live .venv/bin/python bench/go_live.py
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="gongfu-bench-live-")
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("postgres"):  # a fresh database each run
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "MEDIA_ROOT": f"{scratch}/media",
           "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3"),
           "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    for command in (["migrate", "-v0"], ["seed_demo", "-v0"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from oscar.core.loading import get_model

    from live.models import LiveSession

    settings.ALLOWED_HOSTS = ["*"]
    User = get_user_model()
    User.objects.bulk_create([User(username=f"fan{i}", email=f"fan{i}@example.cn") for i in range(args.subscribers)])
    session = LiveSession.objects.filter(status="scheduled").first()
    session.subscribers.add(*User.objects.filter(username__startswith="fan"))
    client = Client()
    url = f"/live/rtmp/publish/?token={settings.LIVE_RTMP_CALLBACK_TOKEN}"
    client.post(url, {"name": "warm-up"})  # a refused key: imports and URL resolving out of the figure
    started = time.perf_counter()
    response = client.post(url, {"name": session.stream_key})
    answered = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    started = time.perf_counter()
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    worked = time.perf_counter() - started
    told = get_model("communication", "Notification").objects.filter(recipient__username__startswith="fan").count()
    print(f"subscribers: {args.subscribers}  database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    print(f"on_publish answered nginx in {answered * 1000:.0f} ms")
    print(f"the worker notified {told} subscribers in {worked:.2f} s")


if __name__ == "__main__":
    main()
