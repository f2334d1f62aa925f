"""Companion notebooks: one bilingual source per topic, a page per language, a downloadable ``.ipynb``.

``notebooks/<topic>.py`` (jupytext percent format) holds the code cells once and each markdown cell
twice, marked ``# %% [markdown] lang="zh"`` and ``lang="en"``. hooks/results.py executes each source
once per build, with both languages' cells, and caches the executed notebook (keyed like the
reports: the source, the snippets modules it imports, the installed versions); a failing cell fails
the build with the notebook's name and traceback, never a published traceback. For each language's
build this hook splits the executed notebook into that language's cells (and the shared code cells
with their outputs), writes it to ``.cache/notebooks/<lang>/notebooks/<topic>.ipynb`` and adds it to
the site twice: as the page ``notebooks/<topic>.py`` (the source's name, so nav and links keep it),
which mkdocs-jupyter renders without executing anything, and as the download ``notebooks/<topic>.ipynb``,
whose links are absolute (a reader opens it away from the site). Both get the wheel's URL in the
first code cell (``%pip install {{ wheel_url }}``, hooks/downloads.py), a cell tagged
``skip-execution`` that the build's execution skips.
With NOTEBOOK_EXECUTE=false both come from the source, without outputs.

mkdocs-jupyter's template writes a MathJax loader (``<script src="">``) with its configuration and a
Mermaid loader that imports from cdnjs when a diagram is present; math is rendered at build time
(hooks/mathml.py) and the site loads nothing from another host, so both are removed.

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
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

import results

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "notebooks"
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>', re.S)
# the cell-tag toolbar mkdocs-jupyter draws above a tagged cell ("skip-execution" over the install cell)
_CELL_TAGS = re.compile(r'<div class="celltoolbar">\s*<div class="button_container tags_button_container">'
                        r'(?:(?!</div>).)*</div>\s*</div>\s*', re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>|<!-- End of mermaid configuration -->", re.S)
STYLESHEET = "assets/stylesheets/notebook.css"
_FIGURE = re.compile(r'<img alt="No description has been provided for this image"(?P<attrs>[^>]*?)'
                     r'src="data:image/png;base64,(?P<png>[A-Za-z0-9+/=\s]+)"')
# the first code cell installs the package from the site: %pip install {{ wheel_url }}, tagged
# skip-execution (nbclient skips it when the build executes the notebook; the URL is not served yet)
WHEEL_URL = re.compile(r"\{\{\s*wheel_url\s*\}\}")
_RELATIVE_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)")
FIGURE_ALT = {"zh": "上面的代码单元画出的图", "en": "The figure drawn by the code cell above"}


def for_language(source: Path, lang: str, topic: str | None = None, wheel_url: str | None = None,
                 base: str | None = None):
    """The notebook with the shared cells and those marked lang="<lang>", as a nbformat notebook.
    ``source`` is ``notebooks/<topic>.py`` or the executed bilingual .ipynb (its outputs kept).
    ``{{ wheel_url }}`` (the first code cell's ``%pip install``) becomes ``wheel_url`` when given;
    with ``base`` (the page's absolute URL), relative links in markdown cells become absolute, for
    the download, which a reader opens away from the site."""
    import jupytext

    topic = topic or source.stem
    notebook = jupytext.read(source, fmt="py:percent" if source.suffix == ".py" else None)
    notebook.cells = [c for c in notebook.cells if c.metadata.get("lang", lang) == lang]
    for i, cell in enumerate(notebook.cells):
        cell.metadata.pop("lang", None)
        cell.metadata.pop("execution", None)        # nbclient's timestamps
        cell.id = f"{topic}-{lang}-{i}"             # stable ids: the same bytes on every build
        if wheel_url:
            cell.source = WHEEL_URL.sub(wheel_url, cell.source)
        if base and cell.cell_type == "markdown":
            cell.source = _RELATIVE_LINK.sub(lambda m: f"]({urljoin(base, m[1])})", cell.source)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def to_ipynb(source: Path, lang: str, topic: str | None = None, wheel_url: str | None = None,
             base: str | None = None) -> str:
    import jupytext

    return jupytext.writes(for_language(source, lang, topic, wheel_url, base), fmt="ipynb")


@event_priority(100)  # before mkdocs-jupyter picks up notebooks/*.ipynb
def on_files(files, config):
    from mkdocs.structure.files import File

    lang = config["theme"]["language"]
    out = ROOT / ".cache" / "notebooks" / lang / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    for topic, executed in results.current_notebooks().items():     # hooks/computed.py ran them
        text = to_ipynb(executed.path or SOURCES / f"{topic}.py", lang, topic, config.extra["wheel_url"])
        page = out / f"{topic}.ipynb"
        if not page.exists() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
        # the page keeps its source's name (notebooks/<topic>.py: nav, links and URL) and is read
        # from this language's executed .ipynb, which mkdocs-jupyter renders without executing
        notebook = File(f"notebooks/{topic}.py", str(out.parent), config["site_dir"], config["use_directory_urls"])
        notebook.abs_src_path = str(page)
        files.append(notebook)
        download = to_ipynb(executed.path or SOURCES / f"{topic}.py", lang, topic, config.extra["wheel_url"],
                            base=f"{config.site_url}notebooks/{topic}/")     # its links work offline too
        files.append(File.generated(config, f"notebooks/{topic}.ipynb", content=download))
    return files


def on_nav(nav, config, files):
    """mkdocs-jupyter wrapped each notebook File (NotebookFile), whose abs_src_path is computed
    again from src_dir and src_uri (the .py name); point it back at the executed .ipynb."""
    for file in files:
        inner = getattr(file, "file", None)
        if inner is not None and is_notebook(file):
            file.abs_src_path = inner.abs_src_path
    return nav


def is_notebook(file) -> bool:
    """A notebook page's file: notebooks/<topic>.py."""
    return file.src_uri.startswith("notebooks/") and file.src_uri.endswith(".py")


def on_page_content(html, page, config, files):
    if is_notebook(page.file):
        html = _CELL_TAGS.sub("", _STYLE.sub("", _MERMAID.sub("", _MATHJAX.sub("", html))))
        html = _FIGURE.sub(lambda m: _figure(m, config["theme"]["language"]), html)
    return html


def _figure(m, lang: str) -> str:
    """A figure output: lossless WebP when smaller than the PNG (the same pixels; the .ipynb keeps
    the PNG), its size set so the page does not jump, alt text in the page's language instead of
    mkdocs-jupyter's "No description has been provided for this image"."""
    import base64
    import io

    from PIL import Image

    width, height = Image.open(io.BytesIO(base64.b64decode(m["png"]))).size
    return (f'<img alt="{FIGURE_ALT[lang]}"{m["attrs"]}width="{width}" height="{height}" '
            f'src="{_webp(m["png"])}"')


def _webp(png_base64: str) -> str:
    """snippets.reporting.as_webp, cached in .cache/webp on the PNG, the converting code and Pillow's
    version: lossless WebP takes about a second per figure, and a warm build should redo nothing."""
    import hashlib

    import PIL

    from snippets import reporting
    digest = hashlib.sha256(png_base64.encode())
    digest.update(Path(reporting.__file__).read_bytes() + PIL.__version__.encode())
    entry = ROOT / ".cache" / "webp" / f"{digest.hexdigest()[:20]}.txt"
    if not entry.exists():
        entry.parent.mkdir(parents=True, exist_ok=True)
        work = entry.with_suffix(f".{os.getpid()}")         # another build may write the same entry
        work.write_text(reporting.as_webp(png_base64), encoding="ascii")
        os.replace(work, entry)
    return entry.read_text(encoding="ascii")


def on_post_page(output, page, config):
    """Link the shared notebook stylesheet from notebook pages, after Material's and extra.css."""
    if is_notebook(page.file):
        from mkdocs.utils import get_relative_url

        link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">\n'
        output = output.replace("</head>", link + "</head>", 1)
    return output
