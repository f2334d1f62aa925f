"""What a reader downloads from the site to run the code (hooks/downloads.py): the project's wheel,
the "Run it yourself" commands that install it, the notebooks' install cell, and each code block as a
runnable script. The reader's whole route, in a fresh virtual environment, is tests/test_reader.py."""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import zipfile

import jupytext
import pytest
import yaml

from conftest import ROOT, SITE_URL
from htmltools import links

sys.path.insert(0, str(ROOT / "hooks"))
import downloads  # noqa: E402

TOPICS = yaml.safe_load((ROOT / "data" / "topics.yml").read_text(encoding="utf-8"))
WHEEL = downloads.wheel_name()
WHEEL_URL = f"{SITE_URL}downloads/{WHEEL}"
LANG_ROOTS = {"zh": "", "en": "en/"}


def run_it_yourself(page) -> list[list[str]]:
    """The code blocks of a built page's "Run it yourself" section, each as its list of lines."""
    text = page.read_text(encoding="utf-8")
    section = text[text.index('id="run-it-yourself"'):]
    section = section[:section.find("<h2")] if "<h2" in section else section
    return [html.unescape(re.sub(r"<[^>]+>", "", code)).strip().splitlines()
            for code in re.findall(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", section, re.S)]


def reader_commands(topic: str) -> dict[str, list[str]]:
    return {
        "macOS / Linux": ["python3 -m venv cs231n-faq", f"cs231n-faq/bin/python -m pip install {WHEEL_URL}",
                          f"cs231n-faq/bin/python -m snippets {topic}"],
        "Windows": ["py -m venv cs231n-faq", rf".\cs231n-faq\Scripts\python -m pip install {WHEEL_URL}",
                    rf".\cs231n-faq\Scripts\python -m snippets {topic}"],
    }


# ---- the wheel ----------------------------------------------------------------------------------

def test_the_site_publishes_the_wheel_once_for_both_languages(site):
    assert (site / "downloads" / WHEEL).is_file()
    assert not (site / "en" / "downloads" / WHEEL).exists()
    assert re.fullmatch(r"cs231n_faq-\d+\.\d+\.\d+-py3-none-any\.whl", WHEEL)


def test_the_wheel_holds_the_package_its_data_and_needs_only_numpy_and_matplotlib(site):
    with zipfile.ZipFile(site / "downloads" / WHEEL) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*.py")}
    assert package <= names                                            # experiments/ too
    data = {f"snippets/datasets/{p.name}" for p in (ROOT / "snippets" / "datasets").iterdir()}
    assert data <= names and "snippets/datasets/CREDITS.md" in names
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "hooks/", "docs/"))]
    requires = re.findall(r"^Requires-Dist: ([A-Za-z0-9_.-]+)(.*)$", metadata, re.M)
    assert sorted(name for name, rest in requires if "extra ==" not in rest) == ["matplotlib", "numpy"]


def test_a_warm_build_reuses_the_wheel_built_for_the_same_files(site, monkeypatch):
    first = downloads.build_wheel()
    assert first.read_bytes() == (site / "downloads" / WHEEL).read_bytes()

    def no_build(*args, **kwargs):
        raise AssertionError("the wheel was built again although no file it is made from changed")
    monkeypatch.setattr(downloads.subprocess, "run", no_build)
    assert downloads.build_wheel() == first


def test_the_wheel_is_built_again_when_a_file_of_the_package_changes(tmp_path):
    import shutil

    root = tmp_path / "project"
    shutil.copytree(ROOT / "snippets", root / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-content"):
        shutil.copy(ROOT / name, root / name)
    first = downloads.build_wheel(root)
    assert downloads.build_wheel(root) == first                          # same files: the same entry
    (root / "snippets" / "data.py").write_text((root / "snippets" / "data.py").read_text() + "\n# changed\n")
    second = downloads.build_wheel(root)
    assert second != first and second.is_file() and not first.exists()  # rebuilt; the stale one removed
    with zipfile.ZipFile(second) as wheel:
        assert wheel.read("snippets/data.py").decode().endswith("# changed\n")


# ---- "Run it yourself" --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANG_ROOTS)
def test_every_page_gives_the_commands_that_install_the_wheel_from_the_site_and_run_its_topic(site, lang):
    for topic, slug in TOPICS.items():
        page = site / LANG_ROOTS[lang] / slug / "index.html"
        blocks = run_it_yourself(page)
        expected = reader_commands(topic)
        assert blocks[:2] == list(expected.values()), f"{page}: {blocks[:2]}"
        labels = re.findall(r'<label for="__tabbed_\d+_\d+">([^<]+)</label>', page.read_text(encoding="utf-8"))
        assert list(expected) == [label for label in labels if label in expected][:2], page
        assert any("scripts/setup" in line for line in blocks[2]), "the clone route is kept"


# ---- the notebooks' first code cell -------------------------------------------------------------

@pytest.mark.parametrize("lang", LANG_ROOTS)
def test_each_notebook_installs_the_wheel_first_in_a_cell_the_build_does_not_run(site, lang):
    import nbformat

    for topic in TOPICS:
        nb = nbformat.read(site / LANG_ROOTS[lang] / "notebooks" / f"{topic}.ipynb", as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert first.source == f"%pip install {WHEEL_URL}"
        assert "skip-execution" in first.metadata.get("tags", [])     # nbclient skips it at build time
        assert not first.outputs and first.get("execution_count") is None
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code" and c is not first)
        assert "%pip install" in nb.cells[0].source and "scripts/setup" in nb.cells[0].source
        # the online page shows that cell with the real URL
        page = (site / LANG_ROOTS[lang] / "notebooks" / topic / "index.html").read_text(encoding="utf-8")
        assert WHEEL_URL in html.unescape(re.sub(r"<[^>]+>", "", page)), topic
        assert "skip-execution" not in re.sub(r'class="[^"]*"', "", page), "the build's tag is not shown to readers"


def test_notebook_sources_keep_the_url_out_and_tag_the_install_cell():
    for source in sorted((ROOT / "notebooks").glob("*.py")):
        cells = jupytext.read(source, fmt="py:percent").cells
        code = [c for c in cells if c.cell_type == "code"]
        assert code[0].source == "%pip install {{ wheel_url }}", source.name
        assert code[0].metadata.get("tags") == ["skip-execution"], source.name


# ---- each code block as a script ----------------------------------------------------------------

def shown_sections(lang: str) -> dict[str, list[tuple[str, str]]]:
    """page slug -> the (module, section) of each include in its code blocks, in order."""
    return {path.stem: [(m["module"], m["section"]) for block in downloads.BLOCK.finditer(path.read_text(encoding="utf-8"))
                        for m in downloads.INCLUDE.finditer(block[0])]
            for path in sorted((ROOT / "docs" / lang).glob("*.md"))}


def test_every_python_block_on_a_page_is_a_recognised_include():
    for lang in LANG_ROOTS:
        for path in sorted((ROOT / "docs" / lang).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            blocks = list(downloads.BLOCK.finditer(text))
            assert len(blocks) == len(re.findall(r"```python", text)), f"{path}: a python block the hook does not see"
            assert sum(len(downloads.INCLUDE.findall(b[0])) for b in blocks) == len(downloads.INCLUDE.findall(text)), path


@pytest.mark.parametrize("lang", LANG_ROOTS)
def test_every_code_block_links_its_runnable_script(site, lang):
    for slug, sections in shown_sections(lang).items():
        page = site / LANG_ROOTS[lang] / ("" if slug == "index" else slug) / "index.html"
        hrefs = [url for tag, attr, url in links(page).urls if tag == "a" and "/downloads/" in f"/{url}"
                 and url.endswith(".py")]
        assert [h.rsplit("downloads/", 1)[1] for h in hrefs] == [f"{m}/{s}.py" for m, s in sections], page
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), href


SCRIPT_CHECK = r"""
import ast, importlib, inspect, json, runpy, sys, textwrap, types
results = {}
for path in sys.argv[1:]:
    module_name, section = path.split('/')[-2], path.split('/')[-1][:-3]
    namespace = runpy.run_path(path, run_name='__main__')
    module = importlib.import_module(f'snippets.{module_name}')
    defined = {k: v for k, v in namespace.items() if isinstance(v, types.FunctionType)
               and v.__code__.co_filename == path}
    problems = []
    def tree(function):   # the function's syntax tree: the same code, whatever compiled it
        node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
        node.decorator_list = []        # the package applies its input check above the shown lines
        return ast.dump(node)
    for name, function in defined.items():
        original = inspect.unwrap(getattr(module, name))
        if tree(function) != tree(original):
            problems.append(f'{name}: not the code of snippets.{module_name}.{name}')
        for g in function.__code__.co_names:         # the globals it reads are the package's objects
            if g in namespace and g in vars(module) and namespace[g] is not vars(module)[g] and g not in defined:
                problems.append(f'{name} reads {g}, which is not snippets.{module_name}.{g}')
    results[path] = {'defined': sorted(defined), 'problems': problems}
print(json.dumps(results))
"""


def test_each_script_runs_and_defines_exactly_the_packages_functions(site, tmp_path):
    scripts = sorted({p for lang in LANG_ROOTS for p in (site / LANG_ROOTS[lang] / "downloads").glob("*/*.py")})
    expected = {(m, s) for lang in LANG_ROOTS for sections in shown_sections(lang).values() for m, s in sections}
    assert {(p.parent.name, p.stem) for p in scripts} == expected
    # the two languages publish the same scripts
    for p in (site / "downloads").glob("*/*.py"):
        assert p.read_bytes() == (site / "en" / "downloads" / p.parent.name / p.name).read_bytes()
    proc = subprocess.run([sys.executable, "-c", SCRIPT_CHECK, *map(str, (site / "downloads").glob("*/*.py"))],
                          cwd=tmp_path, capture_output=True, text=True, env={"MPLBACKEND": "Agg", "PATH": ""})
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    for path, result in results.items():
        assert result["defined"], f"{path} defines no function"
        assert not result["problems"], (path, result["problems"])


def test_a_script_names_the_wheel_it_needs_and_holds_the_section_as_shown():
    script = downloads.section_script("weight_init", "scaling", "https://example.org/w.whl")
    header, _, code = script.partition("\n\n\n")
    assert "python -m pip install https://example.org/w.whl" in header
    assert code == downloads.section_text("weight_init", "scaling")
    assert "from snippets.layers import affine_backward, affine_forward" in header
    assert "from snippets.weight_init import NONLINEARITIES" in header and "import numpy as np" in header
