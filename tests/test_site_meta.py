"""What search engines, link previews and static hosts see: canonical links, hreflang, Open Graph,
titles and descriptions, the sitemaps, robots.txt, the 404 pages, subpath hosting, the Pages workflow.

The site's URL is SITE_URL from the environment, else the default in mkdocs.yml (as in the build);
with TEST_SITE, the site must have been built with the same SITE_URL.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, QuietHandler, mkdocs
from htmltools import pages

DEFAULT_SITE_URL = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
SITE_URL = (os.environ.get("SITE_URL") or DEFAULT_SITE_URL).rstrip("/") + "/"
LANGS = {"zh": {"path": "", "hreflang": "zh-CN", "og_locale": "zh_CN", "name": "CS231n 疑难解答"},
         "en": {"path": "en/", "hreflang": "en", "og_locale": "en_US", "name": "CS231n FAQ"}}
CJK = re.compile(r"[\u3400-\u9fff]")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class Head(HTMLParser):
    """<html lang>, <title>, <meta name|property>, <link rel> (with hreflang) and the <article> text and links."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[tuple[str, str, str | None]] = []     # (rel, href, hreflang)
        self.article_text: list[str] = []
        self.article_hrefs: list[str] = []
        self._in_title = False
        self._article = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.setdefault(a.get("name") or a.get("property"), []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append((a.get("rel"), a.get("href"), a.get("hreflang")))
        elif tag == "article":
            self._article += 1
        elif tag == "a" and self._article and a.get("href"):
            self.article_hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "article":
            self._article -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._article:
            self.article_text.append(data)


@functools.cache
def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def indexed_pages(site: Path) -> dict[str, Path]:
    """URL path under SITE_URL -> file, for every page but the 404s (both languages)."""
    return {p.relative_to(site).as_posix().removesuffix("index.html"): p for p in pages(site) if p.name != "404.html"}


def lang_of(url_path: str) -> str:
    return "en" if url_path.startswith("en/") else "zh"


def twin_path(url_path: str, lang: str) -> str:
    """The same page in ``lang``: the page paths are the same in both languages."""
    return LANGS[lang]["path"] + url_path.removeprefix("en/")


def hreflang_links(page: Path) -> dict[str, str]:
    found = [(hreflang, href) for rel, href, hreflang in head(page).links if rel == "alternate" and hreflang]
    assert len(found) == len(dict(found)), f"{page}: an hreflang appears twice"
    return dict(found)


def twins(url_path: str) -> dict[str, str]:
    """The hreflang alternates of a page: itself and its twin, x-default the Chinese one."""
    expected = {spec["hreflang"]: SITE_URL + twin_path(url_path, lang) for lang, spec in LANGS.items()}
    expected["x-default"] = SITE_URL + twin_path(url_path, "zh")
    return expected


# ---- every page --------------------------------------------------------------------------------

def test_canonical_link_is_site_url_plus_the_page_path_in_both_languages(site):
    for url_path, page in indexed_pages(site).items():
        canonical = [href for rel, href, _ in head(page).links if rel == "canonical"]
        assert canonical == [SITE_URL + url_path], url_path


def test_sitemap_hreflang_alternates_name_each_language_twin_and_are_reciprocal(site):
    entries = sitemap(site / "sitemap.xml")
    for url_path in indexed_pages(site):
        alternates = entries[SITE_URL + url_path]
        assert alternates == twins(url_path), url_path
        for href in alternates.values():          # each twin is listed and names this page back
            assert href in entries, f"{url_path}: hreflang to {href}, which is not a built page"
            assert SITE_URL + url_path in entries[href].values(), f"{href} does not link back to {url_path}"


def test_pages_carry_no_alternate_links_so_material_fetches_no_sitemap_from_another_host(site):
    # Material fetches <href>/sitemap.xml for every <link rel="alternate">; hreflang lives in the sitemap
    for url_path, page in indexed_pages(site).items():
        assert not [l for l in head(page).links if l[0] == "alternate"], url_path


def test_open_graph_describes_every_page_in_its_language(site):
    for url_path, page in indexed_pages(site).items():
        meta, lang = head(page).meta, lang_of(url_path)
        other = [spec["og_locale"] for code, spec in LANGS.items() if code != lang]
        assert meta["og:url"] == [SITE_URL + url_path], url_path
        assert meta["og:type"] == ["website" if url_path in ("", "en/") else "article"], url_path
        assert meta["og:locale"] == [LANGS[lang]["og_locale"]] and meta["og:locale:alternate"] == other, url_path
        assert meta["og:site_name"] == [LANGS[lang]["name"]], url_path
        assert meta["og:description"] == meta["description"], url_path
        title = head(page).title.strip()
        assert title == meta["og:title"][0] or title == f'{meta["og:title"][0]} - {LANGS[lang]["name"]}', url_path


def test_titles_and_descriptions_are_unique_per_language_and_written_in_it(site):
    for lang in LANGS:
        titles, descriptions = {}, {}
        for url_path, page in indexed_pages(site).items():
            if lang_of(url_path) != lang:
                continue
            title = head(page).title.strip()
            description = head(page).meta["description"]
            assert len(description) == 1 and description[0].strip(), url_path
            titles.setdefault(title, []).append(url_path)
            descriptions.setdefault(description[0], []).append(url_path)
            own_words = title.removesuffix(" - " + LANGS[lang]["name"]) + description[0]
            assert bool(CJK.search(own_words)) == (lang == "zh"), f"{url_path}: {title!r} / {description[0]!r}"
            assert head(page).lang == lang
        assert all(len(v) == 1 for v in titles.values()), {t: v for t, v in titles.items() if len(v) > 1}
        assert all(len(v) == 1 for v in descriptions.values()), {d: v for d, v in descriptions.items() if len(v) > 1}


def test_notebook_pages_are_described_from_their_topic_page(site):
    for lang in LANGS:
        root = site / LANGS[lang]["path"]
        notebook = head(root / "notebooks" / "normalization" / "index.html").meta["description"][0]
        topic_title = head(root / "normalization" / "index.html").meta["og:title"][0]
        assert topic_title in notebook and ".ipynb" in notebook


# ---- sitemaps and robots.txt -------------------------------------------------------------------

def sitemap(path: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of every <url> (the XML must parse)."""
    urls = ET.fromstring(path.read_bytes()).findall(f"{SM}url")
    entries = {u.findtext(f"{SM}loc"): {l.get("hreflang"): l.get("href") for l in u.findall(f"{XHTML}link")} for u in urls}
    assert len(entries) == len(urls), f"{path}: a URL is listed twice"
    return entries


def test_root_sitemap_lists_exactly_the_built_pages_of_both_languages_with_their_twins(site):
    entries = sitemap(site / "sitemap.xml")
    built = indexed_pages(site)
    assert set(entries) == {SITE_URL + url_path for url_path in built}
    assert {lang_of(url_path) for url_path in built} == set(LANGS)
    for url_path in built:
        assert entries[SITE_URL + url_path] == twins(url_path), url_path
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_english_sitemap_lists_the_english_pages_under_en(site):
    # Material's JavaScript reads en/sitemap.xml on every English page; a sitemap may only list URLs under it
    entries = sitemap(site / "en" / "sitemap.xml")
    assert set(entries) == {SITE_URL + p for p in indexed_pages(site) if lang_of(p) == "en"}
    assert gzip.decompress((site / "en" / "sitemap.xml.gz").read_bytes()) == (site / "en" / "sitemap.xml").read_bytes()


def test_robots_txt_names_the_root_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^User-agent: \*$", robots, re.M) and not re.search(r"^Disallow: /", robots, re.M)
    assert re.findall(r"^Sitemap: (\S+)$", robots, re.M) == [SITE_URL + "sitemap.xml"]
    assert not (site / "en" / "robots.txt").exists()    # crawlers read robots.txt at the root only


# ---- 404 pages ---------------------------------------------------------------------------------

def test_each_404_page_is_in_its_language_and_links_its_own_home_and_search(site):
    base = urlsplit(SITE_URL).path           # a 404 is served at any depth: its links are absolute paths
    for lang, page in (("zh", site / "404.html"), ("en", site / "en" / "404.html")):
        h = head(page)
        home = base + LANGS[lang]["path"]
        text = "".join(h.article_text)
        assert h.lang == lang and "404" in h.title
        assert h.meta["robots"] == ["noindex"] and not hreflang_links(page)
        assert home in h.article_hrefs and home + "?q=" in h.article_hrefs, (lang, h.article_hrefs)
        if lang == "zh":
            assert CJK.search(text)
            assert base + "en/" in h.article_hrefs       # GitHub Pages serves only this one: offer English
        else:
            assert not CJK.search(text) and base not in h.article_hrefs


class SiteHandler(QuietHandler):
    """The built site mounted at ``mount``; a missing URL gets the 404 page of its language, the way
    the README tells nginx/Netlify to (en/404.html under en/, 404.html elsewhere)."""

    mount = "/"

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path.removeprefix(self.mount))

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        rel = urlsplit(self.path).path.removeprefix(self.mount)
        body = (Path(self.directory) / ("en/404.html" if rel.startswith("en/") else "404.html")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve(site):
    servers = []

    def start(mount: str) -> str:
        handler = type("Mounted", (SiteHandler,), {"mount": mount})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{mount}"

    yield start
    for server in servers:
        server.shutdown()


def visit(browser, url: str, expected_status: int = 200):
    """Open url; return the page and every failed or 4xx/5xx request other than the page itself."""
    page = browser.new_page()
    problems = []
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and r.url != url and problems.append(f"HTTP {r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and m.location.get("url") != url   # the page's own 404
            and problems.append(f"console: {m.text} ({m.location.get('url')})"))
    response = page.goto(url, wait_until="networkidle")
    assert response.status == expected_status, url
    return page, problems


def test_404_pages_work_for_missing_urls_at_any_depth_in_chromium(browser, serve):
    base = serve(urlsplit(SITE_URL).path)   # absolute links of the 404 pages assume SITE_URL's path
    for missing, heading, home in (("no/such/deep/page/", "404：", base), ("en/no/such/deep/page/", "404: page not found", base + "en/")):
        page, problems = visit(browser, base + missing, expected_status=404)
        assert heading in page.inner_text("h1") and not problems, (missing, problems)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        page.locator("article a", has_text=re.compile("首页|home page")).first.click()
        page.wait_for_load_state()
        assert page.url == home
        page.close()


def test_site_works_served_from_a_subpath_in_chromium(browser, serve):
    base = serve("/mirror/cs231n/")
    for path in ("", "en/normalization/", "notebooks/normalization/"):
        page, problems = visit(browser, base + path)
        assert not problems, (path, problems)
        page.close()
    page, _ = visit(browser, base + "normalization/")
    page.locator(".md-header__option .md-select").hover()
    page.locator("a[data-language-switch][hreflang=en]").click()
    page.wait_for_load_state()
    assert page.url == base + "en/normalization/"
    page.close()


# ---- the hook on a tiny site: SITE_URL, the English path, a missing description ---------------

def _tiny_bilingual_site(tmp_path: Path, zh_page: str) -> Path:
    for lang, page in (("zh", zh_page), ("en", "---\ntitle: A page\ndescription: An English page.\n---\n\n# A page\n")):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text("---\ndescription: Home.\n---\n\n# Home\n", encoding="utf-8")
        (tmp_path / "docs" / lang / "page.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\ndocs_dir: docs/zh\n"
        'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n  language: zh\n  font: false\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'seo.py'}\n", encoding="utf-8")
    (tmp_path / "mkdocs.en.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: docs/en\ntheme:\n  language: en\n", encoding="utf-8")
    return tmp_path


def test_site_url_comes_from_SITE_URL_and_the_english_build_adds_en(tmp_path):
    root = _tiny_bilingual_site(tmp_path, "---\ntitle: 一页\ndescription: 中文的一页。\n---\n\n# 一页\n")
    env = {"SITE_URL": "https://example.org/sub"}
    for config, out in (("mkdocs.yml", root / "site"), ("mkdocs.en.yml", root / "site" / "en")):
        proc = mkdocs("build", "-f", str(root / config), "-d", str(out), cwd=root, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
    site = root / "site"
    assert [h for r, h, _ in head(site / "page" / "index.html").links if r == "canonical"] == ["https://example.org/sub/page/"]
    assert [h for r, h, _ in head(site / "en" / "page" / "index.html").links if r == "canonical"] == ["https://example.org/sub/en/page/"]
    assert set(sitemap(site / "sitemap.xml")) == {f"https://example.org/sub/{p}" for p in ("", "page/", "en/", "en/page/")}
    assert "Sitemap: https://example.org/sub/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert "/sub/" in head(site / "404.html").article_hrefs and "/sub/en/" in head(site / "en" / "404.html").article_hrefs


def test_a_page_without_a_description_fails_the_build_and_is_named(tmp_path):
    root = _tiny_bilingual_site(tmp_path, "# 没有描述的一页\n")
    proc = mkdocs("build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"), cwd=root)
    assert proc.returncode != 0 and "page.md has no description" in proc.stderr


# ---- deployment --------------------------------------------------------------------------------

def test_pages_workflow_tests_then_builds_with_the_pages_url_and_deploys_with_pinned_actions():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    test, build, deploy = workflow["jobs"]["test"], workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    # nothing unverified is published: the whole suite, as CI runs it, before the build
    assert build["needs"] == "test" and [s.get("run") for s in test["steps"] if "run" in s] == [".ci/run"]
    assert "bookworm" in test["container"]      # Debian's chromium, as the browser tests expect
    steps = build["steps"]
    uses = [s["uses"].split("@") for s in test["steps"] + steps + deploy["steps"] if "uses" in s]
    assert [name for name, _ in uses] == ["actions/checkout", "actions/checkout", "actions/setup-python",
                                          "actions/configure-pages",
                                          "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert all(re.fullmatch(r"[0-9a-f]{40}", ref) for _, ref in uses), "actions pinned to commit SHAs"
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    pages_id = next(s["id"] for s in steps if s.get("uses", "").startswith("actions/configure-pages"))
    build_step = next(s for s in steps if s.get("run", "").strip() == "scripts/build")
    assert build_step["env"]["SITE_URL"] == f"${{{{ steps.{pages_id}.outputs.base_url }}}}"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
