"""hooks/faq.py: the short answers become faq.json's plain text without losing code."""
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import faq  # noqa: E402


def test_plain_text_drops_markup_but_keeps_code_spans_verbatim():
    text = faq.plain_text("draw `10 ** uniform(-4, 0)`, **bold** and [a link](x.md#y); $\\gamma$")
    assert text == "draw 10 ** uniform(-4, 0), bold and a link; \\gamma"


def test_page_urls_are_relative_to_the_site_root():
    assert faq.page_url("index.md") == "" and faq.page_url("map-mle.md") == "map-mle/"
