"""Companion notebooks: one bilingual source per topic, a page per language, a downloadable ``.ipynb``.

``notebooks/<topic>.py`` (jupytext percent format) holds the code cells once and each markdown cell
twice, marked ``# %% [markdown] lang="zh"`` and ``lang="en"``. For each language's build this hook
writes the cells of that language (and the shared ones) to ``.cache/notebooks/<lang>/notebooks/``
and adds them to the site as ``notebooks/<topic>.py``, which mkdocs-jupyter executes and renders
(``allow_errors: false``: a failing cell fails the build), and as ``notebooks/<topic>.ipynb``
(unexecuted, for readers to run after ``scripts/setup``).

mkdocs-jupyter overwrites ExecutePreprocessor's settings, but nbclient reads ``NotebookClient.timeout``
from the Jupyter config, so the build points JUPYTER_CONFIG_DIR at ``jupyter/``. Its template also
writes a MathJax loader (``<script src="">``) with its configuration and a Mermaid loader that
imports from cdnjs when a diagram is present; math is rendered at build time (hooks/katex.py) and the
site loads nothing from another host, so both are removed.

The template also inlines ~575 KB of JupyterLab and Pygments CSS (<style> blocks) into every notebook
page. They are removed too; notebook pages link one small shared stylesheet instead,
``assets/stylesheets/notebook.css`` (overrides/), built on Material's colour variables so the cells
follow the light/dark palette toggle. Explanation pages do not load it.

The kernel draws with matplotlib's inline backend, so ``plt.show()`` puts the figure on the page.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority

import questions

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "notebooks"
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>', re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>|<!-- End of mermaid configuration -->", re.S)
STYLESHEET = "assets/stylesheets/notebook.css"
_FIGURE = re.compile(r'<img alt="No description has been provided for this image"(?P<attrs>[^>]*?)'
                     r'src="data:image/png;base64,(?P<png>[A-Za-z0-9+/=\s]+)"')
FIGURE_ALT = {"zh": "上面的代码单元画出的图", "en": "The figure drawn by the code cell above"}


def for_language(source: Path, lang: str):
    """The notebook with the shared cells and those marked lang="<lang>", as a nbformat notebook."""
    import jupytext

    notebook = jupytext.read(source, fmt="py:percent")
    notebook.cells = [c for c in notebook.cells if c.metadata.get("lang", lang) == lang]
    for i, cell in enumerate(notebook.cells):
        cell.metadata.pop("lang", None)
        cell.id = f"{source.stem}-{lang}-{i}"       # stable ids: the same bytes on every build
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def to_ipynb(source: Path, lang: str) -> str:
    import jupytext

    return jupytext.writes(for_language(source, lang), fmt="ipynb")


def on_config(config):
    os.environ["JUPYTER_CONFIG_DIR"] = str(ROOT / "jupyter")
    # the kernel inherits this: figures become PNG outputs (Agg would draw them nowhere)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return config


@event_priority(100)  # before mkdocs-jupyter picks up notebooks/*.py
def on_files(files, config):
    import jupytext
    from mkdocs.structure.files import File

    lang = config["theme"]["language"]
    out = ROOT / ".cache" / "notebooks" / lang / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    for topic in questions.topics():
        source = SOURCES / f"{topic}.py"
        notebook = for_language(source, lang)
        page = out / source.name
        text = jupytext.writes(notebook, fmt="py:percent")
        if not page.exists() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
        # a plain File with src_dir (not File.generated): mkdocs-jupyter's wrapper finds the source by src_dir
        files.append(File(f"notebooks/{source.name}", str(out.parent), config["site_dir"], config["use_directory_urls"]))
        files.append(File.generated(config, f"notebooks/{source.stem}.ipynb",
                                    content=jupytext.writes(notebook, fmt="ipynb")))
    return files


def is_notebook(page) -> bool:
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py")


def on_page_content(html, page, config, files):
    if is_notebook(page):
        html = _STYLE.sub("", _MERMAID.sub("", _MATHJAX.sub("", html)))
        html = _FIGURE.sub(lambda m: _figure(m, config["theme"]["language"]), html)
    return html


def _figure(m, lang: str) -> str:
    """A figure output: lossless WebP when smaller than the PNG (the same pixels; the .ipynb keeps
    the PNG), its size set so the page does not jump, alt text in the page's language instead of
    mkdocs-jupyter's "No description has been provided for this image"."""
    import base64
    import io

    from PIL import Image

    from snippets.reporting import as_webp
    width, height = Image.open(io.BytesIO(base64.b64decode(m["png"]))).size
    return (f'<img alt="{FIGURE_ALT[lang]}"{m["attrs"]}width="{width}" height="{height}" '
            f'src="{as_webp(m["png"])}"')


def on_post_page(output, page, config):
    """Link the shared notebook stylesheet from notebook pages, after Material's and extra.css."""
    if is_notebook(page):
        from mkdocs.utils import get_relative_url

        link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">\n'
        output = output.replace("</head>", link + "</head>", 1)
    return output
