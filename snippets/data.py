"""
Real data that ships inside this package (snippets/datasets/, credits and licences in its
CREDITS.md): no download, and nothing to install but numpy (and Pillow, which comes with matplotlib).

- load_digits(): the 1797 8x8 handwritten digits (UCI "Optical Recognition of Handwritten Digits",
  CC BY 4.0), the file scikit-learn bundles, byte for byte.
- load_photo(name): a natural photograph (public domain or CC0) from scikit-image's data folder,
  as floats in [0, 1]. PHOTOS lists each one with its licence and source, for the pages' credits.
  The PNGs were re-compressed losslessly (the same pixels; a test compares them).

And the two ways the pages prepare the digits:
- digits_split(...): shuffled train / validation / test sets for the two-layer nets
  (hyperparameter search, input gradients, ensembles);
- digits_with_bias(...): all examples with a column of ones (the bias trick) for the linear
  classifiers (the SVM of the gradient-check page, the softmax of the MAP page).
"""
import csv
import gzip
from importlib import resources

import numpy as np

DIGITS_CREDIT = {
    'name': 'Optical Recognition of Handwritten Digits (UCI), as bundled by scikit-learn',
    'licence': 'CC BY 4.0',
    'url': 'https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits',
}

# name: (file in snippets/datasets, licence, source). All PNG: JPEG's 8x8 blocks bias spectra.
PHOTOS = {
    'astronaut': ('astronaut.png', 'public domain (NASA)', 'https://flic.kr/p/r9qvLn'),
    'camera': ('camera.png', 'CC0 (Lav Varshney)', 'https://github.com/scikit-image/scikit-image/issues/3927'),
    'chelsea': ('chelsea.png', 'CC0 (Stefan van der Walt)', 'https://scikit-image.org/docs/stable/api/skimage.data.html#skimage.data.chelsea'),
    'coffee': ('coffee.png', 'CC0 (Rachel Michetti)', 'https://scikit-image.org/docs/stable/api/skimage.data.html#skimage.data.coffee'),
    'grass': ('grass.png', 'CC0 (linolafett, DeviantArt)', 'https://www.deviantart.com/linolafett/art/Grass-01-434853879'),
    'gravel': ('gravel.png', 'CC0 (CC0Textures)', 'https://cc0textures.com/view.php?tex=Gravel04'),
    'brick': ('brick.png', 'CC0 (CC0Textures)', 'https://cc0textures.com/view.php?tex=Bricks25'),
}


def _dataset(name):
    """A file of snippets/datasets, wherever the package is installed."""
    return resources.files('snippets') / 'datasets' / name


def load_digits():
    """
    The scikit-learn digits: 1797 grey 8x8 images with values 0..16, and their labels.

    Returns a tuple of:
    - X: float64 array of shape (1797, 64), one flattened image per row
    - y: int64 array of shape (1797,), labels 0..9
    """
    with _dataset('digits.csv.gz').open('rb') as raw, gzip.open(raw, 'rt') as f:
        rows = np.array([[float(v) for v in row] for row in csv.reader(f)])
    return rows[:, :-1], rows[:, -1].astype(np.int64)


def load_photo(name):
    """
    A photograph from snippets/datasets (from scikit-image's data folder).

    Inputs:
    - name: a key of PHOTOS

    Returns:
    - image: float64 array in [0, 1], of shape (H, W, 3) for colour photos and (H, W) for grey ones
    """
    if name not in PHOTOS:
        raise ValueError(f"name must be one of {sorted(PHOTOS)}, got {name!r}")
    from PIL import Image      # Pillow comes with matplotlib

    with _dataset(PHOTOS[name][0]).open('rb') as f, Image.open(f) as im:
        array = np.asarray(im.convert('RGB') if im.mode not in ('L', 'RGB') else im, dtype=np.float64)
    return array / 255.0


def digits_split(seed=0, n_train=1000, n_val=400, centre=True):
    """
    The digits, shuffled (seed) and cut into train, validation and test sets.

    Inputs:
    - seed: for the shuffle
    - n_train, n_val: sizes of the first two sets (n_val may be 0); the test set is the rest
    - centre: if True, scale the pixels to [0, 1] and subtract the training mean;
      if False, keep the raw pixel values 0..16

    Returns a dict with X_train (n_train, 64), y_train (n_train,), X_val, y_val, X_test, y_test
    (1797 - n_train - n_val examples) and mean (64,), the training mean subtracted (or None).
    """
    X, y = load_digits()
    if not (0 < n_train and 0 <= n_val and n_train + n_val < len(y)):
        raise ValueError(f'n_train + n_val must leave a test set, got {n_train} + {n_val}')
    order = np.random.default_rng(seed).permutation(len(y))
    X, y, mean = X[order], y[order], None
    if centre:
        X = X / 16.0
        mean = X[:n_train].mean(axis=0)
        X = X - mean
    cut = (n_train, n_train + n_val)
    return {'X_train': X[:cut[0]], 'y_train': y[:cut[0]], 'X_val': X[cut[0]:cut[1]],
            'y_val': y[cut[0]:cut[1]], 'X_test': X[cut[1]:], 'y_test': y[cut[1]:], 'mean': mean}


def digits_with_bias(classes=None, pool=1, centre=False, standardize=False):
    """
    The digits as (X, y) for a linear classifier, as the assignment prepares CIFAR-10: pixels
    scaled to [0, 1], optionally averaged over pool x pool blocks, the mean image subtracted
    (centre), each feature divided by its standard deviation (standardize), and a last column
    of ones (the bias trick), so W is (D + 1, C) and its last row is b.

    Inputs:
    - classes: the digits to keep (relabelled 0..len-1 in this order), or None for all ten
    - pool: block size, 1, 2, 4 or 8
    - centre: if True, subtract the mean image
    - standardize: if True (with centre), every feature but the bias gets standard deviation 1

    Returns a tuple of:
    - X: array of shape (N, (8 / pool)^2 + 1)
    - y: array of shape (N,), labels 0..len(classes)-1
    """
    if pool not in (1, 2, 4, 8):
        raise ValueError(f'pool must be 1, 2, 4 or 8, got {pool!r}')
    if standardize and not centre:
        raise ValueError('standardize needs centre=True')
    X, y = load_digits()
    if classes is not None:
        classes = list(classes)
        if len(classes) < 2 or len(set(classes)) != len(classes) or \
                not all(isinstance(c, (int, np.integer)) and 0 <= c <= 9 for c in classes):
            raise ValueError(f'classes must be two or more distinct digits 0..9, got {classes!r}')
        keep = np.isin(y, classes)
        X, y = X[keep], np.array([classes.index(label) for label in y[keep]])
    X = X.reshape(-1, 8 // pool, pool, 8 // pool, pool).mean(axis=(2, 4)).reshape(len(X), -1) / 16
    if centre:
        X = X - X.mean(axis=0)
    if standardize:
        std = X.std(axis=0)
        if np.any(std == 0):
            raise ValueError(f'standardize: {np.sum(std == 0)} features are constant '
                             f'at pool={pool}')
        X = X / std
    return np.hstack([X, np.ones((len(X), 1))]), y


if __name__ == '__main__':
    X, y = load_digits()
    print('digits:', X.shape, y.shape, 'classes', np.bincount(y))
    for name in PHOTOS:
        print(f'{name}: {load_photo(name).shape}')
