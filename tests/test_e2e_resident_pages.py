"""Every page a resident can open, not only the shopping ones, in Chromium on the real stack: the 长辈版
numbers (font sizes, touch targets, line height, no sideways scrolling) and no serious or critical axe-core
violation, in 长辈版 and in the standard look, at phone and desktop widths."""

from .e2e import CHROMIUM, CHROMIUM_ARGS, log_in
from .page_checks import axe_violations, elder_problems

# community, services, villages, events, points, live, search, 我的 and its account pages, sign-in pages
RESIDENT_PAGES = (
    "/communities/", "/communities/chaoyangjie/", "/communities/chaoyangjie/news-3/",
    "/communities/chaoyangjie/market/", "/communities/chaoyangjie/cinema/", "/services/", "/villages/",
    "/villages/sangzidian/", "/events/mine/", "/points/", "/live/", "/live/2/", "/live/3/", "/search/?q=番茄",
    "/shop/catalogue/", "/me/settings/", "/me/settings/password/", "/shop/accounts/notifications/inbox/",
    "/shop/accounts/addresses/", "/shop/accounts/addresses/add/", "/accounts/terms/", "/accounts/privacy/",
)
SIGNED_OUT_PAGES = ("/accounts/login/", "/accounts/signup/", "/offline/")


def test_every_resident_page_meets_the_elder_numbers_and_axe_finds_nothing_serious(stack):
    from playwright.sync_api import sync_playwright

    site = stack["site"]
    found = {}

    def check(page, paths, width, elder):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.add_cookies([{"name": "elder_mode", "value": "1" if elder else "0", "url": site}])
        for path in paths:
            response = page.goto(site + path)
            assert response.ok, f"{path}: HTTP {response.status}"
            problems = (elder_problems(page) if elder else []) + axe_violations(page)
            if problems:
                found[f"{path} ({'长辈版' if elder else '标准版'}, {width}px)"] = problems

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context, page = log_in(browser, site, "resident")
        for width, elder in ((390, True), (390, False), (1280, True)):
            check(page, RESIDENT_PAGES, width, elder)
        context.close()
        outside = browser.new_context(locale="zh-CN").new_page()
        for width, elder in ((390, True), (390, False)):
            check(outside, SIGNED_OUT_PAGES, width, elder)
        browser.close()
    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items())
