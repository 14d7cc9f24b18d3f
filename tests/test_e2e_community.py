"""
Reserving in Chromium on the real stack (tests/e2e.py): a resident takes the
last seat at 朝阳街社区's film night, a neighbour joins the waitlist, the first
cancels, the neighbour is promoted and the community worker checks them in by
typing their code at the door.
"""

from .e2e import CHROMIUM, CHROMIUM_ARGS, csp_violations, log_in, stack_python

OPEN_CHECK_IN = """
from datetime import timedelta
from django.utils import timezone
from cms.models import EventPage
now = timezone.now()
EventPage.objects.filter(community__slug="chaoyangjie", slug="cinema").update(
    start=now + timedelta(minutes=30), end=now + timedelta(hours=3))
"""


def test_last_seat_waitlist_cancel_promote_and_check_in(stack):
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    event_url = site + "/communities/chaoyangjie/cinema/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _ctx, first = log_in(browser, site, "resident")
        first.set_viewport_size({"width": 390, "height": 844})
        first.goto(event_url)
        expect(first.locator(".event-facts")).to_contain_text("剩余 1 / 共 4")
        first.fill("#id_name", "陈娜")
        first.fill("#id_mobile", "13805310001")
        first.locator(".reserve-form [type='submit']").click()
        expect(first.locator(".reserve-box")).to_contain_text("你已预约 1 位")
        expect(first.locator(".event-facts")).to_contain_text("剩余 0 / 共 4")

        _ctx, second = log_in(browser, site, "elder")
        second.goto(event_url)
        button = second.locator(".reserve-form [type='submit']")
        expect(button).to_have_text("加入候补")
        second.fill("#id_name", "胡奶奶")
        second.fill("#id_mobile", "13805310002")
        button.click()
        expect(second.locator(".reserve-box")).to_contain_text("你在候补名单上")

        first.goto(site + "/events/mine/")
        card = first.locator(".reservation-card", has_text="星光放映厅")
        card.locator("button", has_text="取消预约").click()
        expect(first.locator("body")).to_contain_text("已取消")

        second.goto(site + "/events/mine/")
        promoted = second.locator(".reservation-card", has_text="星光放映厅")
        expect(promoted).to_contain_text("已预约")
        code = promoted.locator(".checkin-code").inner_text().strip()
        assert len(code) == 8 and code.isdigit()

        # the film night begins within the hour: the door's check-in is open
        stack_python(stack, OPEN_CHECK_IN)
        _ctx, staff = log_in(browser, site, "worker")
        staff.set_viewport_size({"width": 390, "height": 844})
        staff.goto(site + "/events/staff/")
        staff.locator(".info-card", has_text="星光放映厅").locator("a", has_text="签到").click()
        staff.fill("#checkin-code", code)
        staff.locator(".handover-form [type='submit']").click()
        expect(staff.locator(".checkin-done")).to_contain_text("胡奶奶 签到成功（1 位）")
        expect(staff.locator(".checkin-done")).to_contain_text("已为 TA 记上 10 积分")
        staff.fill("#checkin-code", code)
        staff.locator(".handover-form [type='submit']").click()
        expect(staff.locator(".checkin-error")).to_contain_text("不能重复签到")

        # the film night's points are on 胡奶奶's account at once, and she spends them in the shop
        second.goto(site + "/points/")
        expect(second.locator(".points-number")).to_contain_text("230")
        expect(second.locator(".points-history tbody tr").first).to_contain_text("+10")
        second.goto(site + "/shop/search/?q=生菜")
        second.locator("form[action*='basket/add'] button").first.click()
        second.goto(site + "/shop/checkout/delivery/")
        second.locator(".delivery-form [type='submit']").click()  # her community's point, her name and number
        expect(second.locator(".points-field")).to_contain_text("用 230 积分抵 ¥2.30")  # one switch
        second.locator("input[name=method][value=pay-at-pickup]").check()
        expect(second.locator("#place-order")).to_have_text("提交订单 ¥8.80")
        second.locator(".points-switch").click()
        expect(second.locator("input[name=points]")).to_be_checked()
        expect(second.locator("#place-order")).to_have_text("提交订单 ¥6.50")  # what is left after her 积分
        second.locator("#place-order").click()
        expect(second.locator("body")).to_contain_text("积分抵扣 230 积分（¥2.30）")
        expect(second.locator("body")).to_contain_text("¥6.50")
        second.goto(site + "/points/")
        expect(second.locator(".points-number")).to_contain_text("0")
        for page in (first, second, staff):
            assert not csp_violations(page)
        browser.close()
