"""What a reader downloads to run the code: the project's wheel and each code block as a script.

- **The wheel.** The Chinese build, which owns the site root, builds ``cs231n_faq-<version>-py3-none-any.whl``
  (the ``snippets`` package with its data; ``pip wheel --no-deps --no-build-isolation`` with the
  pinned setuptools, in a clean copy of the package's files) into ``.cache/wheel/<digest of those
  files>/`` and publishes it as ``downloads/<wheel>``; a warm build reuses it. Both languages point at
  that one file: ``config.extra.wheel_url`` is its absolute URL under ``SITE_URL`` (computed before
  hooks/seo.py appends ``en/``), and ``{{ wheel_url }}`` in a page is replaced by it ("Run it
  yourself"; hooks/notebooks.py writes it into the notebooks' ``%pip install`` cell).
- **Each code block as a script.** Below every block included from ``snippets/<module>.py:<section>``
  the page links ``downloads/<module>/<section>.py``: the section exactly as shown, after the imports
  it needs (the module's own imports of the names it uses, and ``from snippets.<module> import ...``
  for the module's other functions it calls), so it runs wherever the package is installed.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import symtable
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
ROOT_LANGUAGE = "zh"              # mkdocs.yml builds the site root; mkdocs.en.yml builds en/ inside it
WHEEL_URL = re.compile(r"\{\{\s*wheel_url\s*\}\}")
BLOCK = re.compile(r'^(?P<indent>[ \t]*)```python[^\n]*\n(?:[ \t]*(?:--8<-- "snippets/[a-z_]+\.py:[a-z_0-9]+")?\n)+[ \t]*```[ \t]*$', re.M)
INCLUDE = re.compile(r'--8<-- "snippets/(?P<module>[a-z_]+)\.py:(?P<section>[a-z_0-9]+)"')
LINK = {
    "zh": ("下载可运行的 {links}（用法见“[自己运行](#run-it-yourself)”）", "、"),
    "en": ("Runnable: {links} (see [Run it yourself](#run-it-yourself))", ", "),
}


def wheel_name(root: Path = ROOT) -> str:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


def _package_files(root: Path) -> list[Path]:
    """What the wheel is built from: pyproject.toml, the readme and licences it names, the package."""
    top = [root / "pyproject.toml", root / "README.md", *sorted(root.glob("LICENSE*"))]
    package = [p for p in sorted((root / "snippets").rglob("*"))
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return top + package


def build_wheel(root: Path = ROOT, cache: Path | None = None) -> Path:
    """The project's wheel, built once per content of the files it is made from (and setuptools' version)."""
    import setuptools

    cache = cache or root / ".cache" / "wheel"
    files = _package_files(root)
    digest = hashlib.sha256(setuptools.__version__.encode())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    entry = cache / digest.hexdigest()[:20] / wheel_name(root)
    if entry.exists():
        return entry
    with tempfile.TemporaryDirectory(prefix="wheel-") as tmp:
        source = Path(tmp) / "src"
        for path in files:                      # a clean copy: no build/ or .egg-info leftovers
            target = source / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                               "--no-cache-dir", "-q", "-w", str(Path(tmp) / "out"), str(source)],
                              capture_output=True, text=True,
                              env=dict(os.environ, SOURCE_DATE_EPOCH="315532800"))  # the same bytes every time
        built = Path(tmp) / "out" / entry.name
        if proc.returncode != 0 or not built.exists():
            raise PluginError(f"building {entry.name} failed:\n{proc.stdout}{proc.stderr}")
        entry.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(built, entry)
    for old in cache.iterdir():                 # keep the current wheel only
        if old != entry.parent:
            shutil.rmtree(old, ignore_errors=True)
    return entry


# ---- a code block as a script -----------------------------------------------------------------
def section_text(module: str, section: str) -> str:
    """The lines between ``# --8<-- [start:section]`` and ``[end:section]``, dedented as on the page."""
    text = (ROOT / "snippets" / f"{module}.py").read_text(encoding="utf-8")
    m = re.search(rf"^[ \t]*# --8<-- \[start:{section}\][ \t]*\n(.*?)^[ \t]*# --8<-- \[end:{section}\]", text, re.M | re.S)
    if not m:
        raise PluginError(f"snippets/{module}.py has no section {section!r}")
    return textwrap.dedent(m[1])


def _free_names(code: str) -> set[str]:
    """Global names the code reads but does not define (symtable: exactly Python's own scoping)."""
    top = symtable.symtable(code, "<section>", "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    names = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    todo = list(top.get_children())
    while todo:
        table = todo.pop()
        names |= {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
        todo.extend(table.get_children())
    return {n for n in names - defined if n not in vars(builtins)}


def _module_bindings(module: str) -> dict[str, str]:
    """Each top-level name of snippets/<module>.py -> the import line that gives it to a script."""
    tree = ast.parse((ROOT / "snippets" / f"{module}.py").read_text(encoding="utf-8"))
    bindings = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for a in node.names:
                bindings[a.asname or a.name.split(".")[0]] = f"import {a.name}" + (f" as {a.asname}" if a.asname else "")
        elif isinstance(node, ast.ImportFrom):
            source = "snippets" + ("." + node.module if node.module else "") if node.level else node.module
            for a in node.names:
                bindings[a.asname or a.name] = f"from {source} import {a.name}" + (f" as {a.asname}" if a.asname else "")
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bindings.setdefault(node.name, f"from snippets.{module} import {node.name}")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for name in (n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)):
                bindings.setdefault(name, f"from snippets.{module} import {name}")
    return bindings


def section_script(module: str, section: str, wheel_url: str) -> str:
    """The section as a script: a header, the imports it needs, the code exactly as on the page."""
    code = section_text(module, section)
    bindings = _module_bindings(module)
    free = _free_names(code)
    missing = sorted(free - bindings.keys())
    if missing:
        raise PluginError(f"snippets/{module}.py:{section} uses {missing}, which the module does not define")
    lines = sorted({bindings[n] for n in free})
    plain = [line for line in lines if line.startswith("import ")]
    grouped: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("from "):
            source, name = line[5:].split(" import ")
            grouped.setdefault(source, []).append(name)
    imports = [f"from {s} import {', '.join(sorted(n))}" for s, n in sorted(grouped.items())]
    ours = [line for line in imports if line.startswith("from snippets")]
    imports = "\n\n".join(filter(None, ["\n".join(plain + [i for i in imports if i not in ours]), "\n".join(ours)]))
    header = (f"# {section}: the code block from snippets/{module}.py, as the page shows it. It imports\n"
              f"# what it uses from the snippets package (cs231n-faq); install that once with\n"
              f"#     python -m pip install {wheel_url}\n"
              f"# then run this file with that Python, e.g. python -i {section}.py\n")
    return header + imports + "\n\n\n" + code


# ---- MkDocs hook events --------------------------------------------------------------------
@event_priority(50)      # before hooks/seo.py turns site_url into the language's root
def on_config(config):
    config.extra["wheel_url"] = config.site_url + "downloads/" + wheel_name()
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    if config.theme["language"] == ROOT_LANGUAGE:
        files.append(File.generated(config, f"downloads/{wheel_name()}", abs_src_path=str(build_wheel())))
    shown = {(m["module"], m["section"]) for page in sorted(Path(config.docs_dir).rglob("*.md"))
             for block in BLOCK.finditer(page.read_text(encoding="utf-8")) for m in INCLUDE.finditer(block[0])}
    for module, section in sorted(shown):
        files.append(File.generated(config, f"downloads/{module}/{section}.py",
                                    content=section_script(module, section, config.extra["wheel_url"])))
    return files


def on_page_markdown(markdown, page, config, files):
    lang = config.theme["language"]
    here = posixpath.dirname(page.file.src_uri)

    text, separator = LINK[lang]

    def links(block):
        scripts = [f"[`{m['section']}.py`]({posixpath.relpath(f'downloads/{m[1]}/{m[2]}.py', here or '.')})"
                   for m in INCLUDE.finditer(block[0])]
        return block[0] + "\n\n" + block["indent"] + text.format(links=separator.join(scripts))
    return WHEEL_URL.sub(config.extra["wheel_url"], BLOCK.sub(links, markdown))
