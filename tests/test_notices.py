"""One notification module: every notice once (even when its task runs twice), in the site, by email,
by Web Push through pywebpush to a fake push service (the payload decrypted as a phone would), and by
SMS to those no push reached."""

import base64
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from oscar.core.loading import get_model

from cms.tasks import notify_promoted
from live.tasks import notify_went_live
from market.models import PickupPoint
from market.tasks import notify_delivered
from notices.models import Notice, PushSubscription
from notices.notify import notify

from .conftest import verified_resident
from .test_mine import order_for

Notification = get_model("communication", "Notification")


def b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class PushService:
    """A push service (what FCM or Mozilla's autopush do): takes encrypted POSTs at /push/<id>; answers
    410 for ids marked gone."""

    def __init__(self):
        self.received, self.gone = [], set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                name = self.path.rsplit("/", 1)[-1]
                service.received.append({"id": name, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(410 if name in service.gone else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/push/"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


class Phone:
    """A browser's side of a subscription: its own key pair and auth secret, as PushManager makes them."""

    def __init__(self, service, name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = service.url + name
        self.name = name

    def subscription(self):
        public = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def read(self, pushed):
        return json.loads(http_ece.decrypt(pushed["body"], private_key=self.key, auth_secret=self.auth,
                                           version="aes128gcm"))


def subscribe(client, phone):
    return client.post("/me/push/", json.dumps(phone.subscription()), content_type="application/json")


@pytest.fixture
def buyer(db):
    user = verified_resident("notice_li", "13912340200", last_name="李", first_name="秀英")
    client = Client()
    client.force_login(user)
    point = PickupPoint.objects.get(community__slug="chaoyangjie")
    order = order_for(user, settings.ORDER_STATUS_AT_PICKUP, "桑梓土蜂蜜 500g", point)
    return user, client, order


def queued_sms():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="accounts.tasks.send_sms").values_list("args_kwargs", flat=True))


@pytest.fixture
def sent():
    """Runs a task as the worker does."""
    return lambda task, *args: task.call(*args)


def test_a_delivered_order_is_pushed_to_her_phone_once_even_when_the_task_runs_twice(buyer, push_service, sent):
    user, client, order = buyer
    phone = Phone(push_service, "li-phone")
    answer = subscribe(client, phone)
    assert answer.status_code == 200 and answer.json()["on"] is True
    settings_page = client.get("/me/settings/").content.decode()
    assert "手机通知" in settings_page and "已在 1 台设备开启" in settings_page

    line_ids = list(order.lines.values_list("pk", flat=True))
    assert sent(notify_delivered, line_ids) == 1
    assert sent(notify_delivered, line_ids) == 0  # the worker ran it again: nothing more is sent

    assert Notification.objects.filter(recipient=user, subject__contains="已送达自提点").count() == 1
    assert len(push_service.received) == 1
    pushed = push_service.received[0]
    assert pushed["headers"]["content-encoding"] == "aes128gcm"
    assert pushed["headers"]["authorization"].startswith("vapid t=")  # signed with the site's VAPID key
    notice = phone.read(pushed)  # what the phone shows
    assert notice["title"] == f"订单 {order.number} 已送达自提点"
    assert order.delivery.pickup_code in notice["body"] and "朝阳街社区党群服务中心自提点" in notice["body"]
    assert notice["url"] == f"/shop/accounts/orders/{order.number}/"
    assert queued_sms() == []  # the push reached her: no text message on top


def test_when_the_phone_turned_notifications_off_she_gets_a_text_message_instead(buyer, push_service, capsys, sent,
                                                                                 monkeypatch):
    user, client, order = buyer
    phone = Phone(push_service, "old-phone")
    subscribe(client, phone)
    push_service.gone.add("old-phone")

    sent(notify_delivered, list(order.lines.values_list("pk", flat=True)))

    assert not PushSubscription.objects.filter(user=user).exists()  # the push service said 410: forgotten
    assert len(queued_sms()) == 1 and str(order.delivery.pickup_code) not in queued_sms()[0]  # sealed in the queue
    capsys.readouterr()
    # the worker runs inside this test's transaction: it must not close the connection between tasks
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    printed = capsys.readouterr().out
    assert re.search(rf"to 13912340200: .*您的订单已送达朝阳街社区党群服务中心自提点，取货码 {order.delivery.pickup_code}",
                     printed)


def test_go_live_reaches_every_subscriber_once_and_never_by_sms(db, push_service, sent):
    from live.models import LiveSession

    session = LiveSession.objects.filter(status=LiveSession.Status.SCHEDULED).first()
    fans = [verified_resident(f"fan_{n}", f"1391234030{n}") for n in range(3)]
    session.subscribers.add(*fans)
    client = Client()
    client.force_login(fans[0])
    phone = Phone(push_service, "fan-0")
    subscribe(client, phone)

    assert sent(notify_went_live, session.pk) == 3
    assert sent(notify_went_live, session.pk) == 0
    assert Notification.objects.filter(recipient__in=fans, subject__contains=session.title).count() == 3
    assert [phone.read(p)["title"] for p in push_service.received] == [f"开播啦：{session.title}"]
    assert queued_sms() == []  # 开播提醒 is not worth a text message to anyone


def test_a_resident_taken_off_the_waitlist_is_told_once(db, sent):
    from cms.models import Reservation

    reservation = Reservation.objects.filter(status=Reservation.Status.CONFIRMED).select_related("user").first()
    reservation.user.email = "li@example.cn"
    reservation.user.save()
    assert sent(notify_promoted, [reservation.pk]) == 1
    assert sent(notify_promoted, [reservation.pk]) == 0
    assert Notification.objects.filter(recipient=reservation.user, subject__startswith="候补成功").count() == 1
    assert len(mail.outbox) == 1 and reservation.code in mail.outbox[0].body


def test_a_subscription_takes_only_a_push_service_address_and_real_keys(buyer, push_service):
    user, client, order = buyer
    good = Phone(push_service, "li").subscription()
    bad_keys = {**good, "keys": {"p256dh": "AAAA", "auth": good["keys"]["auth"]}}
    for body, message in ((b"not json", "请求格式不对"), (json.dumps({"endpoint": "javascript:alert(1)"}), "推送地址不能用"),
                          (json.dumps(bad_keys), "推送密钥不对")):
        answer = client.post("/me/push/", body, content_type="application/json")
        assert answer.status_code == 400 and message in answer.json()["error"]
    assert not PushSubscription.objects.exists()
    assert Client().post("/me/push/", json.dumps(good), content_type="application/json").status_code == 403
    assert client.get("/me/push/").status_code == 405


def test_production_refuses_push_addresses_inside_the_network(settings):
    from notices.views import allowed_endpoint

    settings.PRODUCTION = True
    assert allowed_endpoint("https://fcm.googleapis.com/fcm/send/abc")
    for inside in ("http://fcm.googleapis.com/x", "https://127.0.0.1/x", "https://10.0.0.5/x", "https://localhost/x",
                   "https://[::1]/x", "https://169.254.169.254/latest"):
        assert not allowed_endpoint(inside), inside


def test_logging_out_stops_this_phones_pushes_for_her(buyer, push_service, sent):
    user, client, order = buyer
    subscribe(client, Phone(push_service, "shared-phone"))
    client.post("/accounts/logout/")
    assert not PushSubscription.objects.filter(user=user).exists()

    sent(notify_delivered, list(order.lines.values_list("pk", flat=True)))
    assert push_service.received == []


def test_turning_it_off_on_this_phone(buyer, push_service):
    user, client, order = buyer
    phone = Phone(push_service, "li")
    subscribe(client, phone)
    answer = client.post("/me/push/", json.dumps({"endpoint": phone.endpoint, "off": True}),
                         content_type="application/json")
    assert answer.json() == {"ok": True, "on": False, "message": "已关闭这台设备的手机通知"}
    assert not PushSubscription.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="threads writing at once need PostgreSQL's row locks (SQLite serialises writers)")
@pytest.mark.django_db(transaction=True)
def test_the_same_notice_sent_by_two_workers_at_once_arrives_once():
    call_command("seed_demo", verbosity=0)
    user = verified_resident("notice_race", "13912340299")
    barrier = threading.Barrier(8)
    results = []

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(notify("delivered", "delivered:race:1", [user], "已送达", "取货码 123456"))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0] * 7 + [1]
    assert Notification.objects.filter(recipient=user).count() == 1 and Notice.objects.count() == 1


def test_a_long_subject_is_cut_to_what_the_inbox_keeps(buyer):
    user, client, order = buyer
    title = "大庙屯村普罗旺斯西红柿 & 樱桃番茄 <礼盒装>" * 12  # a long product title with characters to escape
    assert notify("listing", "listing:long", [user], f"「{title}」审核未通过", "原因：照片看不清") == 1
    stored = Notification.objects.get(recipient=user, subject__startswith="「大庙屯村").subject
    assert len(stored) <= 255 and "&lt;礼盒装&gt;" in stored and "<礼盒装>" not in stored
