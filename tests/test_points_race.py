"""Twenty checkouts spend the same resident's points at once, on PostgreSQL: the balance never goes below zero."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from cms import points

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass (DATABASE_URL)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_spending_never_takes_the_balance_below_zero():
    user = get_user_model().objects.create_user("points_racer")
    points.correct(user, 1000, None, None, "起始积分")
    gate, spent, refused, errors = threading.Barrier(20), [], [], []

    def checkout(n):
        try:
            gate.wait()
            spent.append(points.spend(user, 300, f"race-{n}").amount)
        except points.Refused as refusal:
            refused.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - any other failure fails the test below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert len(spent) == 3 and len(refused) == 17
    assert all("积分不够" in message for message in refused)
    assert points.balance(user) == 100
