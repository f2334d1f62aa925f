"""Search: the golden queries (tests/search_golden.py) typed into the header search box in Chromium,
one reused page per site; the no-result hint; what hooks/search_index.py puts in the index.
"""
from __future__ import annotations

import html
import re
import sys
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT
from search_golden import GOLDEN, NOTHING, SearchBox, page_paths, rank

sys.path.insert(0, str(ROOT / "hooks"))
import search_index  # noqa: E402  (hooks/search_index.py)
import terms  # noqa: E402  (hooks/terms.py)

# The queries of issue #15's table: the first result shows the answer's own section (its anchor)
ISSUE_TABLE = [g for g in GOLDEN[:7]]
QUESTION_IDS = {q["id"] for qs in yaml.safe_load((ROOT / "data" / "questions.yml").read_text(encoding="utf-8")).values()
                for q in qs}


@pytest.fixture(scope="session")
def search_boxes(browser, site_url):
    """One search box page per site, reused by every query (each query clears the field first)."""
    boxes = {}

    def get(site):
        if site not in boxes:
            boxes[site] = SearchBox(browser, site_url, site)
        return boxes[site]
    yield get
    for box in boxes.values():
        box.close()


def ident(g):
    return f"{g.site or 'zh/'}{g.query}"


@pytest.mark.parametrize("g", GOLDEN, ids=ident)
def test_golden_query_finds_its_page_in_the_top_3_and_first_where_marked(search_boxes, g):
    result = search_boxes(g.site).query(g.query)
    k = rank(result, g)
    assert k is not None and k <= 3, (g.query, g.path, result["meta"], page_paths(result)[:5])
    if g.first:
        assert k == 1, (g.query, g.path, page_paths(result)[:5])


def answer_anchors(site, path) -> set[str]:
    """The anchors of a page's answers: each question's h2 (its id) and the headings under it."""
    raw = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    out, inside = set(), False
    for level, anchor in re.findall(r'<h([23]) id="([^"]+)"', raw):
        inside = anchor in QUESTION_IDS if level == "2" else inside
        if inside:
            out.add(anchor)
    return out


@pytest.mark.parametrize("g", ISSUE_TABLE, ids=ident)
def test_issue_table_query_links_to_the_answer(site, search_boxes, g):
    """The first result's best section is the answer: the question's anchor or a heading inside that
    answer (显著图 → the answer's part on saliency maps). One exception, second: for 输入梯度 the
    intuition section, whose heading is 线性模型的输入梯度就是类别模板, comes first."""
    result = search_boxes(g.site).query(g.query)
    sections = [urlsplit(h) for h in result["first"][1:]]
    assert sections and sections[0].path == g.path, result["first"]
    best = [unquote(s.fragment) for s in sections[:2 if g.query == "输入梯度" else 1]]
    assert set(best) & answer_anchors(site, g.path), result["first"][:3]


@pytest.mark.parametrize("root,query", NOTHING, ids=[q for _, q in NOTHING])
def test_query_for_an_absent_word_finds_nothing_and_points_to_the_glossary(search_boxes, root, query):
    box = search_boxes(root)
    result = box.query(query)
    assert result["pages"] == [], (query, result)
    link = re.search(r'href="([^"]+)"', result["hint"])
    assert link and urlsplit(link.group(1)).path == f"/{root}glossary/", result["hint"]
    chinese = re.search(r"[\u4e00-\u9fff]", html.unescape(re.sub(r"<[^>]+>", "", result["hint"])))
    assert bool(chinese) == (root == ""), result["hint"]   # in the reader's language
    assert box.page.locator(".search-hint a").is_visible()
    # the hint goes away with the next query that finds something
    assert box.query("BN" if root == "" else "whitening")["hint"] == ""


def page_text(site, path):
    raw = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


@pytest.mark.parametrize("g", [g for g in GOLDEN if g.kind == "synonym"], ids=ident)
def test_synonym_query_is_absent_from_its_page(site, g):
    """A synonym golden proves the glossary's synonyms work only if the page never writes it."""
    assert g.query.lower() not in page_text(site, g.path).lower(), f"{g.query} is on {g.path}: not a synonym"


def test_golden_set_is_large_and_covers_both_sites_and_every_topic_page():
    assert len(GOLDEN) >= 80
    assert sum(g.first for g in GOLDEN) >= len(GOLDEN) / 2
    assert {g.site for g in GOLDEN} == {"", "en/"} and {s for s, _ in NOTHING} == {"", "en/"}
    slugs = yaml.safe_load((ROOT / "data" / "topics.yml").read_text(encoding="utf-8")).values()
    for site in ("", "en/"):
        assert {f"{s}/" for s in slugs} <= {g.page for g in GOLDEN if g.site == site}, site


# ---- the index (hooks/search_index.py) -----------------------------------------------------

def test_every_chinese_name_of_the_glossary_stays_one_word():
    import jieba
    data = terms.load()
    words = search_index.dictionary_words(data)
    for name in ["显著图", "对抗样本", "批归一化", "最大后验估计", "何恺明", "类别可视化", "输入梯度"]:
        assert name in words, name
    jieba.load_userdict(str(search_index.write_user_dict(data)))
    for word in words:
        assert jieba.lcut(word) == [word], word


def test_inner_words_of_compounds_are_listed_but_not_their_start():
    zw = search_index.ZWSP
    inner = search_index.inner_words(zw.join(["单位矩阵", "的", "蒙特卡罗", "方法", "矩阵"]))
    assert "卡罗" in inner and "蒙特" not in inner   # the start is found by the worker's trailing *
    assert "矩阵" not in inner                        # written as a word of its own already


def test_identifier_parts_are_indexed_beside_the_whole_identifier():
    parts = search_index.identifier_parts("rel_error(x) and batchnorm_forward; forward")
    assert parts == ["batchnorm", "error", "rel"]


def test_synonyms_go_to_the_sections_of_the_terms_home_page_only():
    data = terms.load()
    groups = search_index.synonym_groups(data, "en")
    index = {"docs": [
        {"location": "weight-init/#x", "title": "T", "text": "<p>He initialization keeps the variance.</p>"},
        {"location": "ensembles/#y", "title": "T", "text": "<p>He initialization, in passing.</p>"},
    ]}
    search_index.shape(index, data, "en", set())
    assert "Kaiming" in index["docs"][0]["text"] and "Kaiming" not in index["docs"][1]["text"]
    assert any(home == "weight-init/" and "Kaiming He" in g for home, g in groups)


def test_the_built_worker_carries_the_query_segmentation_fix(site):
    for worker in [*(site / "assets/javascripts/workers").glob("search.*.min.js"),
                   *(site / "en/assets/javascripts/workers").glob("search.*.min.js")]:
        code = worker.read_text(encoding="utf-8")
        for old, new in search_index.WORKER_FIX:
            assert new in code and old not in code, worker


def test_the_index_keeps_code_identifiers_but_not_docstrings_or_comments():
    code = ('<pre><code>def batchnorm_forward(x, gamma, beta, bn_param):\n    """\n    Inputs: (N, D)\n'
            '    """\n    mu = x.mean(axis=0)  # per feature\n    key = p[&#39;W1&#39;]\n</code></pre><p># kept</p>')
    slim = search_index.slim_code(code)
    assert "batchnorm_forward" in slim and "mu = x.mean(axis=0)" in slim and "p[&#39;W1&#39;]" in slim
    assert "Inputs" not in slim and "per feature" not in slim and "<p># kept</p>" in slim
