"""
A local stand-in for Stripe's API, reached by the real ``stripe`` client
through STRIPE_API_BASE (Stripe's servers cannot be reached from here).

It answers the endpoints the site calls with Stripe-shaped JSON, keeps
Stripe's idempotency (the same key gives the same answer), records every
request so tests can assert what was sent, and has a hosted "payment page"
(/pay/<session>) that completes the session and delivers the webhook signed
with Stripe's real scheme, as Stripe Checkout would.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

WEBHOOK_SECRET = "whsec_test_gongfu"
SECRET_KEY = "sk_test_gongfu"


def sign(payload, secret=WEBHOOK_SECRET, timestamp=None):
    """The Stripe-Signature header for a payload: t=<unix time>,v1=HMAC-SHA256(secret, "t.payload")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def unflatten(pairs):
    """Stripe's form encoding (line_items[0][price_data][unit_amount]=…) back into dicts and lists."""
    root = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def lists(node):
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                return [lists(node[k]) for k in sorted(node, key=int)]
            return {k: lists(v) for k, v in node.items()}
        return node

    return lists(root)


class FakeStripe:
    def __init__(self):
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.webhook_url = None  # the site's webhook, for the pay page's deliveries (set by tests/e2e.py)
        self.reset()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self):
        self.requests, self.sessions, self.refunds, self.answers = [], {}, {}, {}
        self.intents = {}
        self.refund_status = "succeeded"
        self.fail = False  # answer every API call with a 500 (Stripe down)
        self.lose_answers = 0  # do the next N calls, then drop the connection before answering

    def close(self):
        self.server.shutdown()

    def new_id(self, prefix):
        return f"{prefix}_test_{next(self.counter):06d}"

    # --- what tests and the pay page use ------------------------------------------
    def event(self, type_, obj, event_id=None):
        return {"id": event_id or self.new_id("evt"), "object": "event", "type": type_, "api_version": "2025-01-01",
                "created": int(time.time()), "livemode": False, "data": {"object": obj}}

    def complete(self, session_id, payment_status="paid", amount=None, currency=None):
        """The buyer paid on Stripe's page (or, unpaid, started an async payment): the session is complete;
        returns checkout.session.completed."""
        with self.lock:
            session = self.sessions[session_id]
            session.update(status="complete", payment_status=payment_status,
                           payment_intent=session["payment_intent"] or self.new_id("pi"))
            self.intents[session["payment_intent"]] = {
                "id": session["payment_intent"], "object": "payment_intent", "amount": session["amount_total"],
                "currency": session["currency"],
                "status": "succeeded" if payment_status == "paid" else "processing"}
            obj = dict(session)
        if amount is not None:
            obj["amount_total"] = amount
        if currency is not None:
            obj["currency"] = currency
        return self.event("checkout.session.completed", obj)

    def settle_intent(self, payment_intent, status):
        """An async payment ends at Stripe ("succeeded": the session is paid; "requires_payment_method")."""
        with self.lock:
            self.intents[payment_intent]["status"] = status
            if status == "succeeded":
                for session in self.sessions.values():
                    if session["payment_intent"] == payment_intent:
                        session["payment_status"] = "paid"

    def refund_in_dashboard(self, payment_intent, amount):
        """An operator refunds in Stripe's own dashboard: the site hears of it only by charge.refunded."""
        refund = {"id": self.new_id("re"), "object": "refund", "amount": amount, "currency": "cny",
                  "payment_intent": payment_intent, "status": "succeeded", "metadata": {}}
        self.refunds[refund["id"]] = refund
        return self.charge_refunded(payment_intent)

    def expire(self, session_id):
        with self.lock:
            self.sessions[session_id]["status"] = "expired"
            return self.event("checkout.session.expired", dict(self.sessions[session_id]))

    def charge_refunded(self, payment_intent):
        refunds = [r for r in self.refunds.values() if r["payment_intent"] == payment_intent]
        return self.event("charge.refunded", {
            "id": self.new_id("ch"), "object": "charge", "payment_intent": payment_intent,
            "amount_refunded": sum(r["amount"] for r in refunds), "refunded": True,
            "refunds": {"object": "list", "data": refunds}})

    def deliver(self, event, url=None):
        """POST an event to the site's webhook, signed; returns the HTTP status."""
        payload = json.dumps(event)
        request = urllib.request.Request(url or self.webhook_url, data=payload.encode(), method="POST", headers={
            "Content-Type": "application/json", "Stripe-Signature": sign(payload)})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def calls(self, method, path_prefix):
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    # --- the API ---------------------------------------------------------------------
    def create_session(self, params):
        session_id = self.new_id("cs")
        items = params.get("line_items", [])
        amount = sum(int(item["quantity"]) * int(item["price_data"]["unit_amount"]) for item in items)
        session = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
            "url": f"{self.url}/pay/{session_id}", "amount_total": amount, "amount_subtotal": amount,
            "currency": items[0]["price_data"]["currency"] if items else params.get("currency"),
            "client_reference_id": params.get("client_reference_id"), "metadata": params.get("metadata", {}),
            "payment_method_types": params.get("payment_method_types", []), "status": "open",
            "payment_status": "unpaid", "payment_intent": None, "expires_at": int(params["expires_at"]),
            "success_url": params.get("success_url"), "cancel_url": params.get("cancel_url"),
            "created": int(time.time()), "livemode": False,
        }
        self.sessions[session_id] = session
        return 200, session

    def api(self, method, path, params):
        if self.fail:
            return 500, {"error": {"type": "api_error", "message": "fake Stripe is down"}}
        match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)(/expire)?", path)
        if method == "POST" and path == "/v1/checkout/sessions":
            return self.create_session(params)
        if method == "GET" and path == "/v1/checkout/sessions":
            since = int(params.get("created", {}).get("gte", 0))
            data = [s for s in self.sessions.values() if s["created"] >= since]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/checkout/sessions"}
        if match and match.group(1) in self.sessions:
            session = self.sessions[match.group(1)]
            if match.group(2):
                if session["status"] != "open":
                    return 400, {"error": {"type": "invalid_request_error", "message": "Session is not open"}}
                session["status"] = "expired"
            return 200, session
        intent = re.fullmatch(r"/v1/payment_intents/([\w]+)", path)
        if method == "GET" and intent and intent.group(1) in self.intents:
            return 200, self.intents[intent.group(1)]
        if method == "POST" and path == "/v1/refunds":
            refund = {"id": self.new_id("re"), "object": "refund", "amount": int(params["amount"]),
                      "currency": "cny", "payment_intent": params["payment_intent"], "status": self.refund_status,
                      "metadata": params.get("metadata", {})}
            self.refunds[refund["id"]] = refund
            return 200, refund
        return 404, {"error": {"type": "invalid_request_error", "message": f"No such resource: {path}"}}

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, content_type="application/json", headers=()):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def handle_api(self, method):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = unflatten(parse_qsl(body or url.query, keep_blank_values=True))
                if url.path.startswith("/pay/"):
                    return self.pay_page(method, url.path.rsplit("/", 1)[1], params)
                key = self.headers.get("Idempotency-Key")
                with fake.lock:
                    fake.requests.append({"method": method, "path": url.path, "params": params,
                                          "idempotency_key": key,
                                          "authorization": self.headers.get("Authorization")})
                    if key and (method, key) in fake.answers:
                        sent, status, answer = fake.answers[(method, key)]
                        if sent != params:  # Stripe: a key can only be used again with the same parameters
                            status, answer = 400, {"error": {
                                "type": "idempotency_error",
                                "message": "Keys for idempotent requests can only be used with the same "
                                           "parameters they were first used with."}}
                    else:
                        status, answer = fake.api(method, url.path, params)
                        if key and status < 500:
                            fake.answers[(method, key)] = (params, status, answer)
                    lost = fake.lose_answers > 0
                    fake.lose_answers -= 1 if lost else 0
                if lost:  # done at "Stripe", but the answer never reaches the site
                    self.close_connection = True
                    self.connection.close()
                    return
                self.reply(status, answer, headers=[("Request-Id", fake.new_id("req"))])

            def pay_page(self, method, session_id, params):
                session = fake.sessions.get(session_id)
                if session is None:
                    return self.reply(404, "<h1>No such session</h1>", "text/html; charset=utf-8")
                if method == "GET":
                    total = session["amount_total"] / 100
                    return self.reply(200, f"""<!doctype html><html lang="zh"><meta charset="utf-8">
<title>Stripe Checkout (test)</title><h1>支付 ¥{total:.2f}</h1>
<form method="post"><button name="method" value="card">用银行卡支付</button>
<button name="method" value="alipay">支付宝</button><button name="method" value="wechat_pay">微信支付</button></form>
<a href="{session['cancel_url']}">返回商家</a></html>""", "text/html; charset=utf-8")
                event = fake.complete(session_id)
                threading.Timer(0.5, fake.deliver, args=(event,)).start()  # webhooks arrive a little later
                self.send_response(303)
                self.send_header("Location", session["success_url"])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                self.handle_api("GET")

            def do_POST(self):
                self.handle_api("POST")

        return Handler
