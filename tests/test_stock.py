"""
Stock that cannot be oversold, whatever the path: the stock record allocates in a conditional UPDATE
(and the database refuses allocations beyond the stock), a village cannot set its stock below what
orders hold, and a flash sale never offers more units than the shop has. The race through the real
checkout is in test_stock_race.py.
"""

import pytest
from channels.db import database_sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import F
from oscar.core.loading import get_model

from market.partner.models import OutOfStock
from market.search import receivers as search_receivers

from .conftest import login_client
from .test_live_moderation import joined
from .test_live_room import receive_type
from .test_live_sales import flash_frame
from .test_workspace import tomato_form

StockRecord = get_model("partner", "StockRecord")


def honey_record():
    return StockRecord.objects.get(product__title="桑梓土蜂蜜 500g")


@pytest.mark.django_db
def test_an_allocation_beyond_the_stock_is_refused_and_changes_nothing():
    record = honey_record()
    record.num_in_stock, record.num_allocated = 3, 1
    record.save()
    with pytest.raises(OutOfStock) as refusal:
        record.allocate(3)
    assert "「桑梓土蜂蜜 500g」只剩 2 件了" in str(refusal.value)
    record.allocate(2)
    with pytest.raises(OutOfStock) as refusal:
        record.allocate(1)
    assert "「桑梓土蜂蜜 500g」刚刚卖完了" in str(refusal.value)
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (3, 3)


@pytest.mark.django_db
def test_the_database_itself_refuses_more_allocated_than_in_stock():
    record = honey_record()
    record.num_in_stock, record.num_allocated = 3, 3
    record.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=F("num_allocated") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockRecord.objects.filter(pk=record.pk).update(num_in_stock=2)


@pytest.mark.django_db
def test_a_secretary_cannot_set_the_stock_below_what_orders_hold(client):
    product = get_model("catalogue", "Product").objects.get(title="普罗旺斯西红柿 5斤装")
    record = product.stockrecords.get()
    record.num_in_stock, record.num_allocated = 50, 12
    record.save()
    login_client(client, "secretary_damiaotun")
    form = tomato_form(title=product.title, num_in_stock="10", photos=[])
    del form["photos"]
    response = client.post(f"/village/products/{product.pk}/", form)
    html = response.content.decode()
    assert response.status_code == 200 and "已有 12 件被还没交付的订单占用，库存不能少于 12 件" in html
    record.refresh_from_db()
    assert record.num_in_stock == 50
    response = client.post(f"/village/products/{product.pk}/", {**form, "num_in_stock": "12"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (12, 12)


@pytest.mark.django_db
def test_stock_counts_changing_at_checkout_do_not_reindex_search(monkeypatch):
    indexed = []
    monkeypatch.setattr(search_receivers, "index_product", indexed.append)
    record = honey_record()
    record.allocate(1)
    record.cancel_allocation(1)
    record.set_stock(record.num_in_stock + 5)
    assert indexed == []
    record.save()  # a full save may change what search reads (the village): re-indexed
    assert indexed == [record.product_id]


def set_stock(product, num_in_stock, num_allocated=0):
    StockRecord.objects.filter(product=product).update(num_in_stock=num_in_stock, num_allocated=num_allocated)


async def test_a_flash_sale_never_offers_more_than_the_shop_has_in_stock(stage):
    await database_sync_to_async(set_stock)(stage["honey"], 2)
    host, viewer = await joined(stage, "host"), await joined(stage, "viewer")
    await host.send_json_to(flash_frame(stage, quantity=3))
    error = await receive_type(host, "error")
    assert error["code"] == "invalid" and "库存只有 2 件" in error["message"]

    await database_sync_to_async(set_stock)(stage["honey"], 3)
    await host.send_json_to(flash_frame(stage, quantity=3, per_user_limit=3))
    await receive_type(viewer, "flash")
    await receive_type(host, "flash")
    # buyers at the shop price take two of the three units meanwhile
    await database_sync_to_async(set_stock)(stage["honey"], 3, 2)
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "quantity": 2})
    error = await receive_type(viewer, "error")
    assert error["code"] == "sold_out" and "只剩 1 件了" in error["message"]
    await viewer.send_json_to({"type": "buy", "product_id": stage["honey"].pk, "quantity": 1})
    assert (await receive_type(host, "flash"))["remaining"] == 2
    for communicator in (host, viewer):
        await communicator.disconnect()
