"""
PCA and ZCA whitening of images, and the measures of spatial frequency the whitening page uses.

PCA and whitening (X is (N, D), one flattened image per row):
- pca_fit(X, k): mean, top-k eigenvectors U (D, k) and eigenvalues S (k,) of the covariance of X;
- pca_whiten / zca_whiten: coordinates in the eigenvector basis scaled by 1 / sqrt(lambda + eps),
  and (ZCA) rotated back to pixels with U.T;
- pca_reduce: the images rebuilt from their k coordinates;
- whiten_by_eigenvalue: the WRONG whitening that divides by lambda, for comparison;
- top_eigh: the top k eigenpairs of a symmetric matrix (subspace iteration for large D).

Frequencies (in cycles per pixel):
- mode_frequency: the mean frequency of each image of a set (an eigenvector, say);
- image_frequency: the mean frequency of a set of images pooled;
- power_spectrum, spectral_slope: the radial power spectrum of an image and its slope alpha
  in power ~ 1 / f**alpha.

Bad input raises ValueError naming the argument. The experiments of the page are in
snippets/experiments/whitening.py.
"""
import numpy as np

from snippets.checks import check_array, check_positive, checked

BAND = (1 / 32, 1 / 4)      # cycles per pixel: where spectral slopes are fitted, fixed in advance


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_top_eigh(C, k, iterations=12, oversample=100, seed=0):
    check_array('C', C, ndim=2)
    D = C.shape[0]
    if C.shape != (D, D):
        raise ValueError(f'C must be square, got shape {C.shape}')
    if not 1 <= k <= D:
        raise ValueError(f'k must be in 1..{D}, got {k}')


def _check_pca_fit(X, k):
    check_array('X', X, ndim=2)
    N, D = X.shape
    if N < 2:
        raise ValueError(f'X has {N} rows (samples); at least 2 are needed')
    if not 1 <= k <= D:
        raise ValueError(f'k must be in 1..{D} (D of X), got {k}')
    if N <= k:
        raise ValueError(f'X has N = {N} samples; {k} modes need N > k = {k}')


def _check_pca_reduce(X, mean, U):
    check_array('X', X, ndim=2)
    D = X.shape[1]
    check_array('mean', mean, shape=(D,), hint=' (from pca_fit on data with the columns of X)')
    check_array('U', U, ndim=2)
    check_array('U', U, shape=(D, U.shape[1]))


def _check_whiten(X, mean, U, S, eps=1e-5):
    _check_pca_reduce(X, mean, U)
    check_array('S', S, shape=(U.shape[1],))
    check_positive('eps', eps, allow_zero=True)


def _check_mode_frequency(V, shape):
    check_array('V', V, ndim=2)
    shape = tuple(shape) if len(shape) == 3 else tuple(shape) + (1,)
    h, w, c = shape
    if h * w * c != V.shape[1]:
        raise ValueError(f'shape {shape} does not match the D = {V.shape[1]} columns of V')


def _check_power_spectrum(image, tile=128):
    check_array('image', image, ndim=2)
    if min(image.shape) < tile:
        raise ValueError(f'image of shape {image.shape} is smaller than tile = {tile}')


def _check_spectral_slope(f, power, band=BAND):
    check_array('f', f, ndim=1)
    check_array('power', power, shape=f.shape)
    inside = (f >= band[0]) & (f <= band[1])
    if inside.sum() < 3 or np.any(power[inside] <= 0):
        raise ValueError(f'need at least 3 positive powers with f in {band}')


# ---- The lesson -------------------------------------------------------------------------

# PCA and whitening --------------------------------------------------------------------------

@checked(_check_top_eigh)
def top_eigh(C, k, iterations=12, oversample=100, seed=0):
    """
    The k largest eigenvalues and their eigenvectors of a symmetric matrix C (D, D).

    For small D or k close to D this is np.linalg.eigh. Otherwise it is subspace (block power)
    iteration with k + oversample random start vectors (Halko, Martinsson & Tropp 2011): a
    block Q is replaced by orth(C Q) `iterations` times, then C is diagonalized on span(Q)
    (Rayleigh-Ritz). The error of mode j shrinks like (lambda_{k+oversample} / lambda_j) to the
    power `iterations`; at D = 3072 it takes ~2 s where np.linalg.eigh takes 5-20 s.

    Inputs:
    - C: symmetric matrix, of shape (D, D)
    - k: number of eigenpairs, 1 <= k <= D
    - iterations, oversample, seed: of the subspace iteration

    Returns a tuple of:
    - S: of shape (k,), decreasing
    - U: of shape (D, k), orthonormal columns
    """
    D = C.shape[0]
    if D <= 512 or k + oversample >= D // 2:
        S, U = np.linalg.eigh(C)
        return S[::-1][:k], U[:, ::-1][:, :k]
    Q = np.random.default_rng(seed).standard_normal((D, k + oversample))
    for _ in range(iterations):
        Q, _ = np.linalg.qr(C @ Q)
    S, W = np.linalg.eigh(Q.T @ C @ Q)
    return S[::-1][:k], (Q @ W[:, ::-1])[:, :k]


@checked(_check_pca_fit)
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
    N = X.shape[0]
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T @ Xc / N                                     # (D, D)
    S, U = top_eigh(cov, k)                                  # decreasing order
    return mean, U, S
# --8<-- [end:pca_fit]


@checked(_check_whiten)
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


@checked(_check_pca_reduce)
def pca_reduce(X, mean, U):
    """
    The data rebuilt from their k coordinates in the eigenvector basis (the notes' third
    panel).

    Inputs:
    - X: data, of shape (N, D)
    - mean, U: from pca_fit, of shapes (D,), (D, k)

    Returns:
    - X_reduced: (X - mean) U U^T + mean, of shape (N, D)
    """
    return (X - mean) @ U @ U.T + mean


@checked(_check_whiten)
# --8<-- [start:wrong_whiten]
def whiten_by_eigenvalue(X, mean, U, S, eps=1e-5):
    """
    WRONG whitening, for comparison: divides by lambda + eps instead of its square root, so
    column j ends with variance S[j] / (S[j] + eps)**2, about 1 / S[j], not 1.
    """
    return (X - mean) @ U / (S + eps)
# --8<-- [end:wrong_whiten]


# Frequencies --------------------------------------------------------------------------------

def radial_frequency(h, w):
    """|f| in cycles per pixel for each entry of np.fft.fft2 of an (h, w) array, of shape (h, w)."""
    return np.hypot(*np.meshgrid(np.fft.fftfreq(h), np.fft.fftfreq(w), indexing='ij'))


@checked(_check_mode_frequency)
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
    h, w, c = shape if len(shape) == 3 else (*shape, 1)
    window = np.outer(np.hanning(h + 2)[1:-1], np.hanning(w + 2)[1:-1])[None, :, :, None]
    images = V.reshape(-1, h, w, c) * window
    power = (np.abs(np.fft.fft2(images, axes=(1, 2))) ** 2).sum(axis=3)     # (M, h, w)
    return (power * radial_frequency(h, w)).sum(axis=(1, 2)) / power.sum(axis=(1, 2))
# --8<-- [end:mode_frequency]


def image_frequency(X, shape):
    """
    The power-weighted mean |f| of a set of images pooled (as mode_frequency, with the power
    summed over all images), the mean of each image removed first.

    Inputs:
    - X: of shape (N, D), one image per row
    - shape: (h, w, c) with h * w * c = D

    Returns:
    - f: float, in cycles per pixel
    """
    Xc = X - X.mean(axis=1, keepdims=True)
    h, w, c = shape
    window = np.outer(np.hanning(h + 2)[1:-1], np.hanning(w + 2)[1:-1])[None, :, :, None]
    power = (np.abs(np.fft.fft2(Xc.reshape(-1, h, w, c) * window, axes=(1, 2))) ** 2).sum(axis=(0, 3))
    return float((power * radial_frequency(h, w)).sum() / power.sum())


@checked(_check_power_spectrum)
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
    H, W = image.shape
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


@checked(_check_spectral_slope)
def spectral_slope(f, power, band=BAND):
    """
    The exponent alpha of power ~ 1 / f**alpha: the least-squares fit
    log power = c - alpha log f over the f in band.

    Inputs:
    - f, power: of shape (M,), as power_spectrum returns them
    - band: (lowest, highest) f of the fit, in cycles per pixel

    Returns a tuple of floats: (alpha, c)
    """
    inside = (f >= band[0]) & (f <= band[1])
    slope, c = np.polyfit(np.log(f[inside]), np.log(power[inside]), 1)
    return float(-slope), float(c)
