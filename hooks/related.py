""""Related questions" at the end of each answer, from data/related.yml (question ids only).

Each pair in data/related.yml links two answers both ways. The list under an answer shows each
target's question as its own language's page writes it (the heading that hooks/questions.py
already parsed), linked to ``page#id``: no title is typed twice. The list is left out of the search index
(``data-search-exclude``), so a section is found for its own words only.
"""
from __future__ import annotations

from pathlib import Path

import yaml

import questions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "related.yml"
LABEL = {"zh": "相关问题", "en": "Related questions"}


def related() -> dict[str, list[str]]:
    """id -> related ids, both directions of every pair, in the order of data/questions.yml."""
    order = list(questions.question_ids())
    out: dict[str, list[str]] = {}
    for a, b in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        for x, y in ((a, b), (b, a)):
            if x not in order or y not in order:
                raise questions.FaqError(f"data/related.yml: [{a}, {b}] names an id not in data/questions.yml")
            out.setdefault(x, []).append(y)
    return {x: sorted(set(ys), key=order.index) for x, ys in out.items()}


def block(qid: str, found: dict, lang: str) -> str:
    items = "\n".join(f"- [{found[lang][t].question}]({found[lang][t].page}#{t})" for t in _related.get(qid, []))
    return (f'<div class="related-questions" data-search-exclude="related" markdown>\n\n'
            f"**{LABEL[lang]}**\n\n{items}\n\n</div>\n")


def insert(markdown: str, found: dict, lang: str) -> str:
    """Put each answered question's list right before the next level-2 heading (or at the end)."""
    out, current = [], None
    for line in markdown.split("\n"):
        m = questions.HEADING.match(line)
        if line.startswith("## ") and current:
            out += [block(current, found, lang)]
            current = None
        if m and m.group("id") in found[lang]:
            current = m.group("id")
        out.append(line)
    if current:
        out += ["", block(current, found, lang)]
    return "\n".join(out)


# ---- MkDocs hook events --------------------------------------------------------------------
_related: dict = {}


def on_pre_build(config):
    from mkdocs.exceptions import PluginError
    try:
        _related.clear()
        _related.update(related())
    except questions.FaqError as err:
        raise PluginError(str(err)) from None
    missing = sorted(set(questions.current()["zh"]) - set(_related))   # hooks/faq.py collected them first
    if missing:
        raise PluginError(f"data/related.yml: no related question for {missing}")


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("topic"):
        markdown = insert(markdown, questions.current(), config["theme"]["language"])
    return markdown
