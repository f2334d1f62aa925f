"""Make overrides/assets/math/LatinModernMath-subset.woff2: Latin Modern Math cut down to the
characters the site's formulas use (every <math> of every built page, both languages), plus digits,
brackets and the glyphs a formula draws without naming them (radical, stretchy accents).

The full font is ~700 KB; the subset a page downloads is a few tens of KB. Its OpenType MATH table
(what the browser's MathML layout reads: fraction rules, radical and delimiter sizes, script
shifts) and every glyph variant it reaches are kept. The subset is renamed, as the GUST Font
License asks of a modified font. tests/test_site.py checks that it covers every formula; when it
fails after an edit, run (Debian: `apt-get install fonts-lmodern`; `brotli` writes woff2):

    scripts/build && .venv/bin/pip install brotli && .venv/bin/python scripts/math_font.py site
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")   # Debian fonts-lmodern
TARGET = ROOT / "overrides" / "assets" / "math" / "LatinModernMath-subset.woff2"
FAMILY = "CS231n FAQ Math"   # not "Latin Modern Math": a modified font carries another name
# A radical or a stretchy accent draws a glyph that is not in the markup (√, ¯, ^, ~): those are
# always in, with digits and brackets. Every letter more costs bytes on every page: a formula with a
# new symbol fails tests/test_site.py until the subset is made again.
BASE = (set("0123456789()[]{}|+-=<>/,.;:!'")
        | set("\u210e\u2212\u00d7\u00b7\u2032\u03d5\u03f5\u03d1\u03f1\u03d6\u221a\u00af\u02c6\u02dc\u02d9\u00a8"
              "\u0302\u0303\u0304\u0307\u203e\u2016\u27e8\u27e9\u230a\u230b\u2308\u2309\u23de\u23df\u2192"))
_MATH = re.compile(r"<math\b.*?</math>", re.S)
_ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
_ONE_LETTER_MI = re.compile(r"<mi>([^<])</mi>")
# A one-letter <mi> is drawn in mathematical italic (MathML Core's math-auto): the browser asks the
# font for U+1D44E for "a", not for "a" (Unicode's Mathematical Alphanumeric Symbols, with holes
# filled elsewhere, e.g. italic h is U+210E).
_ITALIC = {**{chr(0x41 + i): chr(0x1D434 + i) for i in range(26)},
           **{chr(0x61 + i): chr(0x1D44E + i) for i in range(26)}, "h": "\u210e",
           **{chr(0x391 + i): chr(0x1D6E2 + i) for i in range(25)},
           **{chr(0x3B1 + i): chr(0x1D6FC + i) for i in range(25)},
           "\u2207": "\U0001D6FB", "\u2202": "\U0001D715", "\u03f5": "\U0001D716", "\u03d1": "\U0001D717",
           "\u03f0": "\U0001D718", "\u03d5": "\U0001D719", "\u03f1": "\U0001D71A", "\u03d6": "\U0001D71B"}


def characters_in_formulas(site: Path) -> set[str]:
    """Every character a <math> element of the built site shows: its text, and the italic form of
    each one-letter identifier."""
    import html
    chars: set[str] = set()
    for page in site.rglob("*.html"):
        for formula in _MATH.findall(page.read_text(encoding="utf-8")):
            formula = _ANNOTATION.sub("", formula)
            chars |= set(html.unescape(re.sub(r"<[^>]+>", "", formula)))
            chars |= {_ITALIC[c] for c in map(html.unescape, _ONE_LETTER_MI.findall(formula)) if c in _ITALIC}
    return {c for c in chars if not c.isspace()}


def main(site: str) -> None:
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: apt-get install fonts-lmodern")
    wanted = BASE | characters_in_formulas(Path(site))
    font = TTFont(SOURCE)
    cmap = font.getBestCmap()
    # CJK inside \text{} is not in a math font: the browser takes it from the page's fonts
    covered = {c for c in wanted if ord(c) in cmap}
    options = subset.Options()
    # the MATH table's size variants and stretchy parts are kept (fontTools follows them); OpenType
    # features are not: their script-size alternates (ssty) alone would double the glyphs
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True            # compresses better in woff2
    options.flavor = "woff2"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # copyright and licence stay in the font
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in covered))
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16, 21):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{FAMILY}; subset of Latin Modern Math 1.959"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(TARGET)
    print(f"{TARGET.relative_to(ROOT)}: {len(covered)} characters, {TARGET.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "site"))
