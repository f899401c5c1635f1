"""Cross-asset liquidity measures on an aligned return panel: matrix work that SQL does badly.

All windows are computed at once on a stacked array (dates x window x assets), so nothing loops over
rows in Python. Inputs are log returns on one calendar (see int_panel_returns_aligned).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.lib.stride_tricks import sliding_window_view


def panel_matrix(
    long: pl.DataFrame, date_col: str = "date", asset_col: str = "asset_id", value_col: str = "log_return_1d"
) -> tuple[pl.Series, list[str], np.ndarray]:
    """Long (date, asset, value) -> dates, asset names, a dates x assets array (NaN where missing)."""
    wide = long.pivot(on=asset_col, index=date_col, values=value_col, aggregate_function="first").sort(date_col)
    assets = sorted(c for c in wide.columns if c != date_col)
    return wide[date_col], assets, wide.select(assets).to_numpy().astype(float)


def _windows(x: np.ndarray, window: int) -> np.ndarray:
    """(T, N) -> (T - window + 1, window, N): the trailing window ending at each date."""
    return np.moveaxis(sliding_window_view(x, window, axis=0), -1, 1)


def _pad(values: np.ndarray, total: int) -> np.ndarray:
    """Put window results at the window's last date; earlier dates get NaN."""
    out = np.full(total, np.nan)
    out[total - len(values) :] = values
    return out


def rolling_correlations(x: np.ndarray, window: int) -> np.ndarray:
    """(T, N) -> (T - window + 1, N, N) correlation matrices; windows with any NaN give NaN matrices."""
    w = _windows(x, window)
    centred = w - w.mean(axis=1, keepdims=True)
    cov = np.einsum("twi,twj->tij", centred, centred) / (window - 1)
    sd = np.sqrt(np.einsum("tii->ti", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[:, :, None] * sd[:, None, :])


def avg_pairwise_correlation(x: np.ndarray, window: int = 60) -> np.ndarray:
    """Mean of the off-diagonal correlations over the trailing window, per date."""
    n = x.shape[1]
    if len(x) < window:
        return np.full(len(x), np.nan)
    corr = rolling_correlations(x, window)
    off_diagonal = (corr.sum(axis=(1, 2)) - np.einsum("tii->t", corr)) / (n * (n - 1))
    return _pad(off_diagonal, len(x))


def absorption_ratio(x: np.ndarray, window: int = 250, share: float = 0.2) -> np.ndarray:
    """Kritzman, Li, Page and Rigobon (2011): variance share of the top k = round(N * share) eigenvectors.

    On the correlation matrix, so the most volatile asset (bitcoin) does not own the first eigenvector.
    """
    n = x.shape[1]
    if len(x) < window:
        return np.full(len(x), np.nan)
    k = max(1, round(n * share))
    corr = rolling_correlations(x, window)
    valid = np.isfinite(corr).all(axis=(1, 2))
    ratio = np.full(len(corr), np.nan)
    if valid.any():
        eig = np.linalg.eigvalsh(corr[valid])  # ascending, batched over windows
        ratio[valid] = eig[:, -k:].sum(axis=1) / eig.sum(axis=1)
    return _pad(ratio, len(x))


def absorption_shift(ar: np.ndarray, short: int = 15, long: int = 250) -> np.ndarray:
    """Standardised shift: (15-day mean AR - 1-year mean AR) / 1-year stdev of AR."""
    s = pl.Series(ar, nan_to_null=True)
    short_mean = s.rolling_mean(short)
    long_mean, long_sd = s.rolling_mean(long, min_samples=60), s.rolling_std(long, min_samples=60)
    return ((short_mean - long_mean) / long_sd).fill_null(np.nan).to_numpy()


def turbulence(x: np.ndarray, window: int = 250) -> np.ndarray:
    """Kritzman and Li (2010): Mahalanobis distance of each day's returns from the trailing window
    (the days before it), with a pseudo-inverse covariance so near-collinear assets do not blow it up."""
    t, n = x.shape
    out = np.full(t, np.nan)
    if t <= window:
        return out
    past = _windows(x[:-1], window)  # window ending the day before each scored day
    today = x[window:]
    mu = past.mean(axis=1)
    centred = past - mu[:, None, :]
    cov = np.einsum("twi,twj->tij", centred, centred) / (window - 1)
    valid = np.isfinite(cov).all(axis=(1, 2)) & np.isfinite(today).all(axis=1)
    if valid.any():
        inv = np.linalg.pinv(cov[valid], hermitian=True)
        d = today[valid] - mu[valid]
        out[window:][valid] = np.einsum("ti,tij,tj->t", d, inv, d)
    return out


def trailing_zscore(values: pl.Expr, window: int = 250, min_samples: int = 60) -> pl.Expr:
    """z against the trailing window before the day (no look-ahead)."""
    prior = values.shift(1)
    return (values - prior.rolling_mean(window, min_samples=min_samples)) / prior.rolling_std(
        window, min_samples=min_samples
    )
