"""The same Stripe event delivered twice at the same moment, on PostgreSQL: the order is paid once."""

import json
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from oscar.core.loading import get_model

from market.payments.models import StripeEvent

from .fake_stripe import sign
from .test_payments import WEBHOOK

Transaction = get_model("payment", "Transaction")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass (DATABASE_URL)",
)


def unpaid_order(fake):
    """An order awaiting its online payment and its Checkout Session (a transactional test has no demo data)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from oscar.test import factories

    from market.payments import gateway
    from market.payments.models import CheckoutAttempt

    user = get_user_model().objects.create_user("race_buyer", password="pw-123456")
    order = factories.create_order(user=user, status=settings.ORDER_STATUS_AWAITING_PAYMENT)
    session_id = fake.create_session({"line_items": [{"quantity": "1", "price_data": {
        "currency": "cny", "unit_amount": str(gateway.fen(order.total_incl_tax))}}],
        "client_reference_id": str(order.number), "metadata": {"order_number": str(order.number)},
        "expires_at": str(int((timezone.now() + timedelta(minutes=30)).timestamp()))})[1]["id"]
    CheckoutAttempt.objects.create(order=order, session_id=session_id, amount=gateway.fen(order.total_incl_tax),
                                   currency="cny", expires_at=timezone.now() + timedelta(minutes=30))
    return order, fake.sessions[session_id]


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_and_of_two_events_pay_once(fake_stripe):
    order, session = unpaid_order(fake_stripe)
    same = fake_stripe.complete(session["id"])
    other = {**fake_stripe.complete(session["id"]), "id": "evt_second_of_its_kind"}
    events = [same] * 4 + [other] * 4
    gate, statuses = threading.Barrier(len(events)), []

    def deliver(event):
        payload = json.dumps(event)
        try:
            gate.wait()
            response = Client().post(WEBHOOK, data=payload, content_type="application/json",
                                     HTTP_STRIPE_SIGNATURE=sign(payload))
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(events)
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PLACED
    assert Transaction.objects.filter(source__order=order, txn_type="Debit").count() == 1
    assert order.payment_events.filter(event_type__code="paid").count() == 1
    assert StripeEvent.objects.filter(event_id__in=[same["id"], other["id"]]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_sweep_and_the_task_releasing_one_order_at_once_give_its_units_back_once(fake_stripe):
    from datetime import timedelta

    from django.utils import timezone

    from market.payments import services

    order, _session = unpaid_order(fake_stripe)
    line = order.lines.get()
    record = line.stockrecord
    record.num_in_stock, record.num_allocated = 10, 10
    record.save()
    line.num_allocated = line.quantity
    line.save()
    later, gate, released = timezone.now() + timedelta(hours=2), threading.Barrier(6, timeout=60), []

    def release():
        try:
            gate.wait()
            released.append(services.release(order.pk, later))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=release) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(released) == [False] * 5 + [True]
    record.refresh_from_db()
    assert record.num_allocated == 10 - line.quantity
