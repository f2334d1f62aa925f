"""The page budget: what a reader's phone downloads on a cold visit to each page.

A page's cost is every same-host resource Chromium requests on a cold visit at 390 x 844 (the
HTML, CSS, JavaScript, the KaTeX fonts the page's math actually uses, figures above or near the
fold, and what Material fetches by itself: the search worker, search/search_index.json and both
sitemaps), each counted once. Bytes are those a static host sends: text (HTML, CSS, JS, JSON, SVG,
XML) gzip-compressed at level 6 as GitHub Pages, Netlify or nginx with gzip do; fonts and images
as they are. The raw (uncompressed) bytes are reported by scripts/bench next to these.
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
    return {url: file_bytes(site, url)[1] for url in visit["requested"]}


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


def test_a_cold_visit_counts_the_page_its_styles_scripts_and_the_search_index(site, cold_visits):
    """Guards the measurement itself: if requests stopped being recorded, every budget would pass."""
    visit = cold_visits["normalization/"]
    requested = visit["requested"]
    assert requested[0] == "normalization/"
    assert any(u.endswith(".css") for u in requested) and any(u.endswith(".js") for u in requested)
    assert "search/search_index.json" in requested
    assert any(u.endswith(".woff2") for u in requested), "the page's math fonts are loaded"
    assert sum(cost(site, visit).values()) > 100 * KB


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
