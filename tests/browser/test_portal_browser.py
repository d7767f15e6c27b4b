"""The public portal in a real browser: layout on a phone and a desktop, keyboard use,
the elderly-friendly display, pages without JavaScript, and axe-core accessibility checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from zhengtong.portal.context_processors import ELDER_COOKIE

pytestmark = pytest.mark.browser

VIEWPORTS = ["phone", "desktop"]  # sizes in conftest.VIEWPORTS

ELDER_ON = "长者模式（大字、高对比）"
ELDER_OFF = "退出长者模式"
BLOCKING_IMPACTS = {"serious", "critical"}


def open_page(page, path: str):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    return response


def horizontal_overflow(page) -> str | None:
    """Wider than the screen? On a phone chromium widens window.innerWidth to fit (zooming out),
    so the page is compared with the device width too."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    screen = page.viewport_size["width"]
    if scroll > min(inner, screen):
        return f"{page.url} 出现横向滚动：页面宽 {scroll}px，屏幕宽 {screen}px"
    return None


def press_display_switch(page, name: str) -> None:
    """Press the elderly-friendly switch and wait until its form post has brought the same page back."""
    back_to = page.url
    with page.expect_navigation(url=back_to):
        page.get_by_role("button", name=name, exact=True).click()


def root_font_size(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).fontSize")


def html_classes(page) -> list[str]:
    return page.evaluate("Array.from(document.documentElement.classList)")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page_layout_landmarks_and_keyboard(visitor, demo_site, viewport):
    page = visitor.page(viewport)
    open_page(page, demo_site.home)
    width = page.viewport_size["width"]

    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert horizontal_overflow(page) is None, horizontal_overflow(page)

    # Landmarks: one banner, one main, one contentinfo, and the named main navigation.
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, f"应有且仅有一个 {role} 区域"
        assert page.get_by_role(role).is_visible()
    nav = page.get_by_role("navigation", name="主导航")
    links = nav.get_by_role("link")
    names = links.all_inner_texts()
    assert names[0] == "首页" and {"信息公开", "政民互动"} <= set(names), names
    for link in links.all():
        box = link.bounding_box()
        assert box is not None and link.is_visible(), f"导航链接“{link.inner_text()}”不可见"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"导航链接“{link.inner_text()}”超出屏幕"
        assert box["height"] >= 44, f"导航链接“{link.inner_text()}”点击区域太小：{box['height']}px"
    assert nav.get_by_role("link", name="首页").get_attribute("aria-current") == "page"

    # The skip link waits off screen, appears on the first Tab and moves focus to the main content.
    skip = page.get_by_role("link", name="跳到主要内容")
    hidden = skip.bounding_box()
    assert hidden is not None and hidden["x"] + hidden["width"] <= 0, "跳转链接未聚焦时应在屏幕外"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link", "第一次按 Tab 应聚焦“跳到主要内容”"
    shown = skip.bounding_box()
    on_screen = shown is not None and shown["x"] >= 0 and shown["y"] >= 0 and shown["x"] + shown["width"] <= width
    assert on_screen, f"聚焦后“跳到主要内容”应出现在屏幕内：{shown}"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("location.hash") == "#main"
    # The next Tab continues inside the main content, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

    # Content is there: several column blocks with dated items, and the footer facts.
    assert page.locator("main h2").count() >= 4
    assert page.locator("main time").count() >= 8
    assert "主办单位" in page.get_by_role("contentinfo").inner_text()
    assert all(img.get_attribute("alt") is not None for img in page.locator("img").all()), "每张图片都要有 alt"

    shot = demo_site.screenshots / f"home-{viewport}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert visitor.foreign_requests == [], f"页面请求了站外资源：{visitor.foreign_requests}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_have_no_serious_accessibility_violations(visitor, demo_site, viewport):
    pages = [
        ("首页", demo_site.home, False),
        ("栏目页", demo_site.column, False),
        ("信息页", demo_site.article, False),
        ("政策文件", demo_site.policy, False),
        ("首页（长者模式）", demo_site.home, True),
        ("政策文件（长者模式）", demo_site.policy, True),
    ]
    axe = Axe()
    normal, elder = visitor.page(viewport), visitor.page(viewport, elder=True)
    problems = []
    for label, path, elder_mode in pages:
        page = elder if elder_mode else normal
        open_page(page, path)
        assert ("elder" in html_classes(page)) == elder_mode
        if overflow := horizontal_overflow(page):
            problems.append(f"{label}: {overflow}")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                nodes = "; ".join(
                    f"{' '.join(node['target'])} → {node['html'][:160]}" for node in violation["nodes"][:5]
                )
                problems.append(
                    f"{label} {path}: {violation['id']}（{violation['impact']}）{violation['help']}：{nodes}"
                )
    assert not problems, "\n".join(problems)
    assert visitor.foreign_requests == [], f"页面请求了站外资源：{visitor.foreign_requests}"


def test_elder_mode_enlarges_text_persists_and_switches_off(visitor, demo_site):
    page = visitor.page("phone")
    open_page(page, demo_site.home)
    assert "elder" not in html_classes(page)
    normal_size = root_font_size(page)
    normal_item = page.locator("main .item-list a").first.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")

    press_display_switch(page, ELDER_ON)
    assert "elder" in html_classes(page)
    assert (normal_size, root_font_size(page)) == ("16px", "20px")
    elder_item = page.locator("main .item-list a").first.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")
    assert elder_item >= normal_item * 1.2
    assert horizontal_overflow(page) is None, horizontal_overflow(page)

    # The choice is kept in a cookie and applies on the next page too.
    assert {(c["name"], c["value"]) for c in page.context.cookies()} >= {(ELDER_COOKIE, "1")}
    open_page(page, demo_site.column)
    assert "elder" in html_classes(page)
    assert root_font_size(page) == "20px"

    # Switching off returns to the same page with the normal display.
    press_display_switch(page, ELDER_OFF)
    assert "elder" not in html_classes(page)
    assert root_font_size(page) == "16px"
    assert ELDER_COOKIE not in {c["name"] for c in page.context.cookies()}
    assert page.get_by_role("button", name=ELDER_ON, exact=True).is_visible()


def test_pages_work_without_javascript(visitor, demo_site):
    page = visitor.page("phone", javascript=False)
    open_page(page, demo_site.home)
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="信息公开").is_visible()
    assert page.locator("main .column-block").count() >= 4
    assert page.locator("script").count() == 0

    # The elderly-friendly switch is a plain form: it works with scripts off.
    press_display_switch(page, ELDER_ON)
    assert "elder" in html_classes(page)
    open_page(page, demo_site.article)
    assert "elder" in html_classes(page)
    assert page.get_by_role("heading", level=1).is_visible()
    press_display_switch(page, ELDER_OFF)
    assert "elder" not in html_classes(page)
