"""snippets.layers: shapes, values against direct computations, gradient checks, bad input."""
import numpy as np
import pytest

from snippets.numerical_gradient import backward_errors
from snippets.numerical_gradient import eval_numerical_gradient, rel_error
from snippets.layers import (affine_backward, affine_forward, conv_forward_naive, relu_backward,
                             relu_forward, softmax_loss, svm_loss)

rng = np.random.default_rng(0)


def test_affine_forward_flattens_each_example():
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((12, 5)), rng.standard_normal(5)
    out, _ = affine_forward(x, w, b)
    expected = np.array([[x[n].ravel() @ w[:, m] + b[m] for m in range(5)] for n in range(2)])
    assert out.shape == (2, 5)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_affine_backward_matches_numerical_gradients():
    x, w, b = rng.standard_normal((3, 2, 4)), rng.standard_normal((8, 5)), rng.standard_normal(5)
    errors = backward_errors(affine_forward, affine_backward, [x, w, b],
                             dtype=np.longdouble, h=1e-6)
    # numerical side in 80-bit precision: its noise (~1e-12) is far below 1e-7 relative
    assert max(errors) < 1e-7
    dx, dw, db = affine_backward(np.ones((3, 5)), affine_forward(x, w, b)[1])
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)


def test_relu_forward_and_backward():
    x = np.array([[-1.0, 0.5], [2.0, -3.0]])
    out, cache = relu_forward(x)
    np.testing.assert_array_equal(out, [[0, 0.5], [2, 0]])
    np.testing.assert_array_equal(relu_backward(np.ones_like(x), cache), [[0, 1], [1, 0]])
    errors = backward_errors(relu_forward, relu_backward, [rng.standard_normal((4, 5))],
                             dtype=np.longdouble, h=1e-6)
    assert errors[0] < 1e-7


@pytest.mark.parametrize('shape, filters, stride, pad', [
    ((2, 3, 8, 8), (4, 3, 3, 3), 1, 1),
    ((1, 2, 7, 9), (3, 2, 3, 5), 2, 0),
    ((2, 1, 5, 5), (1, 1, 1, 1), 1, 0),
])
def test_conv_output_shape_follows_the_formula(shape, filters, stride, pad):
    (N, C, H, W), (F, _, HH, WW) = shape, filters
    out, _ = conv_forward_naive(rng.standard_normal(shape), rng.standard_normal(filters),
                                np.zeros(F), {'stride': stride, 'pad': pad})
    assert out.shape == (N, F, 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride)


def test_conv_matches_a_direct_sum():
    x, w, b = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((4, 3, 3, 3)), np.arange(4.0)
    out, _ = conv_forward_naive(x, w, b, {'stride': 2, 'pad': 1})
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    n, f, i, j = 1, 2, 1, 2                      # one output entry, summed by hand
    expected = sum(xp[n, c, 2 * i + a, 2 * j + d] * w[f, c, a, d]
                   for c in range(3) for a in range(3) for d in range(3)) + b[f]
    assert out[n, f, i, j] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize('args, name', [
    ((np.zeros(3), np.zeros((3, 2)), np.zeros(2)), 'x'),
    ((np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2)), 'w'),
    ((np.zeros((2, 3)), np.zeros((3, 2)), np.zeros(3)), 'b'),
    ((np.full((2, 3), np.nan), np.zeros((3, 2)), np.zeros(2)), 'x'),
])
def test_affine_forward_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=rf'\b{name}\b'):
        affine_forward(*args)


def test_backward_rejects_a_dout_of_the_wrong_shape():
    _, cache = affine_forward(np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r'\bdout\b'):
        affine_backward(np.zeros((2, 3)), cache)
    with pytest.raises(ValueError, match=r'\bdout\b'):
        relu_backward(np.zeros(3), relu_forward(np.zeros(2))[1])


@pytest.mark.parametrize('x_shape, w_shape, b_shape, conv_param, name', [
    ((2, 3, 5), (4, 3, 3, 3), (4,), {'stride': 1, 'pad': 1}, 'x'),
    ((2, 3, 5, 5), (4, 2, 3, 3), (4,), {'stride': 1, 'pad': 1}, 'w'),
    ((2, 3, 5, 5), (4, 3, 3, 3), (3,), {'stride': 1, 'pad': 1}, 'b'),
    ((2, 3, 5, 5), (4, 3, 3, 3), (4,), {'stride': 0, 'pad': 1}, 'stride'),
    ((2, 3, 5, 5), (4, 3, 3, 3), (4,), {'stride': 1}, 'pad'),
    ((2, 3, 5, 5), (4, 3, 3, 3), (4,), {'stride': 1, 'pad': -1}, 'pad'),
    ((2, 3, 6, 6), (4, 3, 3, 3), (4,), {'stride': 2, 'pad': 0}, 'stride'),
    ((2, 3, 2, 2), (4, 3, 5, 5), (4,), {'stride': 1, 'pad': 0}, 'w'),
])
def test_conv_rejects_bad_input(x_shape, w_shape, b_shape, conv_param, name):
    with pytest.raises(ValueError, match=rf'\b{name}\b'):
        conv_forward_naive(np.zeros(x_shape), np.zeros(w_shape), np.zeros(b_shape), conv_param)


# ---- softmax_loss and svm_loss --------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", [softmax_loss, svm_loss])
def test_score_losses_match_the_numerical_gradient(loss_fn):
    rng = np.random.default_rng(231)
    x, y = 0.1 * rng.standard_normal((6, 5)), rng.integers(0, 5, size=6)
    _, dx = loss_fn(x, y)
    numerical = eval_numerical_gradient(lambda x_: loss_fn(x_, y)[0], x.copy(), verbose=False)
    assert rel_error(numerical, dx) < 1e-7


def test_softmax_loss_at_equal_scores_is_ln_C():
    # equal scores give every class probability 1/C, so the loss is ln C (ln 10 for 10 classes)
    loss, _ = softmax_loss(np.zeros((4, 10)), np.arange(4))
    assert loss == pytest.approx(np.log(10), abs=1e-15)


def test_svm_loss_at_equal_scores_is_C_minus_1():
    # every one of the C - 1 wrong classes has margin 0 - 0 + 1 = 1
    loss, _ = svm_loss(np.zeros((4, 10)), np.arange(4))
    assert loss == pytest.approx(9.0)


@pytest.mark.parametrize("loss_fn", [softmax_loss, svm_loss])
def test_score_losses_reject_bad_labels(loss_fn):
    with pytest.raises(ValueError, match="y"):
        loss_fn(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="x"):
        loss_fn(np.zeros(3), np.array([0]))


# ---- two-layer net (two_layer_net_init, two_layer_net_loss) ----------------------------------

from snippets.layers import two_layer_net_init, two_layer_net_loss  # noqa: E402


def _net_case(seed=231):
    rng = np.random.default_rng(seed)
    params = two_layer_net_init(5, 7, 4, 0.5, seed=0)
    params['b1'], params['b2'] = rng.standard_normal(7), rng.standard_normal(4)
    return params, rng.standard_normal((6, 5)), rng.integers(0, 4, size=6)


@pytest.mark.parametrize('reg', [0.0, 0.7])
def test_two_layer_net_gradients_match_numerical_gradients(reg):
    params, X, y = _net_case()
    _, grads = two_layer_net_loss(params, X, y, reg)
    for key in ('W1', 'b1', 'W2', 'b2'):
        f = lambda _: two_layer_net_loss(params, X, y, reg)[0]
        numerical = eval_numerical_gradient(f, params[key], verbose=False)
        # centred differences in float64, h = 1e-5: noise ~1e-16 / 1e-5 = 1e-11 absolute on
        # gradients of order 0.1; a wrong formula (a missing reg term or relu mask) gives > 1e-2
        assert rel_error(numerical, grads[key]) < 1e-7, key
        assert grads[key].shape == params[key].shape


def test_two_layer_net_scores_and_loss_match_a_direct_computation():
    params, X, y = _net_case()
    hidden = np.maximum(0, X @ params['W1'] + params['b1'])
    scores = hidden @ params['W2'] + params['b2']
    np.testing.assert_allclose(two_layer_net_loss(params, X), scores, rtol=1e-12)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    reg = 0.3        # spring 2018's TwoLayerNet: 0.5 * reg * (sum W1**2 + sum W2**2)
    expected = -np.log(p[np.arange(6), y]).mean() + 0.5 * reg * (
        np.sum(params['W1'] ** 2) + np.sum(params['W2'] ** 2))
    assert two_layer_net_loss(params, X, y, reg)[0] == pytest.approx(expected, rel=1e-12)


def test_two_layer_net_init_has_the_documented_shapes_and_scale():
    params = two_layer_net_init(64, 200, 10, 0.1, seed=3)
    assert {k: v.shape for k, v in params.items()} == {
        'W1': (64, 200), 'b1': (200,), 'W2': (200, 10), 'b2': (10,)}
    assert not params['b1'].any() and not params['b2'].any()
    # 12800 Gaussian draws: the sample std is within 3 * 0.1 / sqrt(2 * 12800) = 0.0019 of 0.1
    assert abs(params['W1'].std() - 0.1) < 0.002
    np.testing.assert_array_equal(params['W1'], two_layer_net_init(64, 200, 10, 0.1, 3)['W1'])


@pytest.mark.parametrize('change, name', [
    (lambda p: p.pop('b2'), 'params'),
    (lambda p: p.update(b1=np.zeros(3)), 'b1'),
    (lambda p: p.update(W2=np.zeros((4, 4))), 'W2'),
])
def test_two_layer_net_loss_rejects_bad_params(change, name):
    params, X, y = _net_case()
    change(params)
    with pytest.raises(ValueError, match=name):
        two_layer_net_loss(params, X, y)


def test_two_layer_net_init_rejects_bad_sizes():
    with pytest.raises(ValueError, match='hidden_dim'):
        two_layer_net_init(4, 0, 3, 0.1, 0)
    with pytest.raises(ValueError, match='weight_scale'):
        two_layer_net_init(4, 2, 3, -0.1, 0)
