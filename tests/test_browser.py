"""Every page of the built site in headless Chromium: both languages, both colour schemes.

No console error, no failed request, no request to another host, math (MathML) set in the
site's own math font, the colour scheme really switched. Screenshots go to build/screenshots/ for a human to look at.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from htmltools import pages

SCREENSHOTS = ROOT / "build" / "screenshots"
SCHEMES = {"light": "default", "dark": "slate"}


def page_paths(site):
    return [p.relative_to(site).as_posix().removesuffix("index.html") for p in pages(site)
            if p.name != "404.html"]


@pytest.fixture(scope="module")
def all_paths(site):
    paths = page_paths(site)
    assert "" in paths and "en/" in paths and "normalization/" in paths and "en/normalization/" in paths
    return paths


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_page_loads_cleanly_in_chromium(browser, site, site_url, all_paths, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    problems = []
    for path in all_paths:
        page = context.new_page()
        page.on("console", lambda msg, path=path: msg.type == "error" and problems.append(f"{path}: console: {msg.text}"))
        page.on("pageerror", lambda err, path=path: problems.append(f"{path}: page error: {err}"))
        page.on("requestfailed", lambda req, path=path: problems.append(f"{path}: failed: {req.url} {req.failure}"))
        page.on("response", lambda res, path=path: res.status >= 400 and problems.append(f"{path}: HTTP {res.status} {res.url}"))
        page.on("request", lambda req, path=path: urlsplit(req.url).netloc != urlsplit(site_url).netloc
                and not req.url.startswith(("data:", "blob:")) and problems.append(f"{path}: other host: {req.url}"))
        page.goto(site_url + path, wait_until="networkidle")
        assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme], path
        if "<math" in (site / path / "index.html").read_text(encoding="utf-8"):
            assert page.locator("math").count() > 0
            assert "CS231n FAQ Math" in page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
            page.evaluate("document.fonts.ready")
            assert page.evaluate("document.fonts.check('16px \"CS231n FAQ Math\"')"), f"{path}: math font not loaded"
        name = (path.strip("/").replace("/", "_") or "home")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=False)
        page.close()
    context.close()
    assert not problems, "\n".join(problems)


def test_language_switch_keeps_page_and_section(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "normalization/#norm-groupnorm")
    page.locator(".md-header__option .md-select").hover()
    page.locator("a[data-language-switch][hreflang=en]").click()
    page.wait_for_load_state()
    assert page.url == site_url + "en/normalization/#norm-groupnorm"
    page.locator(".md-header__option .md-select").hover()
    page.locator("a[data-language-switch][hreflang=zh]").click()
    page.wait_for_load_state()
    assert page.url == site_url + "normalization/#norm-groupnorm"
    page.close()


def test_every_page_fits_a_390px_screen_without_sideways_scrolling(cold_visits):
    """Wide tables, figures, formulas and code scroll inside themselves, never the page."""
    wide = [f"/{path}: page is {v['scroll_width']} px wide on a {v['viewport_width']} px screen; "
            f"sticking out: {', '.join(v['sticking_out'])}"
            for path, v in cold_visits.items() if v["scroll_width"] > v["viewport_width"]]
    assert len(cold_visits) > 30
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_comments_footer_and_links_are_readable_without_relying_on_colour(browser, site_url, scheme):
    """WCAG AA 4.5:1 for code comments, docstrings and the footer (Material's defaults give 4.47);
    links in running text are underlined, not told apart by colour alone."""
    from colours import contrast, seen_colours
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "normalization/", wait_until="networkidle")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    for selector in (".highlight .sd", ".highlight .c1", ".md-copyright"):
        text, background = seen_colours(page, selector)
        assert contrast(text, background) >= 4.5, f"{selector}: {text} on {background}"
    decorations = page.eval_on_selector_all(".md-content :is(p, li, td) a:not(.headerlink)",
                                            "links => links.map(a => getComputedStyle(a).textDecorationLine)")
    assert len(decorations) > 5 and set(decorations) == {"underline"}, decorations
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_a_deep_link_to_the_last_question_of_the_longest_page_lands_on_it(browser, site, site_url, lang):
    """On a phone, a link to the last answer of the tallest explanation page (the most content
    laid out above the target) shows that answer's heading at the top of the screen, also after
    the math font has arrived and the theme's JavaScript has run."""
    import yaml
    questions = yaml.safe_load((ROOT / "data" / "questions.yml").read_text(encoding="utf-8"))
    ids = {q["id"] for topic in questions.values() for q in topic}
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    heights = {}
    for slug in {p.parent.name for p in (site / lang).glob("*/index.html")} - {"notebooks", "glossary", "search", "assets"}:
        page.goto(f"{site_url}{lang}{slug}/", wait_until="networkidle")
        heights[slug] = page.evaluate("document.documentElement.scrollHeight")
    tallest = max(heights, key=heights.get)
    html = (site / lang / tallest / "index.html").read_text(encoding="utf-8")
    last = [i for i in re.findall(r'<h2 id="([^"]+)"', html) if i in ids][-1]
    page.goto(f"{site_url}{lang}{tallest}/#{last}", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(500)
    top = page.evaluate(f"document.getElementById('{last}').getBoundingClientRect().top")
    scrolled = page.evaluate("window.scrollY")
    context.close()
    assert scrolled > 2 * 844, f"{tallest}#{last}: the page did not scroll ({scrolled}px)"
    assert 0 <= top < 200, f"{tallest}#{last}: the heading is at {top:.0f}px, not at the top of the screen"
