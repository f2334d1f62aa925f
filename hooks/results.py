"""The numbers and figures of the pages and the executed notebooks, computed at build time and cached.

``report(outdir)`` of every ``snippets/experiments/<topic>.py`` runs in a fresh Python process: it
writes its figures into ``outdir`` and returns a dict of numbers. Pages use them as placeholders,
``{{ topic.key }}`` or ``{{ topic.key:.3f }}`` (a Python format spec), and figures as
``figures/<topic>/<name>.svg`` (hooks/computed.py). An unknown key or a failing snippet fails the build.

``notebooks/<topic>.py`` is executed once per build with both languages' cells (hooks/notebooks.py
splits it into each language's page and download).

The cache key covers: the experiments module (or the notebook) and every ``snippets`` module it
imports (transitively), their packages' ``__init__.py``, this file, the dependency lock, the
versions of the installed packages read at run time (and with them the data files that ship
inside packages) and the Python version. Reports and notebooks run with matplotlib's defaults
(no personal matplotlibrc). Results live in ``.cache/computed`` and ``.cache/executed``, outside
``docs/``, so ``mkdocs serve`` does not rebuild in a loop.

A plain module, not a hook: hooks/computed.py runs ``compute_all`` once per build, and every hook
that needs the numbers or notebooks reads ``current()`` or ``current_notebooks()`` (MkDocs loads
each hook file as a module of its own, so hooks that imported each other would each get a second
copy with its own state).
"""
from __future__ import annotations

import ast
import functools
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
EXPERIMENTS = "experiments"          # snippets/experiments/<topic>.py defines report(outdir)
PLACEHOLDER = re.compile(r"\{\{\s*(?P<topic>[a-z_][a-z0-9_]*)\.(?P<key>[A-Za-z0-9_]+)(?::(?P<fmt>[^}\s]+))?\s*\}\}")


class ComputeError(Exception):
    """A snippet failed or a page asked for a number that no snippet produced."""


@dataclass
class Result:
    topic: str
    numbers: dict
    figures: Path
    cache_hit: bool


def _module_path(package: Path, name: str) -> Path:
    """snippets module ``a.b`` -> ``<package>/a/b.py``."""
    return package.joinpath(*name.split(".")).with_suffix(".py")


def _snippet_imports(path: Path, name: str) -> set[str]:
    """Dotted names (below ``snippets``) of the modules that module ``name`` at ``path`` imports;
    ``from snippets.x import y`` counts ``x`` and, in case ``y`` is a module, ``x.y``."""
    parent = name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("snippets.") for a in node.names if a.name.startswith("snippets.")}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:                                 # from . import x / from .x import y
                base = ".".join(p for p in [parent, module] if p)
            elif module == "snippets" or module.startswith("snippets."):
                base = module.removeprefix("snippets").lstrip(".")
            else:
                continue
            if base:
                found.add(base)
            found |= {f"{base}.{a.name}".lstrip(".") for a in node.names}
    return found


def _closure(names: set[str], root: Path) -> list[Path]:
    """The snippets modules ``names`` and every snippets module they import (transitively),
    with the ``__init__.py`` of their packages, sorted."""
    package = root / "snippets"
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        path = _module_path(package, name)
        if name in seen or not path.exists():
            continue
        seen.add(name)
        todo.extend(_snippet_imports(path, name))
    files = {_module_path(package, n) for n in seen}
    files |= {p.parent / "__init__.py" for p in files if (p.parent / "__init__.py").exists()}
    return sorted(files | {package / "__init__.py"})


def dependencies(topic: str, root: Path = ROOT) -> list[Path]:
    """``snippets/experiments/<topic>.py`` and every snippets module it imports, transitively."""
    return _closure({f"{EXPERIMENTS}.{topic}"}, root)


def notebook_dependencies(topic: str, root: Path = ROOT) -> list[Path]:
    """``notebooks/<topic>.py`` and every snippets module its code imports, transitively. (In
    jupytext's percent format the markdown cells and any ``%magic`` are comments: the file parses
    as Python.)"""
    source = root / "notebooks" / f"{topic}.py"
    return [source] + _closure(_snippet_imports(source, ""), root)


@functools.cache
def installed_versions() -> str:
    """Every installed distribution as name==version, read at run time (not from the lock file):
    a package installed by hand, or its data files, cannot change a result without changing the key."""
    from importlib import metadata
    return "\n".join(sorted({f"{d.metadata['Name'].lower()}=={d.version}" for d in metadata.distributions()}))


def cache_key(topic: str, root: Path = ROOT, inputs: list[Path] | None = None) -> str:
    """A digest of what a result depends on: ``inputs`` (default: the topic's report and its
    imports), this file, the dependency lock, the installed versions and the Python version."""
    digest = hashlib.sha256()
    inputs = (dependencies(topic, root) if inputs is None else inputs) + [Path(__file__), root / LOCK_FILE]
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    digest.update(installed_versions().encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:20]


def _isolated(root: Path, **extra: str) -> tuple[dict[str, str], Path]:
    """The environment and working folder of a report or a notebook: the project on the path, and
    matplotlib's own defaults (an empty config folder, no MATPLOTLIBRC, no matplotlibrc in the
    working folder), so a personal matplotlibrc cannot change a figure without changing the key."""
    config = root / ".cache" / "matplotlib"
    cwd = config / "run"
    cwd.mkdir(parents=True, exist_ok=True)
    (cwd / "matplotlibrc").unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "MATPLOTLIBRC"}
    return env | {"PYTHONPATH": str(root), "MPLCONFIGDIR": str(config)} | extra, cwd


def run_topic(topic: str, root: Path = ROOT, cache: Path | None = None, key: str | None = None) -> Result:
    """Results of ``snippets.experiments.<topic>.report``, from the cache when nothing it depends on
    changed (``key``: its cache_key, if the caller computed it already)."""
    cache = cache or root / ".cache" / "computed"
    key = key or cache_key(topic, root)
    entry = cache / topic / key
    if (entry / "numbers.json").exists():
        return Result(topic, json.loads((entry / "numbers.json").read_text()), entry / "figures", True)

    (cache / topic).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=cache / topic))
    program = (
        "import json, sys, importlib; from pathlib import Path\n"
        f"numbers = importlib.import_module('snippets.{EXPERIMENTS}.{topic}').report(Path(sys.argv[1]) / 'figures')\n"
        "Path(sys.argv[1], 'numbers.json').write_text(json.dumps(numbers, indent=1, sort_keys=True))\n"
    )
    env, cwd = _isolated(root, MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", program, str(work)], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        raise ComputeError(f"snippets/{EXPERIMENTS}/{topic}.py failed while building the site:\n{proc.stderr}")
    for old in (cache / topic).iterdir():  # keep one finished entry per topic (not others' work dirs)
        if old != work and "-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    try:
        work.rename(entry)
    except OSError:                        # another build finished the same key first
        shutil.rmtree(work, ignore_errors=True)
    return Result(topic, json.loads((entry / "numbers.json").read_text()), entry / "figures", False)


# ---- Notebooks ------------------------------------------------------------------------------
NOTEBOOK_TIMEOUT = 300       # seconds a cell may take
EXECUTE_NOTEBOOKS = os.environ.get("NOTEBOOK_EXECUTE", "true").lower() != "false"


@dataclass
class Notebook:
    topic: str
    path: Path | None        # the executed bilingual notebook (.ipynb), or None when not executed
    cache_hit: bool


def run_notebook(topic: str, root: Path = ROOT, cache: Path | None = None, key: str | None = None) -> Notebook:
    """``notebooks/<topic>.py`` executed once with both languages' cells (the code cells are shared,
    so the outputs serve both languages), from the cache when nothing it depends on changed. A
    failing cell raises ComputeError with the notebook's name and the traceback."""
    cache = (cache or root / ".cache" / "executed") / topic
    key = key or cache_key(topic, root, notebook_dependencies(topic, root))
    entry = cache / f"{key}.ipynb"
    if entry.exists():
        return Notebook(topic, entry, True)

    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkstemp(prefix=f"{key}-", suffix=".ipynb", dir=cache)[1])
    program = (
        "import sys, jupytext, nbformat; from nbclient import NotebookClient\n"
        "nb = jupytext.read(sys.argv[1], fmt='py:percent')\n"
        "nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}\n"
        "NotebookClient(nb, timeout=int(sys.argv[3]), kernel_name='python3', allow_errors=False,\n"
        "               resources={'metadata': {'path': sys.argv[4]}}).execute()\n"
        "nbformat.write(nb, sys.argv[2])\n"
    )
    # the kernel inherits the environment: figures become PNG outputs (Agg would draw them nowhere)
    env, cwd = _isolated(root, MPLBACKEND="module://matplotlib_inline.backend_inline")
    source = root / "notebooks" / f"{topic}.py"
    proc = subprocess.run([sys.executable, "-c", program, str(source), str(work), str(NOTEBOOK_TIMEOUT), str(cwd)],
                          cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        work.unlink(missing_ok=True)
        raise ComputeError(f"notebooks/{topic}.py failed while building the site:\n{proc.stderr}")
    for old in cache.iterdir():        # keep one finished entry per notebook (not others' work files)
        if old != work and "-" not in old.name:
            old.unlink(missing_ok=True)
    work.rename(entry)
    return Notebook(topic, entry, False)


# ---- Everything at once ---------------------------------------------------------------------
def run_all(topics: list[str], root: Path = ROOT,
            notebooks: bool = False) -> tuple[dict[str, Result], dict[str, Notebook]]:
    """Every topic's report (and, with ``notebooks``, its executed notebook), as many at a time as
    there are cores. The cache keys are computed first, in this thread: ast.parse in several
    threads at once can fail in CPython 3.11 with "AST constructor recursion depth mismatch"
    (python/cpython#106905; seen here on a `mkdocs serve` rebuild)."""
    jobs = [(run_topic, t, cache_key(t, root)) for t in topics]
    if notebooks:
        jobs += [(run_notebook, t, cache_key(t, root, notebook_dependencies(t, root))) for t in topics]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = list(pool.map(lambda job: job[0](job[1], root, None, job[2]), jobs))
    reports = {r.topic: r for r in done if isinstance(r, Result)}
    if not notebooks:                  # NOTEBOOK_EXECUTE=false: the pages come from the sources
        return reports, {t: Notebook(t, None, False) for t in topics}
    return reports, {n.topic: n for n in done if isinstance(n, Notebook)}


def substitute(text: str, results: dict[str, Result], where: str) -> str:
    """Replace ``{{ topic.key[:fmt] }}`` with the computed value; unknown keys, and floats without
    a format spec, are errors."""
    def replace(m):
        result = results.get(m.group("topic"))
        if result is None or m.group("key") not in result.numbers:
            raise ComputeError(f"{where}: no computed value {m.group(0)}")
        value = result.numbers[m.group("key")]
        if isinstance(value, float) and not m.group("fmt"):
            raise ComputeError(f"{where}: {m.group(0)} is a float: give it a format spec "
                               f"(e.g. {{{{ {m.group('topic')}.{m.group('key')}:.3g }}}}), so the page "
                               "prints only the digits every machine agrees on")
        return printed(value, m.group("fmt"))
    return PLACEHOLDER.sub(replace, text)


def printed(value, fmt: str | None) -> str:
    """A computed value as a page prints it: with the placeholder's format spec, if it has one."""
    return format(value, fmt) if fmt else str(value)


# ---- The results of this build -------------------------------------------------------------
_current: dict[str, Result] = {}
_notebooks: dict[str, Notebook] = {}


def compute_all(topics: list[str]) -> tuple[dict[str, Result], dict[str, Notebook]]:
    """Run (or read from the cache) every topic's report and notebook, once per build; notebooks
    only when NOTEBOOK_EXECUTE is not false."""
    reports, executed = run_all(topics, notebooks=EXECUTE_NOTEBOOKS)
    _current.clear()
    _current.update(reports)
    _notebooks.clear()
    _notebooks.update(executed)
    return _current, _notebooks


def current() -> dict[str, Result]:
    """The reports' results of this build, after compute_all."""
    return _current


def current_notebooks() -> dict[str, Notebook]:
    """The executed notebooks of this build, after compute_all."""
    return _notebooks
