"""Build the peer site for scripts/bench: our Chinese pages made the common way, for comparison.

"The common way" is what the peers in issue #8 do: Material's documented MathJax recipe
(pymdownx.arithmatex generic + MathJax 3 in the browser) on the explanation pages, and mkdocs-jupyter's
defaults on the notebook pages (its ~575 KB of CSS inlined into every page, MathJax 2 in the browser
with mkdocs-jupyter's own configuration). Both MathJax versions are served from the site (pinned in
scripts/lighthouse/package.json), so the peer is scored offline like the real site. Nothing here
changes the site's config: mkdocs.yml is loaded and overridden in memory.

Run as ``python scripts/bench_peer.py SITE_DIR`` (both languages, English in SITE_DIR/en, as ours). The same file is the peer build's hook (MkDocs
imports it under another name, so the ``__main__`` block does not run then).
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "scripts" / "lighthouse" / "node_modules"
MATHJAX3 = "assets/mathjax/tex-mml-chtml.js"
MATHJAX2 = "assets/mathjax2/MathJax.js?config=TeX-AMS_CHTML-full,Safe"   # mkdocs-jupyter's default URL, local
# Material's recipe (docs/reference/math.md), without the navigation.instant subscription (off here)
MATHJAX3_CONFIG = """window.MathJax = {
  tex: {inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]], processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex"}
};
"""


def is_notebook(page) -> bool:
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py")


_inline_css: dict[str, list[str]] = {}


@event_priority(50)  # before hooks/notebooks.py strips mkdocs-jupyter's MathJax block and inline CSS
def on_page_content(html, page, config, files):
    if is_notebook(page):
        html = html.replace("<!-- Load mathjax -->", "<!-- Load MathJax (peer) -->")
        _inline_css[page.file.src_uri] = re.findall(r"<style[^>]*>.*?</style>", html, re.S)
    return html


def on_post_page(output, page, config):
    if is_notebook(page):  # MathJax 2 from mkdocs-jupyter renders these; Material's MathJax 3 would clash
        output = re.sub(r'<script src="[^"]*assets/(?:javascripts/mathjax-config\.js|mathjax/tex-mml-chtml\.js)"></script>',
                        "", output)
        # mkdocs-jupyter's inlined CSS, as the peers ship it, instead of our shared notebook.css
        output = re.sub(r'<link rel="stylesheet" href="[^"]*notebook\.css">\n?', "", output)
        output = output.replace("</head>", "".join(_inline_css.pop(page.file.src_uri)) + "</head>", 1)
    return output


def on_post_build(config):
    site = Path(config["site_dir"])
    shutil.copytree(NODE_MODULES / "mathjax" / "es5", site / "assets" / "mathjax", dirs_exist_ok=True)
    shutil.copytree(NODE_MODULES / "mathjax2", site / "assets" / "mathjax2", dirs_exist_ok=True)
    (site / "assets" / "javascripts" / "mathjax-config.js").write_text(MATHJAX3_CONFIG, encoding="utf-8")


def build(config_file: str, site_dir: str) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    hooks = [str(ROOT / "hooks" / name) for name in ("computed.py", "faq.py", "notebooks.py", "downloads.py", "seo.py")] + [__file__]
    config = load_config(
        str(ROOT / config_file), site_dir=site_dir, hooks=hooks,          # hooks/mathml.py left out
        extra_css=["assets/stylesheets/extra.css"],
        extra_javascript=["assets/javascripts/language.js", "assets/javascripts/mathjax-config.js", MATHJAX3],
    )
    config["extra"]["search_on_demand"] = False   # Material's default: the index fetched on load
    config["extra"]["theme_on_interaction"] = False   # and its script and whole stylesheet on load
    jupyter = config.plugins["mkdocs-jupyter"].config
    jupyter["custom_mathjax_url"] = "/" + MATHJAX2   # the peer site is served at the root (en too)
    mkdocs_build(config)


if __name__ == "__main__":
    build("mkdocs.yml", sys.argv[1])                     # zh first: it cleans the site directory
    build("mkdocs.en.yml", str(Path(sys.argv[1]) / "en"))
