"""Material's JavaScript and its full stylesheet arrive on the reader's first interaction.

On a long page of formulas, Material's bundle.js (111 KB) spends most of a phone's first seconds in
style recalculation (Lighthouse: total blocking time), and its stylesheet is 134 KB, of which a page
uses about half. So a page is first drawn with only the rules of Material's stylesheet that the built
pages use (``main.<hash>.used.css`` and ``palette.<hash>.used.css``, made here with PurgeCSS); the
theme's script and its full stylesheets load on the first touch, click, key, mouse movement, wheel or scroll
(overrides/partials/theme-on-interaction.html, which says what happens until then).

- on_config: the file names of Material's bundle and stylesheets (they carry a hash that changes with
  Material's version), for the templates, as ``config.extra.material_assets``.
- on_post_page: keeps each page's HTML, the content PurgeCSS reads.
- on_post_build: writes the used stylesheets next to Material's (hooks/used_css.mjs), keeping the
  custom properties the other stylesheets read. The build fails if PurgeCSS fails or keeps less
  than a sanity floor.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import material
from mkdocs.exceptions import PluginError

from mathml import node_executable

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).with_name("used_css.mjs")
_pages: list[str] = []


def _one(folder: Path, pattern: str) -> str:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise PluginError(f"hooks/theme_on_interaction.py: expected one {pattern} in {folder}, found {len(found)}")
    return found[0].name


def on_config(config):
    if config["extra"].get("theme_on_interaction") is False:     # scripts/bench_peer.py: Material as shipped
        return config
    assets = Path(material.__file__).parent / "templates" / "assets"
    stylesheets = [f"assets/stylesheets/{_one(assets / 'stylesheets', name)}" for name in ("main.*.min.css", "palette.*.min.css")]
    config["extra"]["material_assets"] = {
        "bundle": f"assets/javascripts/{_one(assets / 'javascripts', 'bundle.*.min.js')}",
        "stylesheets": [(full, full.replace(".min.css", ".used.css")) for full in stylesheets],
    }
    _pages.clear()
    return config


def on_post_page(output, page, config):
    _pages.append(output)
    return output


def on_post_build(config):
    assets = config["extra"].get("material_assets")
    if not assets:
        return
    site = Path(config["site_dir"])
    pairs = [(site / full, site / used) for full, used in assets["stylesheets"]]
    job = {
        "pages": _pages + [(site / "404.html").read_text(encoding="utf-8")],
        "css": [(str(full), str(used)) for full, used in pairs],
        "read": sorted(str(css) for css in site.glob("assets/**/*.css") if not css.name.startswith("main.")),
    }
    proc = subprocess.run([node_executable(), str(SCRIPT)], cwd=ROOT, input=json.dumps(job),
                          capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise PluginError(f"hooks/used_css.mjs failed:\n{proc.stderr}")
    full, used = (sum(path.stat().st_size for path in paths) for paths in zip(*pairs))
    if not 0.2 * full < used < full:
        raise PluginError(f"hooks/used_css.mjs kept {used} of {full} bytes of Material's stylesheets: check it")
