"""The page budget (issue #17): what a reader's phone downloads on a cold visit to each page.

A page's cost is every same-host resource Chromium requests on a cold visit at 390 x 844 (the
HTML, CSS, JavaScript, the math font, figures above or near the fold), each counted once, as raw
bytes: what the phone's browser holds and parses, however the host compresses it. Material's script
and full stylesheets arrive on the reader's first interaction (hooks/theme_on_interaction.py), and
its search worker and index when the reader opens the search box, so neither is part of a cold
visit. scripts/bench reports the gzip transfer bytes next to these.
"""
from __future__ import annotations

import pytest

from conftest import ROOT  # noqa: F401  (fixtures come from conftest)
from pageweight import file_bytes

KB = 1024
BUDGET = {"explanation": 320 * KB, "notebook": 400 * KB}


def kind(path: str) -> str:
    return "notebook" if "notebooks/" in path else "explanation"


def cost(site, visit) -> dict[str, int]:
    """Raw bytes of each resource the visit requested."""
    return {url: file_bytes(site, url)[0] for url in visit["requested"]}


@pytest.mark.parametrize("what", sorted(BUDGET))
def test_every_page_stays_within_its_budget_on_a_cold_visit(site, cold_visits, what):
    checked, over = 0, []
    for path, visit in cold_visits.items():
        if kind(path) != what:
            continue
        checked += 1
        costs = cost(site, visit)
        total = sum(costs.values())
        if total > BUDGET[what]:
            biggest = ", ".join(f"{u} {b / KB:.0f} KB" for u, b in sorted(costs.items(), key=lambda x: -x[1])[:5])
            over.append(f"/{path}: {total / KB:.0f} KB > {BUDGET[what] / KB:.0f} KB (largest: {biggest})")
    assert checked, f"no {what} pages found"
    assert not over, "\n".join(over)


def test_a_cold_visit_counts_the_page_its_styles_scripts_and_math_font(site, cold_visits):
    """Guards the measurement itself: if requests stopped being recorded, every budget would pass."""
    visit = cold_visits["normalization/"]
    requested = visit["requested"]
    assert requested[0] == "normalization/"
    assert any(u.endswith(".css") for u in requested) and any(u.endswith(".js") for u in requested)
    assert not any("/bundle." in u or u.endswith(".min.css") for u in requested), "the theme's script loaded cold"
    assert any(u.endswith(".woff2") for u in requested), "the page's math font is loaded"
    assert sum(cost(site, visit).values()) > 100 * KB


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_search_index_is_fetched_when_the_search_box_is_used_not_on_load(browser, site_url, lang):
    """overrides/partials/search-on-demand.html holds Material's search worker and index request
    until the reader focuses the search box; then both are fetched and search answers
    (tests/test_site_search.py checks what it finds)."""
    from pageweight import SEARCH_INDEX, cold_visit
    is_worker = lambda url: "/workers/search." in url
    with cold_visit(browser, site_url, lang + "normalization/") as (page, requested):
        page.wait_for_timeout(500)
        assert lang + SEARCH_INDEX not in requested, "the index was fetched on load"
        assert not any(map(is_worker, requested)), "the search worker was fetched on load"
        with page.expect_response(lambda r: r.url.endswith(lang + SEARCH_INDEX)):
            page.keyboard.press("/")       # Material's shortcut: focuses the search box
        assert any(map(is_worker, requested)), "the search worker was not started"
        page.keyboard.type("gamma")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)


def test_figures_reserve_their_space_and_all_but_the_first_load_lazily(site):
    """width and height on every figure (no layout shift); the first figure of a page is loaded
    at once, the later ones only when the reader scrolls near them."""
    import re
    from htmltools import pages
    checked, problems = 0, []
    for page in pages(site):
        figures = [tag for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")) if "figures/" in tag]
        for i, tag in enumerate(figures):
            checked += 1
            if not (re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag)):
                problems.append(f"{page}: no width/height: {tag[:120]}")
            if ('loading="lazy"' in tag) != (i > 0):
                problems.append(f"{page}: figure {i + 1} {'should' if i else 'should not'} be lazy: {tag[:120]}")
    assert checked > 20
    assert not problems, "\n".join(problems)
