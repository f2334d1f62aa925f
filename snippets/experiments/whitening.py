"""
PCA and ZCA whitening of natural image crops
============================================

The experiments of the whitening page. CS231n's figure (quoted in the notes) takes CIFAR-10, keeps
the top 144 of the 3072 eigenvectors of the pixel covariance, and shows: the images, the
eigenvectors, the images rebuilt from 144 numbers, and the whitened images rotated back to pixels
with U.transpose()[:144, :]. We have no CIFAR-10 offline, so the crops here are 32x32x3 pieces of
public-domain / CC0 photographs that scikit-image ships (snippets.data).

1. The notes' figure on 4200 crops, k = 144: the eigenvalues, the variance kept, whitening that
   makes the covariance I on the fitted crops (and only roughly on 4200 new ones, compared with
   the noise floor of white Gaussian data of the same size), the wrong whitening that divides by
   lambda, how the eigenvectors' frequency rises with their rank, and what whitening does to
   colour (colour-opponent components are amplified too).
2. Where the variance lies by frequency band, before and after whitening: whitening moves it from
   the low frequencies to the high ones.
3. Why: the power spectra of grey photos, textures and two synthetic controls (a 1/f^2 Gaussian
   field and white noise) fall like 1 / f**alpha, and PCA of their 16x16 patches orders the modes
   by frequency, except for white noise. The ZCA filter of those patches has a gain that rises
   like f**(alpha / 2): that is why whitening exaggerates the high frequencies.
4. eps: full ZCA whitening of 16x16 patches for eps from 1e-5 to 1e-1, how many modes keep their
   variance, how high the output's frequency is and how correlated its neighbouring pixels are
   (white: uncorrelated, with the mean frequency of white noise).

`report(outdir)` runs all of it with fixed seeds (the 3072-D eigendecomposition takes a few
seconds), writes panels.svg, bands.svg, spectra.svg, modes.svg and eps.svg, and returns the
page's numbers; `python -m snippets whitening` prints them.
"""
from pathlib import Path

import numpy as np

from snippets.checks import check_array
from snippets.data import load_photo
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, rank_correlation, save_svg
from snippets.whitening import (BAND, image_frequency, mode_frequency, pca_fit, pca_reduce,
                                pca_whiten, power_spectrum, spectral_slope, whiten_by_eigenvalue,
                                zca_whiten)

# Settings -----------------------------------------------------------------------------------

COLOUR_PHOTOS = ('astronaut', 'chelsea', 'coffee')          # PNG, colour: the 32x32x3 crops
GREY_SOURCES = ('astronaut', 'chelsea', 'coffee', 'camera',  # photos
                'grass', 'gravel', 'brick')                  # textures
CROP_SHAPE = (32, 32, 3)
K = 144                      # the notes' number of kept modes (of 3072)
EPS = 1e-5                   # CS231n's eps
BAND_EDGES = np.array([0.0, 0.05, 0.1, 0.15, 0.2, 0.3])     # frequency bands of the modes (1/px)
PATCH = 16                   # grey patches for the per-image analysis: 16 x 16 = 256 dimensions
N_PATCHES = 4000
RANK_FIT = np.arange(4, 129)                                 # ranks where lambda_k ~ k**(-slope) is fitted
EPS_VALUES = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1)


# Data ---------------------------------------------------------------------------------------

def grey(image):
    """(H, W, 3) -> (H, W) by the mean of the channels; (H, W) is returned as it is."""
    check_array('image', image)
    if image.ndim == 3:
        return image.mean(axis=2)
    if image.ndim != 2:
        raise ValueError(f'image must be (H, W) or (H, W, C), got shape {image.shape}')
    return image


def random_crops(image, size, n, rng):
    """
    n crops of size x size at uniformly random positions, each flattened in (row, column,
    channel) order, as CIFAR-10 rows are.

    Inputs:
    - image: of shape (H, W) or (H, W, C)
    - size: side of a crop, at most min(H, W)
    - n: number of crops
    - rng: np.random.Generator

    Returns:
    - X: of shape (n, size * size * C), or (n, size * size) for a grey image
    """
    check_array('image', image)
    H, W = image.shape[:2]
    if not 1 <= size <= min(H, W):
        raise ValueError(f'size must be in 1..{min(H, W)}, got {size}')
    rows = rng.integers(0, H - size + 1, n)
    cols = rng.integers(0, W - size + 1, n)
    return np.stack([image[r:r + size, c:c + size].ravel() for r, c in zip(rows, cols)])


def power_law_field(n, alpha, rng):
    """
    A stationary Gaussian random field on an n x n torus whose power spectrum is 1 / |f|**alpha
    (alpha = 2: the classic model of natural images; alpha = 0: white noise), scaled to
    standard deviation 1 and mean 0.5.

    Returns:
    - field: of shape (n, n)
    """
    f = np.hypot(*np.meshgrid(np.fft.fftfreq(n), np.fft.fftfreq(n), indexing='ij'))
    f[0, 0] = np.inf                                # no power at f = 0
    amplitude = f ** (-alpha / 2)
    field = np.fft.ifft2(np.fft.fft2(rng.standard_normal((n, n))) * amplitude).real
    return 0.5 + (field - field.mean()) / field.std()


def crop_data(n_per_photo=1400, seed=0):
    """
    32x32x3 crops (values in [0, 1]) of the colour photos, n_per_photo from each.

    Returns:
    - X: of shape (3 * n_per_photo, 3072)
    """
    rng = np.random.default_rng(seed)
    return np.concatenate([random_crops(load_photo(name), CROP_SHAPE[0], n_per_photo, rng)
                           for name in COLOUR_PHOTOS])


def grey_sources(seed=0):
    """Grey images by name: the photos and textures, and the two controls (512 x 512)."""
    rng = np.random.default_rng(seed)
    sources = {name: grey(load_photo(name)) for name in GREY_SOURCES}
    sources['1/f^2'] = power_law_field(512, 2.0, rng)
    sources['white'] = power_law_field(512, 0.0, rng)
    return sources


# Measures -----------------------------------------------------------------------------------

def variance_by_band(f_modes, variances, edges):
    """Share of the total variance carried by the modes whose frequency lies in each band."""
    which = np.digitize(f_modes, edges[1:-1])
    return np.array([variances[which == b].sum() for b in range(len(edges) - 1)]) / variances.sum()


def pixel_correlation(X, Z):
    """The mean over the D columns of the correlation between X[:, i] and Z[:, i] (N, D):
    how much a whitened output, read as an image, still looks like its input."""
    Xc, Zc = X - X.mean(axis=0), Z - Z.mean(axis=0)
    return float(np.mean((Xc * Zc).sum(axis=0) / np.sqrt((Xc ** 2).sum(axis=0) * (Zc ** 2).sum(axis=0))))


def colour_share(Z, remove_mean_colour=True):
    """
    The share of the variation within each 32x32x3 image that is colour rather than brightness,
    pooled over the images: a pixel's chroma is its RGB minus their mean (its grey level).

    Inputs:
    - Z: of shape (N, h * w * 3), one RGB image per row
    - remove_mean_colour: subtract each image's mean of each channel first (its overall tint), so
      only the colour *variation* inside an image counts; otherwise only its mean grey level

    Returns:
    - share: sum of squared chroma / sum of squared deviations, in [0, 1]. Adding one number to
      all channels or scaling an image leaves it unchanged, so it is the same for an image
      stretched to the full grey range, as the page's mosaics show them.
    """
    Z = np.asarray(Z, dtype=float).reshape(len(Z), -1, 3)
    Z = Z - (Z.mean(axis=1, keepdims=True) if remove_mean_colour else Z.mean(axis=(1, 2), keepdims=True))
    chroma = Z - Z.mean(axis=2, keepdims=True)
    return float((chroma ** 2).sum() / (Z ** 2).sum())


def displayed_chroma(rows, stretch):
    """The mean over pixels of the standard deviation of R, G and B of images as tile_images shows
    them (each stretched to [0, 1] on its own, or clipped to [0, 1]): how coloured they look."""
    shown = []
    for v in rows:
        v = (v - v.min()) / max(v.max() - v.min(), 1e-12) if stretch else np.clip(v, 0, 1)
        shown.append(v.reshape(-1, 3).std(axis=1).mean())
    return float(np.mean(shown))


def neighbour_correlation(Z, side):
    """The correlation of horizontally adjacent pixels of grey side x side images (N, side**2),
    each pixel centred over the images: about 0 for white noise, near 1 for smooth images."""
    Z = Z.reshape(-1, side, side)
    Z = Z - Z.mean(axis=0)
    return float(np.corrcoef(Z[:, :, :-1].ravel(), Z[:, :, 1:].ravel())[0, 1])


def filter_gain_slope(U, S, side, eps=EPS, band=BAND):
    """
    The slope of log gain against log f of the full ZCA filter W = U (S + eps)^(-1/2) U^T of
    side x side grey patches: the gain at f is the rms of |W g| / |g| over the cosine and sine
    gratings g of frequency f = |(a, b)| / side in band (a, b >= 0). For a stationary image with
    power ~ 1 / f**alpha the gain is 1 / sqrt(power) ~ f**(alpha / 2).
    """
    W = (U / np.sqrt(S + eps)) @ U.T
    y, x = np.mgrid[0:side, 0:side]
    freqs, gains = [], []
    for a in range(side // 2 + 1):
        for b in range(side // 2 + 1):
            f = np.hypot(a, b) / side
            if (a, b) == (0, 0) or not band[0] - 1e-12 <= f <= band[1] + 1e-12:
                continue
            g = [wave(2 * np.pi * (a * x + b * y) / side).ravel() for wave in (np.cos, np.sin)]
            freqs.append(f)
            gains.append(np.sqrt(np.mean([np.sum((v @ W) ** 2) / np.sum(v ** 2) for v in g])))
    return float(np.polyfit(np.log(freqs), np.log(gains), 1)[0])


def _two_decimals(x):
    """x to 2 decimals, without the sign of a value that rounds to zero ('-0.00')."""
    text = f'{x:.2f}'
    return '0.00' if text == '-0.00' else text


# Experiments --------------------------------------------------------------------------------

def white_gaussian_floor(n, d, seed=7):
    """The sample covariance (biased) of n draws of d-dimensional white Gaussian noise: what a
    perfectly whitened distribution looks like when its covariance is estimated from n samples."""
    G = np.random.default_rng(seed).standard_normal((n, d))
    return np.cov(G, rowvar=False, bias=True)


def off_diagonal_max(C):
    """The largest |off-diagonal entry| of a square matrix."""
    return float(np.max(np.abs(C - np.diag(np.diag(C)))))


def crops_experiment(X, held_out):
    """
    The notes' figure: PCA of the 32x32x3 crops X with K modes, whitening (right and wrong),
    ZCA, and the frequency of the eigenvectors.

    Inputs:
    - X: crops, of shape (N, 3072)
    - held_out: other crops, whitened with the model fitted on X

    Returns a dict:
    - values: the page's numbers
    - S (K,), U (3072, K), f (K,): eigenvalues, eigenvectors and their frequencies
    - white_variance (K,): the variance of each whitened coordinate on X
    - show, reduced, zca: 16 crops (16, 3072), rebuilt from K modes, and ZCA-whitened
    """
    N, D = X.shape
    mean, U, S = pca_fit(X, K)
    total = float(X.var(axis=0).sum())                       # trace of the covariance
    X_white = pca_whiten(X, mean, U, S, EPS)
    cov_white = X_white.T @ X_white / N
    shares_after = np.diag(cov_white) / np.trace(cov_white)
    f = mode_frequency(U.T, CROP_SHAPE)
    held = pca_whiten(held_out, mean, U, S, EPS)
    cov_held = np.cov(held, rowvar=False, bias=True)
    held_600 = np.cov(held[::len(held) // 600][:600], rowvar=False, bias=True)
    gauss, gauss_600 = white_gaussian_floor(len(held_out), K), white_gaussian_floor(600, K)
    Uc = U.reshape(-1, 3, K)
    colour_fraction = ((Uc - Uc.mean(axis=1, keepdims=True)) ** 2).sum(axis=(0, 1))   # (K,)
    wrong_var = whiten_by_eigenvalue(X, mean, U, S, EPS).var(axis=0)
    show = X[::N // 16][:16]
    zca = zca_whiten(show, mean, U, S, EPS)
    values = dict(
        n_crops=N, crop_dim=D, k=K, eps=EPS, photos=', '.join(COLOUR_PHOTOS),
        lambda_1=float(S[0]), lambda_k=float(S[-1]), ratio_1_k=float(S[0] / S[-1]),
        retained=float(S.sum() / total), top10_before=float(S[:10].sum() / S.sum()),
        top1_before=float(S[0] / S.sum()),
        top10_after=float(shares_after[:10].sum()), top10_math=10 / K,
        cov_white_max_dev=float(np.max(np.abs(cov_white - np.eye(K)))),
        held_diag_min=float(np.diag(cov_held).min()), held_diag_max=float(np.diag(cov_held).max()),
        held_offdiag_max=off_diagonal_max(cov_held),
        held_diag_mean=float(np.diag(cov_held).mean()),
        held_first10_mean=float(np.diag(cov_held)[:10].mean()),
        held_last10_mean=float(np.diag(cov_held)[-10:].mean()),
        held600_diag_min=float(np.diag(held_600).min()), held600_diag_max=float(np.diag(held_600).max()),
        gauss_diag_min=float(np.diag(gauss).min()), gauss_diag_max=float(np.diag(gauss).max()),
        gauss_offdiag_max=off_diagonal_max(gauss),
        gauss600_diag_min=float(np.diag(gauss_600).min()), gauss600_diag_max=float(np.diag(gauss_600).max()),
        crop_fraction=K / D,
        colour_within_x=colour_share(X[:600]),
        colour_within_zca=colour_share(zca_whiten(X[:600], mean, U, S, EPS)),
        colour_tint_x=colour_share(X[:600], remove_mean_colour=False),
        colour_tint_zca=colour_share(zca_whiten(X[:600], mean, U, S, EPS), remove_mean_colour=False),
        chroma_shown_x=displayed_chroma(X[:600], stretch=False),
        chroma_shown_zca=displayed_chroma(zca_whiten(X[:600], mean, U, S, EPS), stretch=True),
        colour_fraction_u1=float(colour_fraction[0]),
        colour_first_rank=int(np.argmax(colour_fraction > 0.5)) + 1,
        colour_modes=int(np.sum(colour_fraction > 0.5)),
        rho_crops=rank_correlation(np.arange(K), f),
        f_mode_first=float(f[0]), f_mode_last=float(f[-1]),
        f_original=image_frequency(X[:600], CROP_SHAPE),
        f_reduced=image_frequency(pca_reduce(X[:600], mean, U), CROP_SHAPE),
        f_zca=image_frequency(zca_whiten(X[:600], mean, U, S, EPS), CROP_SHAPE),
        n_held=len(held_out), n_patches=N_PATCHES,
        wrong_var_max=float(wrong_var.max()), wrong_var_min=float(wrong_var.min()),
        wrong_var_ratio=float(wrong_var.max() / wrong_var.min()),
        zca_shape=str(zca.shape[1:]), zca_width=int(zca.shape[1]), reduced_width=int(X_white.shape[1]),
        whiten_roundtrip=float(np.max(np.abs(X_white * np.sqrt(S + EPS) @ U.T
                                             - (pca_reduce(X, mean, U) - mean)))),
        whiten_matrix_entries=D * D)
    values['f_zca_ratio'] = values['f_zca'] / values['f_original']
    values['wrong_var_shortfall'] = 1 - values['wrong_var_ratio'] / values['ratio_1_k']
    values['colour_within_ratio'] = values['colour_within_zca'] / values['colour_within_x']
    values['chroma_shown_ratio'] = values['chroma_shown_zca'] / values['chroma_shown_x']
    return {'values': values, 'S': S, 'U': U, 'f': f, 'white_variance': np.diag(cov_white),
            'show': show, 'reduced': pca_reduce(show, mean, U), 'zca': zca}


def bands_experiment(f, S, white_variance, edges=BAND_EDGES):
    """
    The share of the variance in each frequency band of the modes, before whitening (the
    eigenvalues S) and after (white_variance), for modes of frequencies f.

    Returns a dict:
    - values: the page's numbers
    - edges, before, after, counts: the bands, the two shares and the number of modes per band
    """
    before = variance_by_band(f, S, edges)
    after = variance_by_band(f, white_variance, edges)
    counts = np.histogram(f, edges)[0]
    values = dict(
        band_rows_low_count=int(counts[0]), band_rows_high_count=int(counts[-2:].sum()),
        band_edge_low=float(edges[1]), band_edge_high=float(edges[-3]),
        band_after_top=float(edges[np.argmax(after)]), top10_max_f=float(f[:10].max()),
        band_low_before=float(before[0]), band_low_after=float(after[0]),
        band_high_before=float(before[-2:].sum()), band_high_after=float(after[-2:].sum()),
        band_rows=markdown_rows(
            (f'{a:.2f}–{b:.2f}', int(n), f'{p:.3f}', f'{q:.3f}')
            for a, b, n, p, q in zip(edges[:-1], edges[1:], counts, before, after)))
    return {'values': values, 'edges': edges, 'before': before, 'after': after, 'counts': counts}


def patch_analysis(image, n=N_PATCHES, seed=0):
    """
    PCA of n random 16x16 patches of a grey image.

    Returns a dict: S (256,) eigenvalues, U (256, 256), f (256,) frequency of each eigenvector,
    rho the rank correlation between eigenvalue rank and frequency
    """
    X = random_crops(image, PATCH, n, np.random.default_rng(seed))
    _, U, S = pca_fit(X, PATCH * PATCH)
    f = mode_frequency(U.T, (PATCH, PATCH))
    return {'S': S, 'U': U, 'f': f, 'rho': rank_correlation(np.arange(S.size), f)}


def rank_slope(S):
    """The slope of lambda_k ~ k**(-slope), fitted in log-log over the ranks RANK_FIT."""
    return float(-np.polyfit(np.log(RANK_FIT), np.log(S[RANK_FIT - 1]), 1)[0])


def sources_experiment(sources):
    """
    For each grey source: its power spectrum, the slope alpha of that spectrum in BAND, and the
    PCA of its 16x16 patches.

    Inputs:
    - sources: dict name -> grey image (grey_sources())

    Returns a dict:
    - values: the page's numbers
    - spectra: name -> (f, power); slopes: name -> alpha; patches: name -> patch_analysis
    """
    spectra, slopes, patches = {}, {}, {}
    for name, image in sources.items():
        spectra[name] = power_spectrum(image)
        slopes[name] = spectral_slope(*spectra[name])[0]
        patches[name] = patch_analysis(image)
        patches[name]['gain_slope'] = filter_gain_slope(patches[name]['U'], patches[name]['S'], PATCH)
    photo_slopes = [slopes[n] for n in ('astronaut', 'chelsea', 'coffee', 'camera')]
    values = dict(
        band_lo=BAND[0], band_hi=BAND[1],
        alpha_rows=markdown_rows(
            (f'`{name}`', _two_decimals(slopes[name]), _two_decimals(slopes[name] / 2),
             _two_decimals(patches[name]['gain_slope']), _two_decimals(patches[name]['rho']))
            for name in sources),
        gain_slope_dev_max=max(abs(patches[n]['gain_slope'] - slopes[n] / 2) for n in sources),
        gain_alpha_rho=rank_correlation([slopes[n] for n in sources],
                                        [patches[n]['gain_slope'] for n in sources]),
        gain_slope_dev_field=abs(patches['1/f^2']['gain_slope'] - slopes['1/f^2'] / 2),
        gain_band_min=(BAND[1] / BAND[0]) ** (min(photo_slopes) / 2),
        gain_band_max=(BAND[1] / BAND[0]) ** (max(photo_slopes) / 2),
        **{f'gain_slope_{n}': patches[n]['gain_slope'] for n in GREY_SOURCES},
        alpha_photo_min=min(photo_slopes), alpha_photo_max=max(photo_slopes),
        alpha_field=slopes['1/f^2'], alpha_white=slopes['white'],
        rho_patch_min=min(patches[n]['rho'] for n in GREY_SOURCES),
        rho_field=patches['1/f^2']['rho'], rho_white=patches['white']['rho'],
        **{f'alpha_{n}': slopes[n] for n in GREY_SOURCES},
        **{f'rho_{n}': patches[n]['rho'] for n in GREY_SOURCES},
        lambda_slope_field=rank_slope(patches['1/f^2']['S']),
        lambda_slope_white=rank_slope(patches['white']['S']),
        **{f'lambda_slope_{n}': rank_slope(patches[n]['S']) for n in GREY_SOURCES})
    return {'values': values, 'spectra': spectra, 'slopes': slopes, 'patches': patches}


def eps_experiment(image, eps_values=EPS_VALUES, n=N_PATCHES, seed=2):
    """
    Full ZCA whitening (all 256 modes) of n random 16x16 patches of a grey image, for each eps.

    Returns a dict:
    - values: the page's numbers
    - S (256,): the eigenvalues of the patches
    - rows: per eps a dict of eps, variance (256,) the output variance per mode S / (S + eps),
      dof the effective number of modes sum(S / (S + eps)), f_out the mean frequency of the
      ZCA output, neighbour the correlation of adjacent output pixels, Z_shown (6, 256) the ZCA
      output of the patches shown
    - X_shown (6, 256): six patches with texture (the most varied of the first 60)
    """
    X = random_crops(image, PATCH, n, np.random.default_rng(seed))
    shown = np.sort(np.argsort(X[:60].var(axis=1))[-6:])
    mean, U, S = pca_fit(X, X.shape[1])
    rows = []
    for eps in eps_values:
        Z = zca_whiten(X, mean, U, S, eps)
        rows.append({'eps': eps, 'variance': S / (S + eps), 'dof': float((S / (S + eps)).sum()),
                     'f_out': image_frequency(Z[:1000], (PATCH, PATCH, 1)),
                     'neighbour': neighbour_correlation(Z, PATCH), 'Z_shown': Z[shown]})
    noise = np.random.default_rng(seed + 1).standard_normal((1000, PATCH * PATCH))
    values = dict(
        patch_lambda_min=float(S[-1]), patch_lambda_max=float(S[0]),
        quantization_variance=1 / (12 * 255 ** 2),
        gain_ratio=float(np.sqrt((S[0] + EPS) / (S[-1] + EPS))),
        eps_rows=markdown_rows(
            (f"$10^{{{np.log10(r['eps']):.0f}}}$", f"{r['dof']:.1f}", f"{r['f_out']:.3f}",
             _two_decimals(r['neighbour']))
            for r in rows),
        f_white_noise=image_frequency(noise, (PATCH, PATCH, 1)),
        neighbour_original=neighbour_correlation(X, PATCH),
        neighbour_white_noise=neighbour_correlation(noise, PATCH),
        f_patch_original=image_frequency(X[:1000], (PATCH, PATCH, 1)),
        corr_zca=pixel_correlation(X, zca_whiten(X, mean, U, S, EPS)),
        corr_pca=pixel_correlation(X, pca_whiten(X, mean, U, S, EPS)),
        **{f"dof_eps{i}": r['dof'] for i, r in enumerate(rows)},
        **{f"f_eps{i}": r['f_out'] for i, r in enumerate(rows)},
        **{f"neighbour_eps{i}": r['neighbour'] for i, r in enumerate(rows)})
    return {'values': values, 'S': S, 'rows': rows, 'X_shown': X[shown]}


# Figures ------------------------------------------------------------------------------------

SOURCE_COLOURS = {'astronaut': OKABE_ITO['blue'], 'chelsea': OKABE_ITO['orange'],
                  'coffee': OKABE_ITO['vermillion'], 'camera': OKABE_ITO['purple'],
                  'grass': OKABE_ITO['green'], 'gravel': OKABE_ITO['sky_blue'],
                  'brick': OKABE_ITO['yellow'], '1/f^2': OKABE_ITO['black'],
                  'white': OKABE_ITO['grey']}
LABELS = {'1/f^2': '$1/f^2$', 'white': 'white'}        # how a source is named in a legend


def tile_images(rows, shape, grid, stretch=True, levels=64):
    """
    Rows (n, D) as a (grid x grid) mosaic with a one-pixel white gap. With stretch, each image
    is mapped to [0, 1] on its own (eigenvectors, whitened data); without, values are clipped
    to [0, 1] (pixels). Values are rounded to `levels` grey levels per channel, which the eye
    does not see and which keeps the embedded PNG small.
    """
    h, w, c = shape
    g = grid
    mosaic = np.ones((g * (h + 1) - 1, g * (w + 1) - 1, c))
    for i, v in enumerate(rows[:g * g]):
        v = (v - v.min()) / max(v.max() - v.min(), 1e-12) if stretch else np.clip(v, 0, 1)
        r, q = divmod(i, g)
        mosaic[r * (h + 1):r * (h + 1) + h, q * (w + 1):q * (w + 1) + w] = v.reshape(h, w, c)
    mosaic = np.round(mosaic * (levels - 1)) / (levels - 1)
    return mosaic if c == 3 else mosaic[:, :, 0]


RANKS_SHOWN = (1, 2, 3, 4, 6, 8, 11, 16, 22, 30, 42, 58, 80, 100, 120, 144)


def panels_figure(originals, U, reduced, whitened, grid=4):
    """
    The notes' four panels: crops, eigenvectors, PCA-reduced crops, ZCA-whitened crops.
    A grid x grid mosaic each (a 12 x 12 mosaic of all 144 eigenvectors would weigh ~450 KB);
    the eigenvector panel shows the ranks RANKS_SHOWN, 1 to 144, row by row.
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(9.6, 2.75))
    k = U.shape[1]
    modes = U[:, [r - 1 for r in RANKS_SHOWN if r <= k]].T
    panels = [(originals, False, 'X'),
              (modes, True, f'$u_k,\\ k = {RANKS_SHOWN[0]} \\ldots {k}$'),
              (reduced, False, f'$X U_{{:{k}}} U_{{:{k}}}^T$'),
              (whitened, True, f'ZCA, $k = {k}$')]
    for ax, (rows, stretch, title) in zip(axes, panels):
        ax.imshow(tile_images(rows, CROP_SHAPE, grid, stretch), interpolation='none')
        ax.set_title(title, fontsize=11)
        ax.axis('off')
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.01, top=0.88, wspace=0.05)
    return fig


def bands_figure(edges, before, after, counts):
    """Variance share per frequency band of the k modes, before and after whitening."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    x = np.arange(len(before))
    ax.bar(x - 0.2, before, 0.4, color=OKABE_ITO['blue'], label='$X$')
    ax.bar(x + 0.2, after, 0.4, color=OKABE_ITO['orange'], label='PCA/ZCA')
    for i, n in enumerate(counts):
        ax.text(i + 0.2, after[i] + 0.01, f'{n}', ha='center', va='bottom', fontsize=9)
    ax.set_xticks(x, [f'{a:.2f}–{b:.2f}' for a, b in zip(edges[:-1], edges[1:])], fontsize=9)
    ax.set_xlabel('$\\bar f$ (1/px)', fontsize=11)
    ax.set_ylabel('$\\sum \\mathrm{var} \\,/\\, \\mathrm{total}$', fontsize=11)
    ax.grid(alpha=0.3, axis='y')
    ax.legend(fontsize=10)
    fig.tight_layout()
    return fig


def spectra_figure(spectra, slopes):
    """Radial power spectra (log-log) of the grey sources, the fit band shaded."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    ax.axvspan(*BAND, color='#eeeeee', zorder=0)
    for name, (f, p) in spectra.items():
        style = '--' if name in ('1/f^2', 'white') else '-'
        ax.loglog(f, p / p[0], style, color=SOURCE_COLOURS[name], linewidth=1.6,
                  label=f'{LABELS.get(name, name)}: $\\alpha = {slopes[name]:.2f}$')
    ax.set_xlabel('$|f|$ (1/px)', fontsize=11)
    ax.set_ylabel('$P(|f|) \\,/\\, P(1/128)$', fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5, loc='lower left', ncol=2)
    fig.tight_layout()
    return fig


def modes_figure(S_crops, f_crops, rho_crops, patches):
    """Left: eigenvalue against rank (log-log). Right: eigenvector frequency against rank
    (every other rank for the 16x16 patches)."""
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.9))
    k = np.arange(1, S_crops.size + 1)
    left.loglog(k, S_crops / S_crops[0], color=OKABE_ITO['vermillion'], linewidth=2.2,
                label='32×32×3, $k \\leq 144$')
    for name in ('astronaut', 'grass', '1/f^2', 'white'):
        S = patches[name]['S']
        left.loglog(np.arange(1, S.size + 1), S / S[0], '--' if name in ('1/f^2', 'white') else '-',
                    color=SOURCE_COLOURS[name], linewidth=1.3, label=f'{LABELS.get(name, name)}, 16×16')
    left.loglog(k, 1 / k, ':', color=OKABE_ITO['black'], linewidth=1, label='$1/k$')
    left.set_xlabel('$k$', fontsize=11)
    left.set_ylabel('$\\lambda_k / \\lambda_1$', fontsize=11)
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    right.plot(np.arange(1, f_crops.size + 1), f_crops, 'o', markersize=3,
               color=OKABE_ITO['vermillion'], label=f'32×32×3: $\\rho = {rho_crops:.2f}$')
    for name, marker in (('astronaut', 's'), ('white', 'x')):
        p = patches[name]
        ranks = np.arange(1, p['f'].size + 1)[::2]          # every other mode keeps the SVG small
        right.plot(ranks, p['f'][ranks - 1], marker, markersize=2.5,
                   color=SOURCE_COLOURS[name], label=f'{name}, 16×16: $\\rho = {p["rho"]:.2f}$')
    right.set_xscale('log')
    right.set_xlabel('$k$', fontsize=11)
    right.set_ylabel('$\\bar f$ (1/px)', fontsize=11)
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    fig.tight_layout()
    return fig


def eps_figure(eps_result, X_shown):
    """Left: output variance per mode S / (S + eps) against rank. Right: the patches X_shown
    and their ZCA outputs for each eps (one row each), each stretched to [0, 1], with r_1 the
    correlation of horizontally adjacent pixels over all the patches (0 for white noise)."""
    plt = pyplot()
    rows = eps_result['rows']
    colours = [OKABE_ITO[c] for c in ('vermillion', 'orange', 'green', 'blue', 'purple')]
    fig = plt.figure(figsize=(9.6, 4.2))
    ax = fig.add_axes([0.08, 0.13, 0.4, 0.83])
    k = np.arange(1, eps_result['S'].size + 1)
    exponent = lambda eps: f'$10^{{{np.log10(eps):.0f}}}$'
    for row, colour in zip(rows, colours):
        ax.loglog(k, row['variance'], color=colour, linewidth=1.8,
                  label='$\\epsilon = $' + exponent(row['eps']))
    ax.set_xlabel('$k$', fontsize=11)
    ax.set_ylabel('$\\lambda_k / (\\lambda_k + \\epsilon)$', fontsize=11)
    ax.set_ylim(1e-3, 2)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5, loc='lower left')
    strips = [X_shown] + [row['Z_shown'] for row in rows]
    labels = ['$X$'] + [exponent(row['eps']) for row in rows]
    neighbours = [eps_result['values']['neighbour_original']] + [row['neighbour'] for row in rows]
    height = 0.86 / len(strips)
    for i, (strip, label, r1) in enumerate(zip(strips, labels, neighbours)):
        axi = fig.add_axes([0.55, 0.96 - (i + 1) * height, 0.37, height - 0.015])
        image = tile_images(strip, (PATCH, PATCH, 1), len(strip), levels=256)[:PATCH]
        axi.imshow(image, cmap='gray', interpolation='none', vmin=0, vmax=1)
        axi.set_axis_off()
        axi.text(-2, PATCH / 2, label, ha='right', va='center', fontsize=9)
        axi.text(image.shape[1] + 2, PATCH / 2, f'{r1:.2f}', ha='left', va='center', fontsize=9)
        if i == 0:
            axi.text(image.shape[1] + 2, -3, '$r_1$', ha='left', va='bottom', fontsize=10)
    return fig


# Report -------------------------------------------------------------------------------------

def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write panels.svg, bands.svg, spectra.svg,
    modes.svg and eps.svg into outdir (created if missing) and return the page's numbers: a dict
    keyed by the page's placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {}

    # 1. the notes' figure: 32x32x3 crops, k = 144 of 3072
    crops = crops_experiment(crop_data(), crop_data(n_per_photo=1400, seed=1))
    values.update(crops['values'])
    save_svg(panels_figure(crops['show'], crops['U'], crops['reduced'], crops['zca']),
             outdir / 'panels.svg', photo_quality=90)

    # 2. the variance by frequency band, before and after whitening
    bands = bands_experiment(crops['f'], crops['S'], crops['white_variance'])
    values.update(bands['values'])
    save_svg(bands_figure(bands['edges'], bands['before'], bands['after'], bands['counts']),
             outdir / 'bands.svg')

    # 3. grey sources: power spectra and 16x16 patches
    sources = grey_sources()
    spectral = sources_experiment(sources)
    values.update(spectral['values'])
    save_svg(spectra_figure(spectral['spectra'], spectral['slopes']), outdir / 'spectra.svg')
    save_svg(modes_figure(crops['S'], crops['f'], values['rho_crops'], spectral['patches']),
             outdir / 'modes.svg')

    # 4. eps: full whitening of 16x16 grey patches of astronaut
    eps = eps_experiment(sources['astronaut'])
    values.update(eps['values'])
    save_svg(eps_figure(eps, eps['X_shown']), outdir / 'eps.svg')
    return values
