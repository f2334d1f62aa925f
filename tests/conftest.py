"""Shared fixtures: the site is built once per test session and served on loopback for the browser.

With CI=true a skipped or xfailed test fails the run: CI installs everything (PyTorch, chromium).
"""
from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() == "true"


_skipped_under_ci = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    if CI and (report.skipped or hasattr(report, "wasxfail")):
        _skipped_under_ci.append(report.nodeid)
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else getattr(report, "wasxfail", "")
        if hasattr(report, "wasxfail"):
            del report.wasxfail
        report.outcome = "failed"
        report.longrepr = f"skipped or xfailed under CI=true, which counts as a failure: {reason}"


def pytest_sessionfinish(session, exitstatus):
    if _skipped_under_ci and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def mkdocs(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.update(kwargs.pop("env", {}))
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=kwargs.pop("cwd", ROOT), env=env,
                          capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site (zh at /, en at /en/), built once with --strict like scripts/build, for the
    address the session serves it at (SITE_URL, below), so its absolute URLs work against the server.

    TEST_SITE=<dir> tests an already built site instead (e.g. to compare search settings)."""
    if os.environ.get("TEST_SITE"):
        return Path(os.environ["TEST_SITE"]).resolve()
    out = tmp_path_factory.mktemp("site") / "site"
    for config, target in (("mkdocs.yml", out), ("mkdocs.en.yml", out / "en")):
        proc = mkdocs("build", "--strict", "-f", config, "-d", str(target))
        assert proc.returncode == 0, f"mkdocs build -f {config} failed:\n{proc.stderr[-6000:]}"
    return out


@pytest.fixture(scope="session")
def site_url(site):
    """The built site served on 127.0.0.1, at SERVED_URL (a free port), for the browser and the reader."""
    _SERVER.directory = str(site)
    thread = threading.Thread(target=_SERVER.serve_forever, daemon=True)
    thread.start()
    yield SERVED_URL
    _SERVER.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SiteServer(http.server.ThreadingHTTPServer):
    """Serves ``directory``, set once the site is built (the port is taken before, for SITE_URL)."""
    directory = None

    def finish_request(self, request, client_address):
        QuietHandler(request, client_address, self, directory=self.directory)


# The port is taken when the tests start, so that every build of this session (the shared site,
# and any other test's build, which inherits the environment) is made for the address it is served
# at: SITE_URL, unless it is already set (then the absolute URLs name that host instead).
_SERVER = _SiteServer(("127.0.0.1", 0), QuietHandler)
SERVED_URL = f"http://127.0.0.1:{_SERVER.server_address[1]}/"
os.environ.setdefault("SITE_URL", SERVED_URL)
SITE_URL = os.environ["SITE_URL"].rstrip("/") + "/"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed: scripts/setup --test")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: scripts/setup --test (as root) installs it")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def cold_visits(browser, site, site_url):
    """Every page (both languages, 404s included) opened once cold on a 390 px wide phone screen
    (tests/pageweight.py): the same-host URLs it requested, whether the page scrolls sideways (and
    which elements stick out), and a screenshot in build/screenshots/<page>-390.png for a human."""
    from htmltools import pages
    from pageweight import cold_visit
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    visits = {}
    for file in pages(site):
        path = file.relative_to(site).as_posix().removesuffix("index.html")
        with cold_visit(browser, site_url, path) as (page, requested):
            visits[path] = {
                "requested": requested,
                "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
                "viewport_width": page.evaluate("window.innerWidth"),
                "sticking_out": page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
                        const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; }
                        return true; })
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""),
            }
            page.screenshot(path=str(shots / f"{path.strip('/').replace('/', '_') or 'home'}-390.png"))
    return visits
