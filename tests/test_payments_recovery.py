"""
Payments after the happy path, with the real stripe client against the fake Stripe server: a lost answer
asked again with the same key and parameters, no second payment while one is being confirmed, payments
stuck in processing settled or released, duplicate and late payments refunded from the operators' queue,
refunds made in Stripe's dashboard shown on the order, early expiries releasing the order, and events
without an amount flagged rather than crashing.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from market.payments import gateway, services, settle
from market.payments.models import CheckoutAttempt, PaymentIssue, Refund

from .conftest import login_client
from .test_payments import deliver, honey_stock, paid_order, place_online, to_preview

Order = get_model("order", "Order")
Status = CheckoutAttempt.Status


def page_of(client, order, query=""):
    return client.get(f"/shop/accounts/orders/{order.number}/{query}").content.decode()


@pytest.mark.django_db
def test_a_lost_answer_is_asked_again_with_the_same_key_and_parameters_outside_any_transaction(
        resident_client, fake_stripe, monkeypatch):
    depth = len(connection.atomic_blocks)  # the test's own transaction
    asked = []
    create = gateway.create_checkout_session

    def watched(order, attempt):
        asked.append(len(connection.atomic_blocks) - depth)  # how many transactions are open around the call
        return create(order, attempt)

    monkeypatch.setattr(gateway, "create_checkout_session", watched)
    fake_stripe.lose_answers = 3  # the call and the client's two retries: Stripe did it, the site never heard
    resident_client.preview = to_preview(resident_client)
    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": "stripe"})
    order = Order.objects.get(user__username="resident", status=settings.ORDER_STATUS_AWAITING_PAYMENT)
    assert response["Location"] == f"/shop/accounts/orders/{order.number}/"
    assert "暂时连不上支付平台" in resident_client.get(response["Location"]).content.decode()

    response = resident_client.post(f"/shop/orders/{order.number}/pay/")  # 去支付
    session = list(fake_stripe.sessions.values())
    assert len(session) == 1 and response["Location"] == session[0]["url"]
    calls = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert len(calls) == 4 and {c["idempotency_key"] for c in calls} == {f"checkout-{gateway.order_key(order)}-1"}
    assert all(c["params"] == calls[0]["params"] for c in calls)
    assert asked == [0, 0]  # Stripe is never called with the order's row locked in a transaction
    attempt = order.checkout_attempts.get()
    assert attempt.session_id == session[0]["id"] and attempt.number == 1


@pytest.mark.django_db
def test_no_second_payment_while_one_is_confirming_and_the_wait_is_bounded(resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    page = page_of(resident_client, order, "?paid=1")
    assert "支付确认中" in page and "去支付" not in page and "?paid=1&amp;wait=1" in page
    page = page_of(resident_client, order, "?paid=1&wait=12")  # a minute of looking, still no word
    assert "还没收到付款确认" in page and "钱不会被重复扣" in page and "重新支付" in page and "data-refresh" not in page

    # paid at Stripe at the very end, the webhook late, the session past its expiry here: 重新支付 records
    # that payment (Stripe is asked) instead of opening a second session to pay again
    fake_stripe.complete(session["id"])
    order.checkout_attempts.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = resident_client.post(f"/shop/orders/{order.number}/pay/", follow=True)
    assert "已收到你的付款，不用再付了" in response.content.decode()
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED and len(fake_stripe.sessions) == 1

    # an async payment being confirmed: no way to pay again, on the page or by posting
    second, session2 = place_online(resident_client, fake_stripe)
    deliver(Client(), fake_stripe.complete(session2["id"], payment_status="unpaid"))
    page = page_of(resident_client, second)
    assert "请不要重复付款" in page and "去支付" not in page and "重新支付" not in page
    response = resident_client.post(f"/shop/orders/{second.number}/pay/", follow=True)
    assert "正在确认中" in response.content.decode() and len(fake_stripe.sessions) == 2


@pytest.mark.django_db
def test_a_payment_stuck_in_processing_is_checked_with_stripe_and_settled_or_released(resident_client, fake_stripe):
    allocated = honey_stock().num_allocated
    orders = []
    for _ in range(3):
        order, session = place_online(resident_client, fake_stripe)
        deliver(Client(), fake_stripe.complete(session["id"], payment_status="unpaid"))
        orders.append((order, session))
    assert set(CheckoutAttempt.objects.values_list("status", flat=True)) == {Status.PROCESSING}
    assert services.release_overdue(now=timezone.now() + timedelta(hours=2)) == 0  # held while confirming
    (paid, s1), (failed, s2), (silent, s3) = orders
    fake_stripe.settle_intent(fake_stripe.sessions[s1["id"]]["payment_intent"], "succeeded")
    fake_stripe.settle_intent(fake_stripe.sessions[s2["id"]]["payment_intent"], "requires_payment_method")
    later = timezone.now() + timedelta(minutes=40)  # past the sessions' expiry (35 min) and the grace
    CheckoutAttempt.objects.update(processing_since=timezone.now() - timedelta(minutes=1))
    assert services.release_overdue(now=later) == 1  # the failed one, past its deadline
    for order in (paid, failed, silent):
        order.refresh_from_db()
    assert paid.status == settings.ORDER_STATUS_PLACED  # the amount checked and paid, as by the webhook
    assert failed.status == settings.ORDER_STATUS_CANCELLED
    assert silent.status == settings.ORDER_STATUS_AWAITING_PAYMENT  # Stripe still confirming: not yet
    days = timezone.now() + timedelta(hours=settings.PAYMENT_PROCESSING_MAX_HOURS + 1)
    assert services.release_overdue(now=days) == 1
    silent.refresh_from_db()
    assert silent.status == settings.ORDER_STATUS_CANCELLED
    assert honey_stock().num_allocated == allocated + 2  # only the paid order holds its units
    # money arriving after all that is flagged for a refund, never taken silently
    fake_stripe.settle_intent(fake_stripe.sessions[s3["id"]]["payment_intent"], "succeeded")
    deliver(Client(), {**fake_stripe.complete(s3["id"]), "type": "checkout.session.async_payment_succeeded"})
    assert PaymentIssue.objects.filter(order=silent, kind="paid_after_release").exists()


def paid_twice(client, fake):
    """An order paid in two sessions (the first one's news overtaken by an early expiry)."""
    order, first = place_online(client, fake)
    order.checkout_attempts.update(status=Status.EXPIRED)
    fake.sessions[first["id"]]["status"] = "expired"
    client.post(f"/shop/orders/{order.number}/pay/")
    second = list(fake.sessions.values())[-1]
    deliver(Client(), fake.complete(second["id"]))
    deliver(Client(), fake.complete(first["id"]))
    order.refresh_from_db()
    return order, first, second


@pytest.mark.django_db
def test_a_duplicate_payment_is_refunded_from_the_operators_queue_and_the_goods_stay_sold(
        resident_client, fake_stripe):
    order, first, second = paid_twice(resident_client, fake_stripe)
    assert order.status == settings.ORDER_STATUS_PLACED
    issue = PaymentIssue.objects.get(order=order, kind="paid_twice")
    assert "多付的 ¥136.00 会原路退回" in page_of(resident_client, order)
    for who in ("resident", "secretary", "pickup"):
        assert login_client(Client(), who).get("/dashboard/payment-issues/").status_code in (302, 403)
        assert login_client(Client(), who).post(f"/dashboard/payment-issues/{issue.pk}/refund/").status_code in (
            302, 403)
    assert not fake_stripe.calls("POST", "/v1/refunds")
    operator = login_client(Client(), "admin")
    queue = operator.get("/dashboard/payment-issues/").content.decode()
    duplicate_intent = fake_stripe.sessions[first["id"]]["payment_intent"]
    assert order.number in queue and first["id"] in queue and duplicate_intent in queue and "退回这笔付款" in queue
    done = operator.post(f"/dashboard/payment-issues/{issue.pk}/refund/", follow=True).content.decode()
    assert "已申请退款 ¥136.00" in done
    refund = fake_stripe.calls("POST", "/v1/refunds")[-1]
    assert refund["params"]["payment_intent"] == duplicate_intent and refund["params"]["amount"] == "13600"
    assert refund["idempotency_key"] == f"issue-{gateway.order_key(order)}-{issue.pk}"
    order.refresh_from_db()
    issue.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED and issue.resolved and issue.resolved_by.username == "admin"
    assert set(order.lines.values_list("status", flat=True)) == {settings.ORDER_STATUS_PLACED}
    late = order.sources.get(reference=first["id"])
    assert late.amount_refunded == late.amount_debited  # Oscar's records: in, and back out
    assert "你多付的一笔 ¥136.00 已原路退回" in page_of(resident_client, order)
    again = operator.post(f"/dashboard/payment-issues/{issue.pk}/refund/", follow=True).content.decode()
    assert "已经处理过了" in again and len(fake_stripe.calls("POST", "/v1/refunds")) == 1


@pytest.mark.django_db
def test_an_operator_marks_an_issue_handled_with_a_note(resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    deliver(Client(), fake_stripe.complete(session["id"], amount=100))
    issue = PaymentIssue.objects.get(order=order, kind="amount_mismatch")
    assert issue.amount == 100 and issue.payment_intent
    operator = login_client(Client(), "admin")
    assert "请写明是怎么处理的" in operator.post(f"/dashboard/payment-issues/{issue.pk}/resolve/",
                                                 {"note": " "}, follow=True).content.decode()
    operator.post(f"/dashboard/payment-issues/{issue.pk}/resolve/", {"note": "已电话联系买家，线下退回 ¥1"})
    issue.refresh_from_db()
    assert issue.resolved and issue.note == "已电话联系买家，线下退回 ¥1"
    assert f"/dashboard/payment-issues/{issue.pk}/resolve/" not in operator.get("/dashboard/payment-issues/").content.decode()


@pytest.mark.django_db
def test_money_paid_after_the_order_was_released_is_said_to_come_back_and_then_said_returned(
        resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    services.release_overdue(now=timezone.now() + timedelta(minutes=37))
    deliver(Client(), fake_stripe.complete(session["id"]))
    page = page_of(resident_client, order)
    assert "订单已取消" in page and "在订单取消后才到账，会原路退回" in page and "已支付" not in page
    issue = PaymentIssue.objects.get(order=order, kind="paid_after_release")
    login_client(Client(), "admin").post(f"/dashboard/payment-issues/{issue.pk}/refund/")
    assert "你付的 ¥136.00 已原路退回" in page_of(resident_client, order)


@pytest.mark.django_db
def test_a_refund_made_in_stripes_dashboard_shows_on_the_order_or_stops_the_hand_over(
        resident_client, fake_stripe, django_user_model):
    allocated = honey_stock().num_allocated
    whole = paid_order(resident_client, fake_stripe)
    intent = whole.checkout_attempts.get().payment_intent
    assert deliver(Client(), fake_stripe.refund_in_dashboard(intent, 13600)).status_code == 200
    whole.refresh_from_db()
    assert whole.status == settings.ORDER_STATUS_REFUNDED
    assert set(whole.lines.values_list("status", flat=True)) == {settings.ORDER_STATUS_REFUNDED}
    assert honey_stock().num_allocated == allocated  # its units are back on sale
    assert re.search(r"已退款\s+¥136.00", page_of(resident_client, whole))

    part = paid_order(resident_client, fake_stripe)
    intent = part.checkout_attempts.get().payment_intent
    deliver(Client(), fake_stripe.refund_in_dashboard(intent, 1000))
    part.refresh_from_db()
    assert part.status == settings.ORDER_STATUS_PLACED
    assert PaymentIssue.objects.get(order=part, kind="refund_outside").amount == 1000
    for line in part.lines.all():
        line.set_status(settings.ORDER_STATUS_AT_PICKUP)
    part.set_status(settings.ORDER_STATUS_AT_PICKUP)
    html = login_client(Client(), "pickup").post("/pickup/handover/", {"code": part.delivery.pickup_code})
    assert "钱在支付平台被退过" in html.content.decode()
    part.refresh_from_db()
    assert part.status == settings.ORDER_STATUS_AT_PICKUP
    # the same news again changes nothing more
    deliver(Client(), fake_stripe.charge_refunded(intent))
    assert PaymentIssue.objects.filter(order=part, kind="refund_outside").count() == 1


@pytest.mark.django_db
def test_an_early_expiry_from_stripe_releases_the_order_at_once(resident_client, fake_stripe,
                                                                django_capture_on_commit_callbacks):
    allocated = honey_stock().num_allocated
    order, session = place_online(resident_client, fake_stripe)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(Client(), fake_stripe.expire(session["id"]))  # well before its expires_at
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED and honey_stock().num_allocated == allocated


@pytest.mark.django_db
def test_a_signed_event_without_an_amount_is_flagged_not_answered_500(resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    event = fake_stripe.complete(session["id"])
    del event["data"]["object"]["amount_total"]
    response = deliver(Client(), event)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    assert "没有金额" in PaymentIssue.objects.get(order=order, kind="amount_mismatch").detail


@pytest.mark.django_db
def test_news_of_a_payment_already_recorded_is_not_a_second_payment(resident_client, fake_stripe):
    """The reconcile (or a second event) racing the webhook: it read the attempt as unpaid a moment ago."""
    order, session = place_online(resident_client, fake_stripe)
    stale = order.checkout_attempts.get()
    deliver(Client(), fake_stripe.complete(session["id"]))
    settle.apply_session(stale, gateway.retrieve_checkout_session(session["id"]), "reconcile")
    assert not PaymentIssue.objects.filter(order=order).exists()
    assert order.sources.get().transactions.filter(txn_type="Debit").count() == 1
    assert not Refund.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_a_payment_of_the_wrong_amount_is_sent_back_whole_and_the_orders_own_records_are_untouched(
        resident_client, fake_stripe):
    order, session = place_online(resident_client, fake_stripe)
    deliver(Client(), fake_stripe.complete(session["id"], amount=100))
    issue = PaymentIssue.objects.get(order=order, kind="amount_mismatch")
    login_client(Client(), "admin").post(f"/dashboard/payment-issues/{issue.pk}/refund/")
    assert fake_stripe.calls("POST", "/v1/refunds")[-1]["params"]["amount"] == "100"
    issue.refresh_from_db()
    assert issue.resolved
    own = services.online_source(order)
    assert own.amount_debited == 0 and own.amount_refunded == 0  # that money was never the order's
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT  # still to be paid properly
