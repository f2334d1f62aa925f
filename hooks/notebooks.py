"""Companion notebooks: a cell timeout for mkdocs-jupyter and a downloadable ``.ipynb`` per notebook.

mkdocs-jupyter overwrites ExecutePreprocessor's settings, but nbclient reads ``NotebookClient.timeout``
from the Jupyter config, so the build points JUPYTER_CONFIG_DIR at ``jupyter/``. The notebooks are
jupytext percent-format ``.py`` files under ``docs/<lang>/notebooks/``; each is also added to the
site as ``notebooks/<name>.ipynb`` (unexecuted: readers run it themselves after ``scripts/setup``),
so pages can link to it and ``--strict`` checks those links.

mkdocs-jupyter's template also writes a MathJax loader (``<script src="">``) with its configuration
and a Mermaid loader that imports from cdnjs when a diagram is present; math is rendered at build
time (hooks/katex.py) and the site loads nothing from another host, so both are removed.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>', re.S)


def on_config(config):
    os.environ["JUPYTER_CONFIG_DIR"] = str(ROOT / "jupyter")
    os.environ.setdefault("MPLBACKEND", "Agg")
    return config


def to_ipynb(source: Path) -> str:
    import jupytext

    notebook = jupytext.read(source, fmt="py:percent")
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return jupytext.writes(notebook, fmt="ipynb")


def on_files(files, config):
    from mkdocs.structure.files import File

    for source in sorted((Path(config["docs_dir"]) / "notebooks").glob("*.py")):
        files.append(File.generated(config, f"notebooks/{source.stem}.ipynb", content=to_ipynb(source)))
    return files


def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py"):
        html = _MERMAID.sub("", _MATHJAX.sub("", html))
    return html
