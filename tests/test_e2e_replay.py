"""A resident who missed the sale watches its replay in Chromium: the chat, the pinned product and the
flash sale follow the video's time, chapters jump to each product, and the product goes into the basket
at today's shop price without leaving the video."""

from .e2e import CHROMIUM, CHROMIUM_ARGS, RECORD_CSP, csp_violations, wait_for


def test_a_replay_follows_the_video_and_sells_at_the_shop_price(stack):
    from playwright.sync_api import expect, sync_playwright

    site = stack["site"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")  # not logged in: anyone may watch and buy
        context.add_init_script(RECORD_CSP)
        page = context.new_page()
        page.goto(site + "/live/")
        page.click("text=银发专柜好物分享会")
        video = "document.querySelector('video[data-role=replay]')"
        wait_for(lambda: page.evaluate(f"{video}.readyState") >= 1, "the replay's metadata", timeout=30)
        chat, pinned = page.locator('[data-role="chat"] li'), page.locator('[data-role="pinned"]')
        chapters = page.locator('[data-role="chapter"]')
        expect(chapters).to_have_count(3)
        first_title = chapters.nth(0).inner_text().split(" ", 1)[1]
        second_title = chapters.nth(1).inner_text().split(" ", 1)[1]

        def seek(seconds):
            page.evaluate(f"{video}.currentTime = {seconds}")
            wait_for(lambda: abs(page.evaluate(f"{video}.currentTime") - seconds) < 1, f"the video at {seconds} s")

        seek(36)  # the demo's show: 4 messages by then, the honey pinned, its flash sale running
        expect(chat).to_have_count(4)
        expect(chat.last).to_contain_text("抢到了！")
        expect(page.locator('[data-role="chat"]')).not_to_contain_text("这个适合老人家吃吗？")
        expect(pinned.locator('[data-field="title"]')).to_have_text(first_title)
        expect(page.locator('[data-role="flash"]')).to_be_visible()
        expect(page.locator('[data-role="flash"]')).to_contain_text("秒杀价只在直播时有效")
        expect(page.locator('[data-role="flash"] form, [data-role="flash"] button')).to_have_count(0)
        expect(page.locator('[data-role="announce"]')).to_contain_text("满 99 元包邮")

        chapters.nth(1).click()  # jump to the second product's moment
        wait_for(lambda: 50 <= page.evaluate(f"{video}.currentTime") < 60, "the jump to 0:50")
        expect(pinned.locator('[data-field="title"]')).to_have_text(second_title)
        expect(page.locator('[data-role="flash"]')).to_be_hidden()  # sold out at 0:40

        seek(5)  # back to the start: the room as it was then
        expect(chat).to_have_count(1)
        expect(pinned).to_be_hidden()

        chapters.nth(1).click()
        expect(pinned.locator('[data-field="title"]')).to_have_text(second_title)
        price = pinned.locator('[data-field="price"]').inner_text()
        at = page.evaluate(f"{video}.currentTime")
        pinned.locator("text=加入购物车").click()
        expect(page.locator('[data-role="add-result"]')).to_contain_text("已加入购物车")
        assert page.evaluate(f"{video}.currentTime") >= at  # still on the replay, where it was
        page.click('[data-role="add-result"] a')
        basket = page.locator("body")
        expect(basket).to_contain_text(second_title)
        expect(basket).to_contain_text(price)  # today's shop price
        assert csp_violations(page) == []
        browser.close()
