"""Oscar's own login-or-register pages send people to the one login page, where a phone number and an
SMS code also sign a new resident up (tests/test_phone_accounts.py); Oscar's email registration, which
crashed under django-axes and told whether an email was taken, is gone."""

import pytest
from django.contrib.auth import get_user_model

User = get_user_model()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/shop/accounts/login/", "/shop/accounts/register/"])
def test_oscars_login_and_register_pages_send_people_to_the_one_login(client, path):
    response = client.get(path + "?next=/shop/basket/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/shop/basket/"
    before = User.objects.count()
    response = client.post(path, {"email": "a@example.com", "password1": "Qingshan-2026",
                                  "password2": "Qingshan-2026", "registration_submit": "1"})
    assert response.status_code == 302 and User.objects.count() == before


@pytest.mark.django_db
def test_the_login_page_offers_the_code_first_and_a_password_for_staff(client):
    page = client.get("/accounts/login/?next=/shop/basket/").content.decode()
    assert page.index('name="mobile"') < page.index('name="password"')
    assert "获取验证码" in page and "用密码登录" in page and 'value="/shop/basket/"' in page
    assert 'href="/accounts/terms/"' in page and 'href="/accounts/privacy/"' in page
    for path, title in (("/accounts/terms/", "用户协议"), ("/accounts/privacy/", "隐私政策")):
        response = client.get(path)
        assert response.status_code == 200 and title in response.content.decode()
