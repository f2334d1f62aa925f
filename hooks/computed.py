"""Numbers and figures computed at build time by the ``snippets`` package, cached safely.

Every module ``snippets/<topic>.py`` that defines ``report(outdir)`` is run in a fresh Python
process at build time: it writes its figures into ``outdir`` and returns a dict of numbers. Pages
use them as placeholders, ``{{ topic.key }}`` or ``{{ topic.key:.3f }}`` (a Python format spec),
and figures as ``figures/<topic>/<name>.svg``. An unknown key or a failing snippet fails the build.

The cache key covers: the topic module and every ``snippets`` module it imports (transitively),
``snippets/__init__.py``, this file, the pinned dependency lock (package versions, and with them the
data files that ship inside packages) and the Python version. Results live in ``.cache/computed``,
outside ``docs/``, so ``mkdocs serve`` does not rebuild in a loop.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = "requirements.lock"
PLACEHOLDER = re.compile(r"\{\{\s*(?P<topic>[a-z_][a-z0-9_]*)\.(?P<key>[A-Za-z0-9_]+)(?::(?P<fmt>[^}\s]+))?\s*\}\}")


class ComputeError(Exception):
    """A snippet failed or a page asked for a number that no snippet produced."""


@dataclass
class Result:
    topic: str
    numbers: dict
    figures: Path
    cache_hit: bool


def topics(root: Path = ROOT) -> list[str]:
    """Modules of ``snippets/`` that define ``report``: the topics with build-time results."""
    found = []
    for path in sorted((root / "snippets").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.FunctionDef) and n.name == "report" for n in tree.body):
            found.append(path.stem)
    return found


def _snippet_imports(path: Path) -> set[str]:
    """Names of the ``snippets`` modules that ``path`` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith("snippets.")}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 or module == "snippets" or module.startswith("snippets."):
                base = module.split(".")[-1] if module not in ("", "snippets") else None
                if base:
                    names.add(base)
                else:  # from . import x / from snippets import x
                    names |= {a.name for a in node.names}
    return names


def dependencies(topic: str, root: Path = ROOT) -> list[Path]:
    """The topic module and every snippets module it imports, transitively, sorted."""
    package = root / "snippets"
    seen, todo = set(), [topic]
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        todo.extend(_snippet_imports(path))
    return [package / "__init__.py"] + sorted(package / f"{n}.py" for n in seen)


def cache_key(topic: str, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    inputs = dependencies(topic, root) + [Path(__file__), root / LOCK_FILE]
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    digest.update(sys.version.encode())
    return digest.hexdigest()[:20]


def run_topic(topic: str, root: Path = ROOT, cache: Path | None = None) -> Result:
    """Results of ``snippets.<topic>.report``, from the cache when nothing it depends on changed."""
    cache = cache or root / ".cache" / "computed"
    key = cache_key(topic, root)
    entry = cache / topic / key
    if (entry / "numbers.json").exists():
        return Result(topic, json.loads((entry / "numbers.json").read_text()), entry / "figures", True)

    (cache / topic).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=cache / topic))
    program = (
        "import json, sys, importlib; from pathlib import Path\n"
        f"numbers = importlib.import_module('snippets.{topic}').report(Path(sys.argv[1]) / 'figures')\n"
        "Path(sys.argv[1], 'numbers.json').write_text(json.dumps(numbers, indent=1, sort_keys=True))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(root), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", program, str(work)], cwd=root, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        raise ComputeError(f"snippets/{topic}.py failed while building the site:\n{proc.stderr}")
    for old in (cache / topic).iterdir():  # keep one finished entry per topic (not others' work dirs)
        if old != work and "-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    try:
        work.rename(entry)
    except OSError:                        # another build finished the same key first
        shutil.rmtree(work, ignore_errors=True)
    return Result(topic, json.loads((entry / "numbers.json").read_text()), entry / "figures", False)


def run_all(root: Path = ROOT, cache: Path | None = None) -> dict[str, Result]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda t: run_topic(t, root, cache), topics(root))
    return {r.topic: r for r in results}


def substitute(text: str, results: dict[str, Result], where: str) -> str:
    """Replace ``{{ topic.key[:fmt] }}`` with the computed value; unknown keys are errors."""
    def replace(m):
        result = results.get(m.group("topic"))
        if result is None or m.group("key") not in result.numbers:
            raise ComputeError(f"{where}: no computed value {m.group(0)}")
        value = result.numbers[m.group("key")]
        return format(value, m.group("fmt")) if m.group("fmt") else str(value)
    return PLACEHOLDER.sub(replace, text)


# ---- MkDocs hook events --------------------------------------------------------------------
_results: dict[str, Result] = {}


def on_pre_build(config):
    import logging

    from mkdocs.exceptions import PluginError
    try:
        _results.clear()
        _results.update(run_all())
    except ComputeError as err:
        raise PluginError(str(err)) from None
    log = logging.getLogger("mkdocs.hooks.computed")
    for result in _results.values():
        log.info("computed snippets/%s.py: %s", result.topic, "cache hit" if result.cache_hit else "ran")


def on_files(files, config):
    from mkdocs.structure.files import File
    for result in _results.values():
        for figure in sorted(result.figures.glob("*")):
            files.append(File.generated(config, f"figures/{result.topic}/{figure.name}",
                                        abs_src_path=str(figure)))
    return files


def on_page_markdown(markdown, page, config, files):
    from mkdocs.exceptions import PluginError
    try:
        return substitute(markdown, _results, page.file.src_uri)
    except ComputeError as err:
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


def size_figures(html: str, results: dict[str, Result], where: str) -> str:
    """Give every figure <img> width and height (the page's width, or the natural one, and the
    height from the figure's aspect ratio), so the browser reserves the space before the figure
    arrives; every figure after the first is lazy-loaded and decoded off the main thread."""
    count = 0

    def replace(m):
        nonlocal count
        attrs, topic, name = m["attrs"], m["topic"], m["name"]
        if topic not in results or not (results[topic].figures / name).is_file():
            raise ComputeError(f"{where}: figure figures/{topic}/{name} was not produced by snippets/{topic}.py")
        natural_w, natural_h = figure_size(results[topic].figures / name)
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
        return size_figures(html, _results, page.file.src_uri)
    except ComputeError as err:
        raise PluginError(str(err)) from None
