"""Each measure on a small frame whose answer is known by construction."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from transforms.measures import (absorption_ratio, avg_pairwise_correlation, panel_matrix, trailing_zscore,
                                 turbulence)
from transforms.stress import class_breadth, stress_measures

RNG = np.random.default_rng(7)


def test_perfectly_correlated_assets_give_absorption_ratio_one_and_correlation_one():
    factor = RNG.normal(size=(300, 1))
    x = np.hstack([factor, 2 * factor, 0.5 * factor, 3 * factor, factor])  # 5 assets -> k = 1
    assert absorption_ratio(x, window=100)[-1] == pytest.approx(1.0)
    assert avg_pairwise_correlation(x, window=60)[-1] == pytest.approx(1.0)


def test_uncorrelated_assets_give_low_absorption_and_correlation():
    x = RNG.normal(size=(2000, 10))
    ar = absorption_ratio(x, window=1000)  # k = 2 of 10 independent factors
    assert 0.2 < ar[-1] < 0.3
    assert abs(avg_pairwise_correlation(x, 500)[-1]) < 0.05


def test_absorption_ratio_uses_correlation_not_covariance():
    # One very volatile independent asset would own the first eigenvector of the covariance matrix.
    x = RNG.normal(size=(500, 5)) * np.array([100.0, 1, 1, 1, 1])
    assert absorption_ratio(x, window=400)[-1] < 0.35


def test_windows_are_trailing_and_leave_early_dates_empty():
    x = RNG.normal(size=(80, 3))
    corr = avg_pairwise_correlation(x, window=60)
    assert np.isnan(corr[:59]).all() and np.isfinite(corr[59:]).all()
    assert corr[-1] == pytest.approx(np.corrcoef(x[-60:].T)[np.triu_indices(3, 1)].mean())


def test_turbulence_matches_the_mahalanobis_formula_and_flags_an_outlier():
    x = RNG.normal(size=(301, 4))
    x[-1] = [6, -6, 6, -6]
    d = turbulence(x, window=250)
    past = x[-251:-1]
    diff = x[-1] - past.mean(axis=0)
    expected = diff @ np.linalg.inv(np.cov(past.T)) @ diff
    assert d[-1] == pytest.approx(expected, rel=1e-8)
    assert np.nanmedian(d) < 6 < d[-1]  # chi-squared(4) median is about 3.4


def test_turbulence_survives_collinear_assets():
    f = RNG.normal(size=(300, 1))
    x = np.hstack([f, f, RNG.normal(size=(300, 1))])
    assert np.isfinite(turbulence(x, window=250)[-1])


def test_trailing_zscore_excludes_the_day_itself():
    values = pl.Series("v", [1.0, -1.0] * 40 + [10.0])
    z = pl.DataFrame({"v": values}).select(trailing_zscore(pl.col("v"), window=80, min_samples=60))["v"]
    assert z[-1] == pytest.approx((10 - 0) / np.std([1.0, -1.0] * 40, ddof=1))


def _panel(days: int, crash_day: int | None = None) -> pl.DataFrame:
    start = date(2024, 1, 1)
    assets = {"BTC": "crypto", "ETH": "crypto", "XAG": "precious_metal", "XAU": "precious_metal",
              "IXIC": "equity_index", "NDX": "equity_index", "USDJPY": "fx"}
    r = RNG.normal(scale=0.01, size=(days, len(assets)))
    if crash_day is not None:
        r[crash_day, :6] = -0.12  # crypto, metals and equities all crash together; the yen pair does not
    return pl.DataFrame([{"panel_date": start + timedelta(days=i), "asset_id": a, "asset_class": c,
                          "log_return_1d": float(r[i, j])}
                         for i in range(days) for j, (a, c) in enumerate(assets.items())])


def test_class_breadth_counts_classes_down_two_sigma():
    breadth = class_breadth(_panel(300, crash_day=280))
    crash = breadth.filter(pl.col("date") == date(2024, 1, 1) + timedelta(days=280)).row(0, named=True)
    assert crash["n_classes_down_2sigma"] == 3 and crash["black_hole_classes_down"]


def test_a_joint_crash_is_a_liquidity_black_hole_and_quiet_days_are_calm():
    panel = _panel(320, crash_day=300)
    jgb = pl.DataFrame({"date": [date(2024, 1, 1) + timedelta(days=i) for i in range(320)],
                        "yield_pct": np.linspace(2.0, 2.1, 320)})
    out = stress_measures(panel, jgb)
    crash = out.filter(pl.col("date") == date(2024, 1, 1) + timedelta(days=300)).row(0, named=True)
    assert crash["regime"] == "liquidity_black_hole" and crash["stress_index"] > 1
    assert crash["turbulence"] > 30
    calm = out.filter(pl.col("date").is_between(date(2024, 9, 1), date(2024, 10, 20)))
    assert (calm["regime"] == "calm").mean() > 0.8


def test_panel_matrix_pivots_long_to_wide():
    long = pl.DataFrame({"panel_date": [date(2024, 1, 1)] * 2 + [date(2024, 1, 2)], "asset_id": ["A", "B", "A"],
                         "log_return_1d": [0.1, 0.2, 0.3]})
    dates, assets, x = panel_matrix(long)
    assert assets == ["A", "B"] and np.isnan(x[1, 1]) and x[0].tolist() == [0.1, 0.2]
