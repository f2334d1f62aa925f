"""Every formula of the site (explanation pages and notebooks, both languages) goes through the
renderer the build uses (Temml, hooks/mathml.py) without an error, and comes out as MathML, which
the browser typesets and a screen reader reads.

The formulas are taken from the sources as the build finds them: the pages' Markdown through the
site's own Markdown extensions (arithmatex marks the math), the notebooks' Markdown cells through
hooks/mathml.py's own ``$...$`` pattern. A number placeholder (``{{ topic.key:.2f }}``, which
hooks/computed.py fills in before the math is rendered) stands in as 1.5."""
from __future__ import annotations

import html
import re
import sys

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import mathml  # noqa: E402
import notebooks  # noqa: E402

LANGS = ("zh", "en")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


@pytest.fixture(scope="module")
def renderer():
    r = mathml.Renderer()
    yield r
    r.close()


def page_formulas():
    """(where, TeX, display) of every formula in docs/<lang>/*.md, as arithmatex marks it."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    extensions = [e for e in config["markdown_extensions"] if e != "pymdownx.snippets"]   # code only
    configs = {k: v for k, v in config["mdx_configs"].items() if k in extensions}
    for lang in LANGS:
        for source in sorted((ROOT / "docs" / lang).glob("*.md")):
            text = source.read_text(encoding="utf-8")
            rendered = markdown.markdown(text, extensions=extensions, extension_configs=configs)
            for m in mathml._ARITHMATEX.finditer(rendered):
                display = m.group("block") is not None
                yield (f"docs/{lang}/{source.name}", html.unescape(m.group("block") if display else m.group("inline")).strip(),
                       display)


def notebook_formulas():
    """(where, TeX, display) of every ``$...$`` and ``$$...$$`` in the notebooks' Markdown cells."""
    for lang in LANGS:
        for source in sorted((ROOT / "notebooks").glob("*.py")):
            for cell in notebooks.for_language(source, lang).cells:
                if cell.cell_type != "markdown":
                    continue
                prose = re.sub(r"`[^`]*`", " ", cell.source)
                for m in mathml._DOLLARS.finditer(prose):
                    display = m.group("block") is not None
                    yield (f"notebooks/{source.name} ({lang})", (m.group("block") if display else m.group("inline")).strip(),
                           display)


def test_every_formula_of_the_site_renders_with_the_builds_renderer(renderer):
    found = {"page": list(page_formulas()), "notebook": list(notebook_formulas())}
    assert len(found["page"]) > 500 and len(found["notebook"]) > 20, {k: len(v) for k, v in found.items()}
    failed, seen = [], set()
    for where, tex, display in found["page"] + found["notebook"]:
        if (tex, display) in seen:
            continue
        seen.add((tex, display))
        try:
            out = renderer.render(_PLACEHOLDER.sub("1.5", tex), display, where)
        except PluginError as err:
            failed.append(str(err))
            continue
        if not out.startswith("<math") or "<merror" in out:
            failed.append(f"{where}: {tex!r} gave {out[:120]}")
    assert not failed, "\n".join(failed)


def test_the_weak_spots_of_mathml_output_render(renderer):
    """aligned, \\underbrace, matrices, \\tag, cases with Chinese \\text, \\boldsymbol, \\mathbb{1}."""
    for tex in [r"\begin{aligned} a &= b \\ c &= d \end{aligned}", r"\underbrace{a+b}_{\text{和}}",
                r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", r"x = 1 \tag{1}",
                r"f(x) = \begin{cases} 1 & \text{若 } x > 0 \\ 0 & \text{否则} \end{cases}",
                r"\boldsymbol{W}", r"\mathbb{1}[m > 0]", r"\lVert \bar f - t \rVert^2"]:
        out = renderer.render(tex, True, "test")
        assert out.startswith('<math data-tex=') and 'display="block"' in out and "<merror" not in out, tex


def test_a_formula_the_renderer_rejects_raises_and_names_the_page(renderer):
    with pytest.raises(PluginError, match=r"page\.md.*\\\\frac"):
        renderer.render(r"\frac{1}{", True, "page.md")
    with pytest.raises(PluginError, match="nosuchmacro"):
        renderer.render(r"\nosuchmacro{x}", False, "page.md")
