"""Every page a visitor reaches from the navigation renders, in Chinese and in English, in one look."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from live.models import LiveSession

from .conftest import login_client

Product = get_model("catalogue", "Product")

NAV_PAGES = ["/", "/shop/", "/shop/silver/", "/live/", "/communities/", "/villages/"]

# A string of the page in each language: (Chinese, English).
SITE_NAV = ("幸福直播间", "Live sales")


def get_in(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{url} in {language}: {response.status_code}"
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", NAV_PAGES)
def test_navigation_pages_render_in_chinese_and_english(client, url):
    chinese = get_in(client, url, "zh-hans")
    assert '<html lang="zh-hans"' in chinese
    assert SITE_NAV[0] in chinese and 'class="site-nav"' in chinese
    english = get_in(client, url, "en")
    assert '<html lang="en"' in english
    assert SITE_NAV[1] in english and 'class="site-nav"' in english


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/shop/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans"' in html and "银发专柜" in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/shop/"})
    assert response.status_code == 302
    assert "Silver-age counter" in client.get("/shop/").content.decode()


@pytest.mark.django_db
def test_shop_groups_products_by_village_with_silver_counter(client):
    html = get_in(client, "/shop/", "zh-hans")
    for village in ("桑梓店村", "大庙屯村", "新平村", "小庄村"):
        assert village in html
    assert "石磨香油 500ml" in html  # 桑梓店村's newest four
    assert html.count('class="p-card"') == 4 * 4 + 4  # four a village, and four of the 银发专柜
    silver = get_in(client, "/shop/silver/", "zh-hans")
    assert silver.count('class="p-card"') == 8


@pytest.mark.django_db
def test_product_page_shows_yuan_price_and_oscar_strings_in_both_languages(client):
    product = Product.objects.get(title="桑梓土蜂蜜 500g")
    chinese = get_in(client, product.get_absolute_url(), "zh-hans")
    assert "¥68.00" in chinese
    assert "加入购物车" in chinese
    english = get_in(client, product.get_absolute_url(), "en")
    assert "¥68.00" in english
    assert "Add to basket" in english


@pytest.mark.django_db
def test_catalogue_lists_all_demo_products_in_chinese(client):
    html = get_in(client, "/shop/catalogue/", "zh-hans")
    assert "全部商品" in html
    assert f"共 {Product.objects.browsable().count()} 件商品" in html
    assert html.count('class="p-card"') == 20  # one page


@pytest.mark.django_db
def test_live_session_page_renders_with_chat_box(client):
    session = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    html = get_in(client, session.get_absolute_url(), "zh-hans")
    assert session.title in html and f'data-ws-path="/ws/live/{session.pk}/"' in html
    assert "登录后参与聊天" in html
    english = get_in(client, session.get_absolute_url(), "en")
    assert "Log in to chat" in english


@pytest.mark.django_db
@pytest.mark.parametrize("url, chinese_words, english_words", [
    ("/village/", "本村商品", "Our village's goods"),
    ("/village/products/new/", "产地与溯源", "Origin and traceability"),
    ("/village/orders/", "装箱单", "Packing list"),
])
def test_secretary_workspace_in_both_languages(client, url, chinese_words, english_words):
    login_client(client, "secretary")
    assert chinese_words in get_in(client, url, "zh-hans")
    english = get_in(client, url, "en")
    assert english_words in english and "村务工作台" not in english


@pytest.mark.django_db
def test_trace_and_review_pages_in_both_languages(client):
    from market.models import Batch

    code = Batch.objects.filter(product__is_public=True).first().code
    assert "溯源码" in get_in(client, f"/trace/{code}/", "zh-hans")
    assert "Trace code" in get_in(client, f"/trace/{code}/", "en")
    login_client(client, "admin")
    assert "上架审核" in get_in(client, "/village/review/", "zh-hans")
    assert "Listing review" in get_in(client, "/village/review/", "en")


@pytest.mark.django_db
def test_admin_reaches_wagtail_admin_in_both_languages(client):
    login_client(client, "admin")
    chinese = get_in(client, "/cms/", "zh-hans")
    assert "共富超市 · 幸福直播间" in chinese
    english = get_in(client, "/cms/", "en")
    assert "Dashboard" in english or "Pages" in english


@pytest.mark.django_db
def test_one_login_page_serves_dashboard_and_wagtail(client):
    for url in ("/dashboard/", "/cms/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
        assert response.request["PATH_INFO"] == "/accounts/login/"
    response = client.post("/accounts/login/", {"username": "resident", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "resident", "password": "gongfu2026"})
    assert response.status_code == 302
    assert get_user_model().objects.get(username="resident").last_login is not None


@pytest.mark.django_db
def test_pages_load_no_cdn_assets(client):
    for url in NAV_PAGES:
        html = get_in(client, url, "zh-hans")
        for cdn in ("googleapis.com", "jsdelivr", "unpkg.com", "cdnjs", "bootstrapcdn"):
            assert cdn not in html, f"{url} loads {cdn}"


@pytest.mark.django_db
def test_elder_mode_switch_is_remembered(client):
    assert "elder-mode" not in get_in(client, "/", "zh-hans").split("<body", 1)[1].split(">", 1)[0]
    response = client.post("/elder-mode/", {"elder": "1", "next": "/shop/silver/"})
    assert response.status_code == 302 and response["Location"] == "/shop/silver/"
    body_tag = get_in(client, "/shop/silver/", "zh-hans").split("<body", 1)[1].split(">", 1)[0]
    assert "elder-mode" in body_tag
    response = client.post("/elder-mode/", {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
