"""
snippets.input_gradient against PyTorch autograd on the same float64 weights: saliency, FGSM and
one class-visualization step. Agreement to 1e-12 absolute: both compute the same sums in float64
on values of order 1, so only rounding (~1e-15) separates them; FGSM's sign is exact unless a
gradient entry is within rounding of zero (none is on random data).
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch not installed: pip install -e '.[torch]'")

from snippets.input_gradient import class_visualization, fgsm, saliency_map  # noqa: E402
from snippets.input_gradient_torch import (torch_class_visualization_step, torch_fgsm,  # noqa: E402
                                           torch_model, torch_saliency)

rng = np.random.default_rng(0)
D, H, C = 64, 16, 10
MODELS = {
    'linear': {'W': rng.standard_normal((D, C)), 'b': rng.standard_normal(C)},
    'net': {'W1': rng.standard_normal((D, H)), 'b1': rng.standard_normal(H),
            'W2': rng.standard_normal((H, C)), 'b2': rng.standard_normal(C)},
}
X = rng.standard_normal((20, D))
y = rng.integers(0, C, size=20)


@pytest.mark.parametrize('kind', MODELS)
def test_torch_saliency_matches_numpy(kind):
    params = MODELS[kind]
    ours = saliency_map(params, X, y).reshape(len(y), -1)
    np.testing.assert_allclose(torch_saliency(torch_model(params), X, y), ours, rtol=0, atol=1e-12)


@pytest.mark.parametrize('kind', MODELS)
def test_torch_fgsm_matches_numpy(kind):
    params = MODELS[kind]
    np.testing.assert_allclose(torch_fgsm(torch_model(params), X, y, 0.1), fgsm(params, X, y, 0.1),
                               rtol=0, atol=1e-12)
    # clipped to a per-pixel range, as the page does (pixels in [0, 1] minus the mean image)
    clip = (-np.abs(rng.standard_normal(D)), np.abs(rng.standard_normal(D)))
    theirs = torch_fgsm(torch_model(params), X, y, 0.5, clip=clip)
    np.testing.assert_allclose(theirs, fgsm(params, X, y, 0.5, clip=clip), rtol=0, atol=1e-12)
    assert np.all(theirs >= clip[0]) and np.all(theirs <= clip[1])


@pytest.mark.parametrize('kind', MODELS)
def test_torch_class_visualization_step_matches_numpy(kind):
    params = MODELS[kind]
    x0 = rng.standard_normal(D)
    ours = class_visualization(params, 3, 0.2, 0.05, 1, x0=x0)
    theirs = torch_class_visualization_step(torch_model(params), x0, 3, 0.2, 0.05)
    np.testing.assert_allclose(theirs, ours, rtol=0, atol=1e-12)
