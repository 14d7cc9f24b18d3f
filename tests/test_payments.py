"""
Paying online through Stripe Checkout, with the real stripe client against the
fake Stripe server (tests/fake_stripe.py): the order is placed 待支付 with its
stock held, Stripe's page takes the money, and only a signed webhook marks it
paid, once, for the right amount. Unpaid orders are released on time.
"""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from market.models import PickupPoint
from market.payments import gateway, services
from market.payments.models import CheckoutAttempt, PaymentIssue, StripeEvent

from .conftest import login_client
from .fake_stripe import sign
from .test_pickup import to_delivery_page
from .test_postal import ADDRESS, to_address_page

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Transaction = get_model("payment", "Transaction")

WEBHOOK = "/shop/stripe/webhook/"


def chaoyang():
    return PickupPoint.objects.get(community__name="朝阳街社区")


def to_preview(client, title="桑梓土蜂蜜 500g", quantity=2):
    to_delivery_page(client, title, quantity)
    response = client.post("/shop/checkout/delivery/", {"method": f"pickup-{chaoyang().pk}", "name": "陈娜",
                                                        "mobile": "13800138000"})
    assert response["Location"] == "/shop/checkout/preview/"
    return client.get("/shop/checkout/preview/").content.decode()


def place_online(client, fake, **kwargs):
    """Checkout to the preview, choose 在线支付, be sent to Stripe's page; returns (order, session)."""
    client.preview = to_preview(client, **kwargs)
    response = client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe"})
    assert response.status_code == 302, response.content.decode()[:3000]
    session = list(fake.sessions.values())[-1]
    assert response["Location"] == session["url"]
    return Order.objects.get(number=session["client_reference_id"]), session


def deliver(client, event, secret=None, timestamp=None):
    payload = json.dumps(event)
    header = sign(payload, **({"secret": secret} if secret is not None else {}), timestamp=timestamp)
    return client.post(WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def honey_stock():
    return StockRecord.objects.get(product__title="桑梓土蜂蜜 500g")


@pytest.mark.django_db
def test_a_pickup_order_paid_online_is_paid_once_by_the_webhook_never_by_the_browser(
        resident_client, fake_stripe, django_capture_on_commit_callbacks, monkeypatch):
    allocated = honey_stock().num_allocated
    order, session = place_online(resident_client, fake_stripe, quantity=2)
    assert "在线支付（微信支付、支付宝、银行卡）" in resident_client.preview and "到店付款" in resident_client.preview

    # what Stripe was asked for: fen, CNY, the three methods, the order's number, one key per order
    create = fake_stripe.calls("POST", "/v1/checkout/sessions")[-1]
    params = create["params"]
    assert params["line_items"] == [{"quantity": "2", "price_data": {
        "currency": "cny", "unit_amount": "6800", "product_data": {"name": "桑梓土蜂蜜 500g"}}}]
    assert params["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert params["mode"] == "payment" and params["client_reference_id"] == order.number
    assert params["metadata"] == {"order_number": order.number}
    assert create["idempotency_key"] == f"checkout-{gateway.order_key(order)}-1"
    assert create["authorization"] == "Bearer sk_test_gongfu"
    # Stripe's least (30 min) and 5 more, so the request can be sent again unchanged after a lost answer
    assert abs(int(params["expires_at"]) - (time.time() + 35 * 60)) < 60
    assert session["amount_total"] == 13600

    # placed 待支付, stock held, no pickup code shown, nothing for the village to pack yet
    assert order.status == "待支付" and set(order.lines.values_list("status", flat=True)) == {"待支付"}
    assert honey_stock().num_allocated == allocated + 2
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "待支付" in page and "去支付" in page and "付款成功后这里会显示取货码" in page
    assert order.delivery.pickup_code not in page
    assert order.number not in login_client(Client(), "secretary").get("/village/orders/").content.decode()
    login_client(Client(), "pickup").post("/pickup/handover/", {"code": order.delivery.pickup_code,
                                                                "action": "confirm"})
    order.refresh_from_db()
    assert order.status == "待支付"  # an unpaid order is never handed over

    # back from Stripe before the webhook: the browser's word changes nothing
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/?paid=1").content.decode()
    assert "支付确认中" in page and "去支付" not in page  # no second payment while confirming (D1)
    order.refresh_from_db()
    assert order.status == "待支付"

    event = fake_stripe.complete(session["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(Client(), event).status_code == 200
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED
    # the buyer hears of it from the worker: in-site and by email
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    assert get_model("communication", "Notification").objects.filter(
        recipient__username="resident", subject=f"订单 {order.number} 已支付").exists()
    assert set(order.lines.values_list("status", flat=True)) == {settings.ORDER_STATUS_PLACED}
    source = order.sources.get()
    assert source.source_type.code == "stripe" and source.amount_debited == Decimal("136.00")
    assert order.payment_events.get(event_type__code="paid").amount == Decimal("136.00")
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "已支付" in page and order.delivery.pickup_code in page and "去支付" not in page
    assert order.number in login_client(Client(), "secretary").get("/village/orders/").content.decode()

    # the same event again, and a second event saying the same: paid once
    again = deliver(Client(), event)
    assert again.status_code == 200 and again.content == b"already handled"
    deliver(Client(), {**fake_stripe.complete(session["id"]), "id": "evt_another_delivery"})
    assert Transaction.objects.filter(source__order=order, txn_type="Debit").count() == 1
    assert order.payment_events.filter(event_type__code="paid").count() == 1
    assert honey_stock().num_allocated == allocated + 2


@pytest.mark.django_db
def test_a_postal_order_is_paid_online_only(resident_client, fake_stripe):
    to_address_page(resident_client)
    resident_client.post("/shop/checkout/shipping-address/", ADDRESS)
    preview = resident_client.get("/shop/checkout/preview/").content.decode()
    assert "在线支付（微信支付、支付宝、银行卡）" in preview and 'name="method" value="stripe"' in preview
    assert "到店付款" not in preview
    refused = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "pay-at-pickup"})
    assert "这张订单不能用这种付款方式" in refused.content.decode()
    assert not Order.objects.filter(user__username="resident").exists()
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order"})  # the only method
    assert response["Location"].startswith(fake_stripe.url + "/pay/")
    order = Order.objects.get(user__username="resident")
    assert order.status == "待支付"
    items = fake_stripe.calls("POST", "/v1/checkout/sessions")[-1]["params"]["line_items"]
    assert sum(int(i["quantity"]) * int(i["price_data"]["unit_amount"]) for i in items) == int(order.total_incl_tax * 100)


@pytest.mark.django_db
def test_pay_at_pickup_still_works_beside_online_payment(resident_client, fake_stripe):
    to_preview(resident_client)
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "pay-at-pickup"})
    assert response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get(user__username="resident")
    assert order.status == settings.ORDER_STATUS_PLACED and order.sources.get().source_type.code == "pay-at-pickup"
    assert not fake_stripe.calls("POST", "/v1/checkout/sessions")


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["missing", "forged", "stale", "malformed", "no-type", "not-json", "no-secret-set"])
def test_a_webhook_without_a_good_signature_gets_400_and_changes_nothing(resident_client, fake_stripe, case,
                                                                        settings):
    order, session = place_online(resident_client, fake_stripe)
    event = fake_stripe.complete(session["id"])
    client = Client()
    if case == "missing":
        response = client.post(WEBHOOK, data=json.dumps(event), content_type="application/json")
    elif case == "forged":
        response = deliver(client, event, secret="whsec_someone_else")
    elif case == "stale":
        response = deliver(client, event, timestamp=int(time.time()) - 600)
    elif case == "malformed":
        response = deliver(client, {"id": "evt_x", "type": "checkout.session.completed"})
    elif case == "no-type":
        response = deliver(client, {"id": "evt_y", "data": {"object": {"id": session["id"]}}})
    elif case == "no-secret-set":  # an empty secret must not make an empty-key signature valid
        settings.STRIPE_WEBHOOK_SECRET = ""
        response = deliver(client, event, secret="")
    else:
        payload = "{not json"
        response = client.post(WEBHOOK, data=payload, content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=sign(payload))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "待支付" and not StripeEvent.objects.exists()
    assert order.sources.get().amount_debited == 0


@pytest.mark.django_db
def test_a_payment_of_the_wrong_amount_or_currency_is_flagged_not_taken(resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    deliver(Client(), fake_stripe.complete(session["id"], amount=100))
    deliver(Client(), fake_stripe.complete(session["id"], currency="usd"))
    order.refresh_from_db()
    assert order.status == "待支付" and order.sources.get().amount_debited == 0
    assert PaymentIssue.objects.filter(order=order, kind="amount_mismatch").count() == 2
    assert order.notes.filter(note_type="支付异常").exists()  # what Oscar's dashboard shows the operator


@pytest.mark.django_db
def test_events_out_of_order_never_unpay_and_expiry_releases_stock(resident_client, fake_stripe):
    allocated = honey_stock().num_allocated
    order, session = place_online(resident_client, fake_stripe)
    completed = fake_stripe.complete(session["id"])
    expired = fake_stripe.expire(session["id"])
    deliver(Client(), completed)
    deliver(Client(), expired)  # expired after completed: still paid
    services.release_overdue(now=timezone.now() + timedelta(hours=2))
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED
    assert honey_stock().num_allocated == allocated + 2

    # a second order nobody pays: released after its session's expiry, stock back
    second, session2 = place_online(resident_client, fake_stripe)
    assert services.release_overdue() == 0  # not yet
    assert services.release_overdue(now=timezone.now() + timedelta(minutes=37)) == 1
    second.refresh_from_db()
    assert second.status == settings.ORDER_STATUS_CANCELLED
    assert honey_stock().num_allocated == allocated + 2
    page = resident_client.get(f"/shop/accounts/orders/{second.number}/").content.decode()
    assert "未支付，订单已取消" in page and "去支付" not in page

    # Stripe's completed arrives after the release: flagged for a refund, never paid-and-cancelled
    deliver(Client(), fake_stripe.complete(session2["id"]))
    second.refresh_from_db()
    assert second.status == settings.ORDER_STATUS_CANCELLED
    assert services.online_source(second).amount_debited == 0  # the order's own payment: none
    late = second.sources.exclude(pk=services.online_source(second).pk).get()
    assert late.amount_debited == late.amount_allocated  # the money that did arrive, kept on record
    assert PaymentIssue.objects.filter(order=second, kind="paid_after_release").exists()


@pytest.mark.django_db
def test_an_async_payment_holds_the_order_then_failure_offers_pay_again_for_the_same_order(resident_client,
                                                                                          fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    deliver(Client(), fake_stripe.complete(session["id"], payment_status="unpaid"))
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "支付确认中" in page and "去支付" not in page
    assert services.release_overdue(now=timezone.now() + timedelta(hours=2)) == 0  # Stripe is still confirming

    deliver(Client(), fake_stripe.event("checkout.session.async_payment_failed", fake_stripe.sessions[session["id"]]))
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "付款没有成功" in page and "重新支付" in page

    again = resident_client.post(f"/shop/orders/{order.number}/pay/")
    second = list(fake_stripe.sessions.values())[-1]
    assert second["id"] != session["id"] and again["Location"] == second["url"]
    assert fake_stripe.calls("POST", "/v1/checkout/sessions")[-1]["idempotency_key"] == f"checkout-{gateway.order_key(order)}-2"
    # pressing it again while that session is open goes back to the same page
    assert resident_client.post(f"/shop/orders/{order.number}/pay/")["Location"] == second["url"]
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 2
    assert Order.objects.filter(user__username="resident").count() == 1

    deliver(Client(), fake_stripe.event("checkout.session.async_payment_succeeded",
                                        {**fake_stripe.complete(second["id"])["data"]["object"]}))
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED
    # nobody else can start a payment for it
    other = login_client(Client(), "elder").post(f"/shop/orders/{order.number}/pay/")
    assert other.status_code == 404


@pytest.mark.django_db
def test_when_stripe_cannot_be_reached_the_order_waits_with_a_pay_button(resident_client, fake_stripe):
    fake_stripe.fail = True
    to_preview(resident_client)
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe"},
                                    follow=True)
    order = Order.objects.get(user__username="resident")
    html = response.content.decode()
    assert response.request["PATH_INFO"] == f"/shop/accounts/orders/{order.number}/"
    assert "暂时连不上支付平台" in html and "去支付" in html and order.status == "待支付"
    fake_stripe.fail = False
    assert resident_client.post(f"/shop/orders/{order.number}/pay/")["Location"].startswith(fake_stripe.url)


@pytest.mark.django_db
def test_reconcile_lists_and_fixes_a_payment_whose_webhook_never_came(resident_client, fake_stripe, capsys):
    order, session = place_online(resident_client, fake_stripe)
    other, _session = place_online(resident_client, fake_stripe)
    fake_stripe.complete(session["id"])  # paid at Stripe; the webhook is lost
    call_command("stripe_reconcile", "--since", "2d")
    out = capsys.readouterr().out
    assert order.number in out and "paid at Stripe" in out and other.number not in out
    order.refresh_from_db()
    assert order.status == "待支付"
    call_command("stripe_reconcile", "--since", "2d", "--fix")
    assert "fixed" in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED and order.sources.get().amount_debited == order.total_incl_tax
    call_command("stripe_reconcile", "--since", "2d")
    assert "0 disagreeing" in capsys.readouterr().out


def paid_order(client, fake, **kwargs):
    order, session = place_online(client, fake, **kwargs)
    assert deliver(Client(), fake.complete(session["id"])).status_code == 200
    order.refresh_from_db()
    return order


@pytest.mark.django_db
def test_an_operator_refunds_a_whole_order_and_its_stock_comes_back(resident_client, fake_stripe):
    allocated = honey_stock().num_allocated
    order = paid_order(resident_client, fake_stripe)
    admin = login_client(Client(), "admin")
    page = admin.get(f"/dashboard/orders/{order.number}/refund/").content.decode()
    assert "桑梓土蜂蜜 500g" in page and 'name="line"' in page
    line = order.lines.get()
    response = admin.post(f"/dashboard/orders/{order.number}/refund/", {"line": [line.pk], "reason": "买家不要了"},
                          follow=True)
    assert "已向支付平台申请退款 ¥136.00" in response.content.decode()
    call = fake_stripe.calls("POST", "/v1/refunds")[-1]
    attempt = CheckoutAttempt.objects.get(order=order)
    assert call["params"]["amount"] == "13600" and call["params"]["payment_intent"] == attempt.payment_intent
    assert call["idempotency_key"] == f"refund-{gateway.order_key(order)}-{line.pk}"
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_REFUNDED
    assert order.sources.get().amount_refunded == Decimal("136.00")
    assert order.payment_events.filter(event_type__code="refunded").exists()
    assert honey_stock().num_allocated == allocated
    page = resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "已退款" in page
    # the same lines cannot be refunded twice
    again = admin.post(f"/dashboard/orders/{order.number}/refund/", {"line": [line.pk]}).content.decode()
    assert "所选商品已经退过款或正在退款" in again
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1


@pytest.mark.django_db
def test_a_secretary_refunds_only_their_villages_lines_and_stripe_confirms_later(resident_client, fake_stripe):
    tomato = Product.objects.filter(stockrecords__partner__village__slug="damiaotun").first()
    resident_client.post(f"/shop/basket/add/{tomato.pk}/", {"quantity": 1})
    order = paid_order(resident_client, fake_stripe, quantity=1)  # honey (桑梓店村) and the tomato line
    honey_line = order.lines.get(partner__village__slug="sangzidian")
    tomato_line = order.lines.get(partner__village__slug="damiaotun")
    fake_stripe.refund_status = "pending"

    secretary = login_client(Client(), "secretary")  # 桑梓店村
    page = secretary.get(f"/village/orders/{order.number}/refund/").content.decode()
    assert honey_line.title in page and tomato_line.title not in page
    refused = secretary.post(f"/village/orders/{order.number}/refund/", {"line": [tomato_line.pk]})
    assert refused.status_code == 403 and "所选商品不是你们村的，不能由你退款" in refused.content.decode()
    assert not fake_stripe.calls("POST", "/v1/refunds")
    secretary.post(f"/village/orders/{order.number}/refund/", {"line": [honey_line.pk]})
    assert fake_stripe.calls("POST", "/v1/refunds")[-1]["params"]["amount"] == "6800"  # the line, not the postage
    honey_line.refresh_from_db()
    order.refresh_from_db()
    assert honey_line.status == settings.ORDER_STATUS_CANCELLED  # not packed any more; money on its way
    assert order.status == settings.ORDER_STATUS_PLACED
    assert "退款中" in resident_client.get(f"/shop/accounts/orders/{order.number}/").content.decode()

    deliver(Client(), fake_stripe.charge_refunded(CheckoutAttempt.objects.get(order=order).payment_intent))
    honey_line.refresh_from_db()
    order.refresh_from_db()
    assert honey_line.status == settings.ORDER_STATUS_REFUNDED and order.status == settings.ORDER_STATUS_PLACED
    assert order.sources.get().amount_refunded == Decimal("68.00")

    for username, status in (("secretary_damiaotun", 200), ("resident", 403), ("pickup", 403)):
        response = login_client(Client(), username).get(f"/village/orders/{order.number}/refund/")
        assert response.status_code == status, username
    assert Client().get(f"/village/orders/{order.number}/refund/").status_code == 302
    assert secretary.get(f"/dashboard/orders/{order.number}/refund/").status_code == 403  # the dashboard is staff's


@pytest.mark.django_db
def test_a_pay_at_pickup_order_cannot_be_refunded_online(resident_client, fake_stripe):
    to_preview(resident_client)
    resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "pay-at-pickup"})
    order = Order.objects.get(user__username="resident")
    admin = login_client(Client(), "admin")
    assert "不能在线退款" in admin.get(f"/dashboard/orders/{order.number}/refund/").content.decode()
    response = admin.post(f"/dashboard/orders/{order.number}/refund/", {"line": [order.lines.get().pk]})
    assert "不能在线退款" in response.content.decode() and not fake_stripe.calls("POST", "/v1/refunds")


def flash_claim(username, quantity=2, minutes_ago=0):
    """A live session's flash sale on a 大庙屯村 product, and units of it claimed by a buyer in the room."""
    from django.contrib.auth import get_user_model

    from live.models import FlashSale, LivePurchase, LiveSession

    session = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    product = Product.objects.filter(stockrecords__partner__village__slug="damiaotun").first()
    now = timezone.now()
    flash = FlashSale.objects.create(session=session, product=product, price=Decimal("9.90"), quantity=5,
                                     per_user_limit=3, sold=quantity, started_at=now, ends_at=now + timedelta(hours=1))
    purchase = LivePurchase.objects.create(session=session, user=get_user_model().objects.get(username=username),
                                           product=product, flash=flash, price=flash.price, quantity=quantity)
    LivePurchase.objects.filter(pk=purchase.pk).update(created=now - timedelta(minutes=minutes_ago))
    return flash, product


@pytest.mark.django_db
def test_flash_units_come_back_when_the_order_is_released_or_never_checked_out(resident_client, fake_stripe):
    from live.models import LivePurchase

    flash, product = flash_claim("resident", quantity=2)
    resident_client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2})
    order, _session = place_online(resident_client, fake_stripe, quantity=1)
    assert order.lines.get(product=product).unit_price_incl_tax == Decimal("9.90")  # the flash price held
    assert LivePurchase.objects.get(flash=flash).order_id == order.pk
    call_command("release_unpaid")  # too early: nothing happens
    flash.refresh_from_db()
    assert flash.sold == 2
    services.release_overdue(now=timezone.now() + timedelta(minutes=37))
    flash.refresh_from_db()
    assert flash.sold == 0 and not LivePurchase.objects.filter(flash=flash).exists()

    # units claimed in the room by someone who never checks out: back after LIVE_CLAIM_MINUTES, by the sweep
    stale, _product = flash_claim("elder", quantity=3, minutes_ago=31)
    fresh, _product = flash_claim("elder", quantity=1, minutes_ago=5)
    call_command("release_unpaid")
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.sold == 0 and fresh.sold == 1


@pytest.mark.django_db
def test_placing_an_online_order_schedules_its_release_on_the_worker(resident_client, fake_stripe, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        order, session = place_online(resident_client, fake_stripe)
    task = DBTaskResult.objects.filter(task_path="market.payments.tasks.release_unpaid_orders").latest("enqueued_at")
    expected = session["expires_at"] + 60
    assert abs(task.run_after.timestamp() - expected) < 30
    # and the worker, once that time has come, releases it
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(hours=1))
    CheckoutAttempt.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(minutes=5))
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED


@pytest.mark.django_db
def test_checkout_line_items_always_add_up_to_the_order_total(resident_client, fake_stripe):
    from market.payments import gateway

    order, _session = place_online(resident_client, fake_stripe, quantity=3)
    line = order.lines.get()
    # a discount that does not split evenly over the units: the line goes as one item with its total
    line.line_price_incl_tax = Decimal("200.00")
    line.save()
    order.total_incl_tax = Decimal("200.00")
    items = gateway.line_items(order)
    assert items[0]["quantity"] == 1 and items[0]["price_data"]["unit_amount"] == 20000
    assert "× 3" in items[0]["price_data"]["product_data"]["name"]
    # an order-level discount Oscar keeps off the lines: one item for the whole order
    order.total_incl_tax = Decimal("150.00")
    items = gateway.line_items(order)
    assert [item["price_data"]["unit_amount"] for item in items] == [15000]


@pytest.mark.django_db
def test_unpaid_online_orders_are_capped_per_account(resident_client, fake_stripe, settings):
    settings.SHOP_MAX_OPEN_UNPAID_ORDERS = 1
    place_online(resident_client, fake_stripe, quantity=1)
    to_preview(resident_client, quantity=1)
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe"},
                                    follow=True)
    assert "你已有 1 张订单等待付款" in response.content.decode()
    assert Order.objects.filter(user__username="resident").count() == 1
    # paying at pickup is its own allowance
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "pay-at-pickup"})
    assert response["Location"] == "/shop/checkout/thank-you/"
