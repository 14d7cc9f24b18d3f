"""Oscar's dashboard is for platform staff; first secretaries have /village/ (tests/test_workspace.py)."""

import pytest

from .conftest import login_client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/catalogue/", "/dashboard/orders/", "/dashboard/partners/",
                                 "/dashboard/users/", "/cms/pages/"])
def test_secretary_cannot_open_operator_pages(client, url):
    login_client(client, "secretary")
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"] or response["Location"].startswith("/cms/")


@pytest.mark.django_db
def test_a_secretary_finds_the_workspace_in_the_header(client):
    login_client(client, "secretary")
    assert 'href="/village/"' in client.get("/").content.decode()
    assert 'href="/village/review/"' in login_client(client, "admin").get("/").content.decode()


@pytest.mark.django_db
def test_resident_is_kept_out_of_dashboard_and_wagtail_without_a_redirect_loop(client):
    login_client(client, "resident")
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/village/' not in client.get("/").content.decode()
    response = client.get("/cms/pages/", follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) == 1
    assert response.request["PATH_INFO"] == "/accounts/login/"
    assert "你已登录为 陈娜" in response.content.decode()
