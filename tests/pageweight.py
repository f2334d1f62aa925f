"""What a phone downloads on a cold visit to one page: measured one way, for tests/test_budget.py
(the budget) and scripts/bench (the report).

The visit is a fresh browser context (nothing cached) on a 390 x 844 screen, until the network is
idle, without touching it. Material's search worker and index are not part of it: they are fetched
only when the reader opens the search box (overrides/partials/search-on-demand.html); nor are
Material's script and full stylesheets, fetched on the first interaction
(overrides/partials/theme-on-interaction.html). A resource is counted raw (the bytes of the file, what
the phone's browser holds and parses) and as what a static host sends: text gzip-compressed at
level 6 (GitHub Pages, Netlify, nginx with gzip), fonts and images as they are.
"""
from __future__ import annotations

import gzip
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

PHONE = {"width": 390, "height": 844}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


SEARCH_INDEX = "search/search_index.json"     # fetched when the search box is first used


@contextmanager
def cold_visit(browser, base_url: str, path: str, timeout_ms: int = 15_000):
    """Open base_url + path (base_url ends with "/", path does not start with one) cold.
    Yields (page, requested): the open page and the same-host URL paths it requested, each once
    (a live list: requests made later, e.g. after focusing the search box, are added to it)."""
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    page = context.new_page()
    requested = []
    same_host = lambda req: req.url.startswith(base_url)
    page.on("request", lambda req: same_host(req) and req.url[len(base_url):] not in requested
            and requested.append(req.url[len(base_url):]))
    try:
        page.goto(base_url + path, wait_until="networkidle", timeout=timeout_ms)
        yield page, requested
    finally:
        context.close()


def file_bytes(site: Path, url_path: str) -> tuple[int, int]:
    """(raw, sent) bytes of the built file behind a same-site URL path."""
    path = unquote(urlsplit(url_path).path)
    file = site / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    data = file.read_bytes()
    sent = len(gzip.compress(data, compresslevel=6, mtime=0)) if file.suffix in COMPRESSED else len(data)
    return len(data), sent
