"""The terms of data/glossary.yml and how a name is matched in text (a plain module, not a hook).

hooks/glossary.py (glossary page, tooltips) and hooks/search_index.py (search synonyms, the Chinese
word list of the search index) both read the glossary through this module.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "glossary.yml"

# A name matches only where it is not glued to another Latin letter, digit or underscore ("BN" not in
# "SBN" or "BN_forward"); next to a CJK character (使用批归一化后, 用BN的) it matches. The set
# [^\W<CJK>] is "a word character that is not CJK".
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_BEFORE = rf"(?<![^\W{CJK}])"
_LATIN_AFTER = rf"(?![^\W{CJK}])"


def load() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def names(term: dict, lang: str | None = None) -> list[str]:
    """The names of a term: in one language (plus the abbreviations), or in both when lang is None."""
    langs = [lang] if lang else ["zh", "en"]
    out = [term[x] for x in langs] + [v for x in langs for v in term["variants"][x]] + term["abbr"]
    return list(dict.fromkeys(out))


def search_names(term: dict, lang: str | None = None) -> list[str]:
    """names() plus the term's search-only words (people's names: 何恺明, Kaiming He), which find it
    in search but get no tooltip."""
    extra = term.get("search", {})
    langs = [lang] if lang else ["zh", "en"]
    return list(dict.fromkeys(names(term, lang) + [w for x in langs for w in extra.get(x, [])]))


def name_pattern(name: str) -> str:
    """Regex for one name: Latin edges need a boundary, CJK edges none (see _LATIN_BEFORE)."""
    before = _LATIN_BEFORE if re.match(r"\w", name) and not re.match(f"[{CJK}]", name) else ""
    after = _LATIN_AFTER if re.search(r"\w$", name) and not re.search(f"[{CJK}]$", name) else ""
    return before + re.escape(name) + after


def matcher(all_names) -> re.Pattern:
    """One alternation, longest name first, so 最大后验估计 wins over 后验 and 空间 BN over BN."""
    return re.compile("|".join(name_pattern(n) for n in sorted(all_names, key=len, reverse=True)))
