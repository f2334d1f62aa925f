"""Build-time benchmark: cold, warm and no-execution builds of both languages, measured in one run.

Reports ratios to the cold build (absolute seconds depend on the machine), the computed-results
cache hits of each build, and the bytes a cold visit to each page loads (HTML plus everything it
references, shared assets counted once per page). Writes build/bench.md and prints it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from htmltools import links, pages  # noqa: E402

RESOURCE_TAGS = {("link", "href"), ("script", "src"), ("img", "src")}


def build(execute: bool) -> tuple[float, int, int]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NOTEBOOK_EXECUTE="true" if execute else "false")
    start, log = time.perf_counter(), ""
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"mkdocs build -f {config} failed:\n{proc.stderr[-4000:]}")
        log += proc.stderr
    return time.perf_counter() - start, log.count("cache hit"), len(re.findall(r"computed .*: ran", log))


def page_weight(site: Path, page: Path) -> int:
    """Bytes of the page and every resource it references (CSS url() fonts included)."""
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


def main():
    shutil.rmtree(ROOT / ".cache" / "computed", ignore_errors=True)
    rows = []
    for name, execute in (("cold (no cache)", True), ("warm (cache)", True), ("warm, notebooks not executed", False)):
        seconds, hits, ran = build(execute)
        rows.append((name, seconds, hits, ran))
    cold = rows[0][1]
    lines = ["| build (zh + en) | time / cold | computed: cache hits | computed: ran |", "| --- | --- | --- | --- |"]
    lines += [f"| {n} | {s / cold:.2f} | {h} | {r} |" for n, s, h, r in rows]
    site = ROOT / "site"
    lines += ["", "| page | bytes loaded on a cold visit (KB) |", "| --- | --- |"]
    for page in pages(site):
        if page.name != "404.html":
            lines.append(f"| /{page.relative_to(site).as_posix().removesuffix('index.html')} | {page_weight(site, page) / 1024:.0f} |")
    lines += ["", f"Cold build of both languages on this machine: {cold:.1f} s (ratios above are to this)."]
    report = "\n".join(lines) + "\n"
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
