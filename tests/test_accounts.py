"""Signing up through the real views: no error, the same answer whether the email is new or taken,
the account made once from the emailed link, then logged in under the name given."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

User = get_user_model()
REGISTER = "/shop/accounts/register/"


def sign_up(client, email, name="王小红", password="Qingshan-2026"):
    return client.post(REGISTER, {"name": name, "email": email, "password1": password, "password2": password})


def link_in(message):
    return re.search(r"https?://[^/\s]+(/shop/accounts/register/confirm/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_a_new_visitor_signs_up_by_the_emailed_link_and_is_logged_in_under_their_name(client):
    assert client.get(REGISTER).status_code == 200
    response = sign_up(client, "Xiaohong@Example.com")
    assert response.status_code == 302 and response["Location"] == "/shop/accounts/register/sent/"
    assert not User.objects.filter(email="xiaohong@example.com").exists()  # nothing until the link is followed
    sent = client.get(response["Location"]).content.decode()
    assert "请查收邮件" in sent and "xiaohong@example.com" in sent
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xiaohong@example.com"]
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "完成注册" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    user = User.objects.get(email="xiaohong@example.com")
    assert user.first_name == "王小红" and user.check_password("Qingshan-2026")
    home = client.get("/shop/accounts/orders/").content.decode()
    assert "王小红 · 我的订单" in home and user.username not in home
    # the link followed again (or by a second tab at the same moment) makes no second account
    response = client.post(link)
    assert response.status_code == 302 and User.objects.filter(email__iexact="xiaohong@example.com").count() == 1


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_the_email_has_an_account_or_not(client):
    taken = sign_up(client, "resident@gongfu.local")
    taken_page = client.get(taken["Location"]).content.decode()
    new = sign_up(client, "someone.new@example.com")
    new_page = client.get(new["Location"]).content.decode()
    assert taken.status_code == new.status_code == 302 and taken["Location"] == new["Location"]
    def same(page, email):  # but for the address typed and the per-response CSRF token and CSP nonce
        return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page.replace(email, "X"))

    assert same(taken_page, "resident@gongfu.local") == same(new_page, "someone.new@example.com")
    assert "已经存在" not in taken_page and "already" not in taken_page
    assert User.objects.filter(email="resident@gongfu.local").count() == 1
    # the owner of the address learns it in their mailbox, with a way in
    assert "已经有账号" in mail.outbox[0].body and "/accounts/login/" in mail.outbox[0].body
    assert "/register/confirm/" in mail.outbox[1].body


@pytest.mark.django_db
def test_bad_input_rerenders_the_form_with_clear_errors_and_keeps_what_was_typed(client):
    response = client.post(REGISTER, {"name": "王小红", "email": "not-an-email", "password1": "Qingshan-2026",
                                      "password2": "Qingshan-2027"})
    html = response.content.decode()
    assert response.status_code == 200 and "两次输入的密码不一样" in html and 'value="王小红"' in html
    response = sign_up(client, "a@example.com", password="12345678")
    assert response.status_code == 200 and 'class="invalid-feedback' in response.content.decode()
    assert not mail.outbox and not User.objects.filter(email="a@example.com").exists()


@pytest.mark.django_db
def test_a_forged_or_altered_link_creates_nothing(client):
    sign_up(client, "xiaohong@example.com")
    link = link_in(mail.outbox[0])
    altered = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]
    for bad in (altered, "/shop/accounts/register/confirm/not-a-token/"):
        assert client.get(bad).status_code == 400
        assert client.post(bad).status_code == 400
    assert not User.objects.filter(email="xiaohong@example.com").exists()


@pytest.mark.django_db
def test_oscars_login_or_register_page_sends_people_to_the_one_login(client):
    response = client.get("/shop/accounts/login/?next=/shop/basket/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/shop/basket/"
