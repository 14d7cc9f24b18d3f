"""
Live room fan-out benchmark (issue #3): how fast does a chat message reach every viewer?

It starts the project's ASGI server (Uvicorn as in production, or Daphne with
--server daphne; the Redis channel layer; DEBUG off) on a scratch database, connects N viewers to one live session, has
logged-in users send M chat messages a second in total, and reports
delivered/expected and the p50/p99/max delay from sending a message to each
viewer receiving it. In the same run it starts a bare `websockets` broadcast
server of the same shape (a chat frame in, a chat event JSON-encoded and
broadcast to every socket) and measures it with the same load generator.

    .venv/bin/python bench/live_fanout.py                      # N=2000 M=20, then N=5000 M=10; 1 and 2 processes
    .venv/bin/python bench/live_fanout.py --viewers 500 --seconds 5 --processes 1

The load generator runs on the same machine (in its own process per server
port), as the figures in the issue were measured.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = re.compile(r"BENCH#(\d+)#(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


# --- the bare baseline -------------------------------------------------------------------

def baseline_server(port):
    """A bare `websockets` broadcast server: chat frame in, one chat event out to everyone."""
    import logging

    import websockets
    from websockets.asyncio.server import broadcast, serve

    logging.getLogger("websockets").setLevel(logging.CRITICAL)  # the port probe is not a handshake

    clients = set()
    counter = 0

    async def room(ws):
        nonlocal counter
        clients.add(ws)
        try:
            await ws.send(json.dumps({"type": "hello"}))
            async for frame in ws:
                message = json.loads(frame)
                if message.get("type") == "chat":
                    counter += 1
                    event = {"type": "chat", "id": counter, "user": "居民", "text": message["text"],
                             "ts": time.strftime("%Y-%m-%dT%H:%M:%S"), "client_id": message.get("client_id")}
                    broadcast(clients, json.dumps(event, ensure_ascii=False))
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    async def main():
        async with serve(room, "127.0.0.1", port, max_size=2**20, ping_interval=None):
            await asyncio.Future()

    asyncio.run(main())


# --- the project's server ----------------------------------------------------------------

def project_env(work, redis_url):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="0", REDIS_URL=redis_url,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"),
        MEDIA_ROOT=str(work / "media"),
        LIVE_CHAT_RATE="1", LIVE_CHAT_BURST="3",
        # every viewer of the load generator comes from 127.0.0.1: lift the per-address cap (20 per process)
        LIVE_MAX_SOCKETS_PER_ADDRESS="1000000",
    )
    return env


SETUP = """
import json, sys
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone
from live.models import LiveSession
from market.models import Community
User = get_user_model()
host, _ = User.objects.get_or_create(username="bench_host")
community, _ = Community.objects.get_or_create(slug="bench", defaults={"name": "压测社区"})
session = LiveSession.objects.create(title="压测直播", host=host, community=community,
    status="live", scheduled_start=timezone.now() - timedelta(minutes=1))
cookies = []
for i in range(int(sys.argv[1])):
    user, _ = User.objects.get_or_create(username=f"bench_sender_{i}", defaults={"last_name": "居", "first_name": str(i)})
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    cookies.append(store.session_key)
print(json.dumps({"session": session.pk, "cookies": cookies}))
"""


def prepare_project(env, senders):
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); exec(open(0).read())", str(senders)],
                         input=SETUP, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


SERVERS = {
    "daphne": lambda port: [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                            "config.asgi:application"],
    "uvicorn": lambda port: [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log", "--log-level", "warning"],
}


def start_project_servers(env, processes, server="uvicorn"):
    ports, servers = [], []
    for _ in range(processes):
        port = free_port()
        servers.append(subprocess.Popen(SERVERS[server](port), cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        ports.append(port)
    for port in ports:
        wait_port(port)
    return ports, servers


# --- the load generator ------------------------------------------------------------------

def generator(port, path, viewers, cookies, sender_offset, rate, seconds, start_at, results):
    """One process: `viewers` watching sockets plus senders; puts its figures on `results`."""
    asyncio.run(generate(port, path, viewers, cookies, sender_offset, rate, seconds, start_at, results))


async def generate(port, path, viewers, cookies, sender_offset, rate, seconds, start_at, results):
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{port}{path}"
    origin = f"http://127.0.0.1:{port}"
    latencies, refused, reconnects = [], 0, 0
    sent_ids = set()
    finished = False

    def record(frame, seen):
        now = time.time()
        for sender, sent_ns in MARK.findall(frame):
            key = (sender, sent_ns)
            if key not in seen:
                seen.add(key)
                latencies.append(now - int(sent_ns) / 1e9)

    async def open_socket(cookie=None, seen=None):
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else None
        for attempt in range(20):
            try:
                ws = await connect(url, origin=origin, additional_headers=headers, max_size=2**22,
                                   ping_interval=None, open_timeout=30, close_timeout=2)
                hello = await ws.recv()
                if seen is not None:  # a reconnecting viewer gets the recent chat in its hello
                    record(hello, seen)
                return ws
            except (OSError, asyncio.TimeoutError, Exception):
                await asyncio.sleep(0.2 * (attempt + 1))
        raise SystemExit("could not connect a viewer")

    async def watch(index, seen):
        """Read one viewer's socket; like the room script, reconnect when the server drops it as too slow."""
        nonlocal reconnects
        while True:
            ws = sockets[index]
            try:
                async for frame in ws:
                    record(frame, seen)
            except Exception:
                pass
            if finished or ws.close_code != 4408:
                return
            reconnects += 1
            sockets[index] = await open_socket(seen=seen)

    # connect the viewers a batch at a time, as a crowd arriving; each reads its socket from the start
    # (a socket left unread stops answering the server's keepalive pings and is closed by it)
    sockets, seen_sets, watchers = [], [], []
    for i in range(0, viewers, 100):
        batch = await asyncio.gather(*(open_socket() for _ in range(min(100, viewers - i))))
        for ws in batch:
            sockets.append(ws)
            seen_sets.append(set())
            watchers.append(asyncio.ensure_future(watch(len(sockets) - 1, seen_sets[-1])))
    senders = [await open_socket(c) for c in cookies]

    async def listen_errors(ws):
        nonlocal refused
        try:
            async for frame in ws:
                if '"code":"rate_limited"' in frame.replace(" ", ""):
                    refused += 1
        except Exception:
            pass

    listeners = [asyncio.ensure_future(listen_errors(ws)) for ws in senders]
    if senders:  # the server's first chat message pays for its warm-up (imports, first queries): not measured
        await senders[0].send(json.dumps({"type": "chat", "text": "warm-up"}))
    await asyncio.sleep(max(0, start_at - time.time()))
    interval = len(senders) / rate  # each sender's own interval

    async def send_from(index, ws):
        await asyncio.sleep(index * interval / len(senders))
        next_at = time.monotonic()
        end = time.monotonic() + seconds
        while next_at < end:
            sent_ns = time.time_ns()
            sent_ids.add((str(sender_offset + index), str(sent_ns)))
            await ws.send(json.dumps({"type": "chat", "text": f"BENCH#{sender_offset + index}#{sent_ns}"}))
            next_at += interval
            await asyncio.sleep(max(0, next_at - time.monotonic()))

    await asyncio.gather(*(send_from(i, ws) for i, ws in enumerate(senders)))
    await asyncio.sleep(5)  # let the last messages arrive
    finished = True
    for task in watchers + listeners:
        task.cancel()
    results.put({"latencies": latencies, "seen": [len(s) for s in seen_sets], "sent": len(sent_ids),
                 "refused": refused, "reconnects": reconnects})
    # all at once: a socket whose reading stopped with its watcher waits close_timeout for the server's answer
    await asyncio.gather(*(ws.close() for ws in sockets + senders), return_exceptions=True)


def run_load(ports, path, viewers, cookies, rate, seconds):
    """Split viewers and senders over the server ports, one generator process each; gather the figures."""
    results = multiprocessing.Queue()
    start_at = time.time() + 10 + viewers / 150
    share = len(cookies) // len(ports)
    procs = []
    for n, port in enumerate(ports):
        mine = cookies[n * share:(n + 1) * share] if cookies else [None] * max(1, 40 // len(ports))
        procs.append(multiprocessing.Process(target=generator, args=(
            port, path, viewers // len(ports), mine, n * share, rate / len(ports), seconds, start_at, results)))
    for p in procs:
        p.start()
    figures = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for f in figures for x in f["latencies"])
    sent = sum(f["sent"] for f in figures)
    refused = sum(f["refused"] for f in figures)
    reconnects = sum(f["reconnects"] for f in figures)
    accepted = sent - refused
    seen = [n for f in figures for n in f["seen"]]
    return {
        "viewers": len(seen), "messages": accepted, "refused": refused, "reconnects": reconnects,
        "delivered": sum(seen), "expected": accepted * len(seen),
        "viewers_missing_any": sum(1 for n in seen if n < accepted),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        "max_ms": 1000 * latencies[-1] if latencies else float("nan"),
    }


def show(name, r):
    ratio = r["delivered"] / r["expected"] if r["expected"] else 0
    print(f"{name:<34} viewers={r['viewers']:>5} msgs={r['messages']:>4} "
          f"delivered={r['delivered']}/{r['expected']} ({ratio:.2%}) "
          f"p50={r['p50_ms']:.0f}ms p99={r['p99_ms']:.0f}ms max={r['max_ms']:.0f}ms", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default="2000x20,5000x10",
                        help="viewers x messages per second, each case run in turn (issue #3's and issue #12's)")
    parser.add_argument("--viewers", type=int, help="one case of this many viewers (instead of --cases)")
    parser.add_argument("--rate", type=float, help="...and this many chat messages per second, all senders together")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--senders", type=int, default=40, help="logged-in senders (each ~rate/senders msg/s)")
    parser.add_argument("--processes", default="1,2", help="server process counts to run, e.g. 1,2")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--server", choices=sorted(SERVERS), default="uvicorn", help="the ASGI server to run")
    args = parser.parse_args()
    if args.viewers or args.rate:
        cases = [(args.viewers or 2000, args.rate or 20)]
    else:
        cases = [(int(v), float(m)) for v, m in (case.split("x") for case in args.cases.split(","))]
    for viewers, rate in cases:
        run_case(args, viewers, rate)


def run_case(args, viewers, rate):
    print(f"# live fan-out: N={viewers} viewers, M={rate:g} msg/s for {args.seconds:g}s, "
          f"{os.cpu_count()} CPUs, load generator on this machine", flush=True)
    baseline = None
    if not args.no_baseline:
        port = free_port()
        server = multiprocessing.Process(target=baseline_server, args=(port,), daemon=True)
        server.start()
        wait_port(port)
        try:
            baseline = run_load([port], "/", viewers, [None] * args.senders, rate, args.seconds)
        finally:
            server.terminate()
        show("bare websockets baseline", baseline)

    with tempfile.TemporaryDirectory(prefix="gongfu-bench-") as tmp:
        env = project_env(Path(tmp), args.redis)
        for count in [int(n) for n in args.processes.split(",")]:
            setup = prepare_project(env, args.senders)
            ports, servers = start_project_servers(env, count, args.server)
            try:
                result = run_load(ports, f"/ws/live/{setup['session']}/", viewers, setup["cookies"],
                                  rate, args.seconds)
            finally:
                for s in servers:
                    s.terminate()
                    try:
                        s.wait(timeout=10)
                    except subprocess.TimeoutExpired:  # thousands of sockets to close: do not wait for it
                        s.kill()
            show(f"project, {count} {args.server} process{'es' if count > 1 else ''} + Redis", result)
            if result["viewers_missing_any"]:
                print(f"  {result['viewers_missing_any']} viewers missed at least one message")
            if result["reconnects"]:
                print(f"  {result['reconnects']} viewers were dropped as too slow (4408) and reconnected")
            if baseline:
                print(f"  p99 ratio to baseline: {result['p99_ms'] / baseline['p99_ms']:.2f}x (target <= 1.5x)",
                      flush=True)


if __name__ == "__main__":
    main()
