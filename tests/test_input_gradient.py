"""
snippets.input_gradient: gradient checks with respect to the input x, bad input, and one claim
test per number of report() that the page shows, each against an independent computation.
"""
import math

import numpy as np
import pytest

from snippets.numerical_gradient import eval_numerical_gradient, eval_numerical_gradient_array, rel_error
from snippets.layers import softmax_loss, two_layer_net_loss
from snippets.experiments.input_gradient import (ASCENT_LINEAR, BLUR_EVERY, CLASSVIS, EPSILONS,
                                                 FGSM_EPS, SALIENCY_CLASSES, experiments,
                                                 report, synthetic_linearity)
from snippets.input_gradient import (class_visualization, fgsm, linear_score_change, loss_gradient,
                                    model_accuracy, model_backward_x, model_forward,
                                    probability_gradient, random_sign_noise, saliency_map,
                                    score_gradient)
from snippets.reporting import rank_correlation

rng = np.random.default_rng(0)


def small_models(D=12, H=7, C=4):
    """Random float64 weights (biases non-zero, so a bias bug would show)."""
    linear = {'W': rng.standard_normal((D, C)), 'b': rng.standard_normal(C)}
    net = {'W1': rng.standard_normal((D, H)), 'b1': rng.standard_normal(H),
           'W2': rng.standard_normal((H, C)), 'b2': rng.standard_normal(C)}
    return linear, net


@pytest.fixture(scope='module')
def values(tmp_path_factory):
    return report(tmp_path_factory.mktemp('visualization'))


@pytest.fixture(scope='module')
def trained():
    return experiments()


def rows(markdown):
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in markdown.splitlines()]


# Gradient checks: x is the variable -----------------------------------------------------------

@pytest.mark.parametrize('kind', ['linear', 'net'])
def test_model_backward_x_matches_numerical_gradient(kind):
    # float64 centred differences with h = 1e-5: truncation ~h^2 and rounding ~1e-16/h give
    # relative errors ~1e-9 away from ReLU kinks; 1e-7 leaves room, a wrong formula gives ~1
    params = dict(zip(('linear', 'net'), small_models()))[kind]
    X = rng.standard_normal((5, 12))
    scores, cache = model_forward(params, X)
    dscores = rng.standard_normal(scores.shape)
    dX = model_backward_x(dscores, cache)
    dX_num = eval_numerical_gradient_array(lambda x: model_forward(params, x)[0], X, dscores)
    assert rel_error(dX, dX_num) < 1e-7


@pytest.mark.parametrize('kind', ['linear', 'net'])
def test_score_probability_and_loss_gradients_match_numerical(kind):
    params = dict(zip(('linear', 'net'), small_models()))[kind]
    X, y = rng.standard_normal((3, 12)), np.array([0, 3, 1])
    for i in range(3):
        x = X[i:i + 1].copy()
        s = lambda v: model_forward(params, v)[0][0, y[i]]                     # noqa: E731
        p = lambda v: (lambda z: np.exp(z[0, y[i]]) / np.exp(z[0]).sum())(     # noqa: E731
            model_forward(params, v)[0])
        num_s = eval_numerical_gradient(s, x, verbose=False)
        num_p = eval_numerical_gradient(p, x, verbose=False)
        assert rel_error(score_gradient(params, x, y[i:i + 1]), num_s) < 1e-7
        assert rel_error(probability_gradient(params, x, y[i:i + 1]), num_p) < 1e-7
    loss, dX = loss_gradient(params, X, y)
    num = eval_numerical_gradient(lambda v: softmax_loss(model_forward(params, v)[0], y)[0], X,
                                  verbose=False)
    assert rel_error(dX, num) < 1e-7


def test_net_scores_are_two_layer_net_loss_scores():
    # the forward pass is the net of snippets.layers, not a second copy that could drift
    _, net = small_models()
    X = rng.standard_normal((4, 12))
    np.testing.assert_allclose(model_forward(net, X)[0], two_layer_net_loss(net, X), rtol=0, atol=1e-12)


# Bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize('call, name', [
    (lambda lin, net: model_forward({'W': lin['W']}, np.zeros((1, 12))), 'params'),
    (lambda lin, net: model_forward(lin, np.zeros((1, 11))), 'X'),
    (lambda lin, net: score_gradient(net, np.zeros((2, 12)), np.array([0, 4])), 'y'),
    (lambda lin, net: score_gradient(net, np.zeros((2, 12)), np.array([0.0, 1.0])), 'y'),
    (lambda lin, net: saliency_map(net, np.zeros((2, 12)), np.array([0, 1]), (1, 3, 3)), 'image_shape'),
    (lambda lin, net: fgsm(net, np.zeros((2, 12)), np.array([0, 1]), -0.1), 'eps'),
    (lambda lin, net: fgsm(net, np.zeros((2, 12)), np.array([0, 1]), 0.1, clip=(0,)), 'clip'),
    (lambda lin, net: random_sign_noise(np.zeros((2, 12)), 0.1, clip=(0, 1, 2)), 'clip'),
    (lambda lin, net: random_sign_noise(np.zeros((2, 12)), float('nan')), 'eps'),
    (lambda lin, net: class_visualization(net, 4, 0.1, 0.1, 5), 'target'),
    (lambda lin, net: class_visualization(net, 1, -1.0, 0.1, 5), 'l2_reg'),
    (lambda lin, net: class_visualization(net, 1, 0.1, 0.0, 5), 'learning_rate'),
    (lambda lin, net: class_visualization(net, 1, 0.1, 0.1, 0), 'steps'),
    (lambda lin, net: class_visualization(net, 1, 0.1, 0.1, 5, x0=np.zeros(3)), 'x0'),
    (lambda lin, net: class_visualization(net, 1, 0.1, 0.1, 5, clip=(0,)), 'clip'),
    (lambda lin, net: linear_score_change(np.zeros((2, 2)), 0.1), 'w'),
    (lambda lin, net: synthetic_linearity([4], 0.1, 0.0), 'sigma'),
    (lambda lin, net: rank_correlation(np.zeros(3), np.zeros(4)), 'a and b'),
])
def test_bad_input_raises_value_error_naming_the_argument(call, name):
    lin, net = small_models()
    with pytest.raises(ValueError, match=name):
        call(lin, net)


# The linear case --------------------------------------------------------------------------------

def test_linear_input_gradient_is_the_class_template(values, trained):
    _, models = trained
    lin = models['linear']
    X = rng.standard_normal((10, 64))                 # any image: the gradient does not depend on x
    np.testing.assert_array_equal(score_gradient(lin, X, np.arange(10)), lin['W'].T)
    assert values['linear_grad_vs_W'] == 0.0
    # W is (D, C) = (64, 10): the template is a column; a row W[c] has C = 10 entries, not 64
    assert (values['linear_W_rows'], values['linear_W_cols']) == lin['W'].shape == (64, 10)


def test_the_template_is_a_column_of_w_not_a_row():
    # with D = C the shapes cannot tell them apart: the gradient of s_c is W[:, c], never W[c]
    W = rng.standard_normal((5, 5))
    lin = {'W': W, 'b': np.zeros(5)}
    g = score_gradient(lin, rng.standard_normal((1, 5)), np.array([2]))[0]
    np.testing.assert_array_equal(g, W[:, 2])
    assert np.abs(g - W[2]).max() > 0.1


def test_each_template_looks_like_its_class_mean(values, trained):
    # the linear figure's alt text: W_c is positive where class c has ink, negative elsewhere
    data, models = trained
    W = models['linear']['W']
    corr = [np.corrcoef(W[:, c], data['X_train'][data['y_train'] == c].mean(0))[0, 1]
            for c in range(10)]
    assert values['template_class_mean_corr_min'] == pytest.approx(min(corr), rel=1e-12)
    assert min(corr) > 0


def test_linear_ascent_converges_to_template_over_two_lambda(values):
    # x_t - x* = (1 - 2 lambda lr)^t (x_0 - x*) with x_0 = 0: the relative error is exactly
    # contraction^steps (0.9^200 = 7.1e-10); rounding adds ~1e-15
    lam, lr, steps = ASCENT_LINEAR['l2_reg'], ASCENT_LINEAR['learning_rate'], ASCENT_LINEAR['steps']
    assert values['linear_ascent_contraction'] == pytest.approx(1 - 2 * lam * lr)
    assert values['linear_ascent_rel_error'] == pytest.approx((1 - 2 * lam * lr) ** steps, rel=1e-4)
    assert values['linear_ascent_rel_error'] < 1e-9


def test_linear_saliency_is_the_same_for_every_image_of_a_class(values, trained):
    data, models = trained
    sal = saliency_map(models['linear'], data['X_test'], data['y_test'])
    for c in range(10):
        same = sal[data['y_test'] == c]
        template = np.abs(models['linear']['W'][:, c]).reshape(8, 8)
        np.testing.assert_array_equal(same, np.broadcast_to(template, same.shape))
    assert values['linear_saliency_same_within_class'] == 0.0


# Saliency ---------------------------------------------------------------------------------------

def test_saliency_is_abs_max_over_channels_and_abs_with_one_channel():
    D, C = 2 * 3 * 3, 4
    params = {'W': rng.standard_normal((D, C)), 'b': np.zeros(C)}
    X, y = rng.standard_normal((2, D)), np.array([1, 3])
    g = score_gradient(params, X, y).reshape(2, 2, 3, 3)
    expected = np.maximum(np.abs(g[:, 0]), np.abs(g[:, 1]))
    np.testing.assert_array_equal(saliency_map(params, X, y, (2, 3, 3)), expected)
    # one channel: the max over channels is the absolute value
    params1 = {'W': rng.standard_normal((9, C)), 'b': np.zeros(C)}
    np.testing.assert_array_equal(saliency_map(params1, X[:, :9], y, (1, 3, 3)),
                                  np.abs(score_gradient(params1, X[:, :9], y)).reshape(2, 3, 3))


def test_saliency_puts_a_large_share_on_blank_pixels(values, trained):
    # "saliency is a segmentation" would put ~0 on pixels without ink; recompute the share
    data, models = trained
    images = (data['X_test'] + data['mean']).reshape(-1, 8, 8)
    sal = saliency_map(models['net'], data['X_test'], data['y_test'])
    blank = images == 0
    share = np.mean([s[b].sum() / s.sum() for s, b in zip(sal, blank)])
    assert values['saliency_background_share'] == pytest.approx(share, rel=1e-12)
    assert values['background_pixel_share'] == pytest.approx(blank.mean(), rel=1e-12)
    assert share > 0.2                  # far from 0: the blank pixels carry real saliency
    # the figure's six maps: the brightest blank pixel against the brightest pixel of each
    show = [int(np.flatnonzero(data['y_test'] == c)[0]) for c in SALIENCY_CLASSES]
    peaks = [s[b].max() / s.max() for s, b in zip(sal[show], blank[show])]
    assert values['saliency_shown_blank_peak_min'] == pytest.approx(min(peaks), rel=1e-12)


def test_probability_gradient_decomposes_and_nearly_vanishes_for_confident_images(values, trained):
    data, models = trained
    net, X, y = models['net'], data['X_test'][:50], data['y_test'][:50]
    scores = model_forward(net, X)[0]
    p = np.exp(scores - scores.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    ds_all = np.stack([score_gradient(net, X, np.full(len(y), j)) for j in range(10)], axis=1)
    py = p[np.arange(len(y)), y][:, None]
    expected = py * (ds_all[np.arange(len(y)), y] - np.einsum('nj,njd->nd', p, ds_all))
    np.testing.assert_allclose(probability_gradient(net, X, y), expected, rtol=0, atol=1e-12)
    assert values['prob_over_score_grad_median'] < 0.1


def test_part_of_the_probability_rise_comes_from_lowering_the_other_scores(values, trained):
    # Simonyan et al.'s reason for the score: p_y also rises when the other scores fall. Split
    # d log p_y = (1 - p_y) ds_y - sum_{j != y} p_j ds_j along a direction v, each ds_j by
    # centred differences, independently of the report's backward passes (h = 1e-5: truncation
    # ~h^2 and rounding ~1e-16/h, so 1e-6 relative is ample; a wrong split would be off by O(1))
    data, models = trained
    net, X, y = models['net'], data['X_test'], data['y_test']
    n, h = np.arange(len(y)), 1e-5
    s = model_forward(net, X)[0]
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)

    def log_p(Z):
        z = model_forward(net, Z)[0]
        return z[n, y] - z.max(1) - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1))

    def share(V):
        V = V / np.linalg.norm(V, axis=1, keepdims=True)
        ds = (model_forward(net, X + h * V)[0] - model_forward(net, X - h * V)[0]) / (2 * h)
        own = (1 - p[n, y]) * ds[n, y]
        others = -(np.sum(p * ds, 1) - p[n, y] * ds[n, y])
        np.testing.assert_allclose(own + others, (log_p(X + h * V) - log_p(X - h * V)) / (2 * h),
                                   rtol=1e-5, atol=1e-9)
        return others / (own + others)

    along_p = np.median(share(probability_gradient(net, X, y)))
    along_s = np.median(share(score_gradient(net, X, y)))
    assert values['prob_rise_from_others_median'] == pytest.approx(along_p, rel=1e-5)
    assert values['score_rise_from_others_median'] == pytest.approx(along_s, rel=1e-4, abs=1e-6)
    assert along_p > along_s > 0


def test_ascending_along_the_saliency_map_is_worse_than_along_the_gradient(values, trained):
    data, models = trained
    net, X, y = models['net'], data['X_test'], data['y_test']
    step = values['ascent_step']
    g = score_gradient(net, X, y)
    s = saliency_map(net, X, y).reshape(len(y), -1)
    score = lambda Z: model_forward(net, Z)[0][np.arange(len(y)), y]              # noqa: E731
    gain_g = score(X + step * g / np.linalg.norm(g, axis=1, keepdims=True)) - score(X)
    gain_s = score(X + step * s / np.linalg.norm(s, axis=1, keepdims=True)) - score(X)
    assert values['gain_along_gradient'] == pytest.approx(gain_g.mean(), rel=1e-12)
    assert values['gain_along_saliency'] == pytest.approx(gain_s.mean(), rel=1e-12)
    assert values['saliency_step_lowers_score'] == pytest.approx(np.mean(gain_s < 0))
    assert gain_g.mean() > 0 > gain_s.mean()
    assert values['saliency_step_lowers_score'] > 0.5


def test_randomized_weights_give_unrelated_saliency(values, trained):
    # Adebayo et al.'s check: a trained net of another seed agrees (rank corr > 0.5), random
    # weights do not (|corr| < 0.2); each map has 64 pixels, so chance |corr| ~ 1/sqrt(63) = 0.13
    # per image, averaged over 397 images ~0.01
    data, models = trained
    X, y = data['X_test'], data['y_test']
    maps = {k: saliency_map(models[k], X, y) for k in ('net', 'net_seed1', 'net_random', 'linear')}
    for other, key in (('net_seed1', 'rank_corr_net_vs_seed1'), ('net_random', 'rank_corr_net_vs_random'),
                       ('linear', 'rank_corr_net_vs_linear')):
        mean = np.mean([rank_correlation(a, b) for a, b in zip(maps['net'], maps[other])])
        assert values[key] == pytest.approx(mean, rel=1e-12)
    assert values['rank_corr_net_vs_seed1'] > 0.5
    assert abs(values['rank_corr_net_vs_random']) < 0.2


def test_spearman_matches_scipy():
    stats = pytest.importorskip('scipy.stats', reason='scipy not installed')
    a, b = rng.standard_normal(64), rng.standard_normal(64)
    assert rank_correlation(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)
    assert rank_correlation(a, 3 * a + 1) == pytest.approx(1.0)


# Class visualization ----------------------------------------------------------------------------

def test_class_visualizations_are_classified_as_their_class(values, trained):
    data, models = trained
    clip = (-data['mean'], 1 - data['mean'])
    x = np.stack([class_visualization(models['net'], c, **CLASSVIS, clip=clip) for c in range(10)])
    assert np.all(x >= clip[0] - 1e-12) and np.all(x <= clip[1] + 1e-12)
    assert values['classvis_plain_argmax'] == 1.0
    assert values['classvis_smooth_argmax'] == 1.0
    assert np.array_equal(model_forward(models['net'], x)[0].argmax(1), np.arange(10))


def test_blur_and_jitter_make_the_class_visualizations_smoother(values, trained):
    # roughness: mean |difference| of neighbouring pixels, recomputed here with explicit loops
    data, models = trained
    clip = (-data['mean'], 1 - data['mean'])

    def rough(images):
        diffs = [abs(img[r, c] - img[r2, c2]) for img in images.reshape(-1, 8, 8)
                 for r in range(8) for c in range(8)
                 for r2, c2 in ((r + 1, c), (r, c + 1)) if r2 < 8 and c2 < 8]
        return np.mean(diffs)

    plain = np.stack([class_visualization(models['net'], c, **CLASSVIS, clip=clip) for c in range(10)])
    smooth = np.stack([class_visualization(models['net'], c, **CLASSVIS, clip=clip,
                                           blur_every=BLUR_EVERY, max_jitter=1, seed=c)
                       for c in range(10)])
    assert values['classvis_plain_roughness'] == pytest.approx(rough(plain), rel=1e-12)
    assert values['classvis_smooth_roughness'] == pytest.approx(rough(smooth), rel=1e-12)
    assert rough(smooth) < rough(plain)


def test_class_visualization_step_is_the_gradient_of_the_regularized_score():
    _, net = small_models()
    x0 = rng.standard_normal(12)
    x1 = class_visualization(net, 2, 0.3, 0.01, 1, x0=x0, image_shape=(1, 3, 4))
    f = lambda v: model_forward(net, v[None])[0][0, 2] - 0.3 * np.sum(v * v)          # noqa: E731
    num = eval_numerical_gradient(f, x0.copy(), verbose=False)
    assert rel_error((x1 - x0) / 0.01, num) < 1e-7


# FGSM and the linearity argument ------------------------------------------------------------------

def test_fgsm_is_eps_times_sign_of_loss_gradient_and_raises_the_loss():
    _, net = small_models()
    X, y = rng.standard_normal((6, 12)), np.array([0, 1, 2, 3, 0, 1])
    loss, dX = loss_gradient(net, X, y)
    X_adv = fgsm(net, X, y, 0.01)
    np.testing.assert_array_equal(X_adv, X + 0.01 * np.sign(dX))
    # first order: the sign step raises the loss by ~eps ||dX||_1, more than a random sign step
    loss_adv = loss_gradient(net, X_adv, y)[0]
    loss_rand = loss_gradient(net, random_sign_noise(X, 0.01), y)[0]
    assert loss_adv - loss == pytest.approx(0.01 * np.abs(dX).sum(), rel=0.05)
    assert loss_adv > loss_rand


def test_fgsm_and_noise_images_stay_in_the_valid_pixel_range(values, trained):
    # every image the page attacks with is still an image: pixels in [0, 1]; without the clip,
    # FGSM pushes blank pixels below 0 (negative ink) and inked ones above 1
    data, models = trained
    X, y, mean = data['X_test'], data['y_test'], data['mean']
    clip = (-mean, 1 - mean)
    for m in (models['linear'], models['net']):
        for eps in EPSILONS:
            for images in (fgsm(m, X, y, eps, clip=clip), random_sign_noise(X, eps, clip=clip)):
                pixels = images + mean
                assert pixels.min() >= -1e-12 and pixels.max() <= 1 + 1e-12
    assert values['fgsm_out_of_range'] == 0.0
    unclipped = fgsm(models['net'], X, y, FGSM_EPS) + mean
    share = np.mean((unclipped < 0) | (unclipped > 1))
    assert values['fgsm_unclipped_out_of_range'] == pytest.approx(share, rel=1e-12)
    assert share > 0.1
    # the clip keeps the sign step where the pixel range allows it: clip(x + d) = x + d inside
    inside = (X + FGSM_EPS >= clip[0]) & (X + FGSM_EPS <= clip[1]) & \
             (X - FGSM_EPS >= clip[0]) & (X - FGSM_EPS <= clip[1])
    step = fgsm(models['net'], X, y, FGSM_EPS, clip=clip) - X
    np.testing.assert_allclose(np.abs(step[inside]), FGSM_EPS, rtol=1e-9)


def test_clipped_sign_step_is_the_best_first_order_step_in_the_box(trained):
    # maximize g . d over |d_i| <= eps and low_i <= x_i + d_i <= high_i: separable, so each d_i
    # is the end of its interval in the direction of g_i, i.e. clip(x + eps sign(g)) - x
    data, models = trained
    x, mean = data['X_test'][:1], data['mean']
    clip = (-mean, 1 - mean)
    g = loss_gradient(models['net'], x, data['y_test'][:1])[1][0]
    best = np.clip(x[0] + 0.1 * np.sign(g), *clip) - x[0]
    low, high = np.maximum(-0.1, clip[0] - x[0]), np.minimum(0.1, clip[1] - x[0])
    trials = rng.uniform(low, high, size=(5000, 64))
    corners = np.where(rng.random((5000, 64)) < 0.5, low, high)
    assert np.all(np.concatenate([trials, corners]) @ g <= best @ g + 1e-12)


def test_fgsm_table_fgsm_hurts_random_noise_barely(values, trained):
    data, models = trained
    X, y = data['X_test'], data['y_test']
    clip = (-data['mean'], 1 - data['mean'])
    table = rows(values['fgsm_rows'])
    assert [float(r[0]) for r in table] == list(EPSILONS)
    assert values['fgsm_eps_list'] == list(EPSILONS)
    for (name, key_f, key_r) in (('linear', 'lin_fgsm_acc', 'lin_rand_acc'),
                                 ('net', 'net_fgsm_acc', 'net_rand_acc')):
        m = models[name]
        assert values[key_f] == model_accuracy(m, fgsm(m, X, y, 0.1, clip=clip), y)
        assert values[key_r] == model_accuracy(m, random_sign_noise(X, 0.1, clip=clip), y)
        curve = [model_accuracy(m, fgsm(m, X, y, eps, clip=clip), y) for eps in EPSILONS]
        assert values[f'fgsm_curve_{key_f[:-4]}'] == curve
        noise = [model_accuracy(m, random_sign_noise(X, eps, clip=clip), y) for eps in EPSILONS]
        assert values[f'fgsm_curve_{key_r[:-4]}'] == noise
        assert min(noise) >= values['fgsm_rand_min']
        assert curve[-1] <= values['fgsm_at_largest_eps_max']
        # at eps = 0.1 random noise costs < 3 points; FGSM costs > 20 points (the page's claim)
        clean = model_accuracy(m, X, y)
        assert clean - values[key_r] < 0.03
        assert clean - values[key_f] > 0.20
    assert values['lin_fgsm_acc'] == pytest.approx(float(table[2][1].rstrip(' %')) / 100, abs=5e-4)
    # the clip takes away part of FGSM's effect: unclipped, both models would do worse
    for name, key in (('linear', 'lin'), ('net', 'net')):
        m = models[name]
        assert values[f'{key}_fgsm_acc_unclipped'] == model_accuracy(m, fgsm(m, X, y, 0.1), y)
        assert values[f'{key}_fgsm_acc_unclipped'] < values[f'{key}_fgsm_acc']


def test_linear_score_change_is_eps_times_l1_norm():
    w = rng.standard_normal(100)
    change, delta = linear_score_change(w, 0.1)
    assert change == pytest.approx(0.1 * np.abs(w).sum(), rel=1e-12)
    # no perturbation with max-norm 0.1 does better: try random corners of the cube
    corners = 0.1 * rng.choice([-1, 1], size=(1000, 100))
    assert np.all(corners @ w <= change + 1e-12)


def test_random_sign_noise_moves_a_linear_score_by_eps_times_l2_norm():
    # Var(w . eps r) = eps^2 ||w||^2 for independent +-1 r: Monte Carlo std within 3 % (n = 20000,
    # the relative standard error of a std estimate is 1/sqrt(2n) = 0.5 %)
    w = rng.standard_normal(300)
    changes = (random_sign_noise(np.zeros((20000, 300)), 0.1, seed=1) @ w)
    assert changes.std() == pytest.approx(0.1 * np.linalg.norm(w), rel=0.03)


def test_synthetic_linearity_grows_like_dimension(values):
    # E||w||_1 = D sigma sqrt(2/pi); for D >= 64 the relative sampling error of ||w||_1 is
    # sqrt(1 - 2/pi)/sqrt(2/pi) / sqrt(D) <= 0.095 at D = 64: 4 standard errors allowed
    eps, sigma = 1 / 255, values['synth_sigma']
    for D in (64, 3072, 150528):
        theory = eps * D * sigma * math.sqrt(2 / math.pi)
        tol = 4 * 0.755 / math.sqrt(D)
        assert values[f'synth_l1_{D}'] == pytest.approx(theory, rel=tol)
        assert values[f'synth_l2_{D}'] == pytest.approx(eps * sigma * math.sqrt(D), rel=tol)
    # the typed numbers of the page: sqrt(2D/pi) for the ratio ||w||_1 / ||w||_2
    for D, typed in ((64, 6.4), (3072, 44), (150528, 310)):
        assert math.sqrt(2 * D / math.pi) == pytest.approx(typed, rel=0.01)
    table = rows(values['synth_rows'])
    assert [r[0] for r in table] == ['64', '3 072', '150 528']
    # the table shows D = 150528 shifting the score by more than 1000x what D = 64 does
    assert values['synth_l1_150528'] / values['synth_l1_64'] > 1000


def test_linear_model_reach_and_margin(values, trained):
    data, models = trained
    lin, X, y, mean = models['linear'], data['X_test'], data['y_test'], data['mean']
    scores = model_forward(lin, X)[0]
    margins, bounds, reaches = [], [], []
    for i in range(len(y)):
        others = [j for j in range(10) if j != y[i]]
        k = max(others, key=lambda j: scores[i, j])
        margins.append(scores[i, y[i]] - scores[i, k])
        # eps ||w_y - w_k||_1: the most a change of max-norm 0.1 can take off the margin s_y - s_k
        change, delta = linear_score_change(lin['W'][:, k] - lin['W'][:, y[i]], 0.1)
        bounds.append(change)
        # the same sign step, the pixels kept in [0, 1]: what it really takes off
        pixels = np.clip(X[i] + mean + delta, 0, 1)
        after = model_forward(lin, (pixels - mean)[None])[0][0]
        reaches.append(margins[-1] - (after[y[i]] - after[k]))
    assert values['lin_margin_median'] == pytest.approx(np.median(margins), rel=1e-12)
    assert values['lin_reach_bound_median'] == pytest.approx(np.median(bounds), rel=1e-12)
    assert values['lin_reach_median'] == pytest.approx(np.median(reaches), rel=1e-9)
    assert np.all(np.array(reaches) <= np.array(bounds) + 1e-12)
    assert values['lin_reach_exceeds_margin'] == pytest.approx(np.mean(np.array(reaches) > margins))
    assert values['lin_eps_l1_mean'] == pytest.approx(0.1 * np.abs(lin['W']).sum(0).mean())


def test_both_models_learn_the_digits(values):
    # the page says both are accurate, the net more so; 397 test images: 1 image = 0.25 points
    assert values['acc_linear'] > 0.9 and values['acc_net'] > 0.9
    assert values['acc_net'] > values['acc_linear']
    assert values['n_test'] == 397


def test_report_is_deterministic(tmp_path, values):
    again = report(tmp_path)
    assert again == values
    for name in ('linear', 'saliency', 'classvis', 'fgsm'):
        assert (tmp_path / f'{name}.svg').stat().st_size < 150_000


def test_trained_linear_weights_at_d64(values, trained):
    # the trained digits model at D = 64, with the synthetic table's eps = 1/255
    W = trained[1]['linear']['W']
    assert values['lin_l1_over_255'] == pytest.approx(np.abs(W).sum(0).mean() / 255, rel=1e-12)
    ratio = np.abs(W).sum(0) / np.linalg.norm(W, axis=0)
    assert values['lin_l1_over_l2_mean'] == pytest.approx(ratio.mean(), rel=1e-12)
    # Cauchy-Schwarz: 1 <= ||w||_1 / ||w||_2 <= sqrt(64) = 8
    assert np.all((ratio >= 1) & (ratio <= 8))


def test_sign_step_towards_the_runner_up_misclassifies_at_least_that_share(values, trained):
    # if the clipped step takes more than s_y - s_k off the margin, it makes s_k > s_y
    data, models = trained
    lin, X, y = models['linear'], data['X_test'], data['y_test']
    clip = (-data['mean'], 1 - data['mean'])
    scores = model_forward(lin, X)[0]
    k = np.where(np.arange(10) == y[:, None], -np.inf, scores).argmax(1)
    X_step = np.clip(X + 0.1 * np.sign(lin['W'][:, k] - lin['W'][:, y]).T, *clip)
    wrong = model_forward(lin, X_step)[0].argmax(1) != y
    assert wrong.mean() >= values['lin_reach_exceeds_margin']
    assert values['lin_step_to_rival_wrong'] == pytest.approx(wrong.mean())


def test_the_three_input_sizes_are_digits_cifar_imagenet():
    assert 8 * 8 == 64 and 32 * 32 * 3 == 3072 and 224 * 224 * 3 == 150528
