"""The companion notebooks a reader downloads run from any folder after scripts/setup."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import notebooks  # noqa: E402

SOURCES = sorted((ROOT / "docs").glob("*/notebooks/*.py"))


def test_every_language_has_the_same_notebooks():
    names = {lang: {p.name for p in (ROOT / "docs" / lang / "notebooks").glob("*.py")} for lang in ("zh", "en")}
    assert names["zh"] == names["en"] and names["zh"]


@pytest.mark.parametrize("source", SOURCES, ids=[p.relative_to(ROOT / "docs").as_posix() for p in SOURCES])
def test_downloaded_ipynb_runs_from_a_temporary_folder(source, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    target = tmp_path / f"{source.stem}.ipynb"
    target.write_text(notebooks.to_ipynb(source), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(target, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    assert "scripts/setup" in nb.cells[0].source       # the first cell says how to run it


def test_site_offers_the_ipynb_download(site):
    for lang_root in (site, site / "en"):
        for source in (ROOT / "docs" / "zh" / "notebooks").glob("*.py"):
            assert (lang_root / "notebooks" / f"{source.stem}.ipynb").exists()
