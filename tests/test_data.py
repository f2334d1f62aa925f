"""snippets/data.py: the bundled digits and photos load offline, with the shapes the pages rely on."""
import numpy as np
import pytest

from snippets.data import PHOTOS, load_digits, load_photo


def test_digits_are_1797_images_of_8x8_with_values_0_to_16():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert set(np.unique(y)) == set(range(10))
    assert np.bincount(y).min() > 170          # every class has ~180 examples


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_every_photo_loads_as_floats_in_0_1_with_a_licence(name):
    image = load_photo(name)
    assert image.ndim in (2, 3) and (image.ndim == 2 or image.shape[2] == 3)
    assert min(image.shape[:2]) >= 256
    assert 0 <= image.min() and image.max() <= 1 and image.std() > 0.05
    _, licence, source = PHOTOS[name]
    assert licence and source.startswith("https://")


def test_an_unknown_photo_name_is_a_clear_error():
    with pytest.raises(ValueError, match="name"):
        load_photo("lena")
