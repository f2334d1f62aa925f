"""Accessibility fixes to Material 9.8.2's markup that CSS cannot make.

Its search overlay is a ``role="dialog"`` without a name (Lighthouse: aria-dialog-name); it gets the
search box's own label, in the page's language. The build fails if Material's markup changes, so
the fix cannot silently stop applying after an upgrade.
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
LABEL = {"zh": "搜索", "en": "Search"}


def on_post_page(output, page, config):
    if SEARCH_DIALOG not in output:
        raise PluginError(f"{page.file.src_uri}: Material's search dialog markup changed; update hooks/a11y.py")
    label = LABEL[config["theme"]["language"]]
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)
