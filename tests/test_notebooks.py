"""The companion notebooks: one bilingual source each, and the .ipynb a reader downloads runs anywhere."""
from __future__ import annotations

import sys

import jupytext
import pytest

from colours import contrast, luminance, seen_colours

from conftest import ROOT, SITE_URL

sys.path.insert(0, str(ROOT / "hooks"))
import downloads  # noqa: E402
import notebooks  # noqa: E402

SOURCES = sorted((ROOT / "notebooks").glob("*.py"))
WHEEL_URL = f"{SITE_URL}downloads/{downloads.wheel_name()}"
CASES = [(source, lang) for source in SOURCES for lang in ("zh", "en")]


def test_every_notebook_belongs_to_a_topic():
    import questions
    assert {p.stem for p in SOURCES} == set(questions.topics())


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_markdown_cells_come_in_both_languages(source):
    cells = jupytext.read(source, fmt="py:percent").cells
    langs = [c.metadata.get("lang") for c in cells if c.cell_type == "markdown"]
    assert None not in langs, "every markdown cell is marked lang=\"zh\" or lang=\"en\""
    assert langs.count("zh") == langs.count("en")
    assert all(c.metadata.get("lang") is None for c in cells if c.cell_type == "code"), "code cells are shared"


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_headings_hold_no_tex(source):
    # the page's table of contents shows a heading's text raw: $\epsilon$ would appear as it is typed
    cells = jupytext.read(source, fmt="py:percent").cells
    headings = [line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("#")]
    assert headings and not [h for h in headings if "$" in h]


@pytest.mark.parametrize("source,lang", CASES, ids=[f"{s.stem}-{lang}" for s, lang in CASES])
def test_downloaded_ipynb_runs_from_a_temporary_folder(source, lang, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    target = tmp_path / f"{source.stem}.ipynb"
    target.write_text(notebooks.to_ipynb(source, lang), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(target, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    assert "scripts/setup" in nb.cells[0].source       # the first cell says how to run it


def test_site_offers_the_executed_ipynb_download_in_each_language(site):
    import re

    import nbformat
    import questions
    for lang, lang_root in (("zh", site), ("en", site / "en")):
        for source in SOURCES:
            downloaded = nbformat.reads((lang_root / "notebooks" / f"{source.stem}.ipynb").read_text(encoding="utf-8"),
                                        as_version=4)
            page_url = f"{SITE_URL}{'en/' if lang == 'en' else ''}notebooks/{source.stem}/"
            expected = nbformat.reads(notebooks.to_ipynb(source, lang, wheel_url=WHEEL_URL, base=page_url), as_version=4)
            # this language's cells, in order, with the outputs of the build's one execution
            assert [(c.id, c.cell_type, c.source) for c in downloaded.cells] == \
                   [(c.id, c.cell_type, c.source) for c in expected.cells]
            # every code cell ran at build time but the first, which installs the package (skip-execution)
            install, *code = [c for c in downloaded.cells if c.cell_type == "code"]
            assert install.source == f"%pip install {WHEEL_URL}" and not install.get("execution_count")
            assert all(c.execution_count for c in code) and any(c.outputs for c in code)
            # its links work away from the site: absolute, to this language's pages
            targets = [t for c in downloaded.cells if c.cell_type == "markdown" for t in re.findall(r"\]\(([^)\s]+)\)", c.source)]
            assert targets and all(t.startswith(("http://", "https://")) for t in targets), targets
            assert f"{SITE_URL}{'en/' if lang == 'en' else ''}{questions.topics()[source.stem]}/" in targets


# --- Notebook pages: one small shared stylesheet, both colour schemes, figures, phones -------------

STYLESHEET = "assets/stylesheets/notebook.css"
INLINE_CSS_LIMIT = 1_000        # bytes of <style> a notebook page may still inline (mkdocs-jupyter inlined ~575 KB)
STYLESHEET_LIMIT = 8_000        # the shared notebook stylesheet stays small


def notebook_pages(site):
    return [(root / "notebooks" / s.stem / "index.html", root) for root in (site, site / "en") for s in SOURCES]


def stylesheet_links(page):
    from htmltools import links

    return [url for tag, attribute, url in links(page).urls if tag == "link" and url.endswith(".css")]


def test_notebook_pages_link_the_shared_stylesheet_instead_of_inlining_css(site):
    import re

    for page, lang_root in notebook_pages(site):
        html = page.read_text(encoding="utf-8")
        inline = sum(len(m) for m in re.findall(r"<style[^>]*>.*?</style>", html, re.S))
        assert inline <= INLINE_CSS_LIMIT, f"{page}: {inline} bytes of inline CSS"
        targets = {(page.parent / url).resolve() for url in stylesheet_links(page)}
        assert (lang_root / STYLESHEET).resolve() in targets, f"{page} does not link {STYLESHEET}"
    assert (site / STYLESHEET).stat().st_size <= STYLESHEET_LIMIT
    assert (site / STYLESHEET).read_bytes() == (site / "en" / STYLESHEET).read_bytes()


def test_explanation_pages_do_not_load_the_notebook_stylesheet(site):
    from htmltools import pages

    notebook = {page for page, _ in notebook_pages(site)}
    others = [p for p in pages(site) if p not in notebook]
    assert any(p.parent.name == "normalization" for p in others)
    for page in others:
        assert not any(url.endswith("notebook.css") for url in stylesheet_links(page)), page


def test_figures_drawn_in_a_notebook_are_on_its_page(site):
    """plt.show() in a cell puts a figure on the page (with the Agg backend it silently drew nothing),
    with its size set and alt text in the page's language."""
    import re

    shown = {s.stem: s.read_text(encoding="utf-8").count("plt.show()") for s in SOURCES}
    assert sum(shown.values()) > 0
    for page, root in notebook_pages(site):
        lang = "zh" if root == site else "en"
        html = page.read_text(encoding="utf-8")
        figures = re.findall(r'<img[^>]+src="data:image/(?:png|webp);base64,', html)
        assert len(figures) == shown[page.parent.name], page
        for tag in figures:
            assert re.search(r'width="\d+" height="\d+"', tag), (page, tag[:200])
            assert "No description" not in tag and bool(re.search(r"[\u3400-\u9fff]", tag)) == (lang == "zh"), (page, tag[:200])


def test_notebook_figures_are_webp_of_the_size_the_page_reserves(site):
    """The hook swaps each PNG for lossless WebP (tests/test_reporting.py: the same pixels) and
    sets width and height from the image itself."""
    import base64
    import io
    import re

    from PIL import Image

    page = (site / "notebooks" / "whitening" / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'width="(\d+)" height="(\d+)" src="data:image/webp;base64,([^"]+)"', page)
    assert figures
    for width, height, data in figures:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        assert image.format == "WEBP" and image.size == (int(width), int(height))


NOTEBOOK_SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", sorted(NOTEBOOK_SCHEMES))
def test_notebook_cells_are_readable_in_both_colour_schemes(browser, site, site_url, scheme):
    """Code input and stream output pass WCAG AA (4.5:1) and follow the palette; figures sit on white."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    figures = 0
    for html, _ in notebook_pages(site):
        path = html.parent.relative_to(site).as_posix() + "/"
        page.goto(site_url + path, wait_until="networkidle")
        assert page.get_attribute("body", "data-md-color-scheme") == NOTEBOOK_SCHEMES[scheme], path
        for selector in (".jp-InputArea-editor pre", ".jp-RenderedText pre"):
            text, background = seen_colours(page, selector)
            assert contrast(text, background) >= 4.5, f"{path} {selector}: {text} on {background}"
        _, cell = seen_colours(page, ".jp-InputArea-editor pre")
        if scheme == "dark":
            assert luminance(cell) < 0.1, f"{path}: code cell background {cell} is not dark"
        else:
            assert luminance(cell) > 0.8, f"{path}: code cell background {cell} is not light"
        for img in page.locator(".jp-RenderedImage img").all():
            figures += 1
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), path
            assert img.evaluate("i => getComputedStyle(i).backgroundColor") == "rgb(255, 255, 255)", path
            assert img.evaluate("i => parseFloat(getComputedStyle(i).paddingLeft)") > 0, path
    assert figures > 0, "no notebook figure was checked"
    context.close()


def test_notebook_pages_fit_a_390px_phone_and_look_right(browser, site, site_url):
    """No horizontal page scroll at 390 px (wide code scrolls inside its cell); screenshots for a human."""
    screenshots = ROOT / "build" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for scheme in sorted(NOTEBOOK_SCHEMES):
        for width in (1280, 390):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            for html, _ in notebook_pages(site):
                path = html.parent.relative_to(site).as_posix() + "/"
                if width > 390 and not path.endswith("whitening/"):
                    continue
                page.goto(site_url + path, wait_until="networkidle")
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{path} at {width}px scrolls sideways by {overflow}px"
                if path.endswith("whitening/"):
                    page.locator(".jp-RenderedImage img").first.scroll_into_view_if_needed()
                    name = path.strip("/").replace("/", "_")
                    page.screenshot(path=str(screenshots / f"{name}-figure-{scheme}-{width}.png"))
            context.close()
