"""Small readers of the built HTML for the site tests (stdlib only)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Links(HTMLParser):
    """Every id, and every URL the page links to or loads, with the tag and attribute it came from."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []   # (tag, attribute, url)
        self.references: set[str] = set()   # <link rel=canonical|alternate> hrefs: named, never loaded

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
            self.references.add(attrs.get("href"))
        for attribute in ("href", "src", "srcset", "data", "poster"):
            if attrs.get(attribute):
                self.urls.append((tag, attribute, attrs[attribute]))


def links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


class AnswerText(HTMLParser):
    """Plain text of each short-answer block (``div.admonition.answer``), math as its TeX source."""

    def __init__(self):
        super().__init__()
        self.answers: list[str] = []
        self._depth = 0          # div depth inside the current answer block, 0 = outside
        self._skip = 0           # inside the title, or inside a formula's MathML
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._depth == 0:
            if tag == "div" and "admonition" in classes and "answer" in classes:
                self._depth, self._text = 1, []
            return
        if tag == "div":
            self._depth += 1
        if self._skip:
            self._skip += 1
        elif "admonition-title" in classes or tag == "math":
            self._skip = 1
            if tag == "math":     # hooks/mathml.py keeps each formula's TeX in data-tex
                self._text.append(dict(attrs).get("data-tex") or "")

    def handle_endtag(self, tag):
        if self._depth == 0:
            return
        if self._skip:
            self._skip -= 1
        if tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self.answers.append(re.sub(r"\s+", " ", "".join(self._text)).strip())

    def handle_data(self, data):
        if self._depth and not self._skip:
            self._text.append(data)


def answers(path: Path) -> list[str]:
    parser = AnswerText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.answers


def pages(site: Path) -> list[Path]:
    """Every HTML page of the built site (both languages), from the files themselves."""
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)
