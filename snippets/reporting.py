"""What the report() functions of the topic modules share: the palette, deterministic SVG figures,
markdown table rows (the pages keep the header row, in their own language) and a rank correlation."""
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


def save_svg(fig, path):
    """Save fig as an SVG on white with the same bytes on every run, and close it."""
    plt = pyplot()
    with plt.rc_context({'svg.hashsalt': 'cs231n-faq'}):
        fig.savefig(path, format='svg', facecolor='white', metadata={'Date': None})
    plt.close(fig)


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
