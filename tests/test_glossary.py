"""The glossary page, the tooltips and the related questions, against data/*.yml and the built site."""
from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import glossary  # noqa: E402
import related  # noqa: E402

from htmltools import links  # noqa: E402

DATA = glossary.load()
LANGS = {"zh": "", "en": "en/"}
FORBIDDEN = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6"}


class Abbrs(HTMLParser):
    """Every <abbr> with its title, text, and whether it sits inside a forbidden element or a formula (<math>)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[dict] = []
        self._abbr = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "img", "hr", "input", "meta", "link", "source", "path", "line", "rect", "circle"}:
            return
        formula = tag == "math"
        if tag == "abbr":
            self._abbr = {"title": attrs.get("title"), "text": "",
                          "inside": sorted({t for t, _ in self.stack} & FORBIDDEN | ({"math"} if any(k for _, k in self.stack) else set()))}
        self.stack.append((tag, formula))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "abbr" and self._abbr:
            self.found.append(self._abbr)
            self._abbr = None

    def handle_data(self, data):
        if self._abbr is not None:
            self._abbr["text"] += data


def abbrs(path: Path) -> list[dict]:
    parser = Abbrs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def pages(site: Path, lang: str):
    base = site / LANGS[lang]
    for path in sorted(base.rglob("index.html")):
        rel = path.relative_to(base).as_posix()
        if lang == "zh" and rel.startswith("en/"):
            continue
        yield rel, path


def render(text: str, lang: str = "zh") -> str:
    """Markdown as the site converts it: the abbr extension, this language's names, CjkAbbr."""
    defs = "\n".join(f"*[{n}]: {t}" for n, t in glossary.tooltips(DATA, lang).items())
    md = markdown.Markdown(extensions=["abbr", "attr_list", "toc", glossary.CjkAbbr()])
    return md.convert(text + "\n\n" + defs)


# ---- the matcher, on small inputs ----------------------------------------------------------

def test_a_cjk_term_inside_a_chinese_sentence_gets_a_tooltip():
    out = render("使用批归一化后，用LN的网络")
    assert re.findall(r"<abbr [^>]*>([^<]+)</abbr>", out) == ["批归一化", "LN"]


def test_plain_abbr_misses_cjk_terms_which_is_why_cjk_abbr_exists():
    defs = "\n".join(f"*[{n}]: {t}" for n, t in glossary.tooltips(DATA, "zh").items())
    out = markdown.markdown("使用批归一化后，用BN的网络\n\n" + defs, extensions=["abbr"])
    assert "<abbr" not in out


def test_a_name_glued_to_latin_letters_or_underscores_gets_no_tooltip():
    out = render("SBN 和 BN_forward 和 BNX 都不是 BN。", "zh")
    texts = re.findall(r"<abbr [^>]*>([^<]+)</abbr>", out)
    assert texts == ["SBN", "BN"]


def test_no_tooltip_in_headings_links_code_or_math_source():
    out = render("## 批归一化\n\n[批归一化](x.md) `BN` 与 BN\n\n```\nBN\n```\n")
    assert re.findall(r"<abbr [^>]*>([^<]+)</abbr>", out) == ["BN"]


def test_only_the_first_mention_in_a_section_gets_a_tooltip():
    out = render("BN 与批归一化与 BN。\n\n## 下一节\n\nBN 又出现。")
    assert re.findall(r"<abbr [^>]*>([^<]+)</abbr>", out) == ["BN", "BN"]


# ---- the built site ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_link_target_is_an_anchor_of_the_built_page(site, lang):
    targets = [m["link"] for s in DATA["symbols"] for m in s["meanings"]] + [t["link"] for t in DATA["terms"]]
    for target in targets:
        page, anchor = target.split("#")
        built = site / LANGS[lang] / page.removesuffix(".md") / "index.html"
        assert anchor in links(built).ids, f"{lang}: {target}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_tooltip_in_the_built_html_comes_from_the_glossary(site, lang):
    allowed = glossary.tooltips(DATA, lang)
    count = 0
    for rel, path in pages(site, lang):
        for a in abbrs(path):
            assert allowed.get(a["text"]) == a["title"], f"{lang} {rel}: {a['text']!r} {a['title']!r}"
            count += 1
    assert count > 0


@pytest.mark.parametrize("lang", LANGS)
def test_no_tooltip_inside_code_pre_headings_links_or_math(site, lang):
    for rel, path in pages(site, lang):
        bad = [(a["text"], a["inside"]) for a in abbrs(path) if a["inside"]]
        assert not bad, f"{lang} {rel}: {bad[:5]}"


def test_a_cjk_term_next_to_cjk_characters_gets_a_tooltip_on_the_site(site):
    html = (site / "map-mle" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"[\u4e00-\u9fff]<abbr title=\"[^\"]+\">[\u4e00-\u9fff]+</abbr>", html)


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_page_lists_every_entry(site, lang):
    html = (site / LANGS[lang] / "glossary" / "index.html").read_text(encoding="utf-8")
    for symbol in DATA["symbols"]:
        assert f'<math data-tex="{symbol["tex"]}"' in html.replace("&amp;", "&").replace("\\ ", "\\ "), symbol["tex"]
        for meaning in symbol["meanings"]:
            assert meaning[lang].replace("&", "&amp;") in html, meaning[lang]
    for term in DATA["terms"]:
        for name in glossary.names(term):
            assert name in html, name
        assert term["def"][lang] in html, term[lang]


# ---- related questions ---------------------------------------------------------------------

def related_links(site: Path, lang: str) -> dict[str, list[str]]:
    """question id -> the href of each link in its rendered "related questions" list."""
    out = {}
    for rel, path in pages(site, lang):
        html = path.read_text(encoding="utf-8")
        for m in re.finditer(r'<h2 id="([a-z0-9-]+)">.*?(?=<h2 |\Z)', html, re.S):
            block = re.search(r'<div class="related-questions">(.*?)</div>', m.group(0), re.S)
            if block:
                out[m.group(1)] = [(rel, h) for h in re.findall(r'href="([^"]+)"', block.group(1))]
    return out


def resolve(rel: str, href: str) -> tuple[str, str]:
    page, _, anchor = href.partition("#")
    base = Path(rel).parent
    target = (base / page).as_posix() if page and page != "./" else base.as_posix()
    import posixpath
    return posixpath.normpath(target), anchor


@pytest.mark.parametrize("lang", LANGS)
def test_every_related_link_resolves_to_an_existing_anchor_in_the_same_language(site, lang):
    found = related_links(site, lang)
    assert found
    for qid, items in found.items():
        for rel, href in items:
            page, anchor = resolve(rel, href)
            built = site / LANGS[lang] / page / "index.html"
            assert built.exists() and anchor in links(built).ids, (lang, qid, href)


def test_every_answered_question_has_a_related_question_and_relations_are_symmetric(site):
    ids = [q["id"] for qs in yaml.safe_load((ROOT / "data" / "questions.yml").read_text()).values() for q in qs]
    found = related_links(site, "zh")
    targets = {qid: {resolve(rel, h)[1] for rel, h in items} for qid, items in found.items()}
    assert set(targets) == set(ids)
    for qid, ts in targets.items():
        assert ts, qid
        for t in ts:
            assert qid in targets[t], f"{qid} -> {t} but not back"


def test_zh_and_en_related_lists_have_the_same_targets(site):
    def targets(lang):
        return {qid: [resolve(rel, h)[1] for rel, h in items] for qid, items in related_links(site, lang).items()}
    assert targets("zh") == targets("en")


def test_related_data_names_only_question_ids_and_every_pair_once():
    pairs = yaml.safe_load((ROOT / "data" / "related.yml").read_text(encoding="utf-8"))
    assert len({frozenset(p) for p in pairs}) == len(pairs)
    assert all(len(set(p)) == 2 for p in pairs)
    related.related()   # raises on an unknown id


# ---- the glossary against the pages and the code (sources, no site needed) ---------------------

def section_source(lang: str, target: str) -> str:
    """The markdown of the section a link target page#anchor opens: from its heading to the next
    heading of the same or a higher level."""
    page, anchor = target.split("#")
    text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
    headings = list(re.finditer(r"^(#{1,6}) .*$", text, re.M))
    for i, h in enumerate(headings):
        if h.group(0).rstrip().endswith("{#" + anchor + "}"):
            level = len(h.group(1))
            end = next((later.start() for later in headings[i + 1:] if len(later.group(1)) <= level), len(text))
            return text[h.start():end]
    raise AssertionError(f"docs/{lang}/{page} has no heading {{#{anchor}}}")


TEX_LETTERS = {r"\lambda": "λ", r"\Delta": "Δ", r"\mu": "μ", r"\sigma": "σ", r"\epsilon": "ε",
               r"\gamma": "γ", r"\beta": "β", r"\alpha": "α"}


def symbol_parts(tex: str) -> list[str]:
    r"""'\mu,\ \sigma^2' -> ['\mu', '\sigma^2']: the symbols an entry names."""
    return [p.strip() for p in re.split(r",\\ |,", tex)]


def mentions_symbol(text: str, part: str) -> bool:
    """A symbol as a token of its own (N, not the N of BN), in TeX or as the Unicode letter."""
    spellings = [part] + [part.replace(tex, letter) for tex, letter in TEX_LETTERS.items() if tex in part]
    return any(re.search(r"(?<![A-Za-z\\])" + re.escape(s) + r"(?![A-Za-z])", text) for s in spellings)


@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_link_opens_a_section_that_discusses_the_term(lang):
    """A tooltip's "see" link must land where the term (one of its names) or the symbol is used,
    not on a section that covers neither (the review of issue #13 found two)."""
    wrong = []
    for term in DATA["terms"]:
        section = section_source(lang, term["link"]).lower()
        if not any(name.lower() in section for name in glossary.names(term)):
            wrong.append((term[lang], term["link"]))
    for symbol in DATA["symbols"]:
        for meaning in symbol["meanings"]:
            section = section_source(lang, meaning["link"])
            if not all(mentions_symbol(section, part) for part in symbol_parts(symbol["tex"])):
                wrong.append((symbol["tex"], meaning["link"]))
    assert not wrong, f"{lang}: these links open a section that never names the term: {wrong}"


def test_mentions_symbol_needs_the_symbol_on_its_own():
    assert mentions_symbol("$x \\in \\mathbb{R}^{N \\times D}$", "N")
    assert not mentions_symbol("BN 和 LN", "N")
    assert mentions_symbol("正则强度 λ", r"\lambda") and not mentions_symbol("$\\lambda_k$", r"\Delta")


def formula_in(definition: str) -> str:
    """The rel_error formula the definition writes, '|a − b| / max(1e-8, |a| + |b|)', as Python."""
    m = re.search(r"\|a − b\| / max\([^)]*\)", definition)
    assert m, f"the definition gives no formula |a − b| / max(...): {definition}"
    return re.sub(r"\|([^|]+)\|", r"abs(\1)", m.group(0).replace("−", "-"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_glossary_rel_error_is_the_formula_of_the_code(lang):
    """The definition once said max(|a|, |b|); cs231n's rel_error divides by the floored sum."""
    from snippets.numerical_gradient import rel_error
    term = next(t for t in DATA["terms"] if "rel_error" in glossary.names(t))
    python = formula_in(term["def"][lang])
    for a, b in [(1.0, 1.0), (1.0, 0.5), (2.0, -2.0), (1e-3, 2e-3), (0.0, 0.0), (0.0, 3e-9),
                 (1e-9, 2e-9), (-4.0, 7.5)]:
        assert eval(python, {"abs": abs, "max": max, "a": a, "b": b}) == pytest.approx(rel_error(a, b), rel=1e-12, abs=0), (a, b)
    # the old text's max(|a|, |b|) is a different number (1/2 instead of 1/3 for a = 1, b = 0.5)
    assert abs(1.0 - 0.5) / max(1.0, 0.5) != pytest.approx(rel_error(1.0, 0.5))
