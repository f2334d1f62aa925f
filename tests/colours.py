"""Colours as a reader sees them in Chromium, and their WCAG contrast (for the browser tests)."""
from __future__ import annotations


def rgba(css: str) -> tuple[float, float, float, float]:
    import re

    parts = [float(v) for v in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def over(top, bottom):
    """Colour `top` (rgba) composited over an opaque `bottom`."""
    a = top[3]
    return tuple(a * t + (1 - a) * b for t, b in zip(top[:3], bottom[:3])) + (1.0,)


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# the text colour of an element and the background colours from it up to <html>
COLOURS = """el => {
  const backgrounds = [];
  for (let e = el; e; e = e.parentElement) backgrounds.push(getComputedStyle(e).backgroundColor);
  return {color: getComputedStyle(el).color, backgrounds};
}"""


def seen_colours(page, selector):
    """(text colour, background) as the reader sees them: backgrounds composited from <html> down."""
    found = page.eval_on_selector(selector, COLOURS)
    background = (255.0, 255.0, 255.0, 1.0)     # the canvas behind <html>
    for css in reversed(found["backgrounds"]):
        background = over(rgba(css), background)
    return over(rgba(found["color"]), background), background
