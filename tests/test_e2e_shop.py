"""
Shopping in Chromium on the real stack (tests/e2e.py): the pickup journey with its
hand-over screen, the 长辈版 numbers and axe-core on every shopping page, the product
cards' layout at phone and desktop widths, and 朗读 on the product page.
"""

import subprocess

from .e2e import CHROMIUM, CHROMIUM_ARGS, RECORD_CSP, csp_violations, log_in
from .page_checks import axe_violations, card_problems, elder_problems


def test_a_pickup_order_in_chromium_from_basket_to_hand_over_by_typed_code(stack):
    """A resident buys for pickup (two pages), the village marks it delivered, pickup staff type the code."""
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _ctx, shop = log_in(browser, site, "elder")
        shop.set_viewport_size({"width": 390, "height": 844})
        shop.goto(site + "/shop/catalogue/sangzidian-02_2/")
        shop.locator("#add_to_basket_form .buy-bar__add").click()
        shop.goto(site + "/shop/checkout/")
        shop.wait_for_url("**/checkout/delivery/")
        expect(shop.locator("input[name='method'][value^='pickup-']:checked")).to_have_count(1)  # her community's
        expect(shop.locator("input[name='line1']")).to_have_count(0)  # no address for pickup
        shop.locator('[name="mobile"]').fill("139 0531 0002")
        shop.locator(".delivery-form [type='submit']").click()
        shop.wait_for_url("**/checkout/preview/")
        shop.check("input[name='method'][value='pay-at-pickup']")
        shop.click("#place-order")
        shop.wait_for_url("**/checkout/thank-you/")
        code = shop.locator(".pickup-code__digits").inner_text().strip()
        assert len(code) == 6 and code.isdigit()

        _ctx, village = log_in(browser, site, "secretary")
        village.goto(site + "/village/orders/")
        # every day's delivery to 朝阳街 (an order placed after the cut-off arrives a day later)
        buttons = village.locator(".ws-delivery", has_text="朝阳街社区党群服务中心自提点").locator(
            "button", has_text="已送达自提点")
        for _ in range(3):
            if not buttons.count():
                break
            buttons.first.click()
            expect(village.locator(".messages")).to_contain_text("已标记送达")

        _ctx, staff = log_in(browser, site, "pickup")
        staff.set_viewport_size({"width": 390, "height": 844})
        staff.goto(site + "/pickup/handover/")
        staff.fill("#pickup-code", "000000" if code != "000000" else "999999")
        staff.locator(".handover-form [type='submit']").click()
        expect(staff.locator(".handover-error")).to_be_visible()
        staff.fill("#pickup-code", code)
        staff.locator(".handover-form [type='submit']").click()
        expect(staff.locator(".handover-check")).to_contain_text("应收")  # who, what and how much, first
        staff.locator(".handover-check button[value='confirm']").click()
        expect(staff.locator(".handover-done")).to_contain_text("已交付")
        staff.fill("#pickup-code", code)
        staff.locator(".handover-form [type='submit']").click()
        expect(staff.locator(".handover-error")).to_contain_text("不能重复交付")

        for page in (shop, village, staff):
            assert csp_violations(page) == [], "the pickup journey runs under the CSP"
        browser.close()

        # 扫二维码: Chromium's fake camera shows the buyer's QR; the screen reads it (jsQR) and submits it
        import qrcode

        qrcode.make(code, box_size=12, border=6).save(stack["work"] / "code.png")
        video = stack["work"] / "code.y4m"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(stack["work"] / "code.png"),
                        "-t", "3", "-r", "10", "-vf", "scale=640:480:force_original_aspect_ratio=decrease,"
                        "pad=640:480:(ow-iw)/2:(oh-ih)/2:white", "-pix_fmt", "yuv420p", str(video)], check=True)
        camera = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        context, staff = log_in(camera, site, "pickup")
        context.grant_permissions(["camera"], origin=site)
        staff.goto(site + "/pickup/handover/")
        staff.locator("[data-scan]").click()
        expect(staff.locator(".handover-error")).to_contain_text("不能重复交付", timeout=15000)  # it read this order
        assert staff.locator("#pickup-code").input_value() == code
        assert csp_violations(staff) == []
        camera.close()


def test_elder_mode_meets_the_miit_numbers_and_axe_finds_nothing_serious(stack):
    """An elder switches on 长辈版 with one tap and shops: every page measured in Chromium, in both modes."""
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    measured = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context, page = log_in(browser, site, "elder")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(site + "/")
        switch = page.locator(".elder-switch button")
        expect(switch).to_have_attribute("aria-pressed", "false")
        switch.click()
        expect(page.locator("body.elder-mode")).to_have_count(1)
        page.reload()  # remembered
        expect(page.locator(".elder-switch button")).to_have_attribute("aria-pressed", "true")

        def measure(name, elder=True):
            problems = (elder_problems(page) if elder else []) + axe_violations(page)
            measured[f"{name} ({'长辈版' if elder else '标准版'}, {page.viewport_size['width']}px)"] = problems

        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("/", "/shop/silver/", "/shop/catalogue/sangzidian-01_1/", "/shop/basket/"):
                page.goto(site + path)
                measure(path)
        # the buying pages, with something in the basket
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(site + "/shop/catalogue/sangzidian-01_1/")
        page.locator("#add_to_basket_form .buy-bar__add").click()
        page.goto(site + "/shop/basket/")
        measure("basket with a line")
        page.goto(site + "/shop/checkout/")
        page.wait_for_url("**/checkout/delivery/")
        measure("checkout: delivery")
        page.locator('[name="mobile"]').fill("13905310002")
        page.locator(".delivery-form [type='submit']").click()
        page.wait_for_url("**/checkout/preview/")
        measure("checkout: preview")
        page.check("input[name='method'][value='pay-at-pickup']")
        page.click("#place-order")
        page.wait_for_url("**/checkout/thank-you/")
        measure("thank-you")
        page.locator("a", has_text="查看订单").first.click()
        page.wait_for_url("**/accounts/orders/**")
        measure("order page")
        page.goto(site + "/me/")
        measure("我的")
        page.goto(site + "/me/orders/")
        measure("my orders")

        # the same shopping pages in the standard look
        page.locator(".elder-switch button").click()
        expect(page.locator("body.elder-mode")).to_have_count(0)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("/", "/shop/silver/", "/shop/catalogue/sangzidian-01_1/", "/shop/basket/",
                         "/me/", "/me/orders/"):
                page.goto(site + path)
                measure(path, elder=False)
        page.goto(site + "/shop/catalogue/sangzidian-01_1/")
        page.locator("#add_to_basket_form .buy-bar__add").click()
        page.goto(site + "/shop/basket/")
        measure("basket with a line", elder=False)
        page.goto(site + "/shop/checkout/delivery/")
        measure("checkout: delivery", elder=False)
        page.locator(".delivery-form [type='submit']").click()
        page.wait_for_url("**/checkout/preview/")
        measure("checkout: preview", elder=False)
        assert csp_violations(page) == []
        browser.close()
    failing = {name: problems for name, problems in measured.items() if problems}
    assert not failing, "\n".join(f"{name}:\n  " + "\n  ".join(problems) for name, problems in failing.items())


def test_product_cards_keep_their_text_inside_and_apart_on_every_listing(stack):
    from playwright.sync_api import sync_playwright

    site = stack["site"]
    listings = ["/", "/shop/", "/shop/silver/", "/shop/catalogue/", "/shop/search/?q=fanqie",
                "/villages/damiaotun/", "/live/2/"]
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, elder in (("zh-hans", False), ("en", False), ("zh-hans", True)):
            context = browser.new_context(locale="zh-CN")
            context.add_cookies([{"name": "django_language", "value": language, "url": site}]
                                + ([{"name": "elder_mode", "value": "1", "url": site}] if elder else []))
            page = context.new_page()
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                for path in listings:
                    response = page.goto(site + path)
                    assert response.status == 200, path
                    cards = page.locator(".p-card").count()
                    assert cards, f"no product cards on {path}"
                    assert page.locator(".p-card .star-rating, .p-card__rating").count() == 0  # no reviews yet
                    found[f"{path} {language}{' 长辈版' if elder else ''} {width}px ({cards} cards)"] = card_problems(page)
            context.close()
        browser.close()
    failing = {name: problems for name, problems in found.items() if problems}
    assert not failing, failing


SPEECH_RECORDER = """
window.__spoken = []; window.__cancelled = 0;
Object.defineProperty(window, 'speechSynthesis', {value: {
  speaking: false,
  speak(u) { this.speaking = true; window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() { this.speaking = false; window.__cancelled += 1; },
}});
"""


def test_read_aloud_speaks_the_product_in_chinese_and_stops_on_a_second_tap(stack):
    """朗读 hands the title, price, origin and description to the browser's speech synthesis (recorded here)."""
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")
        context.add_init_script(RECORD_CSP)
        context.add_init_script(SPEECH_RECORDER)
        page = context.new_page()
        page.goto(site + "/shop/catalogue/sangzidian-01_1/")
        button = page.locator(".speak-button")
        expect(button).to_be_visible()
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        spoken = page.evaluate("window.__spoken")
        assert len(spoken) == 1 and spoken[0]["lang"] == "zh-CN"
        for part in ("桑梓土蜂蜜 500g", "¥68.00", "天桥区桑梓店街道桑梓店村", "不兑水"):
            assert part in spoken[0]["text"], (part, spoken[0]["text"])
        button.click()
        expect(button).to_have_attribute("aria-pressed", "false")
        assert page.evaluate("window.__cancelled") == 1
        assert csp_violations(page) == []
        browser.close()
