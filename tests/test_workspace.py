"""
村务工作台: a first secretary lists produce with its origin, an operator reviews it,
residents see it (and its trace page) only once approved; the secretary packs
per pickup point and marks deliveries, and buyers are told.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import zxingcpp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from market.models import Batch, Listing, OrderDelivery, PickupPoint, Village

from .conftest import login_client

Product = get_model("catalogue", "Product")
Notification = get_model("communication", "Notification")


def photo(size=(2400, 1800), name="tomato.jpg", fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#d33").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def tomato_form(**overrides):
    data = {
        "title": "普罗旺斯西红柿 尝鲜装", "category": get_model("catalogue", "Category").objects.get(slug="vegetables").pk,
        "for_elders": "on", "description": "沙瓤多汁。\n\n大棚里自然熟。", "price": "32.80", "num_in_stock": "80",
        "origin-producer": "大庙屯村西红柿种植合作社", "origin-place": "市中区陡沟街道大庙屯村",
        "origin-season": "每年 5–7 月", "origin-pack_size": "3斤/箱", "origin-shelf_life": "冷藏 7 天",
        "origin-storage": "阴凉通风", "origin-certification": "green", "origin-certificate_number": "LB-15-1234",
        "batch-harvest_date": (timezone.localdate() - timedelta(days=1)).isoformat(), "batch-quantity": "80",
        "photos": photo(),
    }
    data.update(overrides)
    return data


def add_tomatoes(client, **overrides):
    response = client.post("/village/products/new/", tomato_form(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Product.objects.get(title=overrides.get("title", "普罗旺斯西红柿 尝鲜装"))


def visible_to_residents(product):
    """Where a resident could meet the product: catalogue, village page, 银发专柜, live lineup, its own page."""
    anonymous = Client()
    village_page = Village.objects.get(slug="damiaotun").page.url
    places = {
        "catalogue": product.title in anonymous.get("/shop/catalogue/", {"sort_by": "newest"}).content.decode(),
        "village page": product.title in anonymous.get(village_page).content.decode(),
        "silver": product.title in anonymous.get("/shop/silver/").content.decode(),
        "product page": anonymous.get(product.get_absolute_url()).status_code == 200,
        "search": product.title in anonymous.get("/shop/search/", {"q": "尝鲜装"}).content.decode(),
    }
    from live.forms import LineupItemForm

    places["lineup"] = product in LineupItemForm().fields["product"].queryset
    return places


@pytest.mark.django_db
def test_secretary_adds_produce_operator_approves_and_it_appears_everywhere(client):
    login_client(client, "secretary_damiaotun")
    assert client.get("/village/products/new/").status_code == 200
    product = add_tomatoes(client)

    # submitted: hidden everywhere, waiting in the operators' queue
    assert not any(visible_to_residents(product).values()), visible_to_residents(product)
    batch = product.batches.get()
    assert Client().get(f"/trace/{batch.code}/").status_code == 404
    assert product.listing.status == Listing.Status.PENDING
    assert "待审核" in client.get("/village/").content.decode()
    image = product.images.get()
    assert max(Image.open(image.original.path).size) == 1600  # phone photos are resized

    operator = login_client(Client(), "admin")
    review = operator.get("/village/review/").content.decode()
    assert "普罗旺斯西红柿 尝鲜装" in review
    assert re.search(r"分类：蔬菜 .*推荐进银发专柜", review)  # where it will be shelved, and for elders
    operator.post(f"/village/review/{product.listing.pk}/", {"decision": "approve"})

    product.refresh_from_db()
    assert all(visible_to_residents(product).values()), visible_to_residents(product)
    page = Client().get(product.get_absolute_url()).content.decode()
    assert "大庙屯村西红柿种植合作社" in page and "绿色食品" in page and batch.code in page
    trace = Client().get(f"/trace/{batch.code}/").content.decode()
    assert "普罗旺斯西红柿 尝鲜装" in trace and "大庙屯村西红柿种植合作社" in trace
    assert Notification.objects.filter(recipient__username="secretary_damiaotun", subject__contains="审核通过").exists()


@pytest.mark.django_db
def test_a_rejected_product_shows_the_reason_and_a_resubmission_goes_back_to_review(client):
    login_client(client, "secretary_damiaotun")
    product = add_tomatoes(client)
    operator = login_client(Client(), "admin")
    assert operator.post(f"/village/review/{product.listing.pk}/", {"decision": "reject"}).status_code == 302
    product.listing.refresh_from_db()
    assert product.listing.status == Listing.Status.PENDING  # a rejection needs its reason
    operator.post(f"/village/review/{product.listing.pk}/", {"decision": "reject", "reason": "照片看不清，请重拍"})
    product.listing.refresh_from_db()
    assert product.listing.status == Listing.Status.REJECTED
    assert "照片看不清，请重拍" in client.get("/village/").content.decode()
    assert "照片看不清，请重拍" in client.get(f"/village/products/{product.pk}/").content.decode()

    data = tomato_form(photos=photo(name="better.jpg"))
    data.pop("batch-harvest_date"), data.pop("batch-quantity")
    client.post(f"/village/products/{product.pk}/", data)
    product.listing.refresh_from_db()
    product.refresh_from_db()
    assert product.listing.status == Listing.Status.PENDING and not product.is_public


def edit_price(client, product, price, category=None):
    origin = product.origin
    category = category or product.categories.exclude(slug__in=["silver", "points-exchange"]).first().pk
    data = {"title": product.title, "category": category, "description": "好吃",
            "price": price, "num_in_stock": "100",
            **{f"origin-{field}": getattr(origin, field) for field in
               ("producer", "place", "season", "pack_size", "shelf_life", "storage", "certification",
                "certificate_number")}}
    return client.post(f"/village/products/{product.pk}/", data, follow=True)


@pytest.mark.django_db
def test_a_big_price_change_waits_for_review_while_the_old_price_stays_on_sale(client):
    login_client(client, "secretary")
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    record = honey.stockrecords.get()
    assert record.price == Decimal("68.00")

    edit_price(client, honey, "70.00")  # +3%: applied at once
    record.refresh_from_db()
    assert record.price == Decimal("70.00")

    response = edit_price(client, honey, "99.00")  # +41%: held
    assert "审核后生效" in response.content.decode()
    record.refresh_from_db()
    honey.refresh_from_db()
    assert record.price == Decimal("70.00") and honey.is_public
    assert "¥70.00" in Client().get(honey.get_absolute_url()).content.decode()
    assert honey.listing.proposed_price == Decimal("99.00")

    login_client(Client(), "admin").post(f"/village/review/{honey.listing.pk}/", {"decision": "approve"})
    record.refresh_from_db()
    assert record.price == Decimal("99.00")


@pytest.mark.django_db
def test_a_village_cannot_shelve_its_product_as_points_exchange_and_a_new_category_waits_for_review(client):
    from django.conf import settings

    from oscar.apps.partner.strategy import Default

    from market.checkout.points import payable_with_points

    Category = get_model("catalogue", "Category")
    exchange = Category.objects.get(slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG)
    grain = Category.objects.get(slug="grain-oil")
    login_client(client, "secretary")
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    page = client.get(f"/village/products/{honey.pk}/").content.decode()
    assert f'value="{exchange.pk}"' not in page  # 积分兑换 is the operators' shelf
    response = edit_price(client, honey, "68.00", category=exchange.pk)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not honey.categories.filter(pk=exchange.pk).exists()

    # another shelf: held for review, the product stays on sale where it was
    response = edit_price(client, honey, "68.00", category=grain.pk)
    assert "审核后生效" in response.content.decode()
    honey.refresh_from_db()
    assert honey.is_public and not honey.categories.filter(pk=grain.pk).exists()
    assert honey.listing.proposed_category == grain and honey.listing.proposed_price is None
    assert "改到「粮油」待审核" in client.get("/village/").content.decode()
    queue = login_client(Client(), "admin").get("/village/review/").content.decode()
    assert "申请换分类：改到「粮油」" in queue
    login_client(Client(), "admin").post(f"/village/review/{honey.listing.pk}/", {"decision": "approve"})
    assert set(honey.categories.values_list("slug", flat=True)) == {"grain-oil"}

    # points still pay at most half of it; an operator's 积分兑换 shelf survives the village's edits
    basket = get_model("basket", "Basket").objects.create(owner=get_user_model().objects.get(username="resident"))
    basket.strategy = Default()
    basket.add_product(honey, 1)
    assert payable_with_points(basket) == Decimal("34.00")
    honey.categories.add(exchange)
    edit_price(client, honey, "68.00")
    assert honey.categories.filter(pk=exchange.pk).exists()


@pytest.mark.django_db
def test_bad_input_rerenders_the_form_with_clear_errors_and_keeps_what_was_typed(client):
    login_client(client, "secretary_damiaotun")
    response = client.post("/village/products/new/", tomato_form(
        price="-1", **{"origin-certificate_number": "", "batch-harvest_date": "2999-01-01"}, photos=photo()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "有认证时请填写证书编号" in html and "日期不能晚于今天" in html
    assert "大庙屯村西红柿种植合作社" in html  # nothing typed is lost
    assert not Product.objects.filter(title="普罗旺斯西红柿 尝鲜装").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("notes.jpg", b"this is not a picture", content_type="image/jpeg"), "图片"),
    (None, "图片太大"),
    (None, "像素太多"),
])
def test_non_images_oversize_files_and_pixel_bombs_are_refused(client, settings, upload, message):
    login_client(client, "secretary_damiaotun")
    if message == "图片太大":
        settings.IMAGE_UPLOAD_MAX_BYTES = 1000
        upload = photo(size=(400, 300))
    elif message == "像素太多":
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, format="PNG")  # 144 MP in a few kB
        upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    response = client.post("/village/products/new/", tomato_form(photos=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Product.objects.filter(title="普罗旺斯西红柿 尝鲜装").exists()


@pytest.mark.django_db
def test_trace_pages_are_public_without_personal_data_and_labels_encode_absolute_urls(client):
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    batch = honey.batches.first()
    page = Client().get(f"/trace/{batch.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "桑梓土蜂蜜 500g" in html and "桑梓店村" in html and "养蜂专业合作社" in html
    assert batch.harvest_date.strftime("%Y-%m-%d") in html and "绿色食品" in html
    assert "第一书记：张立新" in html  # the secretary by name (a person, not a role), never an account
    for private in ("@gongfu.local", "+86", "buyer_", "李阿姨"):
        assert private not in html
    unknown = Client().get("/trace/NOSUCHCODE/")
    assert unknown.status_code == 404 and "没有找到这个溯源码" in unknown.content.decode()

    login_client(client, "secretary")
    labels = client.get(f"/village/batches/{batch.code}/labels/").content.decode()
    assert labels.count('class="trace-label"') >= 20
    assert labels.count(f'<span class="trace-label__producer">{honey.origin.producer}</span>') >= 20  # uncut
    data_uri = labels.split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    import base64

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data_uri))))
    assert decoded and decoded[0].text == settings.SITE_URL.rstrip("/") + f"/trace/{batch.code}/"


@pytest.mark.django_db
def test_a_new_batch_gets_its_own_trace_code(client):
    login_client(client, "secretary")
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    before = set(honey.batches.values_list("code", flat=True))
    response = client.post(f"/village/products/{honey.pk}/batches/",
                           {"batch-harvest_date": timezone.localdate().isoformat(), "batch-quantity": "50"})
    new = honey.batches.exclude(code__in=before).get()
    assert response["Location"] == f"/village/batches/{new.code}/labels/"


def pickup_order(user, point, products):
    from oscar.test import factories

    from market.shipping.repository import Pickup

    basket = factories.create_basket(empty=True)
    for title, quantity in products:
        basket.add_product(Product.objects.get(title=title), quantity)
    return factories.create_order(basket=basket, user=user, shipping_method=Pickup(point))


@pytest.mark.django_db
def test_packing_list_per_pickup_point_and_delivered_notifies_each_buyer(client, django_user_model, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    chaoyang = PickupPoint.objects.get(community__slug="chaoyangjie")
    wuying = PickupPoint.objects.get(community__slug="wuyingtan")
    chen = django_user_model.objects.create_user("buyer_chen", email="chen@example.com", first_name="陈")
    mixed = pickup_order(chen, chaoyang, [("桑梓土蜂蜜 500g", 2), ("普罗旺斯西红柿 5斤装", 1)])
    other_point = pickup_order(chen, wuying, [("桑梓槐花蜜 1kg", 1)])
    day = mixed.delivery.deliver_on
    assert len(mixed.delivery.pickup_code) == 6 and mixed.delivery.pickup_code.isdigit()

    login_client(client, "secretary")
    packing = client.get(f"/village/deliveries/{day}/{chaoyang.pk}/").content.decode()
    assert str(mixed.number) in packing and mixed.delivery.pickup_code in packing
    assert "桑梓土蜂蜜 500g" in packing and "普罗旺斯西红柿" not in packing  # only this village's goods
    assert str(other_point.number) not in packing
    assert "chen@example.com" not in packing and "+86" not in packing  # no buyers' contacts
    assert str(mixed.number) in client.get("/village/orders/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/village/deliveries/{day}/{chaoyang.pk}/delivered/").status_code == 302
    mixed.refresh_from_db()
    honey_line = mixed.lines.get(partner__code="sangzidian")
    tomato_line = mixed.lines.get(partner__code="damiaotun")
    honey_line.refresh_from_db()
    assert honey_line.status == settings.ORDER_STATUS_AT_PICKUP
    assert tomato_line.status == settings.ORDER_STATUS_PLACED  # the other village has not delivered yet
    assert mixed.status == settings.ORDER_STATUS_PLACED
    assert other_point.lines.get().status == settings.ORDER_STATUS_PLACED

    from django.core import mail

    # the real worker runs the queued job; it must not close the test's own connection (its transaction)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    notice = Notification.objects.get(recipient=chen)
    assert "已送达自提点" in notice.subject and chaoyang.name in notice.body and mixed.delivery.pickup_code in notice.body
    assert any(chaoyang.name in m.body and "chen@example.com" in m.to for m in mail.outbox)

    # the second village delivers: now the whole order is at the point
    login_client(Client(), "secretary_damiaotun").post(f"/village/deliveries/{day}/{chaoyang.pk}/delivered/")
    mixed.refresh_from_db()
    assert mixed.status == settings.ORDER_STATUS_AT_PICKUP
    # marking again changes nothing and says so
    again = client.post(f"/village/deliveries/{day}/{chaoyang.pk}/delivered/", follow=True)
    assert "已经标记过送达" in again.content.decode()


@pytest.mark.django_db
def test_a_secretary_never_reaches_another_villages_products_batches_or_deliveries(client):
    login_client(client, "secretary")
    tomato = Product.objects.get(title="普罗旺斯西红柿 5斤装")
    batch = Batch.objects.filter(product=tomato).first()
    assert client.get(f"/village/products/{tomato.pk}/").status_code == 404
    assert client.post(f"/village/products/{tomato.pk}/", {"title": "x"}).status_code == 404
    assert client.post(f"/village/products/{tomato.pk}/batches/", {"batch-harvest_date": "2026-01-01"}).status_code == 404
    assert client.get(f"/village/batches/{batch.code}/labels/").status_code == 404
    home = client.get("/village/").content.decode()
    assert "普罗旺斯" not in home and "小庄" not in home
    wuying = PickupPoint.objects.get(community__slug="wuyingtan")
    day = OrderDelivery.objects.filter(pickup_point=wuying).first().deliver_on
    # 无影潭's demo order holds 桑梓小米 too: the secretary sees only that line
    packing = client.get(f"/village/deliveries/{day}/{wuying.pk}/").content.decode()
    assert "桑梓小米" in packing and "普罗旺斯" not in packing
    xinping_only = PickupPoint.objects.get(community__slug="yunhu")
    assert client.get(f"/village/deliveries/{day}/{xinping_only.pk}/").status_code == 404


@pytest.mark.django_db
def test_secretaries_are_kept_out_of_oscars_dashboard(client):
    login_client(client, "secretary")
    for url in ("/dashboard/", "/dashboard/catalogue/", "/dashboard/orders/"):
        assert client.get(url).status_code in (302, 403), url
    assert login_client(Client(), "admin").get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_an_operator_onboards_a_village_with_its_secretary_in_one_step_in_wagtail(client):
    from django.contrib.auth import get_user_model

    login_client(client, "admin")
    assert client.get("/cms/snippets/market/village/add/").status_code == 200
    response = client.post("/cms/snippets/market/village/add/", {
        "name": "新庄村", "slug": "xinzhuang", "location": "市中区陡沟街道", "price_floor_percent": "70",
        "secretary_username": "secretary_xinzhuang", "secretary_name": "刘书记",
        "secretary_password": "Tomato-2026-field"})
    assert response.status_code == 302, response.content.decode()[:2000]
    village = Village.objects.get(slug="xinzhuang")
    secretary = get_user_model().objects.get(username="secretary_xinzhuang")
    assert village.partner.name == "新庄村" and list(village.secretaries) == [secretary]
    fresh = Client()
    from django.test import RequestFactory

    assert fresh.login(request=RequestFactory().post("/accounts/login/"), username="secretary_xinzhuang",
                       password="Tomato-2026-field")
    assert fresh.get("/village/").status_code == 200
    # a new account without a password is refused with a clear message, and nothing is made
    again = client.post("/cms/snippets/market/village/add/", {
        "name": "空村", "slug": "kong", "price_floor_percent": "70", "secretary_username": "nobody_yet"})
    assert again.status_code == 200 and "新账号请设置初始密码" in again.content.decode()
    assert not Village.objects.filter(slug="kong").exists()


@pytest.mark.django_db
def test_an_operator_adds_a_pickup_point_and_a_communitys_host_in_wagtail(client):
    from django.contrib.auth import get_user_model

    from live.models import HOSTS_GROUP
    from market.models import Community

    login_client(client, "admin")
    community = Community.objects.get(slug="yunhu")
    response = client.post("/cms/snippets/market/pickuppoint/add/", {
        "community": community.pk, "name": "云湖社区东门自提点", "address": "云湖社区东门",
        "opening_hours": "每天 8:00–20:00", "phone": "0531-88881234", "is_active": "on"})
    assert response.status_code == 302
    assert PickupPoint.objects.get(name="云湖社区东门自提点").opening_hours == "每天 8:00–20:00"
    new_host = get_user_model().objects.create_user("host_yunhu", password="x-Secret-2026")
    response = client.post(f"/cms/snippets/market/community/edit/{community.pk}/", {
        "name": community.name, "slug": community.slug, "district": community.district,
        "street": community.street, "hosts": [new_host.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert community.hosts.filter(pk=new_host.pk).exists()
    assert new_host.groups.filter(name=HOSTS_GROUP).exists()  # host rights need the group too


@pytest.mark.django_db
def test_residents_and_secretaries_cannot_open_the_operators_screens(client):
    for username in ("secretary", "resident"):
        login_client(client, username)
        for url in ("/cms/snippets/market/village/add/", "/cms/snippets/market/community/",
                    "/cms/snippets/market/pickuppoint/add/"):
            assert client.get(url).status_code in (302, 403), (username, url)


def jpeg_segments(data):
    """The marker bytes of a JPEG's header segments, up to the image data (SOS)."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while at < len(data):
        marker = data[at + 1]
        if marker == 0xDA:
            break
        markers.append(marker)
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return markers


@pytest.mark.django_db
def test_photos_of_products_under_review_have_secret_names_no_metadata_and_are_shown_only_to_their_village(client):
    """F9: nothing to guess, nothing left in the file, nobody else to see it before it is public."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    Image.new("RGB", (800, 600), "#3a3").save(buffer, format="JPEG", exif=exif.tobytes(),
                                               comment=b"shot at 36.68N 116.99E by the secretary",
                                               xmp=b"<x:xmpmeta>GPS 36.68</x:xmpmeta>")
    upload = SimpleUploadedFile("sangzidian-secret-tomato.jpg", buffer.getvalue(), content_type="image/jpeg")
    login_client(client, "secretary_damiaotun")
    product = add_tomatoes(client, photos=upload)
    stored = product.images.get().original
    assert "sangzidian" not in stored.name and "tomato" not in stored.name
    data = stored.read()
    assert not {0xFE, 0xE1, 0xE2} & set(jpeg_segments(data))  # no comment, EXIF/XMP or ICC segment
    assert b"36.68" not in data and b"PhoneMaker" not in data

    url = settings.MEDIA_URL + stored.name
    assert client.get(url).status_code == 200  # its own village
    assert Client().get(url).status_code == 404
    assert login_client(Client(), "secretary").get(url).status_code == 404  # another village
    assert login_client(Client(), "resident").get(url).status_code == 404
    operator = login_client(Client(), "admin")
    assert operator.get(url).status_code == 200
    operator.post(f"/village/review/{product.listing.pk}/", {"decision": "approve"})
    assert Client().get(url).status_code == 200  # public now
    # the demo's pending product cannot be found by its SKU any more
    assert not get_model("catalogue", "ProductImage").objects.filter(original__contains="review-pending").exists()


@pytest.mark.django_db
def test_a_new_product_starts_in_the_villages_usual_category_never_the_first_one(client):
    login_client(client, "secretary_damiaotun")  # the tomato village: vegetables, not 蜂蜜
    html = client.get("/village/products/new/").content.decode()
    selected = re.findall(r'<option value="\d+"[^>]*selected[^>]*>([^<]+)</option>', html)
    assert selected == ["蔬菜"], selected
    page = client.post("/village/products/new/", {"title": "大庙屯西葫芦 3斤", "category": ""}).content.decode()
    assert "请选择分类" in page


@pytest.mark.django_db
def test_trace_pages_count_buyers_scans_but_not_the_villages_own(client):
    batch = Product.objects.get(title="桑梓土蜂蜜 500g").batches.first()
    for n in (1, 2, 3):
        html = Client().get(f"/trace/{batch.code}/").content.decode()
        assert f"第 {n} 次查询" in html
    batch.refresh_from_db()
    assert batch.scans == 3 and f"首次查询于 {timezone.localtime(batch.first_scanned_at):%Y-%m-%d %H:%M}" in html
    first = batch.first_scanned_at
    login_client(client, "secretary")  # 桑梓店村's own secretary printing labels: not a buyer
    html = client.get(f"/trace/{batch.code}/").content.decode()
    assert "本村工作人员查看，不计次数 · 买家已查询 3 次" in html
    batch.refresh_from_db()
    assert (batch.scans, batch.first_scanned_at) == (3, first)
    login_client(Client(), "secretary_damiaotun").get(f"/trace/{batch.code}/")  # another village's: a buyer
    batch.refresh_from_db()
    assert batch.scans == 4


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="requests at the same moment need PostgreSQL (SQLite serialises writers)")
@pytest.mark.django_db(transaction=True)
def test_scans_at_the_same_moment_are_all_counted():
    import threading

    call_command("seed_demo", verbosity=0)
    batch = Product.objects.get(title="桑梓土蜂蜜 500g").batches.first()
    barrier = threading.Barrier(10)

    def scan():
        from django.db import connection as own

        try:
            barrier.wait()
            assert Client().get(f"/trace/{batch.code}/").status_code == 200
        finally:
            own.close()

    threads = [threading.Thread(target=scan) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batch.refresh_from_db()
    assert batch.scans == 10
