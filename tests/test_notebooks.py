"""The companion notebooks: one bilingual source each, and the .ipynb a reader downloads runs anywhere."""
from __future__ import annotations

import sys

import jupytext
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import notebooks  # noqa: E402

SOURCES = sorted((ROOT / "notebooks").glob("*.py"))
CASES = [(source, lang) for source in SOURCES for lang in ("zh", "en")]


def test_every_topic_module_with_a_report_has_a_notebook():
    sys.path.insert(0, str(ROOT / "hooks"))
    import computed
    assert {p.stem for p in SOURCES} == set(computed.topics())


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_markdown_cells_come_in_both_languages(source):
    cells = jupytext.read(source, fmt="py:percent").cells
    langs = [c.metadata.get("lang") for c in cells if c.cell_type == "markdown"]
    assert None not in langs, "every markdown cell is marked lang=\"zh\" or lang=\"en\""
    assert langs.count("zh") == langs.count("en")
    assert all(c.metadata.get("lang") is None for c in cells if c.cell_type == "code"), "code cells are shared"


@pytest.mark.parametrize("source,lang", CASES, ids=[f"{s.stem}-{lang}" for s, lang in CASES])
def test_downloaded_ipynb_runs_from_a_temporary_folder(source, lang, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    target = tmp_path / f"{source.stem}.ipynb"
    target.write_text(notebooks.to_ipynb(source, lang), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(target, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    assert "scripts/setup" in nb.cells[0].source       # the first cell says how to run it


def test_site_offers_the_ipynb_download_in_each_language(site):
    for lang, lang_root in (("zh", site), ("en", site / "en")):
        for source in SOURCES:
            downloaded = (lang_root / "notebooks" / f"{source.stem}.ipynb").read_text(encoding="utf-8")
            assert downloaded == notebooks.to_ipynb(source, lang)
