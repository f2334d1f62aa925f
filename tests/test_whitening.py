"""
snippets.whitening and snippets.experiments.whitening: PCA/ZCA whitening against independent
computations, the frequency measures on signals whose answer is known, bad input, and one claim
test per number of report() that the whitening page states.
"""
import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from snippets.experiments.whitening import (K, PATCH, colour_share, crop_data, displayed_chroma,
                                            filter_gain_slope, neighbour_correlation,
                                            pixel_correlation, power_law_field, random_crops,
                                            report, white_gaussian_floor)
from snippets.reporting import rank_correlation
from snippets.whitening import (BAND, mode_frequency, pca_fit, pca_reduce,
                                pca_whiten, power_spectrum, spectral_slope, top_eigh,
                                whiten_by_eigenvalue, zca_whiten)


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('whitening')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


@pytest.fixture(scope='module')
def small():
    """8x8x3 crops (192-D) of the colour photos: small enough for np.linalg.eigh everywhere."""
    rng = np.random.default_rng(5)
    from snippets.data import load_photo
    return np.concatenate([random_crops(load_photo(n), 8, 700, rng)
                           for n in ('astronaut', 'chelsea', 'coffee')])


# PCA and whitening ---------------------------------------------------------------------------

def test_pca_fit_matches_numpy_eigh_of_the_covariance(small):
    mean, U, S = pca_fit(small, 50)
    cov = np.cov(small, rowvar=False, bias=True)
    w, V = np.linalg.eigh(cov)
    np.testing.assert_allclose(mean, small.mean(axis=0), atol=1e-15)
    np.testing.assert_allclose(S, w[::-1][:50], rtol=1e-10)
    # eigenvectors up to sign; the spectrum of photos has no repeated eigenvalues at this size
    np.testing.assert_allclose(np.abs((U * V[:, ::-1][:, :50]).sum(axis=0)), 1, atol=1e-8)


def test_subspace_iteration_matches_eigh_on_a_large_matrix():
    # a 1024 x 1024 covariance with a photo-like 1/k spectrum; the top 60 are kept. The error
    # shrinks like (lambda_160 / lambda_j)**12 <= (60/160)**12 ~ 8e-6 per step in the worst
    # case; the Rayleigh-Ritz values converge twice as fast. 1e-8 leaves room for that.
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((1024, 1024)))
    lam = 1.0 / np.arange(1, 1025)
    C = (Q * lam) @ Q.T
    S, U = top_eigh(C, 60)
    np.testing.assert_allclose(S, lam[:60], rtol=1e-8)
    assert np.abs(np.abs((U * Q[:, :60]).sum(axis=0)) - 1).max() < 1e-5
    np.testing.assert_allclose(U.T @ U, np.eye(60), atol=1e-12)


def test_pca_whitened_covariance_is_S_over_S_plus_eps(small):
    mean, U, S = pca_fit(small, 40)
    for eps in (0.0, 1e-5, 1e-2):
        Z = pca_whiten(small, mean, U, S, eps)
        cov = Z.T @ Z / len(Z)
        np.testing.assert_allclose(cov, np.diag(S / (S + eps)), atol=1e-9)


def test_zca_is_a_symmetric_whitening_matrix(small):
    # all D modes, eps = 0: Z = (X - mean) W with W symmetric and cov(Z) = I, checked directly
    D = small.shape[1]
    mean, U, S = pca_fit(small, D)
    Z = zca_whiten(small, mean, U, S, eps=0.0)
    W = np.linalg.lstsq(small - mean, Z, rcond=None)[0]
    np.testing.assert_allclose(W, W.T, atol=1e-6)
    np.testing.assert_allclose(np.cov(Z, rowvar=False, bias=True), np.eye(D), atol=1e-8)
    # W^2 is the inverse covariance, computed without the eigendecomposition
    cov = np.cov(small, rowvar=False, bias=True)
    np.testing.assert_allclose(W @ W @ cov, np.eye(D), atol=1e-5)


def test_whitening_is_invertible_nothing_is_removed(small):
    mean, U, S = pca_fit(small, 40)
    Z = pca_whiten(small, mean, U, S, 1e-5)
    back = Z * np.sqrt(S + 1e-5) @ U.T + mean
    np.testing.assert_allclose(back, pca_reduce(small, mean, U), atol=1e-12)


def test_dividing_by_the_eigenvalue_leaves_variance_one_over_lambda(small):
    mean, U, S = pca_fit(small, 40)
    wrong = whiten_by_eigenvalue(small, mean, U, S, 0.0)
    np.testing.assert_allclose(wrong.var(axis=0), 1 / S, rtol=1e-9)
    right = pca_whiten(small, mean, U, S, 0.0)
    np.testing.assert_allclose(right.var(axis=0), 1, rtol=1e-9)


def test_zca_output_looks_more_like_the_input_than_pca_output_or_a_rotated_whitening(small):
    D = small.shape[1]
    mean, U, S = pca_fit(small, D)
    zca = pixel_correlation(small, zca_whiten(small, mean, U, S, 1e-3))
    pca = pixel_correlation(small, pca_whiten(small, mean, U, S, 1e-3))
    Q, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((D, D)))
    rotated = pixel_correlation(small, pca_whiten(small, mean, U, S, 1e-3) @ Q)
    assert zca > 0.2 and zca > 5 * max(abs(pca), abs(rotated)), (zca, pca, rotated)


# Frequency measures --------------------------------------------------------------------------

def test_mode_frequency_of_a_cosine_is_its_frequency():
    # a cosine with 4 and with 8 cycles over 32 pixels; the Hann window spreads its power
    # over +-2 bins (1/16), symmetric on a linear axis, so the mean is within 1/64
    x = np.arange(32)
    for cycles in (4, 8):
        img = np.cos(2 * np.pi * cycles * x / 32)[None, :] * np.ones((32, 1))
        f = mode_frequency(img.reshape(1, -1), (32, 32))[0]
        assert abs(f - cycles / 32) < 1 / 64, (cycles, f)


def test_rank_correlation_matches_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(200), rng.standard_normal(200)
    b = a + b
    assert rank_correlation(a, b) == pytest.approx(spearmanr(a, b)[0], abs=1e-12)


def test_power_spectrum_of_white_noise_is_flat_at_its_variance():
    # unit-variance white noise: power 1 at every frequency; 49 tiles and >= 6 frequencies per
    # ring give a relative standard error below 1/sqrt(49 * 6) ~ 0.06 per ring
    noise = np.random.default_rng(3).standard_normal((512, 512))
    f, p = power_spectrum(noise)
    assert np.all(np.abs(p[2:] - 1) < 0.25), p.min()
    assert abs(p[2:].mean() - 1) < 0.02


@pytest.mark.parametrize('alpha', [1.0, 2.0, 3.0])
def test_spectral_slope_recovers_the_exponent_of_a_power_law_field(alpha):
    # the Hann window's leakage from the strong low frequencies flattens a steep spectrum at
    # most slightly in the mid band; measured with a margin of 0.1
    field = power_law_field(512, alpha, np.random.default_rng(4))
    assert spectral_slope(*power_spectrum(field))[0] == pytest.approx(alpha, abs=0.1)


def test_power_law_field_is_stationary_with_unit_variance():
    field = power_law_field(256, 2.0, np.random.default_rng(0))
    assert field.std() == pytest.approx(1, abs=1e-12) and field.mean() == pytest.approx(0.5)


# Bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize('X,k,message', [
    (np.ones(10), 1, '2-D'),
    (np.random.default_rng(0).standard_normal((5, 8)), 5, 'N > k'),
    (np.random.default_rng(0).standard_normal((1, 8)), 1, 'at least 2'),
    (np.full((10, 3), np.nan), 1, 'NaN'),
    (np.ones((10, 3)), 4, 'k must be'),
])
def test_pca_fit_rejects_bad_input(X, k, message):
    with pytest.raises(ValueError, match=message):
        pca_fit(X, k)


def test_top_eigh_rejects_a_non_square_matrix_and_a_bad_k():
    with pytest.raises(ValueError, match='square'):
        top_eigh(np.ones((3, 4)), 1)
    with pytest.raises(ValueError, match='k must be'):
        top_eigh(np.eye(3), 4)


def test_whitening_rejects_bad_eps_and_mismatched_shapes(small):
    mean, U, S = pca_fit(small, 10)
    with pytest.raises(ValueError, match='eps'):
        pca_whiten(small, mean, U, S, -1.0)
    with pytest.raises(ValueError, match='mean'):
        zca_whiten(small[:, :10], mean, U, S)
    with pytest.raises(ValueError, match='X'):
        pca_whiten(small[0], mean, U, S)
    with pytest.raises(ValueError, match='shape'):
        mode_frequency(U.T, (8, 8))
    with pytest.raises(ValueError, match='tile'):
        power_spectrum(np.ones((64, 64)))


# Claims of the page --------------------------------------------------------------------------

def test_ten_of_144_is_the_share_of_ten_equal_variances(values):
    assert values['top10_math'] == 10 / 144
    assert round(10 / 144, 3) == 0.069           # as typed on the page


def test_top10_share_falls_from_most_of_the_variance_to_10_over_144(values):
    # before: the page says "most"; after: S / (S + eps) differs from 1 by eps / lambda_144
    # < 1e-3, so the share moves from 10/144 by less than 1e-3 * 10/144
    assert values['top10_before'] > 0.8
    assert 0 < values['top10_after'] - 10 / 144 < 1e-4     # "slightly above 10/144"
    assert values['top1_before'] > 0.5            # "the first mode alone carries half"


def test_whitened_covariance_is_identity_on_the_fitted_crops(values):
    # deviation eps / (lambda_144 + eps) with lambda_144 ~ 0.02: below 1e-3
    assert values['cov_white_max_dev'] < 1e-3
    assert values['cov_white_max_dev'] == pytest.approx(values['eps'] / (values['lambda_k'] + values['eps']), rel=1e-6)


def test_on_new_crops_the_whitened_covariance_is_further_from_identity_than_sampling_noise(values):
    # the noise floor: white Gaussian data, same n and dimension; each diagonal entry then has
    # standard deviation sqrt(2 / n) ~ 0.022 at n = 4200, its 144 entries span about +-3 of them
    n = values['n_held']
    assert values['gauss_diag_min'] == pytest.approx(1 - 3 * math.sqrt(2 / n), abs=0.03)
    assert values['held_diag_min'] < values['gauss_diag_min'] and values['held_diag_max'] > values['gauss_diag_max']
    assert values['held_offdiag_max'] > 2 * values['gauss_offdiag_max']
    # the mean of the 144 whitened variances has standard deviation sqrt(2 / (n K)) ~ 0.002 under
    # the floor; on new crops it is lower than 1 by far more than 4 of those
    assert 1 - values['held_diag_mean'] > 4 * math.sqrt(2 / (n * K))
    assert values['held_last10_mean'] < values['held_first10_mean']
    # with 600 crops about half of the width is the floor's own spread (the page says "about half")
    share = (values['gauss600_diag_max'] - values['gauss600_diag_min']) / \
        (values['held600_diag_max'] - values['held600_diag_min'])
    assert 0.4 < share < 0.6


def test_white_gaussian_floor_has_the_chi_square_spread():
    # diagonal entries: mean 1 - 0 (bias=True, mean removed: (n-1)/n), sd sqrt(2/n)
    C = white_gaussian_floor(2000, 50)
    d = np.diag(C)
    assert d.mean() == pytest.approx(1, abs=4 * math.sqrt(2 / (2000 * 50)) + 1 / 2000)
    assert d.std() == pytest.approx(math.sqrt(2 / 2000), rel=0.3)    # 50 entries: sd known to ~10%


def test_eigenvector_frequency_rises_with_rank(values):
    assert values['rho_crops'] > 0.9
    assert values['f_mode_last'] > 5 * values['f_mode_first']
    assert values['rho_patch_min'] > 0.9 and values['rho_field'] > 0.9


def test_white_noise_has_no_frequency_ordering(values):
    # random eigenvectors: rho ~ N(0, 1/sqrt(255)); 4 standard deviations = 0.25
    assert abs(values['rho_white']) < 4 / math.sqrt(255)


def test_spectral_slopes_of_photos_controls_and_textures(values):
    assert values['alpha_field'] == pytest.approx(2, abs=0.1)
    assert abs(values['alpha_white']) < 0.1
    assert 2 < values['alpha_photo_min'] <= values['alpha_photo_max'] < 3.5   # "steeper than 2"
    assert values['alpha_grass'] < values['alpha_photo_min']                   # grass is flatter
    assert values['alpha_brick'] > values['alpha_photo_max']                   # brick is not
    assert values['alpha_gravel'] < values['alpha_photo_min']
    assert values['alpha_grass'] < values['alpha_gravel']                      # grass the flattest


def test_eigenvalues_fall_like_one_over_k_for_the_1_over_f2_field(values):
    # lambda_k ~ k**(-alpha/2): 1 for alpha = 2; photos, with alpha > 2, fall faster
    assert values['lambda_slope_field'] == pytest.approx(1, abs=0.1)
    assert all(values[f'lambda_slope_{n}'] > 1.2 for n in ('astronaut', 'chelsea', 'coffee', 'camera'))


def test_variance_moves_from_low_to_high_frequencies(values):
    assert values['band_low_before'] > 0.8 and values['band_low_after'] < 0.15
    assert values['band_high_before'] < 0.05 and values['band_high_after'] > 0.3


def test_zca_images_have_higher_frequency_than_the_originals(values):
    assert values['f_zca'] > 2 * values['f_original']
    assert values['f_reduced'] < values['f_original']


def test_144_modes_keep_most_variance_and_images_stay_3072_wide(values):
    assert values['retained'] > 0.95 and values['reduced_width'] == 144
    assert values['zca_shape'] == '(3072,)' and values['zca_width'] == 3072
    assert values['whiten_matrix_entries'] == 3072 ** 2
    assert values['whiten_roundtrip'] < 1e-12


def test_dividing_by_lambda_spreads_variances_by_lambda1_over_lambda144(values):
    # the wrong variances are lambda / (lambda + eps)**2 ~ 1 / lambda: their ratio is the
    # eigenvalue ratio up to eps / lambda_144 < 1e-3
    assert values['wrong_var_ratio'] == pytest.approx(values['ratio_1_k'], rel=2e-3)
    # exactly: the ratio is smaller by the factor ((lambda_144 + eps) / lambda_144)**2 *
    # (lambda_1 / (lambda_1 + eps))**2, i.e. by about 2 eps / lambda_144
    assert 0 < values['wrong_var_shortfall'] <= 2 * values['eps'] / values['lambda_k']
    assert values['wrong_var_shortfall'] == pytest.approx(2 * values['eps'] / values['lambda_k'], rel=0.01)


def test_raising_eps_switches_off_modes_and_lowers_the_output_frequency(values):
    dof = [values[f'dof_eps{i}'] for i in range(5)]
    f = [values[f'f_eps{i}'] for i in range(5)]
    assert all(a > b for a, b in zip(dof, dof[1:])) and all(a > b for a, b in zip(f, f[1:]))
    assert dof[0] > 0.95 * PATCH ** 2 and dof[-1] < 0.1 * PATCH ** 2
    assert f[0] > 3 * values['f_patch_original'] and f[-1] < 2 * values['f_patch_original']


def test_small_eps_multiplies_the_weakest_mode_hundreds_of_times_more(values):
    assert values['gain_ratio'] == pytest.approx(
        math.sqrt((values['patch_lambda_max'] + 1e-5) / (values['patch_lambda_min'] + 1e-5)))
    assert values['gain_ratio'] > 100
    assert values['patch_lambda_min'] > values['quantization_variance']


def test_zca_correlates_with_the_input_and_pca_does_not(values):
    assert values['corr_zca'] > 0.2 and abs(values['corr_pca']) < 0.05


def test_the_band_and_crop_settings_the_page_names(values):
    assert (values['band_lo'], values['band_hi']) == BAND == (1 / 32, 1 / 4)
    assert values['k'] == K == 144 and values['n_crops'] > 3072


def test_figures_are_small_deterministic_svg(result):
    _, outdir = result
    for name in ('panels', 'spectra', 'modes', 'bands', 'eps'):
        text = (outdir / f'{name}.svg').read_text()
        assert len(text) < 150_000, name
        assert '<dc:date>' not in text


# Claims about the eigenvectors of the crops: recomputed through pca_fit ------------------------

@pytest.fixture(scope='module')
def crops_model():
    X = crop_data()
    mean, U, S = pca_fit(X, K)
    return X, U, S, mode_frequency(U.T, (32, 32, 3))


def test_the_top_10_modes_are_all_in_the_lowest_band(crops_model, values):
    _, _, _, f = crops_model
    assert np.all(f[:10] < 0.05)                  # the page: "the top 10 modes, all low-frequency"
    assert values['band_rows_low_count'] == int(np.sum(f < 0.05))
    assert values['band_rows_high_count'] == int(np.sum(f >= 0.15))


def test_the_first_mode_is_the_mean_brightness_of_the_crop(crops_model):
    _, U, _, _ = crops_model
    # cosine with the constant image: 1 for a perfectly flat mode
    assert abs(U[:, 0].sum()) / math.sqrt(U.shape[0]) > 0.9


def test_brightness_modes_come_first_and_colour_opponent_modes_later(crops_model):
    _, U, _, _ = crops_model
    channel_sums = U.reshape(32, 32, 3, -1).sum(axis=(0, 1))          # (3, K)
    same_sign = lambda j: np.all(channel_sums[:, j] > 0) or np.all(channel_sums[:, j] < 0)
    assert same_sign(0)
    opponent = [j for j in range(20) if channel_sums[:, j].max() > 0.3 * np.abs(channel_sums[:, j]).max()
                and channel_sums[:, j].min() < -0.3 * np.abs(channel_sums[:, j]).max()]
    assert opponent and opponent[0] > 0


def test_photo_top10_share_exceeds_the_harmonic_share_of_a_1_over_k_spectrum(values):
    H = lambda m: sum(1 / j for j in range(1, m + 1))
    assert values['top10_before'] > H(10) / H(144) + 0.2


def test_144_of_3072_is_4_point_7_percent(values):
    assert round(100 * 144 / 3072, 1) == 4.7
    assert values['crop_fraction'] == 144 / 3072


# Colour, "white", and the gain of the whitening filter -------------------------------------------

def test_colour_share_is_zero_for_grey_one_for_pure_chroma_and_ignores_the_display_stretch():
    rng = np.random.default_rng(0)
    g = rng.random((5, 64))
    grey_images = np.repeat(g, 3, axis=1)                        # R = G = B
    assert colour_share(grey_images, remove_mean_colour=False) == pytest.approx(0, abs=1e-15)
    chroma = rng.standard_normal((5, 64, 3))
    chroma -= chroma.mean(axis=2, keepdims=True)                 # no grey component at all
    assert colour_share(chroma.reshape(5, -1)) == pytest.approx(1)
    Z = rng.standard_normal((5, 192))
    for remove in (True, False):
        assert colour_share(3.7 * Z + 0.4, remove) == pytest.approx(colour_share(Z, remove), rel=1e-12)


def test_full_whitening_gives_colour_its_share_of_the_dimensions(small):
    # cov(Z) = I over all 192 = 64 x 3 dimensions (eps = 0): the chroma subspace has 128 of them,
    # and each image's grey mean removes the one constant direction: 128 / 191, exactly
    D = small.shape[1]
    mean, U, S = pca_fit(small, D)
    Z = zca_whiten(small, mean, U, S, eps=0.0)
    assert colour_share(Z, remove_mean_colour=False) == pytest.approx(128 / 191, rel=1e-9)
    # removing each image's mean colour removes the 3 constant directions, 2 of them chroma
    assert colour_share(Z) == pytest.approx(126 / 189, rel=1e-9)
    # the variation inside a photo crop is mostly brightness: colour has a far smaller share
    assert colour_share(small) < 0.5 * 126 / 189


def test_whitening_amplifies_the_colour_variation_within_a_crop(values):
    assert values['colour_within_zca'] > values['colour_within_x']
    assert values['colour_within_ratio'] > 1.5
    # the mosaic is not grey: more than half of the originals' channel spread is left
    assert values['chroma_shown_ratio'] > 0.5
    # the originals' colour is mostly each crop's tint, which whitening shrinks
    assert values['colour_tint_x'] > 2 * values['colour_within_x']
    assert values['colour_tint_zca'] < values['colour_tint_x']


def test_displayed_chroma_of_grey_is_zero():
    rows = np.repeat(np.random.default_rng(1).random((3, 16)), 3, axis=1)
    assert displayed_chroma(rows, stretch=True) == pytest.approx(0, abs=1e-15)


def test_first_component_is_brightness_and_a_colour_one_comes_later(values):
    assert values['colour_fraction_u1'] < 0.01 and values['colour_first_rank'] > 1
    assert values['colour_modes'] < K / 10


def test_fully_whitened_neighbours_are_uncorrelated(small):
    # grey 8 x 8 patches, all 64 modes, eps = 0: cov(Z) = I, so adjacent pixels have covariance
    # 0 and correlation 0 up to rounding; the patches themselves are strongly correlated
    grey_small = small.reshape(-1, 64, 3).mean(axis=2)
    mean, U, S = pca_fit(grey_small, 64)
    assert neighbour_correlation(zca_whiten(grey_small, mean, U, S, eps=0.0), 8) == pytest.approx(0, abs=1e-9)
    assert neighbour_correlation(grey_small, 8) > 0.8


def test_small_eps_output_is_white_like_noise_and_larger_eps_smoother(values):
    # white noise: neighbour correlation ~ N(0, 1/sqrt(1000 * 16 * 15)) ~ 0.002; 0.02 is 8 sd
    assert abs(values['neighbour_white_noise']) < 0.02
    assert abs(values['neighbour_eps0']) < 0.05                 # eps / lambda leaves a trace
    # mean frequency of the output at eps = 1e-5 equals that of white noise within 0.02 (1000
    # patches; the weakest modes are still damped by lambda / (lambda + eps))
    assert values['f_eps0'] == pytest.approx(values['f_white_noise'], abs=0.02)
    n = [values[f'neighbour_eps{i}'] for i in range(5)]
    assert all(a < b for a, b in zip(n, n[1:])) and n[-1] < values['neighbour_original']


def test_zca_filter_gain_rises_like_f_to_the_alpha_over_2():
    # a 1/f^alpha field: the gain is 1/sqrt(power) ~ f**(alpha/2); a 16 x 16 patch is not a
    # torus (edges break stationarity) and the band holds only 4 steps of |f|: 0.15 of margin
    for alpha in (1.0, 2.0, 3.0):
        field = power_law_field(512, alpha, np.random.default_rng(4))
        X = random_crops(field, 16, 4000, np.random.default_rng(0))
        mean, U, S = pca_fit(X, 256)
        assert filter_gain_slope(U, S, 16) == pytest.approx(alpha / 2, abs=0.15), alpha


def test_measured_gain_slopes_follow_the_spectral_slopes(values):
    assert values['gain_alpha_rho'] > 0.8
    assert values['gain_slope_dev_max'] < 0.25
    assert values['gain_band_min'] == pytest.approx(8 ** (values['alpha_photo_min'] / 2))


def test_zca_frequency_ratio_and_sample_sizes(values):
    assert values['f_zca_ratio'] == pytest.approx(values['f_zca'] / values['f_original'])
    assert values['n_held'] == 4200 and values['n_patches'] == 4000


def test_the_band_edges_the_page_names(values):
    rows = [line.split('|')[1].strip() for line in values['band_rows'].splitlines()]
    assert rows[0] == '0.00–0.05' and rows[3] == '0.15–0.20'
