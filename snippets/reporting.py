"""What the report() functions of the topic modules share: the palette, deterministic SVG figures,
markdown table rows (the pages keep the header row, in their own language) and a rank correlation."""
import re

import numpy as np

# Okabe & Ito's colour-blind-safe palette
OKABE_ITO = {'orange': '#E69F00', 'sky_blue': '#56B4E9', 'green': '#009E73',
             'yellow': '#F0E442', 'blue': '#0072B2', 'vermillion': '#D55E00',
             'purple': '#CC79A7', 'black': '#000000', 'grey': '#999999'}


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def save_svg(fig, path, photo_quality=None):
    """
    Save fig as an SVG on white with the same bytes on every run, and close it.

    Images inside the figure (imshow) are embedded as WebP instead of matplotlib's PNG: lossless
    by default (the same pixels, typically 30-60% fewer bytes); with photo_quality (1-100) lossy,
    for photographs, where lossless costs several times more. An image stays PNG if that is smaller.
    The SVG text is compacted (compact_svg): same drawing, ~15-30% fewer bytes.
    """
    import io

    plt = pyplot()
    if photo_quality is not None and not (isinstance(photo_quality, int) and 1 <= photo_quality <= 100):
        raise ValueError(f'photo_quality must be an int in 1..100 or None, got {photo_quality!r}')
    buffer = io.StringIO()
    with plt.rc_context({'svg.hashsalt': 'cs231n-faq'}):
        fig.savefig(buffer, format='svg', facecolor='white', metadata={'Date': None})
    plt.close(fig)
    svg = EMBEDDED_PNG.sub(lambda m: as_webp(m.group(1), photo_quality), buffer.getvalue())
    with open(path, 'w', encoding='utf-8') as f:
        f.write(compact_svg(svg))


EMBEDDED_PNG = re.compile(r'data:image/png;base64,([A-Za-z0-9+/=\s]+)')
_LONG_DECIMAL = re.compile(r'(?<![\w#.])(-?\d+\.\d{3,})(?![\w.])')


def compact_svg(svg):
    """
    matplotlib's SVG with the same drawing in fewer bytes: no RDF metadata or DOCTYPE, coordinates
    (path data, positions, translations; not scale factors) to 0.01 pt (matplotlib writes 6
    decimals; a figure is ~500 pt wide, so 0.01 pt is a few hundredths of a pixel), no indentation or line breaks between elements or inside
    path data, no group around a single element. Glyphs stay paths (svg.fonttype 'path'): the
    figures' text looks the same in every browser, with or without matplotlib's fonts.

    Inputs:
    - svg: str, an SVG document as matplotlib writes it

    Returns: str, the compacted SVG
    """
    if not isinstance(svg, str) or '<svg' not in svg:
        raise ValueError('svg must be the text of an SVG document')
    svg = re.sub(r'<!DOCTYPE[^>]*>\s*', '', svg)
    svg = re.sub(r'\s*<metadata>.*?</metadata>', '', svg, flags=re.S)

    def shorter(m):
        text = f'{float(m.group(1)):.2f}'.rstrip('0').rstrip('.')
        return '0' if text == '-0' else text

    def positions(m):       # coordinates only: a scale() factor such as 0.015625 keeps its digits
        return m.group(1) + _LONG_DECIMAL.sub(shorter, ' '.join(m.group(2).split())) + m.group(3)
    svg = re.sub(r'( (?:d|x|y|x1|y1|x2|y2|width|height)=")([^"]*)(")', positions, svg)
    svg = re.sub(r'(translate\()([^)]*)(\))', positions, svg)
    svg = re.sub(r'>\s+<', '><', svg)
    svg = re.sub(r'<!--.*?-->', '', svg, flags=re.S)    # matplotlib's comments: the text of each label
    # matplotlib wraps each artist in <g id="patch_12">; one drawn element needs no group
    svg = re.sub(r'<g id="[\w.-]+">(<(?:path|use|rect)\b[^<>]*/>)</g>', r'\1', svg)
    return _shared_styles(svg)


_STYLED = re.compile(r'(?: clip-path="(url\(#[\w-]+\))")? style="([^"]*)"')
_SHARED_RULES = '*{stroke-linejoin: round; stroke-linecap: butt}'   # matplotlib's one rule


def _shared_styles(svg):
    """A style (with its clip path) that several elements repeat becomes a class in matplotlib's
    <style>: a heatmap's 300 cells then say class="s0" instead of the same 90 characters each.
    A class rule outranks the '*' rule as the style attribute did, so the drawing is the same."""
    if _SHARED_RULES not in svg:
        return svg
    counts = {}
    for m in _STYLED.finditer(svg):
        counts[m.groups()] = counts.get(m.groups(), 0) + 1
    shared = sorted((key for key, n in counts.items() if n > 1), key=lambda key: -counts[key])
    names = {key: f's{i}' for i, key in enumerate(shared)}
    svg = _STYLED.sub(lambda m: f' class="{names[m.groups()]}"' if m.groups() in names else m.group(0), svg)
    rules = ''.join(f'.{name}{{{f"clip-path:{clip};" if clip else ""}{style.strip().rstrip(";")}}}'
                    for (clip, style), name in names.items())
    return svg.replace(_SHARED_RULES, _SHARED_RULES + rules, 1)


def as_webp(png_base64, quality=None):
    """
    A base64 PNG as a data: URI, re-encoded as WebP if that is smaller (opaque RGBA becomes RGB).

    Inputs:
    - png_base64: str, the PNG file in base64 (as in a data: URI or a notebook output)
    - quality: None for lossless, or an int 1..100 for lossy WebP (photographs)

    Returns: a "data:image/webp;base64,..." or, when WebP is not smaller, the PNG's data: URI
    """
    import base64
    import io

    from PIL import Image
    png = base64.b64decode(png_base64)
    image = Image.open(io.BytesIO(png))
    if image.mode == 'RGBA' and image.getchannel('A').getextrema() == (255, 255):
        image = image.convert('RGB')
    out = io.BytesIO()
    if quality is None:
        image.save(out, format='WEBP', lossless=True, quality=100, method=6)
    else:
        image.save(out, format='WEBP', quality=quality, method=6)
    if out.tell() >= len(png):
        return 'data:image/png;base64,' + png_base64
    return 'data:image/webp;base64,' + base64.b64encode(out.getvalue()).decode('ascii')


def markdown_rows(rows):
    """Rows of a markdown table (no header), one line per row."""
    return '\n'.join('| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows)


def shape_str(shape):
    """A shape as the page prints it: (50, 3, 32, 32)."""
    return str(tuple(int(s) for s in np.atleast_1d(shape)))


def rank_correlation(a, b):
    """
    Spearman's rank correlation of two arrays of the same size (flattened; ties broken by order).

    Inputs:
    - a, b: arrays with the same number of values, at least 2

    Returns:
    - rho: float in [-1, 1]
    """
    a, b = np.ravel(a), np.ravel(b)
    if a.shape != b.shape or a.size < 2:
        raise ValueError(f'a and b must have the same size >= 2, got {a.shape} and {b.shape}')
    rank = lambda v: np.argsort(np.argsort(v, kind='stable'), kind='stable').astype(float)
    return float(np.corrcoef(rank(a), rank(b))[0, 1])
