"""The pages' numbers and figures at build time: hooks/results.py runs (or reads from its cache)
``report(outdir)`` of every ``snippets/experiments/<topic>.py`` and executes every notebook, once per
build; this hook puts the numbers into the pages (``{{ topic.key }}``, ``{{ topic.key:.3f }}``) and
the figures into the site (``figures/<topic>/<name>.svg``), each figure with its width and height so
the page does not jump. hooks/notebooks.py turns the executed notebooks into pages.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import event_priority

import claims
import questions
import results
from results import ComputeError


# ---- MkDocs hook events --------------------------------------------------------------------
@event_priority(100)   # first: the other hooks read the numbers and notebooks from their on_pre_build on
def on_pre_build(config):
    import logging

    from mkdocs.exceptions import PluginError
    try:
        reports, executed = results.compute_all(list(questions.topics()))
    except ComputeError as err:
        raise PluginError(str(err)) from None
    log = logging.getLogger("mkdocs.hooks.computed")
    for result in reports.values():
        log.info("computed snippets/experiments/%s.py: %s", result.topic,
                 "cache hit" if result.cache_hit else "ran")
    for notebook in executed.values():
        log.info("executed notebooks/%s.py: %s", notebook.topic,
                 "not executed (NOTEBOOK_EXECUTE=false)" if notebook.path is None
                 else "cache hit" if notebook.cache_hit else "ran")


def on_files(files, config):
    from mkdocs.structure.files import File
    for result in results.current().values():
        for figure in sorted(result.figures.glob("*")):
            files.append(File.generated(config, f"figures/{result.topic}/{figure.name}",
                                        abs_src_path=str(figure)))
    return files


def on_page_markdown(markdown, page, config, files):
    """Run the page's claim checks (hooks/claims.py) and put in its numbers."""
    from mkdocs.exceptions import PluginError
    lang = config["theme"]["language"]
    where = f"docs/{lang}/{page.file.src_uri}"
    computed = results.current()
    try:
        markdown = claims.apply(markdown, {t: r.numbers for t, r in computed.items()}, where,
                                twin=claims.twin_source(results.ROOT / "docs", lang, page.file.src_uri))
        return results.substitute(markdown, computed, where)
    except (ComputeError, claims.ClaimError) as err:
        raise PluginError(str(err)) from None


# ---- figure sizes: no layout shift, lazy below the fold ------------------------------------
FIGURE_IMG = re.compile(r'<img\b(?P<attrs>[^>]*?\bsrc="(?:\.\./)*figures/(?P<topic>[a-z_]+)/(?P<name>[^"/]+)"[^>]*?)\s*/?>')
SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)pt"[^>]*?\bheight="(?P<h>[\d.]+)pt"')


def figure_size(path: Path) -> tuple[float, float]:
    """Natural size of a matplotlib SVG in CSS pixels (it writes width/height in points)."""
    m = SVG_SIZE.search(path.read_text(encoding="utf-8")[:2000])
    if not m:
        raise ComputeError(f"{path}: no width/height in pt in the <svg> tag")
    return float(m["w"]) * 4 / 3, float(m["h"]) * 4 / 3


def size_figures(html: str, computed: dict, where: str) -> str:
    """Give every figure <img> width and height (the page's width, or the natural one, and the
    height from the figure's aspect ratio), so the browser reserves the space before the figure
    arrives; every figure after the first is lazy-loaded and decoded off the main thread."""
    count = 0

    def replace(m):
        nonlocal count
        attrs, topic, name = m["attrs"], m["topic"], m["name"]
        if topic not in computed or not (computed[topic].figures / name).is_file():
            raise ComputeError(f"{where}: figure figures/{topic}/{name} was not produced by "
                               f"snippets/experiments/{topic}.py")
        natural_w, natural_h = figure_size(computed[topic].figures / name)
        width = re.search(r'\bwidth="(\d+)"', attrs)
        w = int(width[1]) if width else round(natural_w)
        attrs = re.sub(r'\s*\b(width|height|loading|decoding)="[^"]*"', "", attrs)
        attrs += f' width="{w}" height="{round(w * natural_h / natural_w)}"'
        attrs += ' decoding="async"' + (' loading="lazy"' if count else "")
        count += 1
        return f"<img{attrs} />"
    return FIGURE_IMG.sub(replace, html)


def on_page_content(html, page, config, files):
    from mkdocs.exceptions import PluginError
    try:
        return size_figures(html, results.current(), page.file.src_uri)
    except ComputeError as err:
        raise PluginError(str(err)) from None
