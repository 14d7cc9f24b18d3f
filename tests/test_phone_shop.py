"""What residents noticed while shopping on a phone."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from .conftest import login_client

Product = get_model("catalogue", "Product")


@pytest.mark.django_db
def test_adding_to_the_basket_says_so_in_chinese_and_english():
    client = login_client(Client(), "resident")
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    page = client.post(f"/shop/basket/add/{honey.pk}/", {"quantity": 1}, follow=True).content.decode()
    assert "已加入购物车" in page and "购物车合计" in page and "Your basket" not in page
    client.cookies["django_language"] = "en"
    page = client.post(f"/shop/basket/add/{honey.pk}/", {"quantity": 2}, follow=True).content.decode()
    assert "added to the basket" in page and "Basket total" in page and "已加入" not in page


@pytest.mark.django_db
def test_the_basket_shows_the_residents_own_pickup_point_as_checkout_does():
    client = login_client(Client(), "resident")  # 朝阳街社区
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    client.post(f"/shop/basket/add/{honey.pk}/", {"quantity": 1})
    page = client.get("/shop/basket/").content.decode()
    assert "社区自提 · 朝阳街社区" in page and "云湖" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("hour,says,not_says", [(10, "今天 20:00 前下单", "现在下单"), (21, "现在下单", "20:00 前下单")])
def test_the_product_page_never_promises_today_after_the_cutoff(client, settings, hour, says, not_says):
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    settings.SHOP_DELIVERY_CUTOFF_HOUR = 20
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    at = datetime(2026, 12, 4, hour, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=at):
        page = client.get(honey.get_absolute_url()).content.decode()
    assert says in page and not_says not in page
    assert ("12月6日送到自提点" if hour == 21 else "12月5日送到自提点") in page
