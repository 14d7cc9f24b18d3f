"""
社区家园 as residents and community staff use it: every page type in both
languages, reserving and the waitlist, cancelling, checking in at the door,
the calendar file, the attendance list, a weekly series and the day-before
reminder.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import (CommunityNewsPage, CommunityPage, CommunityService, EventPage, Reservation,
                        ServiceDirectoryPage, VillagePage)
from cms.reservations import Refused, cancel, check_in, reserve

from .conftest import login_client

User = get_user_model()
Notification = get_model("communication", "Notification")


def run_worker(monkeypatch):
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0)


def get_in(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, f"{url} in {language}: {response.status_code}"
    return response.content.decode()


def an_event(community="chaoyangjie", **changes):
    """The demo's coming 睦邻市集 of a community, with the given rules changed."""
    event = EventPage.objects.get(community__slug=community, slug="market")
    for name, value in changes.items():
        setattr(event, name, value)
    event.save()
    return event


def starting_soon(community="chaoyangjie", **changes):
    """The demo's 睦邻市集, starting in half an hour: reservations still open, check-in already open."""
    now = timezone.now()
    return an_event(community, start=now + timedelta(minutes=30), end=now + timedelta(hours=3),
                    reservation_opens=None, reservation_closes=None, **changes)


def resident(username, community="chaoyangjie"):
    from market.models import Community, Resident

    user = User.objects.create_user(username, password="pw-123456", last_name="居", first_name=username)
    Resident.objects.create(user=user, community=Community.objects.get(slug=community), mobile="13900000000")
    return user


@pytest.mark.django_db
def test_every_page_type_renders_in_chinese_and_english(client):
    community = CommunityPage.objects.get(community__slug="chaoyangjie")
    pages = {
        "/": ("社区活动", "Community events"),
        "/communities/": ("朝阳街社区", "朝阳街社区"),
        community.url: ("党群服务中心", "Service centre"),
        community.url + "news/": ("睦邻市集又开张", "睦邻市集又开张"),
        CommunityNewsPage.objects.filter(community__slug="chaoyangjie").first().url: ("朝阳街社区", "朝阳街社区"),
        an_event().url: ("预约", "Reserve"),
        ServiceDirectoryPage.objects.get().url: ("便民服务", "Services"),
        "/villages/": ("桑梓店村", "桑梓店村"),
        VillagePage.objects.get(village__slug="sangzidian").url: ("采收日历", "Harvest calendar"),
    }
    for url, (chinese, english) in pages.items():
        assert chinese in get_in(client, url, "zh-hans"), url
        assert english in get_in(client, url, "en"), url


@pytest.mark.django_db
def test_community_page_shows_centre_directory_teams_news_and_events(client):
    html = get_in(client, CommunityPage.objects.get(community__slug="chaoyangjie").url, "zh-hans")
    assert "0531-85961234" in html and 'href="tel:053185961234"' in html.replace("-", "")  # the centre, one tap
    assert 'href="tel:053185960005"' in html  # 法律咨询, one tap
    assert "红色物业志愿服务队" in html and "银龄互助队" in html
    assert "睦邻市集" in html and "社区夜校：智能手机课" in html
    assert "现在小区广场上几乎每天都有活动" in html  # the quote block
    services = CommunityService.objects.filter(community__slug="chaoyangjie").count()
    assert 6 <= services <= 10


@pytest.mark.django_db
def test_directory_filters_by_category_and_community(client):
    url = ServiceDirectoryPage.objects.get().url
    legal = get_in(client, url + "?category=legal", "zh-hans")
    assert "法律咨询" in legal and "老年助餐" not in legal
    yunhu = get_in(client, url + "?category=legal&community=yunhu", "zh-hans")
    assert yunhu.count('class="service-item"') == 1 and "云湖社区" in yunhu
    assert get_in(client, url + "?category=<script>", "zh-hans")  # odd input is just no filter


@pytest.mark.django_db
def test_home_page_shows_the_residents_own_community_first(client):
    assert "朝阳街社区近期活动" in get_in(login_client(client, "resident"), "/", "zh-hans")


@pytest.mark.django_db
def test_resident_reserves_then_the_event_fills_and_the_next_joins_the_waitlist(client):
    event = an_event(capacity=3, max_places=2)
    first, second = resident("res_first"), resident("res_second")
    client.force_login(first)
    response = client.post(f"/events/{event.pk}/reserve/", {"name": "陈娜", "mobile": "138 0531 0001", "places": 2},
                           follow=True)
    mine = Reservation.objects.get(event=event, user=first)
    assert mine.status == "confirmed" and mine.mobile == "13805310001"
    assert mine.code in response.content.decode()  # the check-in code, on the page
    client.force_login(second)
    page = client.post(f"/events/{event.pk}/reserve/", {"name": "王大爷", "mobile": "13805310002", "places": 2})
    html = page.content.decode()
    assert "只剩 1 位了" in html and "加入候补" in html and 'value="王大爷"' in html  # nothing lost
    client.post(f"/events/{event.pk}/reserve/", {"name": "王大爷", "mobile": "13805310002", "places": 2,
                                                 "waitlist": "on"})
    assert Reservation.objects.get(event=event, user=second).status == "waitlisted"
    assert event.places_taken() == 2


@pytest.mark.django_db
def test_bad_reservations_are_refused_with_the_form_kept(client):
    event = an_event(max_places=2)
    client.force_login(resident("res_bad"))
    html = client.post(f"/events/{event.pk}/reserve/", {"name": "陈娜", "mobile": "12345", "places": 1}) \
        .content.decode()
    assert "请填写 11 位手机号" in html and 'value="陈娜"' in html
    html = client.post(f"/events/{event.pk}/reserve/", {"name": "陈娜", "mobile": "13805310001", "places": 5}) \
        .content.decode()
    assert "errorlist" in html or "field-error" in html
    assert not Reservation.objects.filter(event=event, user__username="res_bad").exists()
    client.post(f"/events/{event.pk}/reserve/", {"name": "陈娜", "mobile": "13805310001", "places": 1})
    html = client.post(f"/events/{event.pk}/reserve/", {"name": "陈娜", "mobile": "13805310001", "places": 1}) \
        .content.decode()
    assert "你已经预约过这场活动了" in html
    assert Reservation.objects.filter(event=event, user__username="res_bad").count() == 1


@pytest.mark.django_db
def test_reservation_window_is_respected():
    user = resident("res_window")
    now = timezone.now()
    event = an_event(reservation_opens=now + timedelta(hours=1))
    with pytest.raises(Refused, match="还没到开放预约的时间"):
        reserve(event, user, "陈娜", "13805310001", 1)
    event = an_event(reservation_opens=None, reservation_closes=now - timedelta(minutes=1))
    with pytest.raises(Refused, match="预约已经截止了"):
        reserve(event, user, "陈娜", "13805310001", 1)


@pytest.mark.django_db
def test_cancelling_promotes_the_first_on_the_waitlist_who_fits_and_tells_them(client, monkeypatch,
                                                                               django_capture_on_commit_callbacks):
    event = an_event(capacity=2, max_places=2)
    a, b, c = resident("res_a"), resident("res_b"), resident("res_c")
    b.email = "b@example.com"
    b.save()
    first = reserve(event, a, "甲", "13800000001", 1)
    reserve(event, User.objects.create_user("filler"), "乙", "13800000009", 1)
    big = reserve(event, c, "丙", "13800000003", 2, waitlist=True)  # came first, but needs two
    small = reserve(event, b, "丁", "13800000002", 1, waitlist=True)
    assert (big.status, small.status) == ("waitlisted", "waitlisted")
    client.force_login(a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/reservations/{first.pk}/cancel/", follow=True)
    assert "已取消" in response.content.decode()
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == ("waitlisted", "confirmed")
    assert event.places_taken() == 2
    mail.outbox.clear()
    run_worker(monkeypatch)
    note = Notification.objects.filter(recipient=b).latest("date_sent")
    assert "候补成功" in note.subject
    assert mail.outbox and "签到码 " + small.code in mail.outbox[0].body


@pytest.mark.django_db
def test_no_cancelling_someone_elses_or_after_the_start(client):
    event = an_event()
    owner, other = resident("res_owner"), resident("res_other")
    reservation = reserve(event, owner, "陈娜", "13805310001", 1)
    client.force_login(other)
    assert client.post(f"/events/reservations/{reservation.pk}/cancel/").status_code == 404
    with pytest.raises(Refused, match="活动已经开始"):
        cancel(reservation, owner, now=event.start + timedelta(minutes=1))
    reservation.refresh_from_db()
    assert reservation.status == "confirmed"


@pytest.mark.django_db
def test_check_in_takes_each_code_once_and_only_at_its_own_event(client):
    event, other_event = starting_soon(), starting_soon("yunhu")
    here = reserve(event, resident("res_here"), "陈娜", "13805310001", 2)
    there = reserve(other_event, resident("res_there", "yunhu"), "李阿姨", "13805310003", 1)
    gone = reserve(event, resident("res_gone"), "王大爷", "13805310004", 1)
    cancel(gone, gone.user)
    client.force_login(User.objects.get(username="worker"))  # 朝阳街社区's worker
    url = f"/events/{event.pk}/checkin/"
    html = client.post(url, {"code": here.code}).content.decode()
    assert "陈娜 签到成功（2 位）" in html
    assert "不能重复签到" in client.post(url, {"code": here.code}).content.decode()
    elsewhere = client.post(url, {"code": there.code}).content.decode()
    assert "签到码不对" in elsewhere and "不是本场活动" not in elsewhere  # never names another event
    assert "已经取消了，不能签到" in client.post(url, {"code": gone.code}).content.decode()
    assert "签到码不对" in client.post(url, {"code": "00000000"}).content.decode()
    there.refresh_from_db()
    assert there.checked_in_at is None
    # another community's staff cannot open this event's check-in
    assert client.get(f"/events/{other_event.pk}/checkin/").status_code == 403


@pytest.mark.django_db
def test_waitlisted_reservation_cannot_check_in():
    event = starting_soon(capacity=1)
    reserve(event, resident("res_one"), "甲", "13800000001", 1)
    waiting = reserve(event, resident("res_two"), "乙", "13800000002", 1, waitlist=True)
    with pytest.raises(Refused, match="还在候补"):
        check_in(event, waiting.code, User.objects.get(username="worker"))


@pytest.mark.django_db
def test_calendar_file_is_in_shanghai_time_and_carries_the_code(client):
    event = an_event()
    local = timezone.localtime(event.start)
    body = client.get(f"/events/{event.pk}/calendar.ics").content.decode()
    assert "BEGIN:VCALENDAR" in body and "TZID:Asia/Shanghai" in body
    assert f"DTSTART;TZID=Asia/Shanghai:{local:%Y%m%dT%H%M%S}" in body
    assert "SUMMARY:睦邻市集" in body
    user = resident("res_ics")
    reservation = reserve(event, user, "陈娜", "13805310001", 2)
    client.force_login(user)
    body = client.get(f"/events/reservations/{reservation.pk}/calendar.ics").content.decode()
    assert reservation.code in body.replace("\r\n ", "")


@pytest.mark.django_db
def test_staff_export_attendance_as_csv_without_formulas(client):
    event = an_event()
    reserve(event, resident("res_csv"), "=HYPERLINK(\"x\")", "13805310001", 1)
    client.force_login(User.objects.get(username="editor"))
    response = client.get(f"/events/{event.pk}/attendance.csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("姓名,手机号,人数")
    assert "'=HYPERLINK" in text and "13805310001" in text


@pytest.mark.django_db
def test_my_reservations_lists_code_and_cancel(client):
    event = an_event()
    user = resident("res_mine")
    reservation = reserve(event, user, "陈娜", "13805310001", 1)
    client.force_login(user)
    html = get_in(client, "/events/mine/", "zh-hans")
    assert event.title in html and reservation.code in html and "取消预约" in html


@pytest.mark.django_db
def test_publishing_a_weekly_series_makes_the_other_dates():
    community_page = CommunityPage.objects.get(community__slug="wuyingtan")
    start = timezone.now() + timedelta(days=3)
    event = EventPage(title="社区夜校：书法课", slug="calligraphy", kind="night_school", start=start,
                      end=start + timedelta(hours=2), place="二楼教室", repeat_weeks=8)
    community_page.add_child(instance=event)
    event.save_revision().publish()
    series = list(EventPage.objects.filter(repeat_of=event).order_by("start"))
    assert len(series) == 7 and all(e.live and e.community_id == event.community_id for e in series)
    assert [e.start - start for e in series] == [timedelta(weeks=n) for n in range(1, 8)]
    assert series[0].title == "社区夜校：书法课（第2期）"
    event.save_revision().publish()  # publishing again adds none
    assert EventPage.objects.filter(repeat_of=event).count() == 7


@pytest.mark.django_db
def test_day_before_reminder_goes_once_and_follows_a_moved_event(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from cms.tasks import remind_reservation

    event = an_event(start=timezone.now() + timedelta(hours=30), end=timezone.now() + timedelta(hours=33))
    user = resident("res_remind")
    reservation = reserve(event, user, "陈娜", "13805310001", 1)
    queued = [t for t in DBTaskResult.objects.filter(task_path="cms.tasks.remind_reservation")
              if t.args_kwargs["args"] == [reservation.pk]]
    assert queued and queued[0].run_after == reservation.remind_at()
    assert remind_reservation.call(reservation.pk) is False  # 6 hours early: waits
    event.start = timezone.now() + timedelta(hours=20)
    event.save()
    assert remind_reservation.call(reservation.pk) is True
    assert remind_reservation.call(reservation.pk) is False  # once
    assert Notification.objects.filter(recipient=user, subject__startswith="明天的活动").count() == 1


@pytest.mark.django_db
def test_page_search_finds_words_inside_chinese_sentences(client):
    """“夜校” is inside “社区夜校：智能手机课” with no space around it: found because pages are indexed by jieba's words."""
    html = get_in(client, "/search/?q=夜校", "zh-hans")
    assert "社区夜校：智能手机课" in html and "活动" in html
    assert "（第2期）" not in html  # a weekly series shows its next date only; its page lists the others
    first = EventPage.objects.get(community__slug="chaoyangjie", slug="night-school")
    assert "这个系列的其他日期" in get_in(client, first.url, "zh-hans")
    assert "睦邻市集（上期）" not in get_in(client, "/search/?q=睦邻市集", "zh-hans")  # it is over
    html = get_in(client, "/search/?q=放映厅", "zh-hans")
    assert "星光放映厅：《我和我的家乡》" in html
    html = get_in(client, "/search/?q=老年助餐", "zh-hans")
    assert "老年助餐" in html and "tel:" in html  # a service from the directory, with its number
    html = get_in(client, "/search/?q=滑雪场", "zh-hans")
    assert "社区内容里没有找到“滑雪场”" in html
    html = get_in(client, "/search/?q=" + "长" * 101, "zh-hans")
    assert "搜索词太长了" in html
    # the search finds news an editor publishes, as soon as it is published
    page = CommunityPage.objects.get(community__slug="chaoyangjie")
    page.add_child(instance=CommunityNewsPage(title="朝阳街社区开展爱心义诊", slug="yizhen", intro="老人们在家门口量血压"))
    assert "朝阳街社区开展爱心义诊" in get_in(client, "/search/?q=义诊", "zh-hans")
    assert "Community pages, villages and events" in get_in(client, "/search/?q=义诊", "en")


@pytest.mark.django_db
def test_community_staff_see_and_answer_requests_to_join_a_team(client):
    from cms.models import VolunteerRequest, VolunteerTeam

    team = VolunteerTeam.objects.filter(community__slug="chaoyangjie").first()
    login_client(client, "resident").post(f"/events/teams/{team.pk}/join/", {"name": "陈娜", "mobile": "13805310001",
                                                                            "note": "周末有空"})
    request = VolunteerRequest.objects.get(team=team, user__username="resident")
    staff = login_client(client, "worker")
    html = staff.get("/events/staff/").content.decode()
    assert "周末有空" in html and "tel:13805310001" in html
    staff.post(f"/events/teams/requests/{request.pk}/handled/")
    request.refresh_from_db()
    assert request.handled and "周末有空" not in staff.get("/events/staff/").content.decode()
    # another community's worker cannot see or answer it
    other = VolunteerRequest.objects.create(team=VolunteerTeam.objects.filter(community__slug="yunhu").first(),
                                            user=User.objects.get(username="resident"), name="陈娜",
                                            mobile="13805310001", note="云湖的报名")
    assert "云湖的报名" not in staff.get("/events/staff/").content.decode()
    assert staff.post(f"/events/teams/requests/{other.pk}/handled/").status_code == 403
