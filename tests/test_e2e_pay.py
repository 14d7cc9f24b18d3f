"""
Paying online in Chromium on the real stack: checkout → Stripe's page (the fake
Stripe server's, tests/fake_stripe.py) → 微信支付 → back on the order page, which
says 支付确认中 and turns 已支付 when the signed webhook arrives.
"""

import re

from .e2e import CHROMIUM, CHROMIUM_ARGS, csp_violations, log_in
from .page_checks import axe_violations


def test_a_resident_pays_online_and_sees_the_order_turn_paid(stack, stripe_server):
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _ctx, shop = log_in(browser, site, "resident")
        shop.set_viewport_size({"width": 390, "height": 844})
        shop.goto(site + "/shop/catalogue/sangzidian-01_1/")
        shop.locator("#add_to_basket_form .buy-bar__add").click()
        shop.goto(site + "/shop/checkout/")
        shop.wait_for_url("**/checkout/delivery/")
        shop.locator('[name="name"]').fill("陈娜")
        shop.locator('[name="mobile"]').fill("13800138000")
        shop.locator(".delivery-form [type='submit']").click()
        shop.wait_for_url("**/checkout/preview/")
        expect(shop.locator("input[name='method'][value='stripe']")).to_be_checked()  # online is offered first
        assert axe_violations(shop) == []
        shop.click("#place-order")
        shop.wait_for_url(stripe_server.url + "/pay/**")
        expect(shop.locator("h1")).to_contain_text("支付 ¥")
        shop.click("text=微信支付")
        shop.wait_for_url("**/shop/accounts/orders/**")
        badge = shop.locator(".payment-card .status-badge")
        expect(badge).to_have_text("支付确认中")  # back from Stripe before the webhook: not paid on its word
        expect(badge).to_have_text("已支付", timeout=20000)  # the page looks again until the webhook is in
        expect(shop.locator(".pickup-code__digits")).to_have_text(re.compile(r"^\s*\d{6}\s*$"))
        assert axe_violations(shop) == []
        assert csp_violations(shop) == [], "checkout's redirect to Stripe's page is allowed by the CSP"
        browser.close()
