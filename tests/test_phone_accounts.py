"""Signing up and logging in with a mainland mobile and an SMS code, through the real views, the
django-tasks worker and the console SMS backend; the Aliyun backend through its real SDK against a
fake server at the HTTP boundary."""

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.utils import reset as reset_axes
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import sms
from accounts.mobile import masked
from accounts.models import SendQuota, SmsCode, VerifiedMobile
from accounts.sms.aliyun import AliyunBackend
from market.models import Community, Resident

User = get_user_model()
NEW = "13912345678"


@pytest.fixture
def worker(monkeypatch, capsys, django_capture_on_commit_callbacks):
    """Sends what the views queued, and returns the codes the console backend printed, by number."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run():
        capsys.readouterr()
        call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
        printed = capsys.readouterr().out
        return {number: code for number, code in re.findall(r"to (\d{11}): .*?验证码是 (\d{6})", printed)}

    return run


def send(client, number, captured):
    with captured(execute=True):
        return client.post("/accounts/code/", {"mobile": number, "action": "send"})


def enter(client, number, code):
    return client.post("/accounts/code/", {"mobile": number, "code": code, "action": "login"})


@pytest.mark.django_db
def test_a_new_resident_signs_up_with_the_code_the_server_printed(client, worker,
                                                                   django_capture_on_commit_callbacks):
    response = send(client, "+86 139-1234-5678", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "验证码已发送到 139****5678" in page
    code = worker()[NEW]
    assert SmsCode.objects.get(number=NEW).code_hash != code  # stored as a keyed hash, never in clear

    response = enter(client, NEW, code)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    page = client.get("/accounts/signup/").content.decode()
    assert "139****5678 已验证" in page and "用户协议" in page and "隐私政策" in page
    community = Community.objects.get(slug="chaoyangjie")
    refused = client.post("/accounts/signup/", {"family_name": "王", "given_name": "小红",
                                                "community": community.pk})
    assert refused.status_code == 200 and "请先阅读并同意用户协议和隐私政策" in refused.content.decode()
    response = client.post("/accounts/signup/", {"family_name": "王", "given_name": "小红",
                                                 "community": community.pk, "agree": "on"})
    assert response.status_code == 302
    user = VerifiedMobile.objects.get(number=NEW).user
    assert (user.last_name, user.first_name, user.email) == ("王", "小红", "")
    assert Resident.objects.get(user=user).community == community
    assert VerifiedMobile.objects.get(number=NEW).agreed_at is not None
    home = client.get("/").content.decode()
    assert "王小红" in home and user.username not in home
    # the next time, the same number and a new code log straight in
    client.post("/accounts/logout/")
    client.cookies.pop("sessionid", None)
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
    send(client, NEW, django_capture_on_commit_callbacks)
    response = enter(client, NEW, worker()[NEW])
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.filter(verified_mobile__number=NEW).count() == 1


@pytest.mark.django_db
def test_staff_log_in_with_a_code_and_land_on_their_own_place(client, worker, django_capture_on_commit_callbacks):
    number = VerifiedMobile.objects.get(user__username="secretary").number
    send(client, number, django_capture_on_commit_callbacks)
    response = enter(client, number, worker()[number])
    assert response.status_code == 302 and response["Location"] == "/village/"
    # and a password still works, with the mobile in place of the username
    other = Client()
    response = other.post("/accounts/login/", {"username": "138 0531 9005", "password": "gongfu2026"})
    assert response.status_code == 302 and response["Location"] == "/pickup/"


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_the_number_has_an_account_or_not(worker, django_capture_on_commit_callbacks):
    pages = []
    for number in ("13805310001", NEW):  # 陈娜's, and nobody's
        client = Client()
        response = send(client, number, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        pages.append(re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "",
                            page.replace(number, "N").replace(masked(number), "M")))
    assert pages[0] == pages[1]
    assert set(worker()) == {"13805310001", NEW}  # both got a code


@pytest.mark.django_db
def test_wrong_expired_reused_and_voided_codes_are_refused(client, worker, django_capture_on_commit_callbacks):
    send(client, NEW, django_capture_on_commit_callbacks)
    code = worker()[NEW]
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = enter(client, NEW, wrong).content.decode()
        assert f"验证码不对，还可以再试 {left} 次" in page
    # the fifth wrong code voids this code, and django-axes (which counts wrong codes as failed logins)
    # pauses this number and address as it does after five wrong passwords
    response = enter(client, NEW, wrong)
    assert response.status_code == 429 and "登录尝试次数过多" in response.content.decode()
    reset_axes()
    page = enter(client, NEW, code).content.decode()  # the right code, too late
    assert "已失效" in page and "_auth_user_id" not in client.session

    # a new code works once; again, it is used up
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
    other = Client()
    send(other, NEW, django_capture_on_commit_callbacks)
    code = worker()[NEW]
    assert enter(other, NEW, code).status_code == 302
    assert "已失效" in enter(Client(), NEW, code).content.decode()

    # expired after five minutes
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
    late = Client()
    send(late, NEW, django_capture_on_commit_callbacks)
    code = worker()[NEW]
    SmsCode.objects.filter(number=NEW).update(sent_at=timezone.now() - timedelta(minutes=5, seconds=1))
    assert "已失效" in enter(late, NEW, code).content.decode()


@pytest.mark.django_db
def test_codes_are_limited_per_number_and_per_address(client, worker, django_capture_on_commit_callbacks, settings):
    send(client, NEW, django_capture_on_commit_callbacks)
    page = send(client, NEW, django_capture_on_commit_callbacks).content.decode()
    assert re.search(r"请 \d+ 秒后再获取验证码", page)
    for _ in range(settings.SMS_CODES_PER_NUMBER_DAY - 1):
        SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
        assert send(client, NEW, django_capture_on_commit_callbacks).status_code == 302
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
    page = send(client, NEW, django_capture_on_commit_callbacks).content.decode()
    assert "今天获取验证码的次数已用完" in page
    assert SmsCode.objects.filter(number=NEW).count() == settings.SMS_CODES_PER_NUMBER_DAY

    settings.SMS_CODES_PER_ADDRESS_DAY = SendQuota.objects.get(key="address:127.0.0.1").sent + 2
    assert send(client, "13700000001", django_capture_on_commit_callbacks).status_code == 302
    assert send(client, "13700000002", django_capture_on_commit_callbacks).status_code == 302
    page = send(client, "13700000003", django_capture_on_commit_callbacks).content.decode()
    assert "这台设备今天获取验证码的次数太多了" in page
    assert not SmsCode.objects.filter(number="13700000003").exists()
    assert "13700000003" not in worker()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1391234567", "23912345678", "139 1234 56789", "abc"])
def test_a_number_that_is_not_a_mainland_mobile_gets_a_clear_message(client, typed):
    response = client.post("/accounts/code/", {"mobile": typed, "action": "send"})
    assert response.status_code == 200 and "请填写 11 位手机号" in response.content.decode()
    assert not SmsCode.objects.exists()


@pytest.mark.django_db
def test_signing_up_needs_a_verified_number_first(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    response = client.post("/accounts/signup/", {"family_name": "王", "given_name": "小红", "agree": "on",
                                                 "community": Community.objects.first().pk})
    assert response.status_code == 302 and not VerifiedMobile.objects.filter(user__last_name="王").exists()


@pytest.mark.django_db
def test_wrong_codes_count_as_failed_logins_for_axes(client, worker, django_capture_on_commit_callbacks, settings):
    number = "13805310001"
    for n in range(settings.AXES_FAILURE_LIMIT):
        SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
        send(client, number, django_capture_on_commit_callbacks)
        enter(client, number, "999999" if n % 2 else "888888")
    code = None
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2), sent=0)
    send(client, number, django_capture_on_commit_callbacks)
    code = worker()[number]
    response = enter(client, number, code)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


# --- the provider backend: Aliyun's SDK against a fake server ----------------------------------------

@pytest.fixture
def fake_aliyun(settings):
    seen, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append({"path": self.path, "headers": dict(self.headers)})
            body = json.dumps(answers.pop(0) if answers else
                              {"Code": "OK", "Message": "OK", "BizId": "900100", "RequestId": "r-1"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "accounts.sms.aliyun.AliyunBackend"
    settings.SMS_ALIYUN_ENDPOINT = f"127.0.0.1:{server.server_port}"
    settings.SMS_ALIYUN_PROTOCOL = "http"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "LTAI-test", "secret"
    settings.SMS_TEMPLATES = {"code": "SMS_4242"}
    yield seen, answers
    server.shutdown()


@pytest.mark.django_db
def test_the_aliyun_backend_sends_the_code_through_its_sdk(client, fake_aliyun, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    seen, _answers = fake_aliyun
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    send(client, NEW, django_capture_on_commit_callbacks)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    assert len(seen) == 1
    query = seen[0]["path"]
    assert "PhoneNumbers=13912345678" in query and "TemplateCode=SMS_4242" in query
    assert seen[0]["headers"]["x-acs-action"] == "SendSms"
    assert seen[0]["headers"]["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI-test")
    code = json.loads(parse_qs(urlsplit(query).query)["TemplateParam"][0])["code"]
    assert enter(client, NEW, code).status_code == 302  # the code Aliyun was asked to send is the one


def test_a_refusal_from_aliyun_is_an_error_not_a_silent_success(fake_aliyun):
    _seen, answers = fake_aliyun
    answers.append({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控", "RequestId": "r-2"})
    with pytest.raises(sms.SmsError, match="BUSINESS_LIMIT_CONTROL"):
        AliyunBackend().send(NEW, "code", {"code": "123456", "minutes": 5})
