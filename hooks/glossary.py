"""Glossary page and hover tooltips, from data/glossary.yml (one source; search synonyms: hooks/search_index.py).

- The glossary page of each language replaces ``<!-- glossary-symbols -->`` and
  ``<!-- glossary-terms -->`` with tables built from the data.
- Tooltips: at on_config this hook writes ``.cache/glossary/abbreviations.<lang>.md`` (outside docs/,
  so ``mkdocs serve`` does not loop) with one ``*[name]: definition`` line per name, and points
  pymdownx.snippets' ``auto_append`` of this build at it. The abbr extension turns the names into
  ``<abbr title>`` and Material's ``content.tooltips`` shows the title on hover.
- Python-Markdown's abbr matches names between ``\\b`` boundaries. CJK characters are word
  characters, so ``使用批归一化后`` or ``用BN的`` never match. ``CjkAbbr`` swaps in a matcher that
  needs a boundary only against Latin letters and digits, and that leaves headings, links, code and
  math alone.
- The search synonyms come from the same data, in hooks/search_index.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrTreeprocessor

from terms import load, matcher, names  # noqa: F401 (tests read glossary.load and glossary.names)

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "glossary"
LANGS = {"zh": ROOT / "docs" / "zh", "en": ROOT / "docs" / "en"}
LABELS = {
    "zh": {"symbol": "符号", "meaning": "含义", "shape": "形状", "see": "详见", "term": "术语",
           "variants": "其他叫法", "definition": "定义"},
    "en": {"symbol": "Symbol", "meaning": "Meaning", "shape": "Shape", "see": "See", "term": "Term",
           "variants": "Also called", "definition": "Definition"},
}
HEADING = re.compile(r"^#{2,3} (?P<title>.+?) \{#(?P<id>[a-z0-9-]+)\}\s*$", re.M)

# Elements whose text never gets a tooltip: headings (and so the table of contents), links, code,
# math (hooks/mathml.py renders the arithmatex spans later), existing abbreviations, and the glossary tables.
SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "abbr", "script"}
SKIP_CLASSES = {"arithmatex", "glossary"}


def tooltips(data: dict, lang: str) -> dict[str, str]:
    """name -> tooltip text, for every name of every term in this language (abbreviations too).

    A lower-case English name also gets its capitalised form, for the start of a sentence."""
    other = "en" if lang == "zh" else "zh"
    out = {}
    for term in data["terms"]:
        head = f"{term[lang]}（{term[other]}）" if lang == "zh" else f"{term[lang]} ({term[other]})"
        text = f"{head}{'：' if lang == 'zh' else ': '}{term['def'][lang]}"
        for name in names(term, lang):
            out[name] = text
            if name[:1].islower() and name.isascii():
                out[name[:1].upper() + name[1:]] = text
    return out


def abbreviations_file(data: dict, lang: str) -> Path:
    """Write the snippet that pymdownx.snippets appends to every page of this language."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"abbreviations.{lang}.md"
    lines = [f"*[{name}]: {text}" for name, text in tooltips(data, lang).items()]
    content = "\n".join(lines) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")
    return target


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    """The abbr extension's treeprocessor with CJK-aware boundaries and skipped elements."""

    def run(self, root):
        if self.abbrs:
            self.RE = matcher(self.abbrs)
            self.iter_element(root)
            self.first_per_section(root)

    @staticmethod
    def first_per_section(root):
        """Keep the tooltip on the first mention of a term in each level-2 section only: a reader who
        lands on an answer sees it once, and a page full of dotted underlines stays readable. Names of
        one term share one title, so 批归一化 after BN counts as a repeat."""
        parents = {child: parent for parent in root.iter() for child in parent}
        seen: set[str] = set()
        for block in list(root):
            if block.tag == "h2":
                seen = set()
            for abbr in list(block.iter("abbr")):
                if abbr.get("title") not in seen:
                    seen.add(abbr.get("title"))
                    continue
                parent = parents[abbr]   # unwrap: the name goes back into the surrounding text
                index = list(parent).index(abbr)
                text = (abbr.text or "") + (abbr.tail or "")
                if index:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + text
                else:
                    parent.text = (parent.text or "") + text
                parent.remove(abbr)

    def iter_element(self, el, parent=None):
        classes = set((el.get("class") or "").split())
        if el.tag in SKIP_TAGS or classes & SKIP_CLASSES:
            # leave the element's own text and children alone; its tail is the parent's text
            text, children = el.text, list(el)
            el.text = None
            for child in children:
                el.remove(child)
            super().iter_element(el, parent)
            el.text = text
            el.extend(children)
            return
        super().iter_element(el, parent)


class CjkAbbr(Extension):
    """Replaces the abbr extension's treeprocessor (same name and priority, same abbreviations)."""

    def extendMarkdown(self, md):
        abbrs = md.treeprocessors["abbr"].abbrs
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, abbrs), "abbr", 7)


# ---- glossary page -------------------------------------------------------------------------

def anchor_titles(lang: str) -> dict[str, str]:
    """'page.md#id' -> heading text, for every heading with an explicit anchor in this language."""
    out = {}
    for path in sorted(LANGS[lang].glob("*.md")):
        for m in HEADING.finditer(path.read_text(encoding="utf-8")):
            out[f"{path.name}#{m.group('id')}"] = m.group("title")
    return out


# The tables stay out of the search index: a search for a term should land on the explanation, and
# the page would otherwise outrank it for every name it lists (its intro is still indexed).
GLOSSARY_DIV = '<div class="glossary" data-search-exclude="glossary" markdown>\n\n'


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def link(target: str, titles: dict, lang: str) -> str:
    if target not in titles:
        raise KeyError(f"data/glossary.yml: link target {target} is no heading anchor in docs/{lang}")
    return f"[{cell(titles[target])}]({target})"


def symbols_table(data: dict, lang: str) -> str:
    label, titles = LABELS[lang], anchor_titles(lang)
    rows = [f"| {label['symbol']} | {label['meaning']} | {label['shape']} | {label['see']} |",
            "| --- | --- | --- | --- |"]
    for symbol in data["symbols"]:
        for i, meaning in enumerate(symbol["meanings"]):
            first = f"${symbol['tex']}$" if i == 0 else ""
            shape = f"`{meaning['shape']}`" if meaning.get("shape") else ""
            rows.append(f"| {first} | {cell(meaning[lang])} | {shape} | {link(meaning['link'], titles, lang)} |")
    return GLOSSARY_DIV + "\n".join(rows) + "\n\n</div>"


def terms_table(data: dict, lang: str) -> str:
    label, titles = LABELS[lang], anchor_titles(lang)
    other = "en" if lang == "zh" else "zh"
    rows = [f"| {label['term']} | {label['variants']} | {label['definition']} | {label['see']} |",
            "| --- | --- | --- | --- |"]
    for term in data["terms"]:
        head = f"**{term[lang]}**<br>{term[other]}" + "".join(f" · {a}" for a in term["abbr"])
        variants = "、".join(term["variants"][lang] + term["variants"][other]) if lang == "zh" else \
            ", ".join(term["variants"][lang] + term["variants"][other])
        rows.append(f"| {cell(head)} | {cell(variants)} | {cell(term['def'][lang])} | "
                    f"{link(term['link'], titles, lang)} |")
    return GLOSSARY_DIV + "\n".join(rows) + "\n\n</div>"


# ---- MkDocs hook events --------------------------------------------------------------------
_data: dict = {}


def on_config(config):
    _data.clear()
    _data.update(load())
    lang = config["theme"]["language"]
    # each language's build appends its own abbreviations file to every page
    snippets = config["mdx_configs"].setdefault("pymdownx.snippets", {})
    snippets["auto_append"] = [abbreviations_file(_data, lang).relative_to(ROOT).as_posix()]
    config["markdown_extensions"].append(CjkAbbr())
    return config


def on_page_markdown(markdown, page, config, files):
    lang = config["theme"]["language"]
    if "<!-- glossary-symbols -->" in markdown:
        markdown = markdown.replace("<!-- glossary-symbols -->", symbols_table(_data, lang))
    if "<!-- glossary-terms -->" in markdown:
        markdown = markdown.replace("<!-- glossary-terms -->", terms_table(_data, lang))
    return markdown
