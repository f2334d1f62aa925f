"""The Chinese edition's style, where it can be checked mechanically (CONTRIBUTING.md, "Chinese
style"): one word per concept as data/glossary.yml decides, full-width punctuation in Chinese text,
a space between Chinese and Latin letters or digits, and the notes' author never the subject as
"笔记读…". Quotations of the notes keep the notes' words: lines quoted with ">" and text in “…”.
"""
from __future__ import annotations

import re

import jupytext
import pytest
import yaml

from conftest import ROOT

GLOSSARY = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))
CJK = "\u3400-\u9fff"
CJK_OR_FULL_WIDTH = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"   # characters and their punctuation
ZH_PAGES = sorted(p for p in (ROOT / "docs" / "zh").glob("*.md") if p.name != "glossary.md")


def notebook_zh_cells(path) -> str:
    """The Chinese markdown cells of a bilingual jupytext notebook, as hooks/notebooks.py reads them."""
    cells = jupytext.read(path, fmt="py:percent").cells
    return "\n\n".join(c.source for c in cells if c.cell_type == "markdown" and c.metadata.get("lang") == "zh")


SOURCES = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in ZH_PAGES}
SOURCES.update({p.relative_to(ROOT).as_posix(): notebook_zh_cells(p)
                for p in sorted((ROOT / "notebooks").glob("*.py"))})


def prose(text: str) -> str:
    """What the Chinese reader reads as the site's own words: no code, maths, comments, checks,
    placeholders, link targets, quotations of the notes (> lines, “…”), HTML tags or attributes."""
    text = re.sub(r"(?ms)^\s*```.*?^\s*```", "\n", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", "0", text)                        # a number at build time
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", "x", text, flags=re.S)  # maths: treated as Latin
    text = re.sub(r"`[^`\n]+`", "x", text)                           # code: treated as Latin
    text = re.sub(r"\]\([^)\s]*\)", "]", text)                       # link targets
    text = re.sub(r"\{[#.][^}]*\}|\{ width=[^}]*\}", "", text)       # attribute lists
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?m)^\s*>.*$", "", text)                          # quoted from the notes
    text = re.sub(r"“[^”]*”", "“”", text)                            # quoted words
    return text


def term_lists():
    avoid, allowed = {}, set()
    for term in GLOSSARY["terms"]:
        for word in term.get("avoid", []):
            assert word in term["variants"]["zh"], f"avoid {word} is not a variant of {term['zh']}"
            avoid[word] = term["zh"]
        allowed |= {term["zh"], *term["variants"]["zh"]} - set(term.get("avoid", []))
    for word, translations in GLOSSARY.get("keep_english", {}).items():
        avoid.update({t: word for t in translations})
    return avoid, allowed


def variants_used(text: str) -> list[tuple[str, str]]:
    """(variant, preferred) for every avoided word in text that is not part of a longer allowed
    name (批量 inside an allowed word is fine; 最大后验概率估计 is not excused by 最大后验)."""
    avoid, allowed = term_lists()
    found = []
    for word, preferred in avoid.items():
        longer = [a for a in allowed if len(a) > len(word) and word in a]
        for m in re.finditer(re.escape(word), text):
            inside = any(text[j:j + len(a)] == a for a in longer
                         for j in range(m.start() - len(a) + len(word), m.start() + 1))
            if not inside:
                found.append((word, preferred))
    return found


def test_the_terminology_check_catches_what_the_review_found():
    """The review's examples: 铰链 where the glossary says 折叶损失, 留出集 for a test set."""
    assert variants_used(prose("每个铰链损失都开着。")) == [("铰链损失", "折叶损失")]
    assert variants_used(prose("在留出集上评估。")) == [("留出集", "验证集")]
    assert variants_used(prose("> 笔记原话：铰链损失\n“极大似然”这个说法")) == []   # the notes' words
    assert variants_used(prose("最大后验概率估计")) == [("最大后验概率估计", "最大后验估计")]
    assert variants_used(prose("批归一化和最大后验估计")) == []


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_one_word_per_concept_as_the_glossary_decides(source):
    used = variants_used(prose(SOURCES[source]))
    assert not used, f"{source}: write the glossary's word: " + ", ".join(f"{v} → {p}" for v, p in used)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_chinese_text_uses_full_width_punctuation(source):
    """A comma, colon, semicolon, question mark or parenthesis next to a Chinese character is
    full-width (，：；？（）); half-width stays in code, maths and Latin text."""
    text = prose(SOURCES[source])
    bad = re.findall(rf"[{CJK}][,;:?!()]|[,;:?!(][{CJK}]|[{CJK}]\.(?!\d)", text)
    assert not bad, f"{source}: half-width punctuation in Chinese text: {bad[:10]}"


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_a_space_separates_chinese_from_latin_letters_and_digits(source):
    """One rule everywhere: 第 3 层、用 numpy 算, not 第3层、用numpy算 (maths and code count as
    Latin). Units and suffixes written with the number (3×3, 32×32×3, 10%) stay together."""
    text = prose(SOURCES[source])
    bad = re.findall(rf".{{0,6}}(?:[{CJK}][A-Za-z0-9]|[A-Za-z0-9%][{CJK}]).{{0,6}}", text)
    assert not bad, f"{source}: no space between Chinese and Latin/digits: {bad[:10]}"


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_the_notes_are_not_the_subject_of_reading(source):
    """"笔记读到…时停下来" is English syntax; the student reads, the notes say."""
    text = prose(SOURCES[source])
    bad = re.findall(r"笔记(?:读|卡|问|停|想|以为|觉得|发现|得出)", text)
    assert not bad, f"{source}: {bad}"


@pytest.mark.parametrize("name", [p.name for p in ZH_PAGES])
def test_the_english_page_says_the_same_things(name):
    """An edit of the language keeps the content: both pages print the same computed numbers
    (placeholders) and carry the same anchors (their claim checks are compared by the build)."""
    zh = (ROOT / "docs" / "zh" / name).read_text(encoding="utf-8")
    en = (ROOT / "docs" / "en" / name).read_text(encoding="utf-8")
    placeholder = re.compile(r"\{\{\s*([a-z_]+\.[A-Za-z0-9_]+)")
    anchor = re.compile(r"\{#([^}\s]+)\}")
    assert set(placeholder.findall(zh)) == set(placeholder.findall(en))
    assert set(anchor.findall(zh)) == set(anchor.findall(en))


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_line_break_inside_a_chinese_sentence(source):
    """A line break between two Chinese characters renders as a space ("记了下来。 本站"): a
    Chinese paragraph is one source line."""
    lines = SOURCES[source].split("\n")
    cjk_end = re.compile(f"[{CJK_OR_FULL_WIDTH}]$")
    cjk_start = re.compile(f"[{CJK_OR_FULL_WIDTH}“*]")
    bad = [a[-12:] + "⏎" + b[:12] for a, b in zip(lines, lines[1:])
           if cjk_end.search(a) and cjk_start.match(b) and not a.lstrip().startswith(("#", ">", "-", "|", "!"))]
    assert not bad, f"{source}: {bad}"
