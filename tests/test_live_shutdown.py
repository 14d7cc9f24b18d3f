"""
Likes are added up in memory and written once a tick; a server stopped with
SIGTERM between two ticks still writes the ones it holds (Uvicorn closes the
sockets, the last viewer's leaving stops the room's hub, and the hub writes).
The real server in its own process, a real WebSocket client.
"""

import asyncio
import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import urllib.parse
import urllib.request

from .e2e import ROOT, e2e_database_url, free_port, wait_for

TITLE = "Can!制锦 · 普罗旺斯西红柿采摘季"  # the demo's live session


def query(url, sql):
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql.replace("%s", "?"), [TITLE]).fetchone()
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, [TITLE]).fetchone()


def session_cookie(site):
    """Sign in as the demo resident through the login form; return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(site + "/accounts/login/", timeout=10).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": "resident", "password": "gongfu2026",
                                   "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(site + "/accounts/login/", data=data,
                                       headers={"Referer": site + "/accounts/login/"}), timeout=10).read()
    assert any(c.name == "sessionid" for c in jar), "the demo resident could not sign in"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def like_then_stop(site, session_id, cookie, server, database):
    """Like in the room, wait until the server has taken the likes, check they are not written yet,
    then stop the server while the socket is still open; return the count hello showed."""
    import websockets

    url = site.replace("http", "ws") + f"/ws/live/{session_id}/"
    async with websockets.connect(url, additional_headers={"Cookie": cookie, "Origin": site}) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello" and hello["you"]["user"] == "陈娜"
        for _n in range(3):
            await ws.send(json.dumps({"type": "like", "count": 5}))
        await ws.send(json.dumps({"type": "ping"}))
        while json.loads(await ws.recv())["type"] != "pong":  # frames are handled in order
            pass
        assert query(database, "SELECT likes FROM live_livesession WHERE title = %s")[0] == hello["likes"]
        server.send_signal(signal.SIGTERM)
        await ws.wait_closed()  # the server closes it as it shuts down
        return hello["likes"]


def test_likes_counted_between_ticks_are_written_when_the_server_stops(tmp_path):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=e2e_database_url(tmp_path, "shutdown"), MEDIA_ROOT=str(tmp_path / "media"),
               LIVE_STATS_INTERVAL="3600",  # no tick during the test: only the shutdown can write them
               DJANGO_SETTINGS_MODULE="config.settings", SITE_URL=site)
    database = env["DATABASE_URL"]
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "-v", "0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, timeout=600)
    session_id, before = query(database, "SELECT id, likes FROM live_livesession WHERE title = %s")
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--lifespan", "off"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_for(lambda: urllib.request.urlopen(site + "/live/", timeout=5).status == 200, "the site")
        assert asyncio.run(like_then_stop(site, session_id, session_cookie(site), server, database)) == before
        server.wait(timeout=30)  # Uvicorn shuts down gracefully, then re-raises the signal (exit -15)
    finally:
        if server.poll() is None:
            server.kill()
        log.close()
    assert query(database, "SELECT likes FROM live_livesession WHERE title = %s")[0] == before + 15
