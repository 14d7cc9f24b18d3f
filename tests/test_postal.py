"""
邮政配送: a Chinese address (收货人, 手机号, 省/市/区 from the official list, 详细地址, 配送备注),
three pages from basket to placed; the village posts it with a tracking number, the buyer sees
待发货 → 已发货 (with the number) → 已签收 and confirms receipt; nobody else can.
"""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from .conftest import login_client
from .test_pickup import to_delivery_page

Order = get_model("order", "Order")

ADDRESS = {"first_name": "陈娜", "phone_number": "138 0531 0001", "state": "山东省", "line4": "济南市",
           "line3": "天桥区", "line1": "制锦市街道朝阳街 8 号 2 单元 301", "notes": "放门卫室"}


def to_address_page(client):
    to_delivery_page(client)
    response = client.post("/shop/checkout/delivery/", {"method": "postal"})
    assert response["Location"] == "/shop/checkout/shipping-address/"
    return client.get("/shop/checkout/shipping-address/")


def place_postal(client, **overrides):
    to_address_page(client)
    response = client.post("/shop/checkout/shipping-address/", {**ADDRESS, **overrides})
    assert response.status_code == 302 and response["Location"] == "/shop/checkout/preview/", \
        response.content.decode()[:2000]
    preview = client.get("/shop/checkout/preview/").content.decode()
    assert "天桥区" in preview and "13805310001" in preview
    assert client.post("/shop/checkout/preview/", {"action": "place_order"})["Location"] == "/shop/checkout/thank-you/"
    return Order.objects.filter(user__username="resident").latest("date_placed")


@pytest.mark.django_db
def test_the_address_form_is_chinese_and_bad_input_keeps_what_was_typed(resident_client):
    html = to_address_page(resident_client).content.decode()
    for field in ("收货人", "手机号", "省", "区/县", "详细地址", "配送备注"):
        assert field in html
    for western in ('name="last_name"', 'name="postcode"', 'name="line2"', "邮编", "名字"):
        assert western not in html
    assert '<option value="山东省">山东省</option>' in html
    response = resident_client.post("/shop/checkout/shipping-address/", {**ADDRESS, "line4": "杭州市", "line1": "",
                                                                          "phone_number": "12345"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "这个城市不在所选省份里" in html and "请填写 11 位手机号" in html
    assert "放门卫室" in html and '<option value="山东省" selected>' in html
    assert '<option value="济南市">济南市</option>' in html  # the province's cities, listed without a script
    assert not Order.objects.filter(user__username="resident").exists()


@pytest.mark.django_db
def test_a_postal_order_is_posted_with_a_tracking_number_and_confirmed_by_its_buyer(resident_client):
    order = place_postal(resident_client)
    address = order.shipping_address
    assert (address.state, address.line4, address.line3, address.notes) == ("山东省", "济南市", "天桥区", "放门卫室")
    assert order.delivery.pickup_point is None and order.status == "待备货"
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert 'aria-current="step">待发货' in page and "确认收货" not in page
    # too early to confirm
    resident_client.post(f"/shop/orders/{order.number}/received/")
    order.refresh_from_db()
    assert order.status == "待备货"

    secretary = login_client(Client(), "secretary")
    orders_page = secretary.get("/village/orders/").content.decode()
    assert order.number in orders_page and "天桥区" in orders_page and "13805310001" not in orders_page
    refused = secretary.post(f"/village/orders/{order.number}/shipped/", {"tracking_number": "?"}, follow=True)
    assert "请填写快递单号" in refused.content.decode()
    secretary.post(f"/village/orders/{order.number}/shipped/", {"tracking_number": "YZ 9876 5432 1CN"})
    order.refresh_from_db()
    assert order.status == "已发货"
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "YZ98765432" in page and 'aria-current="step">已发货' in page and "确认收货" in page

    # another resident cannot confirm it; its buyer can, once
    other = login_client(Client(), "elder")
    other.post(f"/shop/orders/{order.number}/received/")
    order.refresh_from_db()
    assert order.status == "已发货"
    resident_client.post(f"/shop/orders/{order.number}/received/")
    order.refresh_from_db()
    assert order.status == "已签收"
    assert all(line.status == "已签收" for line in order.lines.all())
    # paid on receipt: the buyer's 确认收货 records no money (F8); the village that collects it does, once
    source = order.sources.get()
    assert source.source_type.code == "pay-at-pickup" and source.amount_debited == 0
    refused = login_client(Client(), "secretary_damiaotun").post(f"/village/orders/{order.number}/cash/", follow=True)
    assert "这张订单没有本村的商品" in refused.content.decode()
    source.refresh_from_db()
    assert source.amount_debited == 0  # another village has no lines in it
    orders_page = secretary.get("/village/orders/").content.decode()
    assert f"/village/orders/{order.number}/cash/" in orders_page
    done = secretary.post(f"/village/orders/{order.number}/cash/", follow=True).content.decode()
    assert "货款已登记" in done
    source.refresh_from_db()
    assert source.amount_debited == order.total_incl_tax
    again = secretary.post(f"/village/orders/{order.number}/cash/", follow=True).content.decode()
    assert "没有待收的货款" in again
    source.refresh_from_db()
    assert source.amount_debited == order.total_incl_tax


@pytest.mark.django_db
def test_another_village_cannot_post_an_order_it_has_no_lines_in(resident_client):
    order = place_postal(resident_client)  # 桑梓店村's honey only
    damiaotun = login_client(Client(), "secretary_damiaotun")
    response = damiaotun.post(f"/village/orders/{order.number}/shipped/", {"tracking_number": "YZ12345678CN"},
                              follow=True)
    assert "这张订单没有本村待发货的商品" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "待备货" and not order.shipping_events.exists()
