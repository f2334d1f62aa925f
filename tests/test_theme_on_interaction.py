"""Material's script and full stylesheets load on the reader's first interaction
(overrides/partials/theme-on-interaction.html, hooks/theme_on_interaction.py).

Until then a page is drawn with the rules of Material's stylesheets that the pages use. These tests
show that those rules draw every page exactly as the full stylesheets do, that nothing of the theme's
script is fetched on load, and that what the script does (colour scheme, copy buttons, the search
shortcut, a scheme toggled before it arrived) still happens once the reader touches the page.
"""
from __future__ import annotations

import io

import pytest

from htmltools import pages

PHONE = {"width": 390, "height": 844}
# Two full-page captures of the same page with the same stylesheets can differ in one pixel row
# (seen at the lower edge of a code block on the 26,000 px tall English normalization page, dark);
# a missing rule recolours or moves far more than that.
TOLERANCE_PX = PHONE["width"]


def theme_requests(requested):
    return [url for url in requested if url.split("?")[0].endswith(".js") and "bundle." in url
            or url.endswith(".min.css")]


def pixels(png: bytes):
    from matplotlib.image import imread
    return imread(io.BytesIO(png), format="png")


def full_page(page, site, url: str, full: bool) -> bytes:
    """A full-page screenshot of url as first drawn, with the used stylesheets (full=False) or
    with Material's full ones served in their place (full=True)."""
    page.unroute("**/*")
    if full:
        def serve_full(route):
            name = route.request.url.rsplit("/", 1)[-1].replace(".used.css", ".min.css")
            route.fulfill(path=str(next(site.glob(f"assets/stylesheets/{name}"))), content_type="text/css")
        page.route("**/*.used.css", serve_full)
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    return page.screenshot(full_page=True, animations="disabled", caret="hide")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_used_stylesheets_draw_every_page_as_the_full_ones_do(browser, site, site_url, scheme):
    """Every page in light (a 390 px phone), the formula-heavy pages and the home page in dark too:
    the same pixels with the used rules as with all of Material's, before any interaction."""
    import numpy as np
    paths = [p.relative_to(site).as_posix().removesuffix("index.html") for p in pages(site)]
    if scheme == "dark":
        paths = [p for p in paths if p.removeprefix("en/") in ("", "normalization/", "whitening/", "map-mle/", "notebooks/normalization/")]
    assert len(paths) >= (10 if scheme == "dark" else 30)
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    requested = []
    page.on("request", lambda req: requested.append(req.url))
    differ = []
    for path in paths:
        used, full = (pixels(full_page(page, site, site_url + path, full)) for full in (False, True))
        if used.shape != full.shape:
            differ.append(f"/{path}: {used.shape[:2]} px with the used rules, {full.shape[:2]} px with all")
        elif (changed := (np.abs(used - full).sum(-1) > 0).sum()) > TOLERANCE_PX:
            differ.append(f"/{path}: {changed} pixels differ")
    context.close()
    assert not [url for url in requested if "bundle." in url], "the theme's script loaded during the screenshots"
    assert not differ, "\n".join(differ)


def test_the_theme_loads_on_the_first_touch_not_on_load(browser, site, site_url):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    requested, errors = [], []
    page.on("request", lambda req: requested.append(req.url))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("response", lambda res: res.status >= 400 and errors.append(f"HTTP {res.status} {res.url}"))
    page.goto(site_url + "normalization/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert theme_requests(requested) == [], "fetched on load"
    assert page.evaluate("document.documentElement.className") == "js theme-pending"
    assert page.locator(".md-clipboard, .md-code__button").count() == 0
    page.touchscreen.tap(200, 500)
    page.wait_for_function("!document.documentElement.classList.contains('theme-pending')")
    page.wait_for_load_state("networkidle")
    loaded = theme_requests(requested)
    assert any("bundle." in url for url in loaded) and sum(url.endswith(".min.css") for url in loaded) == 2, loaded
    assert page.locator(".md-clipboard, .md-code__button").count() > 0, "Material did not mount the code blocks' copy buttons"
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_first_visit_has_the_system_s_scheme_and_a_toggle_before_the_theme_loads(browser, site_url, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "en/whitening/", wait_until="networkidle")
    expected = {"light": "default", "dark": "slate"}[scheme]
    assert page.get_attribute("body", "data-md-color-scheme") == expected
    toggle = page.locator("[data-md-component=palette] label:not([hidden])")
    assert toggle.count() == 1, "exactly one scheme toggle shows"
    toggle.tap()             # the first interaction: the theme's script loads while the radio changes
    other = {"default": "slate", "slate": "default"}[expected]
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{other}'", timeout=5_000)
    page.reload(wait_until="networkidle")
    assert page.get_attribute("body", "data-md-color-scheme") == other, "the toggled scheme is remembered"
    context.close()


def test_a_page_opened_from_a_search_result_highlights_the_words_at_once(browser, site_url):
    """Material marks the searched words (?h=, search.highlight): the theme loads without waiting."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "en/normalization/?h=gamma", wait_until="networkidle")
    page.wait_for_selector("mark[data-md-highlight]", timeout=5_000)
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_chosen_code_tab_is_underlined_before_the_theme_loads(browser, site_url, lang):
    """The Run-it-yourself tabs (macOS/Linux, Windows) show which one is open, as Material does."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + lang + "normalization/", wait_until="networkidle")
    labels = page.locator(".tabbed-set").first.locator(".tabbed-labels > label")
    colours = [label.evaluate("e => getComputedStyle(e).borderBottomColor") for label in labels.all()]
    assert len(colours) >= 2 and colours[0] != colours[1], colours
    assert colours[1] == "rgba(0, 0, 0, 0)", "only the open tab is underlined"
    context.close()


def test_tapping_the_search_button_first_opens_search_ready_to_type(browser, site_url):
    """On a phone the search button is the first thing touched: the box gets the focus in that tap
    (so the keyboard shows), the theme and the search index load, and the typed word finds pages."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.locator("header label.md-header__button[for=__search]").tap()
    assert page.evaluate("document.activeElement.matches('[data-md-component=search-query]')")
    # Once the index is in, Material searches on each key released; a reader's keyboard sends those,
    # but Playwright types 显著图 as inserted text without key events, so the word here is typed in keys.
    page.wait_for_timeout(1_000)
    page.keyboard.type("gamma")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    context.close()
