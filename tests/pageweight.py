"""What a phone downloads on a cold visit to one page: measured one way, for tests/test_budget.py
(the budget) and scripts/bench (the report).

The visit is a fresh browser context (nothing cached) on a 390 x 844 screen, until the network is
idle and the search index that Material's worker fetches after load has arrived. A resource costs
what a static host sends: text gzip-compressed at level 6 (GitHub Pages, Netlify, nginx with gzip),
fonts and images as they are.
"""
from __future__ import annotations

import gzip
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

PHONE = {"width": 390, "height": 844}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


SEARCH_INDEX = "search/search_index.json"     # fetched by Material's search worker after load


@contextmanager
def cold_visit(browser, base_url: str, path: str, timeout_ms: int = 15_000):
    """Open base_url + path (base_url ends with "/", path does not start with one) cold.
    Yields (page, requested): the open page and the same-host URL paths it requested, each once.

    A quiet network is not enough: the search worker may fetch the index after it. The visit
    waits until the index (of this language: the site root's or en/'s) has finished loading."""
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    page = context.new_page()
    requested, finished = [], set()
    same_host = lambda req: req.url.startswith(base_url)
    page.on("request", lambda req: same_host(req) and requested.append(req.url[len(base_url):]))
    page.on("requestfinished", lambda req: same_host(req) and finished.add(req.url[len(base_url):]))
    index = ("en/" if path.startswith("en/") else "") + SEARCH_INDEX
    try:
        page.goto(base_url + path, wait_until="networkidle")
        for _ in range(timeout_ms // 100):
            if index in finished:
                break
            page.wait_for_timeout(100)
        yield page, list(dict.fromkeys(requested))
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
