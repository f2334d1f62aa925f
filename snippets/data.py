"""
Real data that ships inside pip wheels, read directly from the files (no download, and no
`import sklearn` / `import skimage`, which cost ~2 s each).

- load_digits(): the 1797 8x8 handwritten digits that scikit-learn bundles (UCI "Optical
  Recognition of Handwritten Digits", CC BY 4.0).
- load_photo(name): a natural photograph from scikit-image's data folder, as floats in [0, 1].
  PHOTOS lists each one with its licence and source, for the pages' credits.
"""
import csv
import gzip
import importlib.util
from pathlib import Path

import numpy as np

DIGITS_CREDIT = {
    'name': 'Optical Recognition of Handwritten Digits (UCI), as bundled by scikit-learn',
    'licence': 'CC BY 4.0',
    'url': 'https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits',
}

# name: (file in skimage/data, licence, source). PNG first: JPEG's 8x8 blocks bias spectra.
PHOTOS = {
    'astronaut': ('astronaut.png', 'public domain (NASA)', 'https://flic.kr/p/r9qvLn'),
    'camera': ('camera.png', 'CC0 (Lav Varshney)', 'https://github.com/scikit-image/scikit-image/issues/3927'),
    'chelsea': ('chelsea.png', 'CC0 (Stefan van der Walt)', 'https://scikit-image.org/docs/stable/api/skimage.data.html#skimage.data.chelsea'),
    'coffee': ('coffee.png', 'CC0 (Rachel Michetti)', 'https://scikit-image.org/docs/stable/api/skimage.data.html#skimage.data.coffee'),
    'grass': ('grass.png', 'CC0 (linolafett, DeviantArt)', 'https://www.deviantart.com/linolafett/art/Grass-01-434853879'),
    'gravel': ('gravel.png', 'CC0 (CC0Textures)', 'https://cc0textures.com/view.php?tex=Gravel04'),
    'brick': ('brick.png', 'CC0 (CC0Textures)', 'https://cc0textures.com/view.php?tex=Bricks25'),
    'rocket': ('rocket.jpg', 'public domain (SpaceX)', 'https://www.flickr.com/photos/spacexphotos/16511594820/'),
}


def _package_dir(package):
    """The installed folder of a package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ValueError(f"package {package!r} is not installed: run scripts/setup")
    return Path(spec.origin).parent


def load_digits():
    """
    The scikit-learn digits: 1797 grey 8x8 images with values 0..16, and their labels.

    Returns a tuple of:
    - X: float64 array of shape (1797, 64), one flattened image per row
    - y: int64 array of shape (1797,), labels 0..9
    """
    path = _package_dir('sklearn') / 'datasets' / 'data' / 'digits.csv.gz'
    with gzip.open(path, 'rt') as f:
        rows = np.array([[float(v) for v in row] for row in csv.reader(f)])
    return rows[:, :-1], rows[:, -1].astype(np.int64)


def load_photo(name):
    """
    A photograph from scikit-image's data folder.

    Inputs:
    - name: a key of PHOTOS

    Returns:
    - image: float64 array in [0, 1], of shape (H, W, 3) for colour photos and (H, W) for grey ones
    """
    if name not in PHOTOS:
        raise ValueError(f"name must be one of {sorted(PHOTOS)}, got {name!r}")
    from PIL import Image      # Pillow comes with matplotlib

    with Image.open(_package_dir('skimage') / 'data' / PHOTOS[name][0]) as im:
        array = np.asarray(im.convert('RGB') if im.mode not in ('L', 'RGB') else im, dtype=np.float64)
    return array / 255.0


if __name__ == '__main__':
    X, y = load_digits()
    print('digits:', X.shape, y.shape, 'classes', np.bincount(y))
    for name in PHOTOS:
        print(f'{name}: {load_photo(name).shape}')
