"""snippets/data.py: the digits and photos that ship inside the package load offline, with the
shapes the pages rely on, and are the same data scikit-learn's and scikit-image's wheels ship."""
import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from snippets.data import PHOTOS, load_digits, load_photo

DATASETS = Path(__file__).resolve().parent.parent / "snippets" / "datasets"

# SHA-256 of the arrays as loaded, recorded from the files of scikit-learn 1.9.1 and scikit-image 0.26.0
# (the package's copies must give the very same arrays; the PNGs were re-compressed losslessly)
ARRAYS = {
    "digits": "f6d9e39f37dc45d327f6db33428ee58970ccceabb2535a5c179de35886b70443",
    "astronaut": "9403e6c872348e3c05427e566e8cdb220c2abcb69d6b7ea519ab6efb6984ba74",
    "camera": "ae3e1232eaead345db56dda59f208cd5af8ea1398f6db210c485b53d64019641",
    "chelsea": "ce280166efd5caa4b330bfd52b28f7f586c9bfab5d5885dc977ce742bacc6088",
    "coffee": "853747b71a6932d49b9a8f12a496d32f2cb1e0bd10d47e06ec5f00573ff4d7e6",
    "grass": "e684b80e545149c3043cc2bbf41b28c5b48125098b11a59a90a2e0986f06aac8",
    "gravel": "c5b522aa8e6b8c46c743022d5dbd53fe05b43f3e0bc991fba3d757c319e4c8c6",
    "brick": "410eb3a2d7523d087ca182c40bd7c3be00bd79d7d97103b08ceddb0df85c612f",
}


def sha256(*arrays):
    return hashlib.sha256(b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)).hexdigest()


def test_digits_are_1797_images_of_8x8_with_values_0_to_16():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert set(np.unique(y)) == set(range(10))
    assert np.bincount(y).min() > 170          # every class has ~180 examples


def test_digits_are_scikit_learns_digits():
    X, y = load_digits()
    assert sha256(X, y) == ARRAYS["digits"]
    if importlib.util.find_spec("sklearn") is not None:   # installed: compare with its file directly
        import sklearn.datasets
        expected = sklearn.datasets.load_digits()
        np.testing.assert_array_equal(X, expected.data)
        np.testing.assert_array_equal(y, expected.target)


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_every_photo_loads_as_floats_in_0_1_with_a_licence(name):
    image = load_photo(name)
    assert image.ndim in (2, 3) and (image.ndim == 2 or image.shape[2] == 3)
    assert min(image.shape[:2]) >= 256
    assert 0 <= image.min() and image.max() <= 1 and image.std() > 0.05
    _, licence, source = PHOTOS[name]
    assert licence and source.startswith("https://")


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_every_photo_has_the_pixels_of_scikit_images_file(name):
    image = load_photo(name)
    assert sha256(image) == ARRAYS[name]
    spec = importlib.util.find_spec("skimage")
    if spec is not None:                                    # installed: compare with its file directly
        from PIL import Image
        original = np.asarray(Image.open(Path(spec.origin).parent / "data" / PHOTOS[name][0]), dtype=np.float64)
        np.testing.assert_array_equal(image, original / 255.0)


def test_the_package_ships_exactly_the_photos_it_lists_with_their_credits():
    shipped = {p.name for p in DATASETS.iterdir() if p.suffix in (".png", ".jpg", ".gz")}
    assert shipped == {file for file, _, _ in PHOTOS.values()} | {"digits.csv.gz"}
    credits = (DATASETS / "CREDITS.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in credits
    for name, (file, licence, source) in PHOTOS.items():
        row = next(line for line in credits.splitlines() if line.startswith(f"| `{file}`"))
        assert source in row and ("CC0" in row) == ("CC0" in licence), name


def test_an_unknown_photo_name_is_a_clear_error():
    with pytest.raises(ValueError, match="name"):
        load_photo("lena")
