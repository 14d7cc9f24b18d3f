"""
The real stack for the browser tests: Uvicorn serving the site, nginx-rtmp
taking RTMP (live_ingest), Debian's Chromium driven by Playwright.

The stack runs in its own database (a SQLite file, or a fresh PostgreSQL
database when DATABASE_URL is set) and, with REDIS_URL, the Redis channel layer.
It starts once per test run (the ``stack`` fixture in conftest.py).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TOKEN = "e2e-callback-token"
PASSWORD = "gongfu2026"



def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def e2e_database_url(work, suffix="e2e"):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{work / (suffix + '.sqlite3')}"
    import psycopg

    base, _, name = url.rpartition("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one database per test process
    e2e_name = f"{name or 'gongfu'}_{suffix}" + (f"_{worker}" if worker else "")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{e2e_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{e2e_name}"')
    return f"{base}/{e2e_name}"


def run_stack(tmp_path_factory, stripe=None):
    for tool in ("ffmpeg", "/usr/sbin/nginx", CHROMIUM):
        assert shutil.which(tool), f"{tool} is missing: scripts/system-deps.sh installs it (make test does)"
    work = tmp_path_factory.mktemp("e2e")
    port, rtmp_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=e2e_database_url(work), MEDIA_ROOT=str(work / "media"),
        LIVE_HLS_ROOT=str(work / "hls"),
        LIVE_RECORDINGS_ROOT=str(work / "recordings"), LIVE_STATS_INTERVAL="0.5",
        LIVE_RTMP_URL=f"rtmp://127.0.0.1:{rtmp_port}/live", LIVE_RTMP_CALLBACK_TOKEN=TOKEN,
        DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings", SITE_URL=f"http://127.0.0.1:{port}",
    )
    if stripe is not None:  # online payment through the fake Stripe server (tests/fake_stripe.py)
        from .fake_stripe import SECRET_KEY, WEBHOOK_SECRET

        env.update(STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=stripe.url,
                   STRIPE_CHECKOUT_ORIGIN=stripe.url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "-v", "0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, timeout=600)
    log = (work / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    ingest = subprocess.Popen(manage + ["live_ingest", "--site", f"http://127.0.0.1:{port}", "--port",
                                        str(rtmp_port), "--run-dir", str(work / "nginx")],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    site = f"http://127.0.0.1:{port}"
    if stripe is not None:
        stripe.webhook_url = site + "/shop/stripe/webhook/"
    try:
        wait_for(lambda: urllib.request.urlopen(site + "/live/", timeout=5).status == 200, "the site")
        wait_for(lambda: socket.create_connection(("127.0.0.1", rtmp_port), timeout=1), "nginx-rtmp")
        yield {"site": site, "rtmp": f"rtmp://127.0.0.1:{rtmp_port}/live", "work": work, "env": env}
    finally:
        for process in (ingest, server):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def stack_python(stack, code):
    """Run Python in the stack's own database and settings (``manage.py shell``); what it prints, as text."""
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code], cwd=ROOT,
                          env=stack["env"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def push(rtmp_url, seconds=None):
    """ffmpeg pushing a test pattern with sound, as OBS would."""
    args = ["ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=15",
            "-f", "lavfi", "-i", "sine=frequency=440", "-c:v", "libx264", "-preset", "ultrafast",
            "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "44100"]
    if seconds:
        args += ["-t", str(seconds)]
    return subprocess.Popen(args + ["-f", "flv", rtmp_url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# Every page records the Content-Security-Policy violations it meets (init scripts run outside the page's CSP).
RECORD_CSP = """document.addEventListener("securitypolicyviolation", e =>
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + (e.blockedURI || "inline") + " on " + location.pathname));"""


def csp_violations(page):
    return page.evaluate("window.__csp || []")


def log_in(browser, site, username):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.click("details.password-login summary")  # the page opens on 手机号 + 验证码
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form:has(input[name="password"]) [type="submit"]')
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page
