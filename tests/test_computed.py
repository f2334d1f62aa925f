"""hooks/results.py: build-time results are cached on everything they depend on, and never stale."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import results  # noqa: E402  (hooks/results.py: what hooks/computed.py runs)


@pytest.fixture
def tiny(tmp_path):
    """A small temporary project: snippets/experiments/demo.py and notebooks/demo.py import
    snippets/demo.py, which imports snippets/helper.py (a transitive import)."""
    pkg = tmp_path / "snippets"
    (pkg / "experiments").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "experiments" / "__init__.py").write_text("")
    (pkg / "helper.py").write_text("def value():\n    return 1\n")
    (pkg / "unrelated.py").write_text("X = 1\n")
    (pkg / "demo.py").write_text("from snippets.helper import value\n")
    (pkg / "experiments" / "demo.py").write_text(
        "from snippets.demo import value\n\n"
        "def report(outdir):\n"
        "    outdir.mkdir(parents=True, exist_ok=True)\n"
        "    (outdir / 'fig.svg').write_text(f'<svg>{value()}</svg>')\n"
        "    return {'v': value()}\n")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "demo.py").write_text(
        '# %% [markdown] lang="zh"\n# 演示\n\n# %% [markdown] lang="en"\n# Demo\n\n'
        "# %%\nfrom snippets.demo import value\n\nprint(value())\n")
    (tmp_path / results.LOCK_FILE).write_text("numpy==1\n")
    return tmp_path


def run(root):
    return results.run_topic("demo", root, root / ".cache")


def test_cache_hits_when_nothing_changed(tiny):
    first, second = run(tiny), run(tiny)
    assert (first.cache_hit, second.cache_hit) == (False, True)
    assert second.numbers == {"v": 1}
    assert (second.figures / "fig.svg").read_text() == "<svg>1</svg>"


def test_editing_an_imported_snippet_function_changes_the_output(tiny):
    assert run(tiny).numbers == {"v": 1}
    (tiny / "snippets" / "helper.py").write_text("def value():\n    return 2\n")
    result = run(tiny)
    assert (result.cache_hit, result.numbers) == (False, {"v": 2})
    assert (result.figures / "fig.svg").read_text() == "<svg>2</svg>"
    assert len(list((tiny / ".cache" / "demo").iterdir())) == 1     # the stale entry is gone


def test_a_new_dependency_lock_invalidates_the_cache(tiny):
    run(tiny)
    (tiny / results.LOCK_FILE).write_text("numpy==2\n")
    assert run(tiny).cache_hit is False


def test_a_module_the_topic_does_not_import_keeps_the_cache(tiny):
    run(tiny)
    (tiny / "snippets" / "unrelated.py").write_text("X = 2\n")
    assert run(tiny).cache_hit is True


def test_the_key_follows_imports_transitively(tiny):
    deps = {p.relative_to(tiny).as_posix() for p in results.dependencies("demo", tiny)}
    assert deps == {"snippets/__init__.py", "snippets/experiments/__init__.py",
                    "snippets/experiments/demo.py", "snippets/demo.py", "snippets/helper.py"}


def test_a_failing_snippet_fails_with_its_file_and_traceback(tiny):
    (tiny / "snippets" / "helper.py").write_text("def value():\n    raise RuntimeError('boom')\n")
    with pytest.raises(results.ComputeError) as err:
        run(tiny)
    message = str(err.value)
    assert "snippets/experiments/demo.py" in message and "Traceback" in message and "boom" in message
    assert not list((tiny / ".cache" / "demo").iterdir())          # nothing half-written is cached


def test_an_unknown_placeholder_is_an_error_not_an_empty_string(tiny):
    computed = {"demo": run(tiny)}
    assert results.substitute("v = {{ demo.v:.2f }}", computed, "p.md") == "v = 1.00"
    with pytest.raises(results.ComputeError, match="p.md"):
        results.substitute("{{ demo.nope }}", computed, "p.md")


def test_a_notebook_is_executed_once_then_served_from_the_cache_until_an_import_changes(tiny):
    import nbformat
    run_notebook = lambda: results.run_notebook("demo", tiny, tiny / ".cache" / "executed")
    first, second = run_notebook(), run_notebook()
    assert (first.cache_hit, second.cache_hit) == (False, True)
    nb = nbformat.read(second.path, as_version=4)
    assert [c.metadata.get("lang") for c in nb.cells] == ["zh", "en", None]     # both languages, one run
    assert nb.cells[2].outputs[0]["text"] == "1\n"
    (tiny / "snippets" / "helper.py").write_text("def value():\n    return 2\n")   # imported via snippets.demo
    third = run_notebook()
    assert third.cache_hit is False
    assert nbformat.read(third.path, as_version=4).cells[2].outputs[0]["text"] == "2\n"
    assert len(list((tiny / ".cache" / "executed" / "demo").iterdir())) == 1     # the stale one is gone


def test_a_failing_notebook_cell_fails_with_the_notebook_and_its_traceback(tiny):
    (tiny / "snippets" / "helper.py").write_text("def value():\n    raise RuntimeError('boom')\n")
    with pytest.raises(results.ComputeError) as err:
        results.run_notebook("demo", tiny, tiny / ".cache" / "executed")
    assert "notebooks/demo.py" in str(err.value) and "boom" in str(err.value)
    assert not list((tiny / ".cache" / "executed" / "demo").iterdir())         # nothing half-written is cached


def test_the_key_follows_the_installed_versions_not_only_the_lock(tiny, monkeypatch):
    before = results.cache_key("demo", tiny)
    monkeypatch.setattr(results, "installed_versions", lambda: "numpy==0.0.1")
    assert results.cache_key("demo", tiny) != before


def test_reports_and_notebooks_ignore_a_personal_matplotlibrc(tiny, monkeypatch):
    # a matplotlibrc that would change every figure: in the environment and in the project folder
    (tiny / "matplotlibrc").write_text("lines.linewidth: 9\n")
    monkeypatch.setenv("MATPLOTLIBRC", str(tiny / "matplotlibrc"))
    monkeypatch.chdir(tiny)
    (tiny / "snippets" / "experiments" / "demo.py").write_text(
        "import matplotlib\n\n"
        "def report(outdir):\n"
        "    return {'linewidth': matplotlib.rcParams['lines.linewidth']}\n")
    assert run(tiny).numbers == {"linewidth": 1.5}                               # matplotlib's default
