"""
The shop under a big catalogue: 10,000 products across 20 villages in a scratch database,
then for /shop/, a category page, a product page and a search:

- SQL queries per page (in-process, Django's test client), and the same page with a
  handful of products, to show the count does not grow with the products on the page;
- requests per second and latencies against one Uvicorn process in production mode,
  from a few keep-alive clients on the same machine;
- page weight: a first visit (empty cache) in Chromium at 390 px, home and product page,
  bytes transferred (compressed as sent).

    make bench-shop                      # SQLite scratch database
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongfu_bench make bench-shop
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

POPULATE = r"""
import random, sys
from decimal import Decimal
from django.db import transaction
from oscar.core.loading import get_model
from market.models import Village
from market.search.index import rebuild

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

total, villages_wanted = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
PRODUCE = ["土蜂蜜", "槐花蜜", "西红柿", "樱桃番茄", "黄瓜", "小米", "绿豆", "香油", "苹果", "黄桃", "葡萄",
           "玉米", "地瓜", "马铃薯", "南瓜", "草莓", "甜瓜", "核桃", "土鸡蛋", "茄子", "青椒", "生菜"]
PACKS = ["500g", "1kg", "2.5kg", "3斤", "5斤装", "10斤礼盒", "6穗", "30枚"]
with transaction.atomic():
    for n in range(Village.objects.count(), villages_wanted):
        partner = Partner.objects.create(name=f"压测村{n:02d}", code=f"bench-{n:02d}")
        Village.objects.create(partner=partner, name=f"压测村{n:02d}", slug=f"bench-{n:02d}", location="压测街道")
    partners = list(Partner.objects.filter(village__isnull=False))
    product_class = ProductClass.objects.get(slug="produce")
    categories = list(Category.objects.exclude(slug="silver"))
    existing = Product.objects.count()
    products = [Product(title=f"{rng.choice(partners).name}{rng.choice(PRODUCE)} {rng.choice(PACKS)}",
                        slug=f"bench-{i}", structure="standalone", product_class=product_class,
                        description="压测商品。当天采摘，第二天送到社区自提点。")
                for i in range(existing, total)]
    Product.objects.bulk_create(products, batch_size=1000)
    products = list(Product.objects.filter(slug__startswith="bench-"))
    StockRecord.objects.bulk_create(
        [StockRecord(product=p, partner=rng.choice(partners), partner_sku=f"bench-{p.pk}",
                     price=Decimal(rng.randrange(990, 12800)) / 100, price_currency="CNY", num_in_stock=100)
         for p in products], batch_size=1000)
    ProductCategory.objects.bulk_create(
        [ProductCategory(product=p, category=rng.choice(categories)) for p in products], batch_size=1000)
# the big category for the page tests, and a small one (a handful of products) to compare with
small = Category.add_root(name="压测小分类", slug="bench-small")
ProductCategory.objects.bulk_create([ProductCategory(product=p, category=small) for p in products[:3]])
rebuild()
big = Category.objects.get(slug="vegetables")
product = Product.objects.get(stockrecords__partner_sku="sangzidian-01")  # a demo product, with its photo
print("PAGES " + __import__("json").dumps({
    "big_category": big.get_absolute_url(), "small_category": small.get_absolute_url(),
    "product": product.get_absolute_url(), "products": Product.objects.count(),
    "villages": Village.objects.count()}))
"""

QUERIES = r"""
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
setup_test_environment()
client = Client()
result = {}
for name, url in json.loads(sys.argv[1]).items():
    client.get(url)  # warm: thumbnails made, caches filled, as on a running site
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    result[name] = {"queries": len(queries.captured_queries),
                    "cards": response.content.decode().count('class="p-card"')}
print("QUERIES " + json.dumps(result))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, stdin=None):
    out = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True,
                         input=stdin, capture_output=True, text=True, timeout=3600)
    return out.stdout


def marked(output, mark):
    return json.loads(next(line for line in output.splitlines() if line.startswith(mark + " "))[len(mark) + 1:])


def load(port, path, seconds, clients):
    """Keep-alive clients fetching one path as fast as they can: (requests per second, latencies in ms)."""
    latencies, errors, stop = [], [], time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, f"{path}: {errors[:5]}"
    return len(latencies) / (time.monotonic() - began), latencies


def page_weight(site, path):
    """Bytes a first visit transfers in Chromium at 390 px (bodies as sent, plus headers)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        requests = []
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(site + path, wait_until="networkidle")
        total, by_type = 0, {}
        for request in requests:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += size
            by_type[request.resource_type] = by_type.get(request.resource_type, 0) + size
        browser.close()
    return total, by_type, len(requests)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongfu-bench-shop-"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", MEDIA_ROOT=str(work / "media"),
                DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"),
                STATIC_ROOT=str(work / "static"))
    dev = {**base, "DJANGO_DEBUG": "0"}
    prod = {**base, "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SERVE_MEDIA": "1"}
    print(f"scratch: {work} ({'PostgreSQL' if base['DATABASE_URL'].startswith('postgres') else 'SQLite'})", flush=True)
    started = time.monotonic()
    if base["DATABASE_URL"].startswith("postgres"):
        manage(dev, "flush", "--noinput")
    manage(dev, "migrate", "--noinput", "-v", "0")
    manage(dev, "seed_demo", "-v", "0")
    pages = marked(manage(dev, "shell", "-c", POPULATE.replace("sys.argv[1]", str(args.products))
                          .replace("sys.argv[2]", str(args.villages))), "PAGES")
    print(f"loaded {pages['products']} products across {pages['villages']} villages in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    urls = {"/shop/": "/shop/", "category (big)": pages["big_category"], "category (3 products)": pages["small_category"],
            "product page": pages["product"], "search 蜂蜜": "/shop/search/?q=%E8%9C%82%E8%9C%9C",
            "search fanqie": "/shop/search/?q=fanqie"}
    queries = marked(manage(dev, "shell", "-c", QUERIES.replace("sys.argv[1]", repr(json.dumps(urls)))), "QUERIES")

    manage(prod, "collectstatic", "--noinput", "-v", "0")
    port = free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--no-access-log", "--lifespan", "off"],
                              cwd=ROOT, env=prod, stdout=log, stderr=log)
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(site + "/shop/", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        print(f"\n{'page':<24}{'cards':>6}{'queries':>9}{'alone ms':>10}{'req/s':>8}{'median ms':>11}{'p95 ms':>8}")
        for name, url in urls.items():
            load(port, url, 1, 2)  # warm
            _rps, alone = load(port, url, 2, 1)  # one client: how long a page takes to answer
            rps, latencies = load(port, url, args.seconds, args.clients)
            p95 = statistics.quantiles(latencies, n=20)[-1]
            print(f"{name:<24}{queries[name]['cards']:>6}{queries[name]['queries']:>9}{statistics.median(alone):>10.0f}"
                  f"{rps:>8.1f}{statistics.median(latencies):>11.0f}{p95:>8.0f}", flush=True)
        print(f"\n(alone: the median of one client's requests; then {args.clients} keep-alive clients for "
              f"{args.seconds:.0f} s a page; one Uvicorn process, production settings, {os.cpu_count()} CPUs "
              f"shared with the clients)")
        print("\nfirst visit in Chromium at 390 px (empty cache), bytes transferred:")
        for name, path in (("home /", "/"), ("product page", pages["product"])):
            total, by_type, count = page_weight(site, path)
            parts = ", ".join(f"{kind} {size / 1024:.0f} KB" for kind, size in sorted(by_type.items(), key=lambda x: -x[1]))
            print(f"  {name:<14} {total / 1024:6.0f} KB in {count} requests ({parts})", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    main()
