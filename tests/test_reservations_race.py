"""100 residents press 预约 at the same moment for 20 places, on PostgreSQL: 20 get them, 80 are told why not."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone

from cms.models import CommunityPage, EventPage, Reservation
from cms.reservations import Refused, reserve
from market.models import Community

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locking under real concurrency is checked in .ci/run's PostgreSQL pass (DATABASE_URL)",
)


def an_event(capacity):
    """A community page and one event under it (a transactional test starts with an empty page tree)."""
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    community = Community.objects.create(name="并发测试社区", slug="race")
    page = root.add_child(instance=CommunityPage(title="并发测试社区", slug="race", community=community))
    start = timezone.now() + timedelta(days=2)
    return page.add_child(instance=EventPage(title="睦邻市集", slug="market", kind="market", start=start,
                                             end=start + timedelta(hours=3), place="小区广场", capacity=capacity,
                                             max_places=1))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("waitlist", [False, True])
def test_hundred_concurrent_reservations_never_exceed_twenty_places(waitlist):
    event = an_event(capacity=20)
    User = get_user_model()
    User.objects.bulk_create(User(username=f"racer{i}") for i in range(100))
    users = list(User.objects.filter(username__startswith="racer"))
    gate, results, errors = threading.Barrier(len(users)), [], []

    def press(user):
        try:
            gate.wait()
            results.append(reserve(event, user, "居民", "13800000000", 1, waitlist=waitlist).status)
        except Refused as refusal:
            results.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - any other failure fails the test below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert results.count("confirmed") == 20
    assert Reservation.objects.filter(event=event, status="confirmed").count() == 20
    if waitlist:
        assert results.count("waitlisted") == 80
    else:
        assert all("约满" in r for r in results if r != "confirmed") and len(results) == 100
        assert Reservation.objects.filter(event=event).count() == 20
