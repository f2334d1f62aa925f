"""snippets/reporting.py: figures embed their images as WebP without changing them, deterministically."""
import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from snippets.data import load_photo
from snippets.reporting import pyplot, save_svg


def image_figure(pixels):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.imshow(pixels, interpolation='none')
    ax.axis('off')
    return fig


def embedded(path):
    """(format, decoded RGB pixels, bytes) of every image inside an SVG."""
    found = []
    for fmt, data in re.findall(r'data:image/(\w+);base64,([A-Za-z0-9+/=\s]+)', path.read_text()):
        raw = base64.b64decode(data)
        found.append((fmt, np.asarray(Image.open(io.BytesIO(raw)).convert('RGB')).astype(float), len(raw)))
    return found


@pytest.fixture
def photo():
    """A 96 x 96 crop of a real photograph (scikit-image's coffee, CC0)."""
    return load_photo('coffee')[100:196, 200:296]


def test_embedded_images_become_lossless_webp_with_the_same_pixels(tmp_path, photo):
    save_svg(image_figure(photo), tmp_path / 'a.svg')
    plt = pyplot()
    fig = image_figure(photo)
    fig.savefig(tmp_path / 'png.svg', format='svg')     # matplotlib's own PNG embedding
    plt.close(fig)
    [(fmt, pixels, size)], [(png_fmt, png_pixels, png_size)] = embedded(tmp_path / 'a.svg'), embedded(tmp_path / 'png.svg')
    assert (fmt, png_fmt) == ('webp', 'png')
    assert np.array_equal(pixels, png_pixels)
    assert size < png_size


def test_photo_quality_is_lossy_smaller_and_close(tmp_path, photo):
    save_svg(image_figure(photo), tmp_path / 'lossless.svg')
    save_svg(image_figure(photo), tmp_path / 'lossy.svg', photo_quality=90)
    [(_, exact, exact_size)], [(_, lossy, lossy_size)] = embedded(tmp_path / 'lossless.svg'), embedded(tmp_path / 'lossy.svg')
    psnr = 10 * np.log10(255 ** 2 / np.mean((exact - lossy) ** 2))
    assert lossy_size < exact_size / 2
    assert 35 < psnr < np.inf      # 38 dB on this crop; below ~30 dB artefacts start to show


def test_same_bytes_on_every_run(tmp_path, photo):
    save_svg(image_figure(photo), tmp_path / 'a.svg', photo_quality=90)
    save_svg(image_figure(photo), tmp_path / 'b.svg', photo_quality=90)
    assert (tmp_path / 'a.svg').read_bytes() == (tmp_path / 'b.svg').read_bytes()


@pytest.mark.parametrize('bad', [0, 101, 90.0, '90'])
def test_bad_photo_quality_is_a_clear_error(tmp_path, photo, bad):
    with pytest.raises(ValueError, match='photo_quality'):
        save_svg(image_figure(photo), tmp_path / 'a.svg', photo_quality=bad)


def test_figures_are_compacted_without_changing_the_drawing(tmp_path):
    """compact_svg: metadata gone, coordinates to 0.01 pt, a glyph's scale() factor kept whole
    (rounding 0.015625 to 0.02 once blew every glyph up by 28%), fewer bytes than matplotlib's."""
    from snippets.reporting import compact_svg
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(np.linspace(0, 1, 200), np.sin(np.linspace(0, 9, 200)))
    ax.set_title('x = 1.234567')
    buffer = io.StringIO()
    fig.savefig(buffer, format='svg')
    original = buffer.getvalue()
    save_svg(fig, tmp_path / 'a.svg')
    svg = (tmp_path / 'a.svg').read_text()
    assert '<metadata>' not in svg and '<!DOCTYPE' not in svg
    assert len(svg) < 0.85 * len(original)
    assert 'scale(0.015625)' in original and 'scale(0.015625)' in svg
    for path in re.findall(r' d="([^"]*)"', svg):
        assert not re.search(r'\d\.\d{3}', path), path[:80]
    assert re.findall(r'<use xlink:href="#([^"]+)"', svg)      # the title's glyphs are still drawn
    assert '<!--' not in svg
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(range(30), np.arange(30), color='#0072B2')                # 30 bars, one style
    save_svg(fig, tmp_path / 'bars.svg')
    bars = (tmp_path / 'bars.svg').read_text()
    shared = re.search(r'\.(s\d+)\{clip-path:url\(#\w+\);fill: #0072b2\}', bars)
    assert shared, 'the bars\' style is not one class'
    assert bars.count(f'class="{shared.group(1)}"') == 30
    with pytest.raises(ValueError, match='svg'):
        compact_svg(b'<svg/>')
