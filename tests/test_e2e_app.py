"""The resident's phone app, in Chromium at 390 px through the real site: sign up with a phone number and
the code the server printed, buy for pickup, find the pickup code on 我的 from the bottom tab; with the
network cut the same page still shows the code (the service worker kept it), other pages show the offline
page; after logging out, offline shows nothing personal."""

import re
import subprocess
import sys

from .e2e import CHROMIUM, CHROMIUM_ARGS, ROOT

NUMBER = "13966660001"


def code_printed(stack, number):
    """The django-tasks worker sends what the site queued; the console SMS backend prints it."""
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_worker", "--backend", "background",
                           "--batch", "--no-startup-delay"], cwd=ROOT, env=stack["env"], capture_output=True,
                          text=True, timeout=120)
    found = re.findall(rf"to {number}: .*?验证码是 (\d{{6}})", done.stdout)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    return found[-1]


def test_sign_up_buy_and_show_the_pickup_code_without_a_network(stack):
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(site + "/")
        expect(page.locator(".tab-bar")).to_be_visible()
        header = page.locator(".site-header").bounding_box()["height"]
        assert header <= 120, header
        page.locator(".tab-bar a", has_text="我的").click()  # not logged in: the login page
        page.wait_for_url("**/accounts/login/**")
        page.fill("#id_mobile", "139 6666 0001")
        page.click("button[value=send]")
        expect(page.locator(".alert-success")).to_contain_text("验证码已发送到 139****0001")
        page.fill("#id_code", code_printed(stack, NUMBER))
        page.click("button[value=login]")
        page.wait_for_url("**/accounts/signup/**")
        page.fill("#id_family_name", "周")
        page.fill("#id_given_name", "桂兰")
        page.select_option("#id_community", label="朝阳街社区")
        page.check("#id_agree")
        page.click(".btn-main")
        page.wait_for_url("**/me/")
        expect(page.locator(".mine-hello h1")).to_have_text("周桂兰")

        page.goto(site + "/shop/catalogue/sangzidian-01_1/")
        page.locator("#add_to_basket_form .buy-bar__add").click()
        page.goto(site + "/shop/checkout/")
        page.wait_for_url("**/checkout/delivery/")
        page.locator(".delivery-form [type='submit']").click()
        page.wait_for_url("**/checkout/preview/")
        page.check("input[name='method'][value='pay-at-pickup']")
        page.click("#place-order")
        page.wait_for_url("**/checkout/thank-you/")
        code = page.locator(".pickup-code__digits").first.inner_text().replace(" ", "")

        page.goto(site + "/shop/")
        page.locator(".tab-bar a", has_text="我的").click()  # one tap from anywhere
        page.wait_for_url("**/me/")
        expect(page.locator(".pickup-card__code").first).to_have_text(code)
        page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
        page.reload()  # through the service worker: kept on the phone

        context.set_offline(True)
        page.reload()
        expect(page.locator(".pickup-card__code").first).to_have_text(code)
        expect(page.locator(".saved-at")).to_be_visible()
        page.goto(site + "/live/")
        expect(page.locator("h1")).to_have_text("现在没有网络")
        context.set_offline(False)

        page.goto(site + "/me/settings/")
        page.click(".logout-form button")
        page.wait_for_url(site + "/")
        context.set_offline(True)
        page.goto(site + "/me/")
        expect(page.locator("h1")).to_have_text("现在没有网络")
        assert code not in page.content() and "周桂兰" not in page.content()
        browser.close()


def test_the_buy_bar_and_the_basket_steppers_on_a_phone(stack):
    """立即购买 in the bar fixed above the tabs goes straight to checkout; −/+ on the basket save at once."""
    from playwright.sync_api import expect, sync_playwright

    from .e2e import log_in

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context, page = log_in(browser, site, "resident")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(site + "/shop/catalogue/sangzidian-01_1/")
        bar = page.locator(".buy-bar")
        tabs = page.locator(".tab-bar").bounding_box()
        box = bar.bounding_box()
        # on screen without scrolling, just above the tabs, with the price and both buttons
        assert abs(box["y"] + box["height"] - tabs["y"]) <= 1 and box["width"] == 390, (box, tabs)
        expect(bar.locator(".buy-bar__price")).to_have_text("¥68.00")
        bar.locator(".buy-bar__now").click()
        page.wait_for_url("**/checkout/delivery/")

        page.goto(site + "/shop/basket/")
        line = page.locator(".basket-line").first
        expect(line.locator("[data-step='-1']")).to_be_disabled()  # 1 left: 删除 removes it, not −
        expect(line.locator("[data-stepper-update]")).to_be_hidden()
        with page.expect_navigation():  # saved at once: the basket page comes back
            line.locator("[data-step='1']").click()
        page.reload()
        line = page.locator(".basket-line").first
        expect(line.locator("input[data-stepper]")).to_have_value("2")
        expect(line.locator(".basket-line__price .price_color")).to_have_text("¥136.00")
        with page.expect_navigation():
            line.locator("[data-step='-1']").click()
        page.reload()
        expect(page.locator(".basket-line input[data-stepper]").first).to_have_value("1")
        # 删除 empties it again (the live room's tests buy as this resident later)
        while page.locator(".basket-line").count():
            with page.expect_navigation():
                page.locator(".basket-line").first.get_by_role("button", name="删除").click()
        expect(page.locator(".basket-lines")).to_have_count(0)
        context.close()
        browser.close()
