"""我的: a resident's own orders (pickup codes on top), reservations, points and settings; nobody else's."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from accounts.models import SendQuota, VerifiedMobile
from cms import points
from market.models import PickupPoint
from market.shipping.repository import Pickup, PostalDelivery

from .conftest import login_client, verified_resident

User = get_user_model()
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


def order_for(user, status, title, point=None):
    basket = factories.create_basket(empty=True)
    basket.add_product(Product.objects.get(title=title), 1)
    order = factories.create_order(basket=basket, user=user, shipping_method=Pickup(point) if point else PostalDelivery())
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


@pytest.fixture
def shopper(db):
    user = verified_resident("mine_wang", "13912340100", last_name="王", first_name="小红")
    point = PickupPoint.objects.get(community__slug="chaoyangjie")
    orders = {
        "ready": order_for(user, settings.ORDER_STATUS_AT_PICKUP, "桑梓土蜂蜜 500g", point),
        "coming": order_for(user, settings.ORDER_STATUS_PLACED, "普罗旺斯西红柿 5斤装", point),
        "unpaid": order_for(user, settings.ORDER_STATUS_AWAITING_PAYMENT, "桑梓槐花蜜 1kg", point),
        "posted": order_for(user, settings.ORDER_STATUS_SHIPPED, "核桃 1kg"),
        "collected": order_for(user, settings.ORDER_STATUS_COLLECTED, "桑梓小米 2.5kg", point),
    }
    points.correct(user, 320, None, None, "测试起始积分")
    client = Client()
    client.force_login(user)
    return user, client, orders


def test_the_pickup_codes_come_first_then_what_waits_for_payment_or_the_post(shopper):
    user, client, orders = shopper
    page = client.get("/me/").content.decode()
    ready, coming = orders["ready"].delivery.pickup_code, orders["coming"].delivery.pickup_code
    # the order that has arrived first, then the one on its way; each with its code, QR and point
    assert page.index(ready) < page.index(coming) < page.index("待支付") < page.index("邮寄中")
    assert page.count('class="pickup-card__qr"') == 2 and "已到货，可以取了" in page
    assert "朝阳街社区党群服务中心自提点" in page and "营业时间" in page
    assert f'/shop/orders/{orders["unpaid"].number}/pay/' in page and "去支付" in page
    assert "已发货" in page
    assert orders["collected"].delivery.pickup_code not in page  # collected: no code to show
    assert ">320<" in page.replace("<strong>", ">").replace("</strong>", "<")
    assert '<a href="/me/" aria-current="page">' in page  # the 我的 tab is lit


def test_all_orders_show_their_status_and_nobody_elses(shopper):
    user, client, orders = shopper
    page = client.get("/me/orders/").content.decode()
    for status in ("已送达自提点", "待备货", "待支付", "已发货", "已取货"):
        assert status in page
    assert "核桃 1kg × 1" in page
    someone_else = Order.objects.exclude(user=user).exclude(user=None).first()
    assert someone_else.number not in page and someone_else.number not in client.get("/me/").content.decode()
    assert client.get("/shop/accounts/orders/")["Location"] == "/me/orders/"


@pytest.mark.django_db
def test_an_order_placed_by_a_worker_says_so():
    elder = login_client(Client(), "elder")
    page = elder.get("/me/").content.decode()
    assert "刘晓梅替您下单" in page
    order = Order.objects.filter(user__username="elder", delivery__placed_by__username="worker").first()
    assert order.delivery.pickup_code in page


@pytest.mark.django_db
def test_the_account_menu_has_no_email_history_alerts_or_profile():
    page = login_client(Client(), "resident").get("/shop/accounts/addresses/").content.decode()
    for gone in ("/shop/accounts/emails/", "/shop/accounts/alerts/", "/shop/accounts/profile/"):
        assert gone not in page
    assert 'href="/me/settings/"' in page


def test_a_new_mobile_needs_the_code_sent_to_it(shopper, monkeypatch, capsys, django_capture_on_commit_callbacks):
    user, client, _orders = shopper
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def code_sent_to(number):
        capsys.readouterr()
        call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
        return re.search(rf"to {number}: .*?验证码是 (\d{{6}})", capsys.readouterr().out).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/settings/mobile/", {"mobile": "139 1234 0199", "action": "send"})
    code = code_sent_to("13912340199")
    page = client.post("/me/settings/mobile/", {"mobile": "13912340199", "code": "000000" if code != "000000" else "111111",
                                                "action": "change"}).content.decode()
    assert "验证码不对" in page and VerifiedMobile.objects.get(user=user).number == "13912340100"
    response = client.post("/me/settings/mobile/", {"mobile": "13912340199", "code": code, "action": "change"})
    assert response.status_code == 302 and VerifiedMobile.objects.get(user=user).number == "13912340199"

    # a number another account verified stays theirs
    SendQuota.objects.update(last_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/settings/mobile/", {"mobile": "13805310001", "action": "send"})
    code = code_sent_to("13805310001")
    page = client.post("/me/settings/mobile/", {"mobile": "13805310001", "code": code, "action": "change"})
    assert "这个手机号已绑定另一个账号" in page.content.decode()
    assert VerifiedMobile.objects.get(number="13805310001").user.username == "resident"


def test_an_account_made_with_a_code_can_set_a_password_and_log_in_with_its_mobile(shopper):
    user, client, _orders = shopper
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get("/me/settings/password/").content.decode()
    assert "设置密码" in page and "old_password" not in page
    response = client.post("/me/settings/password/", {"new_password1": "Qingshan-2026", "new_password2": "Qingshan-2026"})
    assert response.status_code == 302
    other = Client()
    response = other.post("/accounts/login/", {"username": "13912340100", "password": "Qingshan-2026"})
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_app_can_be_installed_and_its_offline_page_is_the_same_for_everyone(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"].startswith("/")
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    for icon in data["icons"]:  # files the site serves (collectstatic gathers them)
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and "no-cache" in worker["Cache-Control"]
    body = worker.content.decode()
    assert "workbox-sw.js" in body and '["/me/", "/events/mine/"]' in body and "googleapis" not in body
    anonymous = client.get("/offline/").content.decode()
    signed_in = login_client(Client(), "elder").get("/offline/").content.decode()
    strip = lambda page: re.sub(r'nonce="[^"]+"', "", page)  # noqa: E731
    assert strip(anonymous) == strip(signed_in) and "胡奶奶" not in signed_in


@pytest.mark.django_db
def test_only_a_signed_in_personal_page_is_marked_for_keeping_offline(client):
    assert "X-Personal-Page" not in client.get("/me/")  # a redirect to the login page
    elder = login_client(Client(), "elder")
    assert elder.get("/me/")["X-Personal-Page"] == "1"
    assert elder.get("/events/mine/")["X-Personal-Page"] == "1"
    assert "X-Personal-Page" not in elder.get("/shop/")


def test_addresses_are_added_and_edited_in_the_chinese_form_and_nobody_elses_are_reachable(shopper):
    user, client, orders = shopper
    form = client.get("/shop/accounts/addresses/add/").content.decode()
    for label in ("收货人", "手机号", "省", "市", "区/县", "详细地址"):
        assert f">{label}" in form
    assert "postcode" not in form and "Country" not in form and "国家" not in form
    # a wrong district for the city: refused with the reason, nothing typed is lost
    address = {"first_name": "王小红", "phone_number": "+86 139-1234-0100", "state": "山东省", "line4": "济南市",
               "line3": "朝阳区", "line1": "朝阳街 8 号 2 单元 301", "notes": "放门卫室"}
    page = client.post("/shop/accounts/addresses/add/", address).content.decode()
    assert "这个区县不在所选城市里" in page and "朝阳街 8 号 2 单元 301" in page
    response = client.post("/shop/accounts/addresses/add/", {**address, "line3": "市中区"})
    assert response.status_code == 302
    saved = user.addresses.get()
    assert (saved.state, saved.line4, saved.line3, saved.country_id) == ("山东省", "济南市", "市中区", "CN")
    assert saved.phone_number.national_number == 13912340100
    listing = client.get("/shop/accounts/addresses/").content.decode()
    assert "山东省 济南市 市中区 朝阳街 8 号 2 单元 301" in listing and "新增收货地址" in listing

    client.post(f"/shop/accounts/addresses/{saved.pk}/", {**address, "line3": "历下区", "line1": "泉城路 1 号"})
    saved.refresh_from_db()
    assert (saved.line3, saved.line1) == ("历下区", "泉城路 1 号")

    stranger = Client()
    stranger.force_login(User.objects.get(username="resident"))
    assert stranger.get(f"/shop/accounts/addresses/{saved.pk}/").status_code == 404
    assert stranger.post(f"/shop/accounts/addresses/{saved.pk}/delete/").status_code == 404
    assert "确定删除这个地址吗" in client.get(f"/shop/accounts/addresses/{saved.pk}/delete/").content.decode()
    client.post(f"/shop/accounts/addresses/{saved.pk}/delete/")
    assert not user.addresses.exists()
