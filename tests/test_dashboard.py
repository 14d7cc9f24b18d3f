"""A first secretary works in Oscar's dashboard, scoped to their own village."""

import pytest

from .conftest import login_client


@pytest.mark.django_db
def test_secretary_sees_only_own_village_products(client):
    login_client(client, "secretary")
    html = client.get("/dashboard/catalogue/").content.decode()
    assert "桑梓土蜂蜜 500g" in html
    assert "普罗旺斯西红柿" not in html and "小庄" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dashboard/partners/", "/dashboard/users/", "/cms/pages/"])
def test_secretary_cannot_open_operator_pages(client, url):
    login_client(client, "secretary")
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"] or response["Location"].startswith("/cms/")


@pytest.mark.django_db
def test_resident_is_kept_out_of_dashboard_and_wagtail_without_a_redirect_loop(client):
    login_client(client, "resident")
    assert client.get("/dashboard/").status_code == 403
    response = client.get("/cms/pages/", follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) == 1
    assert response.request["PATH_INFO"] == "/accounts/login/"
    assert "你已登录为 resident" in response.content.decode()
