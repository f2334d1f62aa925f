"""A reader's route, with nothing but Python 3.11+: the commands of a page's "Run it yourself" section
(parsed from the built page) create a fresh virtual environment, install the wheel from the served site
and run the page's topic; a downloaded .ipynb, alone in an empty folder, runs in another fresh
environment that has only what a reader's Jupyter has (ipykernel, nbclient) and installs the package
through its own first cell."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from conftest import ROOT, SITE_URL
from test_downloads import run_it_yourself

TOPIC, SLUG = "normalization", "normalization"      # the quickest report (~2 s) and notebook
LOCK = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "requirements.lock").read_text(encoding="utf-8"), re.M))


def reader_env(home: Path) -> dict[str, str]:
    """The environment of a reader's shell: none of this project's Python settings, nor its Jupyter's."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MPLBACKEND", "MPLCONFIGDIR")
           and not k.startswith("JUPYTER")}
    # the project's .venv off the PATH: python3 is the machine's own
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if Path(p).resolve() != Path(sys.executable).parent.resolve())
    return env | {"JUPYTER_CONFIG_DIR": str(home / "jupyter-config"), "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
                  "JUPYTER_PATH": "", "MPLCONFIGDIR": str(home / "matplotlib")}


def test_the_pages_commands_install_the_wheel_from_the_site_and_run_the_topic(site, site_url, tmp_path):
    assert SITE_URL == site_url, f"the site was built for SITE_URL={SITE_URL}, but is served at {site_url}"
    linux, windows, *_ = run_it_yourself(site / SLUG / "index.html")
    assert any(f"{site_url}downloads/" in line for line in linux)
    proc = subprocess.run(["bash", "-euc", "\n".join(linux)], cwd=tmp_path, env=reader_env(tmp_path),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # it printed the page's numbers and drew its figures
    computed = json.loads(next((ROOT / ".cache" / "computed" / TOPIC).glob("*/numbers.json")).read_text())
    assert set(computed) <= set(re.findall(r"^(\w+):", proc.stdout, re.M))
    assert list((tmp_path / "build" / TOPIC).glob("*.svg"))
    # the package in that environment came from the wheel, with numpy and matplotlib only
    venv_python = tmp_path / "cs231n-faq" / "bin" / "python"
    installed = subprocess.run([str(venv_python), "-m", "pip", "list", "--format=json"], capture_output=True,
                               text=True, check=True).stdout
    names = {p["name"].lower() for p in json.loads(installed)}
    assert "cs231n-faq" in names and not names & {"scipy", "scikit-learn", "scikit-image"}


def test_a_downloaded_notebook_runs_alone_in_a_fresh_jupyter(site, site_url, tmp_path):
    home = tmp_path / "home"
    subprocess.run(["python3", "-m", "venv", str(home / "jupyter")], env=reader_env(home), check=True)
    python = home / "jupyter" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"ipykernel=={LOCK['ipykernel']}",
                    f"nbclient=={LOCK['nbclient']}"], env=reader_env(home), check=True, capture_output=True)
    alone = tmp_path / "downloads"
    alone.mkdir()
    notebook = alone / f"{TOPIC}.ipynb"
    notebook.write_bytes(urllib.request.urlopen(f"{site_url}en/notebooks/{TOPIC}.ipynb").read())
    assert sorted(p.name for p in alone.iterdir()) == [notebook.name]   # nothing else beside it
    # Jupyter runs every cell the reader runs; nbclient alone would skip the install cell (its
    # skip-execution tag is for the site's build), so the tag to skip is one no cell has
    program = (
        "import sys, nbformat; from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3', skip_cells_with_tag='-',\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "print(sum(1 for c in nb.cells if c.cell_type == 'code' and c.execution_count))\n"
    )
    proc = subprocess.run([str(python), "-c", program, str(notebook), str(alone)], cwd=alone,
                          env=reader_env(home), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    code_cells = sum(1 for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
    assert int(proc.stdout.split()[-1]) == code_cells          # every cell ran, the install cell too
    where = subprocess.run([str(python), "-c", "import snippets; print(snippets.__file__)"], env=reader_env(home), cwd=home,
                           capture_output=True, text=True, check=True).stdout
    assert str(home / "jupyter") in where                        # the first cell installed the package there
