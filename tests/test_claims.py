"""The build's own checks on what a page says: claim checks beside their sentences (hooks/claims.py),
floats printed only with a format spec, and no TeX left unrendered in the built pages."""
from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import claims  # noqa: E402
import mathml  # noqa: E402
import results  # noqa: E402

NUMBERS = {"ensembles": {"nll_all": 0.31, "nll_best": 0.29, "nll_mean": 0.35, "curve": [0.4, 0.3, 0.32]}}


def test_a_true_check_renders_nothing():
    page = "比最好的单个网络差。<!-- check: ensembles.nll_all > ensembles.nll_best -->\n"
    assert claims.apply(page, NUMBERS, "docs/zh/ensembles.md") == "比最好的单个网络差。\n"


def test_a_false_check_fails_with_the_page_the_line_and_the_values():
    page = "intro\n\nOnly the log loss never gets worse.\n<!-- check: ensembles.nll_all < ensembles.nll_best -->\n"
    with pytest.raises(claims.ClaimError) as err:
        claims.apply(page, NUMBERS, "docs/en/ensembles.md")
    message = str(err.value)
    assert "docs/en/ensembles.md:4:" in message
    assert "ensembles.nll_all = 0.31" in message and "ensembles.nll_best = 0.29" in message


def test_a_check_between_chinese_sentences_leaves_no_space_but_english_keeps_its_own():
    zh = "下降了 3 次。<!-- check: ensembles.nll_all > ensembles.nll_best --> 就连期望也不单调。\n"
    en = "It fell.<!-- check: ensembles.nll_all > ensembles.nll_best --> Even the mean did.\n"
    assert claims.apply(zh, NUMBERS, "z.md") == "下降了 3 次。就连期望也不单调。\n"
    assert claims.apply(en, NUMBERS, "e.md") == "It fell. Even the mean did.\n"


def test_checks_read_like_the_sentence_they_sit_beside():
    """approx, indexing, min/max/all: what a writer needs for "equals", "rises", "never"."""
    assert claims.evaluate("ensembles.nll_all <= ensembles.nll_mean", NUMBERS)
    assert claims.evaluate("ensembles.curve[2] > ensembles.curve[1]", NUMBERS)
    assert claims.evaluate("ensembles.nll_all == approx(0.3, abs=0.02)", NUMBERS)
    assert not claims.evaluate("ensembles.nll_all == approx(0.3, rel=0.01)", NUMBERS)
    assert claims.evaluate("all(a > b for a, b in zip(ensembles.curve, [0.1, 0.1, 0.1]))", NUMBERS)
    assert claims.evaluate("144 / 3072 == approx(0.047, abs=5e-4)", NUMBERS)
    assert claims.evaluate("all(abs(a - ensembles.nll_all) < 0.1 for a in ensembles.curve)", NUMBERS)


@pytest.mark.parametrize("expr, why", [
    ("ensembles.nll_unknown > 0", "no computed value"),
    ("ensembles.nll_all", "must be a comparison"),
    ("ensembles.nll_all >", "not a Python expression"),
    ("__import__('os')", "NameError"),
    ("ensembles._numbers", "only comparisons"),
])
def test_a_check_that_cannot_run_fails_the_build_too(expr, why):
    with pytest.raises(claims.ClaimError, match=why):
        claims.apply(f"<!-- check: {expr} -->", NUMBERS, "docs/zh/x.md")


def test_the_two_languages_must_carry_the_same_checks():
    zh = "差。<!-- check: ensembles.nll_all > ensembles.nll_best -->\n"
    en = "worse.<!-- check:  ensembles.nll_all >  ensembles.nll_best -->\n"   # whitespace does not count
    assert claims.apply(zh, NUMBERS, "docs/zh/e.md", twin=en) == "差。\n"
    with pytest.raises(claims.ClaimError, match="claim checks differ"):
        claims.apply(zh, NUMBERS, "docs/zh/e.md", twin="worse.\n")


def test_every_page_pair_carries_the_same_checks_and_pages_use_them():
    pairs = [(p, ROOT / "docs" / "en" / p.name) for p in sorted((ROOT / "docs" / "zh").glob("*.md"))]
    for zh, en in pairs:
        assert claims.expressions(zh.read_text(encoding="utf-8")) == \
            claims.expressions(en.read_text(encoding="utf-8")), zh.name
    topic_pages = [zh for zh, _ in pairs if re.search(r"^topic: ", zh.read_text(encoding="utf-8"), re.M)]
    assert topic_pages and all(claims.expressions(p.read_text(encoding="utf-8")) for p in topic_pages), \
        "every topic page checks its qualitative claims"


def test_a_float_without_a_format_spec_is_an_error():
    found = {"t": results.Result("t", {"x": 0.123456789, "n": 3}, ROOT, True)}
    assert results.substitute("{{ t.x:.2f }} {{ t.n }}", found, "p.md") == "0.12 3"
    with pytest.raises(results.ComputeError, match="format spec"):
        results.substitute("{{ t.x }}", found, "p.md")


def test_tex_the_build_did_not_render_is_found():
    """The English whitening page once showed "$\\alpha = $ 1.97": arithmatex skips a formula that
    ends in a space, and the reader saw the dollars."""
    skipped = '<p>the field gives $\\alpha = $ 1.97 and</p>'
    assert mathml.unrendered_tex(skipped, notebook=False)
    rendered = ('<p>gives <span class="arithmatex">\\(\\alpha\\)</span> = 1.97, '
                'code <code>$HOME \\n</code></p><pre>x = "$\\beta"</pre>')
    assert mathml.unrendered_tex(rendered, notebook=False) == []
    cell = '<div class="jp-RenderedMarkdown">gives $\\alpha$ = 1.97</div>'
    assert mathml.unrendered_tex(cell, notebook=True) == []
