"""The numbers and figures of the pages, computed at build time by the ``snippets`` package and cached.

``report(outdir)`` of every ``snippets/experiments/<topic>.py`` runs in a fresh Python process: it
writes its figures into ``outdir`` and returns a dict of numbers. Pages use them as placeholders,
``{{ topic.key }}`` or ``{{ topic.key:.3f }}`` (a Python format spec), and figures as
``figures/<topic>/<name>.svg`` (hooks/computed.py). An unknown key or a failing snippet fails the build.

The cache key covers: the experiments module and every ``snippets`` module it imports
(transitively), their packages' ``__init__.py``, this file, the pinned dependency lock (package
versions, and with them the data files that ship inside packages) and the Python version. Results
live in ``.cache/computed``, outside ``docs/``, so ``mkdocs serve`` does not rebuild in a loop.

A plain module, not a hook: hooks/computed.py runs ``compute_all`` once per build, and every hook
that needs the numbers reads ``current()`` (MkDocs loads each hook file as a module of its own, so
hooks that imported each other would each get a second copy with its own state).
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


def dependencies(topic: str, root: Path = ROOT) -> list[Path]:
    """``snippets/experiments/<topic>.py``, every snippets module it imports (transitively) and
    the ``__init__.py`` of their packages, sorted."""
    package = root / "snippets"
    seen, todo = set(), [f"{EXPERIMENTS}.{topic}"]
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


def cache_key(topic: str, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    inputs = dependencies(topic, root) + [Path(__file__), root / LOCK_FILE]
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    digest.update(sys.version.encode())
    return digest.hexdigest()[:20]


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
    env = dict(os.environ, PYTHONPATH=str(root), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", program, str(work)], cwd=root, env=env,
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


def run_all(topics: list[str], root: Path = ROOT, cache: Path | None = None) -> dict[str, Result]:
    """Every topic's results, two reports at a time. The cache keys are computed first, in this
    thread: ast.parse in several threads at once can fail in CPython 3.11 with "AST constructor
    recursion depth mismatch" (python/cpython#106905; seen here on a `mkdocs serve` rebuild)."""
    keys = {t: cache_key(t, root) for t in topics}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda t: run_topic(t, root, cache, keys[t]), topics)
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


# ---- The results of this build -------------------------------------------------------------
_current: dict[str, Result] = {}


def compute_all(topics: list[str]) -> dict[str, Result]:
    """Run (or read from the cache) every topic's report, once per build."""
    _current.clear()
    _current.update(run_all(topics))
    return _current


def current() -> dict[str, Result]:
    """The results of this build, after compute_all."""
    return _current
