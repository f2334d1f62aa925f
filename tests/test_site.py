"""The built site: strict build, links and anchors, no other host, math, faq.json, FAQ index."""
from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import yaml

from conftest import ROOT, mkdocs
from htmltools import answers, links, pages

sys.path.insert(0, str(ROOT / "hooks"))
import questions  # noqa: E402  (hooks/questions.py: the same parser the build uses)

QUESTIONS = yaml.safe_load((ROOT / "data" / "questions.yml").read_text(encoding="utf-8"))
TOPIC_OF = {q["id"]: topic for topic, qs in QUESTIONS.items() for q in qs}


def test_every_internal_link_and_anchor_resolves(site):
    broken, ids = [], functools.cache(lambda target: links(target).ids)   # parse each target once
    for page in pages(site):
        for tag, attribute, url in links(page).urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "mailto:", "data:")) or attribute == "srcset":
                continue
            path, fragment = urldefrag(url)
            # resolve as a browser does (root-absolute links of the 404 pages, /../ clamps at the root)
            resolved = urljoin("http://site/" + page.relative_to(site).as_posix(), path) if path else None
            target = site / urlsplit(resolved).path.lstrip("/") if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {tag}[{attribute}]={url} (no file)")
            elif fragment and target.suffix == ".html" and fragment not in ids(target):
                broken.append(f"{page.relative_to(site)}: {url} (no #{fragment})")
    assert not broken, "\n".join(broken)


def test_no_page_loads_anything_from_another_host(site):
    loads = []
    for page in pages(site):
        parsed = links(page)
        for tag, attribute, url in parsed.urls:
            external = urlsplit(url).scheme in ("http", "https") or url.startswith("//")
            if external and not (tag == "a" and attribute == "href") and url not in parsed.references:
                loads.append(f"{page.relative_to(site)}: <{tag} {attribute}={url}>")
    for page in pages(site):  # inline scripts that would fetch from another host at run time
        for script in re.findall(r"<script[^>]*>(.*?)</script>", page.read_text(encoding="utf-8"), re.S):
            for url in re.findall(r"https?://[^\s\"'`)]+", script):
                loads.append(f"{page.relative_to(site)}: inline script mentions {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8")):
            loads.append(f"{css.relative_to(site)}: url({url})")
    assert not loads, "\n".join(loads)


def test_math_is_rendered_at_build_time_into_mathml(site):
    """MathML only (no KaTeX HTML twin of each formula) and no math JavaScript."""
    for lang_root in (site, site / "en"):
        for page in (lang_root / "normalization" / "index.html", lang_root / "notebooks" / "normalization" / "index.html"):
            html = page.read_text(encoding="utf-8")
            assert '<math' in html, f"{page}: no MathML"
            assert 'class="katex' not in html, f"{page}: KaTeX HTML output"
            assert 'class="arithmatex"' not in html and "\\(" not in html.replace("\\\\(", ""), f"{page}: raw TeX left"
            assert "katex.min.js" not in html and "temml" not in html.lower() and "mathjax" not in html.lower(), f"{page}: math JavaScript"
    css = (site / "assets" / "math" / "math.css").read_text(encoding="utf-8")
    font = re.search(r"src: url\('([^']+)'\) format\('woff2'\)", css).group(1)
    assert (site / "assets" / "math" / font).is_file()


def test_the_math_font_subset_covers_every_formula(site):
    """The shipped subset of Latin Modern Math (scripts/math_font.py) has every character the site's
    formulas show, outside \\text{} words the page's own fonts draw (CJK). A new symbol on a page
    fails here: regenerate the subset as scripts/math_font.py says."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from fontTools.ttLib import TTFont
    from math_font import TARGET, characters_in_formulas
    cmap = TTFont(TARGET).getBestCmap()
    # not in Latin Modern Math at all: U+203E (Temml's \\bar over several letters), which the
    # browser stretches from another font
    not_in_latin_modern = {"\u203e"}
    missing = sorted(c for c in characters_in_formulas(site) - not_in_latin_modern
                     if ord(c) not in cmap and not re.match(r"[\u3000-\u9fff\uff00-\uffef]", c))
    assert not missing, f"not in {TARGET.name}: {''.join(missing)}"
    assert "MATH" in TTFont(TARGET), "the font lost its MATH table: MathML layout needs it"


def test_no_traceback_or_error_output_is_published(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in html, page
        assert not re.search(r'<div[^>]+data-mime-type="application/vnd\.jupyter\.(stderr|error)', html), page


def test_faq_json_lists_every_answered_id_with_working_urls(site):
    entries = json.loads((site / "faq.json").read_text(encoding="utf-8"))
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    answered = {e["topic"] for e in entries}
    # every question of a topic that has a page is answered
    assert set(ids) == {q["id"] for t in answered for q in QUESTIONS[t]}
    assert {"normalization"} <= answered
    for e in entries:
        assert set(e) == {"id", "topic", "url", "url_en", "question_zh", "question_en", "answer_zh", "answer_en"}
        assert e["topic"] == TOPIC_OF[e["id"]]
        for key, root in (("url", site), ("url_en", site)):
            path, fragment = urldefrag(e[key])
            assert fragment == e["id"]
            assert fragment in links(root / path / "index.html").ids, f"{e[key]} has no #{fragment}"
        assert all(e[k].strip() for k in ("question_zh", "question_en", "answer_zh", "answer_en"))
        assert re.search(r"[\u4e00-\u9fff]", e["answer_zh"]) and not re.search(r"[\u4e00-\u9fff]", e["answer_en"])
        assert "{{" not in e["answer_zh"] + e["answer_en"], "an unsubstituted number"


def test_faq_json_answers_are_the_pages_short_answers(site):
    entries = json.loads((site / "faq.json").read_text(encoding="utf-8"))
    for e in entries:
        for key, url in (("answer_zh", e["url"]), ("answer_en", e["url_en"])):
            page = site / urldefrag(url)[0] / "index.html"
            assert e[key] in answers(page), f"{key} of {e['id']} is not a short answer on {url}"


def test_home_pages_index_every_answered_question(site):
    entries = json.loads((site / "faq.json").read_text(encoding="utf-8"))
    for home, key in ((site / "index.html", "url"), (site / "en" / "index.html", "url_en")):
        hrefs = {url for tag, _, url in links(home).urls if tag == "a"}
        home_answers = answers(home) if answers(home) else None
        for e in entries:
            target = urldefrag(e[key])[0].removeprefix("en/") + "#" + e["id"]
            assert target in hrefs, f"{home}: no link to {target}"
        text = home.read_text(encoding="utf-8")
        # each topic's group is anchored by its page slug: #topic-hyperparameter-search
        assert all(f'id="topic-{e["url"].split("/")[0]}"' in text for e in entries)
        assert home_answers is None or home_answers


def test_both_languages_have_the_same_pages_and_anchors(site):
    zh = {p.relative_to(site) for p in pages(site) if p.relative_to(site).parts[0] != "en"}
    en = {p.relative_to(site / "en") for p in pages(site / "en")}
    assert zh == en
    for rel in zh:
        zh_ids = {i for i in links(site / rel).ids if i in TOPIC_OF or i in questions.CONTRACT_SECTIONS}
        en_ids = {i for i in links(site / "en" / rel).ids if i in TOPIC_OF or i in questions.CONTRACT_SECTIONS}
        assert zh_ids == en_ids, rel


def test_every_heading_has_a_readable_anchor(site):
    """No heading anchor of the form #_3 (the default slug of a Chinese heading): question ids,
    contract sections, explicit ids, or the heading's own words."""
    unreadable = []
    for page in pages(site):
        for m in re.finditer(r'<h[1-6][^>]*\bid="([^"]*)"', page.read_text(encoding="utf-8")):
            if re.fullmatch(r"_\d*", m[1]) or not m[1].strip("-_"):
                unreadable.append(f"{page.relative_to(site)}#{m[1]}")
    assert not unreadable, unreadable


def test_home_pages_link_each_question_by_its_id_in_both_languages(site):
    for home in (site / "index.html", site / "en" / "index.html"):
        ids = set(re.findall(r'<h3 id="([^"]+)"', home.read_text(encoding="utf-8")))
        assert ids == set(TOPIC_OF), home


def test_language_switch_links_to_the_same_page(site):
    switch = re.compile(r'<a href="([^"]+)" hreflang="(zh|en)"[^>]*data-language-switch')
    for rel in {p.relative_to(site / "en") for p in pages(site / "en")} - {Path("404.html")}:
        for lang, page in (("zh", site / rel), ("en", site / "en" / rel)):
            hrefs = dict((hreflang, href) for href, hreflang in switch.findall(page.read_text(encoding="utf-8")))
            assert set(hrefs) == {"zh", "en"}, page
            for hreflang, twin in (("zh", site / rel), ("en", site / "en" / rel)):
                target = (page.parent / hrefs[hreflang]).resolve()
                assert target / "index.html" == twin.resolve() or target == twin.resolve(), (page, hreflang)


# ---- the build fails loudly ------------------------------------------------------------------

def _tiny_site(tmp_path: Path, page: str) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'mathml.py'}\n"
        "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n"
        f"  - pymdownx.snippets:\n      base_path: ['{ROOT}']\n      check_paths: true\n",
        encoding="utf-8")
    return tmp_path


def test_a_bad_formula_fails_the_build_and_names_the_page(tmp_path):
    proc = mkdocs("build", cwd=_tiny_site(tmp_path, "# t\n\n$$\\frac{1}{$$\n"))
    assert proc.returncode != 0
    assert "index.md" in proc.stderr and "temml cannot render" in proc.stderr


def test_a_missing_snippet_section_fails_the_build(tmp_path):
    page = '# t\n\n```python\n--8<-- "snippets/normalization.py:no_such_section"\n```\n'
    proc = mkdocs("build", cwd=_tiny_site(tmp_path, page))
    assert proc.returncode != 0 and "no_such_section" in proc.stderr


def test_the_build_does_not_depend_on_the_directory_it_runs_from(tmp_path):
    proc = mkdocs("build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site"),
                  cwd=tmp_path, env={"NOTEBOOK_EXECUTE": "false"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'display="block" class="tml-display"' in (tmp_path / "site" / "normalization" / "index.html").read_text(encoding="utf-8")


def test_the_search_dialog_has_a_name_in_the_pages_language(site):
    """hooks/a11y.py: Material's role="dialog" search overlay gets an accessible name."""
    for page in pages(site):
        if page.name == "404.html":
            continue
        label = "Search" if page.relative_to(site).parts[0] == "en" else "搜索"
        assert f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{label}">' in \
            page.read_text(encoding="utf-8"), page
