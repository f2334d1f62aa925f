"""
PCA and ZCA whitening of natural image crops, and why the frequencies behave as the notes say.

CS231n's figure (quoted in the notes) takes CIFAR-10, keeps the top 144 of the 3072 eigenvectors
of the pixel covariance, and shows: the images, the eigenvectors, the images rebuilt from 144
numbers, and the whitened images rotated back to pixels with U.transpose()[:144, :]. We have no
CIFAR-10 offline, so the crops here are 32x32x3 pieces of public-domain / CC0 photographs that
scikit-image ships (snippets.data).

- pca_fit(X, k): mean, top-k eigenvectors and eigenvalues of the covariance of the rows of X;
- pca_whiten / zca_whiten: scale each mode by 1 / sqrt(lambda + eps), and (ZCA) rotate back;
- mode_frequency, power_spectrum, spectral_slope: how fast a mode or an image oscillates;
- power_law_field: the synthetic control, a Gaussian random field with power 1 / f**alpha.

Bad input raises ValueError naming the argument. `python -m snippets.whitening OUTDIR` runs
every experiment of the page with fixed seeds, writes its figures into OUTDIR and prints the
numbers the page shows.
"""
import sys
from pathlib import Path

import numpy as np

from snippets.data import load_photo
from snippets.layers import check_array
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, rank_correlation, save_svg

COLOUR_PHOTOS = ('astronaut', 'chelsea', 'coffee')          # PNG, colour: the 32x32x3 crops
GREY_SOURCES = ('astronaut', 'chelsea', 'coffee', 'camera',  # photos
                'grass', 'gravel', 'brick')                  # textures
BAND = (1 / 32, 1 / 4)      # cycles per pixel: where spectral slopes are fitted, fixed in advance


def _check_data(X, name='X', min_rows=2):
    check_array(name, X, ndim=2)
    if X.shape[0] < min_rows:
        raise ValueError(f'{name} has {X.shape[0]} rows (samples); at least {min_rows} are needed')


def _check_eps(eps):
    if not (np.isscalar(eps) and np.isfinite(eps) and eps >= 0):
        raise ValueError(f'eps must be a finite number >= 0, got {eps!r}')


# Data --------------------------------------------------------------------------------------

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


# PCA and whitening --------------------------------------------------------------------------

def top_eigh(C, k, iterations=12, oversample=100, seed=0):
    """
    The k largest eigenvalues and their eigenvectors of a symmetric matrix C (D, D).

    For small D or k close to D this is np.linalg.eigh. Otherwise it is subspace (block power)
    iteration with k + oversample random start vectors (Halko, Martinsson & Tropp 2011): a
    block Q is replaced by orth(C Q) `iterations` times, then C is diagonalized on span(Q)
    (Rayleigh-Ritz). The error of mode j shrinks like (lambda_{k+oversample} / lambda_j) to the
    power `iterations`; at D = 3072 it takes ~2 s where np.linalg.eigh takes 5-20 s.

    Returns a tuple of:
    - S: of shape (k,), decreasing
    - U: of shape (D, k), orthonormal columns
    """
    check_array('C', C, ndim=2)
    D = C.shape[0]
    if C.shape != (D, D):
        raise ValueError(f'C must be square, got shape {C.shape}')
    if not 1 <= k <= D:
        raise ValueError(f'k must be in 1..{D}, got {k}')
    if D <= 512 or k + oversample >= D // 2:
        S, U = np.linalg.eigh(C)
        return S[::-1][:k], U[:, ::-1][:, :k]
    Q = np.random.default_rng(seed).standard_normal((D, k + oversample))
    for _ in range(iterations):
        Q, _ = np.linalg.qr(C @ Q)
    S, W = np.linalg.eigh(Q.T @ C @ Q)
    return S[::-1][:k], (Q @ W[:, ::-1])[:, :k]


# --8<-- [start:pca_fit]
def pca_fit(X, k):
    """
    The top k eigenvectors and eigenvalues of the covariance of the rows of X.

    Inputs:
    - X: data, of shape (N, D), one example per row; N must exceed k, since the centred
      data have rank at most N - 1 and a k-th eigenvalue would otherwise be 0
    - k: number of modes kept, 1 <= k <= D

    Returns a tuple of:
    - mean: of shape (D,)
    - U: of shape (D, k), orthonormal columns, by decreasing eigenvalue
    - S: of shape (k,), the eigenvalues (variances along the columns of U), decreasing
    """
    _check_data(X)
    N, D = X.shape
    if not 1 <= k <= D:
        raise ValueError(f'k must be in 1..{D} (D of X), got {k}')
    if N <= k:
        raise ValueError(f'X has N = {N} samples; {k} modes need N > k = {k}')
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T @ Xc / N                                     # (D, D)
    S, U = top_eigh(cov, k)                                  # decreasing order
    return mean, U, S
# --8<-- [end:pca_fit]


def _check_model(X, mean, U, S):
    check_array('X', X, ndim=2)
    D = X.shape[1]
    check_array('mean', mean, shape=(D,), hint=' (from pca_fit on data with the columns of X)')
    check_array('U', U, ndim=2)
    check_array('U', U, shape=(D, U.shape[1]))
    check_array('S', S, shape=(U.shape[1],))


# --8<-- [start:whiten]
def pca_whiten(X, mean, U, S, eps=1e-5):
    """
    PCA whitening: coordinates in the eigenvector basis, each divided by sqrt(lambda + eps).

    Inputs:
    - X: data, of shape (N, D)
    - mean, U, S: from pca_fit, of shapes (D,), (D, k), (k,)
    - eps: added to each eigenvalue (as in CS231n's notes); >= 0

    Returns:
    - X_white: of shape (N, k); column j has variance S[j] / (S[j] + eps) on the fitted data
    """
    _check_model(X, mean, U, S)
    _check_eps(eps)
    X_rot = (X - mean) @ U                  # (N, k): decorrelated
    return X_rot / np.sqrt(S + eps)         # every mode scaled to variance ~1


def zca_whiten(X, mean, U, S, eps=1e-5):
    """
    ZCA whitening: PCA whitening, then back to the pixel basis with U.T (the notes' last panel,
    "multiplied by U.transpose()[:144, :]").

    Returns:
    - X_zca: of shape (N, D), an image for every example
    """
    return pca_whiten(X, mean, U, S, eps) @ U.T
# --8<-- [end:whiten]


def pca_reduce(X, mean, U):
    """
    The data rebuilt from their k coordinates in the eigenvector basis (the notes' third
    panel): (X - mean) U U^T + mean, of shape (N, D).
    """
    _check_model(X, mean, U, np.zeros(U.shape[1]))
    return (X - mean) @ U @ U.T + mean


# --8<-- [start:wrong_whiten]
def whiten_by_eigenvalue(X, mean, U, S, eps=1e-5):
    """
    WRONG whitening, for comparison: divides by lambda + eps instead of its square root, so
    column j ends with variance S[j] / (S[j] + eps)**2, about 1 / S[j], not 1.
    """
    _check_model(X, mean, U, S)
    _check_eps(eps)
    return (X - mean) @ U / (S + eps)
# --8<-- [end:wrong_whiten]


# Frequencies --------------------------------------------------------------------------------

def radial_frequency(h, w):
    """|f| in cycles per pixel for each entry of np.fft.fft2 of an (h, w) array."""
    return np.hypot(*np.meshgrid(np.fft.fftfreq(h), np.fft.fftfreq(w), indexing='ij'))


# --8<-- [start:mode_frequency]
def mode_frequency(V, shape):
    """
    The mean spatial frequency of each row of V seen as an image: Hann window, 2-D DFT,
    then the power-weighted mean of |f| (summed over channels).

    Inputs:
    - V: of shape (M, D), one image per row (eigenvectors: pass U.T)
    - shape: (h, w) or (h, w, c) with h * w * c = D

    Returns:
    - f: of shape (M,), in cycles per pixel (0 for a constant, up to 1/sqrt(2))
    """
    check_array('V', V, ndim=2)
    shape = tuple(shape) if len(shape) == 3 else tuple(shape) + (1,)
    h, w, c = shape
    if h * w * c != V.shape[1]:
        raise ValueError(f'shape {shape} does not match the D = {V.shape[1]} columns of V')
    window = np.outer(np.hanning(h + 2)[1:-1], np.hanning(w + 2)[1:-1])[None, :, :, None]
    images = V.reshape(-1, h, w, c) * window
    power = (np.abs(np.fft.fft2(images, axes=(1, 2))) ** 2).sum(axis=3)     # (M, h, w)
    return (power * radial_frequency(h, w)).sum(axis=(1, 2)) / power.sum(axis=(1, 2))
# --8<-- [end:mode_frequency]


# --8<-- [start:power_spectrum]
def power_spectrum(image, tile=128):
    """
    Radially averaged power spectrum by Welch's method: Hann-windowed tiles (half overlapping),
    periodograms averaged, then averaged over rings of |f| one frequency step wide.
    Normalized by the window's energy, so a field of variance s has sum(power) / tile**2 ~ s.

    Inputs:
    - image: of shape (H, W) (grey), H and W at least tile
    - tile: side of the square tiles

    Returns a tuple of:
    - f: ring centres in cycles per pixel, of shape (tile // 2 - 1,), from 1 / tile to ~1/2
    - power: mean power on each ring, of the same shape
    """
    check_array('image', image, ndim=2)
    H, W = image.shape
    if min(H, W) < tile:
        raise ValueError(f'image of shape {image.shape} is smaller than tile = {tile}')
    window = np.outer(np.hanning(tile), np.hanning(tile))
    step = tile // 2
    pieces = [image[r:r + tile, c:c + tile] for r in range(0, H - tile + 1, step)
              for c in range(0, W - tile + 1, step)]
    pieces = np.stack([(p - p.mean()) * window for p in pieces])
    periodogram = (np.abs(np.fft.fft2(pieces)) ** 2).mean(axis=0) / (window ** 2).sum()
    ring = np.rint(radial_frequency(tile, tile) * tile).astype(int)      # ring index 0, 1, ...
    rings = np.arange(1, tile // 2)
    power = np.array([periodogram[ring == r].mean() for r in rings])
    return rings / tile, power
# --8<-- [end:power_spectrum]


def spectral_slope(f, power, band=BAND):
    """
    alpha of the least-squares fit log power = c - alpha log f over f in band.

    Returns a tuple of floats: (alpha, c)
    """
    check_array('f', f, ndim=1)
    check_array('power', power, shape=f.shape)
    inside = (f >= band[0]) & (f <= band[1])
    if inside.sum() < 3 or np.any(power[inside] <= 0):
        raise ValueError(f'need at least 3 positive powers with f in {band}')
    slope, c = np.polyfit(np.log(f[inside]), np.log(power[inside]), 1)
    return float(-slope), float(c)


def variance_by_band(f_modes, variances, edges):
    """Share of the total variance carried by the modes whose frequency lies in each band."""
    which = np.digitize(f_modes, edges[1:-1])
    return np.array([variances[which == b].sum() for b in range(len(edges) - 1)]) / variances.sum()


def image_frequency(X, shape):
    """The power-weighted mean |f| of a set of images (rows of X), mean removed per image."""
    Xc = X - X.mean(axis=1, keepdims=True)
    h, w, c = shape
    window = np.outer(np.hanning(h + 2)[1:-1], np.hanning(w + 2)[1:-1])[None, :, :, None]
    power = (np.abs(np.fft.fft2(Xc.reshape(-1, h, w, c) * window, axes=(1, 2))) ** 2).sum(axis=(0, 3))
    return float((power * radial_frequency(h, w)).sum() / power.sum())


def pixel_correlation(X, Z):
    """The mean over the D columns of the correlation between X[:, i] and Z[:, i] (N, D):
    how much a whitened output, read as an image, still looks like its input."""
    Xc, Zc = X - X.mean(axis=0), Z - Z.mean(axis=0)
    return float(np.mean((Xc * Zc).sum(axis=0) / np.sqrt((Xc ** 2).sum(axis=0) * (Zc ** 2).sum(axis=0))))


# Experiments of the page --------------------------------------------------------------------

CROP_SHAPE = (32, 32, 3)
K = 144                      # the notes' number of kept modes (of 3072)
PATCH = 16                   # grey patches for the per-image analysis: 16 x 16 = 256 dimensions
EPS = 1e-5                   # CS231n's eps


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


N_PATCHES = 4000


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


def eps_experiment(X, eps_values, shown):
    """
    Full ZCA whitening (all D modes) of grey patches X for several eps.

    Returns a dict: S, f (frequency of each mode), per eps the output variance per mode
    S / (S + eps), the effective number of modes sum(S / (S + eps)), and the mean frequency of
    the ZCA output
    """
    mean, U, S = pca_fit(X, X.shape[1])
    f = mode_frequency(U.T, (PATCH, PATCH))
    rows = []
    for eps in eps_values:
        Z = zca_whiten(X, mean, U, S, eps)
        rows.append({'eps': eps, 'variance': S / (S + eps), 'dof': float((S / (S + eps)).sum()),
                     'f_out': image_frequency(Z[:1000], (PATCH, PATCH, 1)), 'Z_shown': Z[shown]})
    return {'S': S, 'f': f, 'U': U, 'mean': mean, 'rows': rows}


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


def eps_figure(eps_result, X_shown):
    """Left: output variance per mode S / (S + eps) against rank. Right: the patches X_shown
    and their ZCA outputs for each eps (one row each), each stretched to [0, 1]."""
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
    height = 0.86 / len(strips)
    for i, (strip, label) in enumerate(zip(strips, labels)):
        axi = fig.add_axes([0.56, 0.96 - (i + 1) * height, 0.42, height - 0.015])
        axi.imshow(tile_images(strip, (PATCH, PATCH, 1), len(strip), levels=256)[:PATCH],
                   cmap='gray', interpolation='none', vmin=0, vmax=1)
        axi.set_axis_off()
        axi.text(-2, PATCH / 2, label, ha='right', va='center', fontsize=9)
    return fig


# Report -------------------------------------------------------------------------------------

def _two_decimals(x):
    """x to 2 decimals, without the sign of a value that rounds to zero ('-0.00')."""
    text = f'{x:.2f}'
    return '0.00' if text == '-0.00' else text


def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write panels.svg, spectra.svg, modes.svg,
    bands.svg and eps.svg into outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    v = {}

    # 32x32x3 crops: the notes' figure, with k = 144 of 3072 -------------------------------
    X = crop_data()
    N, D = X.shape
    mean, U, S = pca_fit(X, K)
    total = float(X.var(axis=0).sum())                       # trace of the covariance
    X_white = pca_whiten(X, mean, U, S, EPS)
    cov_white = X_white.T @ X_white / N
    shares_after = np.diag(cov_white) / np.trace(cov_white)
    f_crops = mode_frequency(U.T, CROP_SHAPE)
    held_out = crop_data(n_per_photo=200, seed=1)
    cov_held = np.cov(pca_whiten(held_out, mean, U, S, EPS), rowvar=False, bias=True)
    wrong = whiten_by_eigenvalue(X, mean, U, S, EPS)
    wrong_var = wrong.var(axis=0)
    show = X[::N // 16][:16]
    zca = zca_whiten(show, mean, U, S, EPS)
    reduced = pca_reduce(show, mean, U)
    v.update(
        n_crops=N, crop_dim=D, k=K, eps=EPS, photos=', '.join(COLOUR_PHOTOS),
        lambda_1=float(S[0]), lambda_k=float(S[-1]), ratio_1_k=float(S[0] / S[-1]),
        retained=float(S.sum() / total), top10_before=float(S[:10].sum() / S.sum()),
        top1_before=float(S[0] / S.sum()),
        top10_after=float(shares_after[:10].sum()), top10_math=10 / K,
        cov_white_max_dev=float(np.max(np.abs(cov_white - np.eye(K)))),
        held_diag_min=float(np.diag(cov_held).min()), held_diag_max=float(np.diag(cov_held).max()),
        held_offdiag_max=float(np.max(np.abs(cov_held - np.diag(np.diag(cov_held))))),
        rho_crops=rank_correlation(np.arange(K), f_crops),
        f_mode_first=float(f_crops[0]), f_mode_last=float(f_crops[-1]),
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
    v['f_zca_ratio'] = v['f_zca'] / v['f_original']
    save_svg(panels_figure(show, U, reduced, zca), outdir / 'panels.svg', photo_quality=90)

    edges = np.array([0.0, 0.05, 0.1, 0.15, 0.2, 0.3])
    before = variance_by_band(f_crops, S, edges)
    after = variance_by_band(f_crops, np.diag(cov_white), edges)
    counts = np.histogram(f_crops, edges)[0]
    v.update(band_rows_low_count=int(counts[0]), band_rows_high_count=int(counts[-2:].sum()),
             band_low_before=float(before[0]), band_low_after=float(after[0]),
             band_high_before=float(before[-2:].sum()), band_high_after=float(after[-2:].sum()),
             band_rows=markdown_rows(
                 (f'{a:.2f}–{b:.2f}', int(n), f'{p:.3f}', f'{q:.3f}')
                 for a, b, n, p, q in zip(edges[:-1], edges[1:], counts, before, after)))
    save_svg(bands_figure(edges, before, after, counts), outdir / 'bands.svg')

    # grey sources: spectra and 16x16 patches --------------------------------------------
    sources = grey_sources()
    spectra, slopes, patches = {}, {}, {}
    for name, image in sources.items():
        spectra[name] = power_spectrum(image)
        slopes[name] = spectral_slope(*spectra[name])[0]
        patches[name] = patch_analysis(image)
    photo_slopes = [slopes[n] for n in ('astronaut', 'chelsea', 'coffee', 'camera')]
    v.update(
        band_lo=BAND[0], band_hi=BAND[1],
        alpha_rows=markdown_rows(
            (f'`{name}`', _two_decimals(slopes[name]), _two_decimals(patches[name]['rho']))
            for name in sources),
        alpha_photo_min=min(photo_slopes), alpha_photo_max=max(photo_slopes),
        alpha_field=slopes['1/f^2'], alpha_white=slopes['white'],
        rho_patch_min=min(patches[n]['rho'] for n in GREY_SOURCES),
        rho_field=patches['1/f^2']['rho'], rho_white=patches['white']['rho'],
        **{f'alpha_{n}': slopes[n] for n in GREY_SOURCES},
        **{f'rho_{n}': patches[n]['rho'] for n in GREY_SOURCES})
    ks = np.arange(4, 129)                  # the fit range of eigenvalue against rank
    rank_slope = lambda S: float(-np.polyfit(np.log(ks), np.log(S[ks - 1]), 1)[0])
    v.update(lambda_slope_field=rank_slope(patches['1/f^2']['S']),
             **{f'lambda_slope_{n}': rank_slope(patches[n]['S']) for n in GREY_SOURCES})
    save_svg(spectra_figure(spectra, slopes), outdir / 'spectra.svg')
    save_svg(modes_figure(S, f_crops, v['rho_crops'], patches), outdir / 'modes.svg')

    # eps: full whitening of 16x16 grey patches of astronaut --------------------------------
    Xp = random_crops(sources['astronaut'], PATCH, N_PATCHES, np.random.default_rng(2))
    eps_values = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
    shown = np.sort(np.argsort(Xp[:60].var(axis=1))[-6:])     # six patches with texture
    eps_res = eps_experiment(Xp, eps_values, shown)
    Sp = eps_res['S']
    v.update(
        patch_lambda_min=float(Sp[-1]), patch_lambda_max=float(Sp[0]),
        quantization_variance=1 / (12 * 255 ** 2),
        gain_ratio=float(np.sqrt((Sp[0] + EPS) / (Sp[-1] + EPS))),
        eps_rows=markdown_rows(
            (f"$10^{{{np.log10(r['eps']):.0f}}}$", f"{r['dof']:.1f}", f"{r['f_out']:.3f}")
            for r in eps_res['rows']),
        f_patch_original=image_frequency(Xp[:1000], (PATCH, PATCH, 1)),
        corr_zca=pixel_correlation(Xp, zca_whiten(Xp, eps_res['mean'], eps_res['U'], Sp, EPS)),
        corr_pca=pixel_correlation(Xp, pca_whiten(Xp, eps_res['mean'], eps_res['U'], Sp, EPS)),
        **{f"dof_eps{i}": r['dof'] for i, r in enumerate(eps_res['rows'])},
        **{f"f_eps{i}": r['f_out'] for i, r in enumerate(eps_res['rows'])})
    save_svg(eps_figure(eps_res, Xp[shown]), outdir / 'eps.svg')
    return v


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/whitening')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figures: {sorted(p.name for p in outdir.glob("*.svg"))}')
