"""
A community editor (demo ``editor``, of 朝阳街社区) in Wagtail's admin, by
direct URL: their own community's pages, news, events and directory only;
what they publish waits for an operator's approval.
"""

import pytest
from django.contrib.auth import get_user_model

from cms.models import CommunityNewsPage, CommunityPage, CommunityService, VolunteerRequest, VolunteerTeam

from .conftest import login_client

User = get_user_model()


def page_of(slug):
    return CommunityPage.objects.get(community__slug=slug)


def news_form(title, slug, action):
    return {"title": title, "slug": slug, "date": "2026-12-01", "intro": "", "body-count": "0",
            "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000", action: "1"}


@pytest.fixture
def editor(client, db):
    return login_client(client, "editor")


def test_editor_edits_own_community_page_and_not_anothers(editor):
    assert editor.get(f"/cms/pages/{page_of('chaoyangjie').pk}/edit/").status_code == 200
    other = editor.get(f"/cms/pages/{page_of('wuyingtan').pk}/edit/")
    assert other.status_code in (302, 403)
    other_news = CommunityNewsPage.objects.filter(community__slug="wuyingtan").first()
    assert editor.get(f"/cms/pages/{other_news.pk}/edit/").status_code in (302, 403)
    assert editor.get(f"/cms/pages/add/cms/communitynewspage/{page_of('wuyingtan').pk}/").status_code in (302, 403)


def test_editors_news_goes_to_moderation_not_straight_out(editor):
    parent = page_of("chaoyangjie")
    url = f"/cms/pages/add/cms/communitynewspage/{parent.pk}/"
    response = editor.post(url, news_form("社区夜校开学啦", "night-school-opens", "action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    news = CommunityNewsPage.objects.get(slug="night-school-opens")
    assert not news.live and news.community.slug == "chaoyangjie"
    assert news.workflow_in_progress  # an operator approves it
    # pressing publish does not publish for an editor either
    editor.post(url, news_form("直接发布试试", "try-publish", "action-publish"))
    attempt = CommunityNewsPage.objects.filter(slug="try-publish").first()
    assert attempt is None or not attempt.live


def test_operator_approves_the_editors_news(editor, client):
    from wagtail.models import TaskState

    parent = page_of("chaoyangjie")
    editor.post(f"/cms/pages/add/cms/communitynewspage/{parent.pk}/",
                news_form("银龄互助队招新", "volunteers-wanted", "action-submit"))
    news = CommunityNewsPage.objects.get(slug="volunteers-wanted")
    task_state = TaskState.objects.get(workflow_state__object_id=str(news.pk), status="in_progress")
    operator = login_client(client.__class__(), "admin")
    response = operator.post(f"/cms/pages/workflow/action/{news.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    news.refresh_from_db()
    assert news.live


def test_editor_sees_and_changes_only_own_directory(editor):
    html = editor.get("/cms/snippets/cms/communityservice/").content.decode()
    own = CommunityService.objects.filter(community__slug="chaoyangjie").first()
    other = CommunityService.objects.filter(community__slug="yunhu").first()
    assert f"/cms/snippets/cms/communityservice/edit/{own.pk}/" in html
    assert f"/cms/snippets/cms/communityservice/edit/{other.pk}/" not in html
    assert editor.get(f"/cms/snippets/cms/communityservice/edit/{own.pk}/").status_code == 200
    assert editor.get(f"/cms/snippets/cms/communityservice/edit/{other.pk}/").status_code in (302, 403)
    before = other.phone
    editor.post(f"/cms/snippets/cms/communityservice/edit/{other.pk}/", {
        "community": other.community_id, "name": "改号", "category": "legal", "phone": "110"})
    other.refresh_from_db()
    assert other.phone == before
    assert editor.post(f"/cms/snippets/cms/communityservice/delete/{other.pk}/").status_code in (302, 403)
    assert CommunityService.objects.filter(pk=other.pk).exists()
    # a new entry can only be for their own community
    response = editor.post("/cms/snippets/cms/communityservice/add/", {
        "community": other.community_id, "name": "冒名服务", "category": "legal", "phone": "123"})
    assert not CommunityService.objects.filter(name="冒名服务").exists()
    assert response.status_code == 200  # the form again, with its error


def test_volunteer_requests_are_seen_by_that_communitys_staff_only(client, editor):
    resident = login_client(client.__class__(), "resident")
    own_team = VolunteerTeam.objects.filter(community__slug="chaoyangjie").first()
    other_team = VolunteerTeam.objects.filter(community__slug="yunhu").first()
    for team in (own_team, other_team):
        resident.post(f"/events/teams/{team.pk}/join/", {"name": "陈娜", "mobile": "13805310001", "note": "周末有空"})
    assert VolunteerRequest.objects.filter(user__username="resident").count() == 2
    html = editor.get("/cms/snippets/cms/volunteerrequest/").content.decode()
    assert html.count("13805310001") == 1
    other = VolunteerRequest.objects.get(team=other_team)
    assert editor.get(f"/cms/snippets/cms/volunteerrequest/inspect/{other.pk}/").status_code in (302, 403)


@pytest.mark.parametrize("model", ["volunteerrequest", "volunteerteam", "communityservice"])
def test_the_snippet_chooser_offers_an_editor_their_own_communitys_rows_only(client, editor, model):
    resident = login_client(client.__class__(), "resident")
    for slug in ("chaoyangjie", "yunhu"):
        team = VolunteerTeam.objects.filter(community__slug=slug).first()
        resident.post(f"/events/teams/{team.pk}/join/", {"name": f"陈娜{slug}", "mobile": "13805310001"})
    Model = {"volunteerrequest": VolunteerRequest, "volunteerteam": VolunteerTeam,
             "communityservice": CommunityService}[model]
    path = "team__community__slug" if model == "volunteerrequest" else "community__slug"
    own, other = Model.objects.filter(**{path: "chaoyangjie"}).first(), Model.objects.filter(**{path: "yunhu"}).first()
    listing = editor.get(f"/cms/snippets/choose/cms/{model}/").content.decode()
    results = editor.get(f"/cms/snippets/choose/cms/{model}/results/").content.decode()
    for html in (listing, results):
        assert f"/chosen/{own.pk}/" in html and f"/chosen/{other.pk}/" not in html
    assert editor.get(f"/cms/snippets/choose/cms/{model}/chosen/{own.pk}/").status_code == 200
    assert editor.get(f"/cms/snippets/choose/cms/{model}/chosen/{other.pk}/").status_code == 404
    several = editor.get(f"/cms/snippets/choose/cms/{model}/chosen-multiple/?id={own.pk}&id={other.pk}").json()
    assert [row["id"] for row in several["result"]] == [str(own.pk)]
    # an operator chooses from every community
    operator = login_client(client.__class__(), "admin")
    assert operator.get(f"/cms/snippets/choose/cms/{model}/chosen/{other.pk}/").status_code == 200
