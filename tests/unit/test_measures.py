"""Each measure on a small frame whose answer is known by construction."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from transforms.measures import absorption_ratio, avg_pairwise_correlation, panel_matrix, trailing_zscore, turbulence
from transforms.stress import HISTORY_DAYS, carry_unwind, class_breadth, history_start, matrix_measures, stress_measures


def rng(seed: int = 7) -> np.random.Generator:
    """Each test draws from its own seeded generator, so it passes or fails the same alone or in the suite."""
    return np.random.default_rng(seed)


def test_perfectly_correlated_assets_give_absorption_ratio_one_and_correlation_one():
    r_ = rng()
    factor = r_.normal(size=(300, 1))
    x = np.hstack([factor, 2 * factor, 0.5 * factor, 3 * factor, factor])  # 5 assets -> k = 1
    assert absorption_ratio(x, window=100)[-1] == pytest.approx(1.0)
    assert avg_pairwise_correlation(x, window=60)[-1] == pytest.approx(1.0)


def test_uncorrelated_assets_give_low_absorption_and_correlation():
    r_ = rng()
    x = r_.normal(size=(2000, 10))
    ar = absorption_ratio(x, window=1000)  # k = 2 of 10 independent factors
    assert 0.2 < ar[-1] < 0.3
    assert abs(avg_pairwise_correlation(x, 500)[-1]) < 0.05


def test_absorption_ratio_uses_correlation_not_covariance():
    r_ = rng()
    # One very volatile independent asset would own the first eigenvector of the covariance matrix.
    x = r_.normal(size=(500, 5)) * np.array([100.0, 1, 1, 1, 1])
    assert absorption_ratio(x, window=400)[-1] < 0.35


def test_windows_are_trailing_and_leave_early_dates_empty():
    r_ = rng()
    x = r_.normal(size=(80, 3))
    corr = avg_pairwise_correlation(x, window=60)
    assert np.isnan(corr[:59]).all() and np.isfinite(corr[59:]).all()
    assert corr[-1] == pytest.approx(np.corrcoef(x[-60:].T)[np.triu_indices(3, 1)].mean())


def test_turbulence_matches_the_mahalanobis_formula_and_flags_an_outlier():
    r_ = rng()
    x = r_.normal(size=(301, 4))
    x[-1] = [6, -6, 6, -6]
    d = turbulence(x, window=250)
    past = x[-251:-1]
    diff = x[-1] - past.mean(axis=0)
    expected = diff @ np.linalg.inv(np.cov(past.T)) @ diff
    assert d[-1] == pytest.approx(expected, rel=1e-8)
    assert np.nanmedian(d) < 6 < d[-1]  # chi-squared(4) median is about 3.4


def test_turbulence_survives_collinear_assets():
    r_ = rng()
    f = r_.normal(size=(300, 1))
    x = np.hstack([f, f, r_.normal(size=(300, 1))])
    assert np.isfinite(turbulence(x, window=250)[-1])


def test_trailing_zscore_excludes_the_day_itself():
    values = pl.Series("v", [1.0, -1.0] * 40 + [10.0])
    z = pl.DataFrame({"v": values}).select(trailing_zscore(pl.col("v"), window=80, min_samples=60))["v"]
    assert z[-1] == pytest.approx((10 - 0) / np.std([1.0, -1.0] * 40, ddof=1))


def _panel(days: int, crash_day: int | None = None, seed: int = 7) -> pl.DataFrame:
    r_ = rng(seed)
    start = date(2024, 1, 1)
    assets = {
        "BTC": "crypto",
        "ETH": "crypto",
        "XAG": "precious_metal",
        "XAU": "precious_metal",
        "IXIC": "equity_index",
        "NDX": "equity_index",
        "USDJPY": "fx",
    }
    r = r_.normal(scale=0.01, size=(days, len(assets)))
    if crash_day is not None:
        r[crash_day, :6] = -0.12  # crypto, metals and equities all crash together; the yen pair does not
    return pl.DataFrame(
        [
            {"date": start + timedelta(days=i), "asset_id": a, "asset_class": c, "log_return_1d": float(r[i, j])}
            for i in range(days)
            for j, (a, c) in enumerate(assets.items())
        ]
    )


def test_class_breadth_counts_classes_down_two_sigma():
    breadth = class_breadth(_panel(300, crash_day=280))
    crash = breadth.filter(pl.col("date") == date(2024, 1, 1) + timedelta(days=280)).row(0, named=True)
    assert crash["n_classes_down_2sigma"] == 3 and crash["black_hole_classes_down"]


def _rates(days: int, jgb_move: dict[int, float] | None = None, seed: int = 3) -> pl.DataFrame:
    """10-year yields around UST 4% and JGB 1% (small daily noise) on every calendar day, with JGB moves in
    percentage points from a given day on."""
    noise = rng(seed).normal(scale=0.01, size=(2, days)).cumsum(axis=1)
    jgb = 1.0 + noise[1]
    for day, move in (jgb_move or {}).items():
        jgb[day:] += move
    dates = [date(2024, 1, 1) + timedelta(days=i) for i in range(days)]
    curve = rng(seed + 1).normal(scale=0.01, size=(2, days)).cumsum(axis=1)
    # The 2-year carries the carry gap; the 10- and 30-year and the 10-year JGB make the rates component.
    return pl.concat(
        [
            pl.DataFrame({"date": dates, "curve": "UST", "tenor_years": 2.0, "yield_pct": 4.0 + noise[0]}),
            pl.DataFrame({"date": dates, "curve": "JGB", "tenor_years": 2.0, "yield_pct": jgb}),
            pl.DataFrame({"date": dates, "curve": "UST", "tenor_years": 10.0, "yield_pct": 4.2 + curve[0]}),
            pl.DataFrame({"date": dates, "curve": "UST", "tenor_years": 30.0, "yield_pct": 4.5 + curve[1]}),
            pl.DataFrame({"date": dates, "curve": "JGB", "tenor_years": 10.0, "yield_pct": 1.5 + noise[1]}),
        ]
    )


def test_a_joint_crash_is_a_liquidity_black_hole_and_quiet_days_are_calm():
    # Long enough for every component: 250 days of matrix window, then 60 of z-score history.
    panel = _panel(400, crash_day=380)
    out = stress_measures(panel, _rates(400))
    crash = out.filter(pl.col("date") == date(2024, 1, 1) + timedelta(days=380)).row(0, named=True)
    assert crash["regime"] == "liquidity_black_hole" and crash["stress_index"] > 1
    assert crash["turbulence"] > 30
    calm = out.filter(
        pl.col("date").is_between(date(2024, 1, 1) + timedelta(days=320), date(2024, 1, 1) + timedelta(days=370))
    )
    assert (calm["regime"] == "calm").mean() > 0.8


def test_panel_matrix_pivots_long_to_wide():
    long = pl.DataFrame(
        {
            "date": [date(2024, 1, 1)] * 2 + [date(2024, 1, 2)],
            "asset_id": ["A", "B", "A"],
            "log_return_1d": [0.1, 0.2, 0.3],
        }
    )
    dates, assets, x = panel_matrix(long)
    assert assets == ["A", "B"] and np.isnan(x[1, 1]) and x[0].tolist() == [0.1, 0.2]


def test_a_missing_return_is_left_out_of_the_windows_not_counted_as_zero():
    panel = _panel(320, seed=11)
    gone = [date(2024, 1, 1) + timedelta(days=i) for i in (100, 200, 290)]
    holed = panel.with_columns(
        pl.when(pl.col("date").is_in(gone) & (pl.col("asset_id") == "XAG"))
        .then(None)
        .otherwise(pl.col("log_return_1d"))
        .alias("log_return_1d")
    )
    out = matrix_measures(holed)
    # The days with a hole have no matrix measures of their own...
    assert out.filter(pl.col("date").is_in(gone))["turbulence"].null_count() == 3
    # ...and every other day equals the measures of a panel from which those days were removed outright.
    without = matrix_measures(panel.filter(~pl.col("date").is_in(gone)))
    kept = out.filter(~pl.col("date").is_in(gone)).drop("panel_complete")
    assert kept.equals(without.drop("panel_complete"))
    # Filling the holes with zeros, as before, gives other (wrong) numbers.
    zeros = matrix_measures(holed.with_columns(pl.col("log_return_1d").fill_null(0.0)))
    assert not zeros.filter(~pl.col("date").is_in(gone))["turbulence"].equals(kept["turbulence"])


def test_the_index_is_null_until_every_component_exists_and_the_reduced_one_says_so():
    out = stress_measures(_panel(320, seed=5), _rates(320))
    full = out.filter(pl.col("stress_index").is_not_null())
    assert (full["n_components"] == 5).all() and full.height > 0
    early = out.filter(pl.col("n_components").is_between(1, 4))
    assert early.height > 0 and early["stress_index"].null_count() == early.height
    assert early["stress_index_reduced"].null_count() == 0


def test_carry_unwind_reads_a_stronger_yen_and_a_narrower_gap_as_unwinding():
    days = 320
    panel = _panel(days, seed=9)
    strong_yen = date(2024, 1, 1) + timedelta(days=300)
    panel = panel.with_columns(
        pl.when((pl.col("date") == strong_yen) & (pl.col("asset_id") == "USDJPY"))
        .then(-0.04)
        .otherwise(pl.col("log_return_1d"))
        .alias("log_return_1d")
    )
    # JGB yields jump 30 bp the same day: the US-Japan gap narrows, which a carry trade also pays for.
    score = carry_unwind(panel, _rates(days, {300: 0.30})).filter(pl.col("date") == strong_yen).row(0, named=True)
    assert score["z_yen_gain"] > 3 and score["z_gap_narrowing"] > 3 and score["carry_unwind_score"] > 3
    # Flight to quality: JGB yields fall, the gap widens; with the yen unchanged the score reads no unwind.
    calm_yen = _panel(days, seed=9)
    widening = carry_unwind(calm_yen, _rates(days, {300: -0.30})).filter(pl.col("date") == strong_yen)
    assert widening["z_gap_narrowing"][0] < -3


def test_a_tokyo_move_on_a_us_holiday_counts_once_on_the_next_panel_day():
    panel = _panel(320, seed=4)
    holiday = date(2024, 1, 1) + timedelta(days=299)
    panel = panel.filter(pl.col("date") != holiday)  # New York shut; Tokyo traded and JGB yields rose 10 bp
    scores = carry_unwind(panel, _rates(320, {299: 0.10}))
    two_year = _rates(320, {299: 0.10}).filter(pl.col("tenor_years") == 2.0)
    rates = two_year.pivot(on="curve", index="date", values="yield_pct").sort("date")
    gap = (rates["UST"] - rates["JGB"]).to_list()
    next_day = scores.filter(pl.col("date") == holiday + timedelta(days=1))
    assert holiday not in scores["date"].to_list()
    # The change from the day before the holiday to the day after: both days' moves, once.
    expected_bp = (gap[300] - gap[298]) * 100
    assert next_day["gap_change_bp"][0] == pytest.approx(expected_bp) and expected_bp < -9
    assert scores["gap_change_bp"].sum() == pytest.approx((gap[319] - gap[0]) * 100)  # nothing lost or doubled
    assert next_day["z_gap_narrowing"][0] > 2


def test_no_measure_knows_the_future():
    panel, rates = _panel(330, crash_day=300, seed=12), _rates(330)
    full = stress_measures(panel, rates)
    cut = date(2024, 1, 1) + timedelta(days=305)
    truncated = stress_measures(panel.filter(pl.col("date") <= cut), rates.filter(pl.col("date") <= cut))
    assert truncated.equals(full.filter(pl.col("date") <= cut))


@pytest.mark.parametrize("first", [HISTORY_DAYS + 40, HISTORY_DAYS + 200, 300])
def test_the_tail_computed_from_history_start_equals_the_whole_history(first):
    """What an incremental refresh computes: the measures from `first` on, from history_start's days only, are
    the whole history's (doubles within 1e-9 of their size: rolling sums started elsewhere round differently).
    A day with a missing return shows that the history counts complete days."""
    days = HISTORY_DAYS + 260
    panel = _panel(days, crash_day=days - 30, seed=5).with_columns(
        pl.when((pl.col("asset_id") == "NDX") & (pl.col("date") == date(2024, 3, 1)))
        .then(None)
        .otherwise(pl.col("log_return_1d"))
        .alias("log_return_1d")
    )
    rates = _rates(days)
    first_day = date(2024, 1, 1) + timedelta(days=first)
    start = history_start(panel, first_day)
    complete_days = (
        panel.filter(pl.col("date").is_between(start, first_day, closed="left"))
        .group_by("date")
        .agg(pl.col("log_return_1d").is_not_null().all())
        .filter(pl.col("log_return_1d"))
        .height
    )
    # HISTORY_DAYS complete days and one more before the first day, or the whole history when it is shorter.
    assert complete_days == HISTORY_DAYS + 1 or (start == panel["date"].min() and complete_days <= HISTORY_DAYS)
    full = stress_measures(panel, rates).filter(pl.col("date") >= first_day)
    tail = stress_measures(
        panel.filter(pl.col("date") >= start), rates.filter(pl.col("date") >= start - timedelta(days=14))
    ).filter(pl.col("date") >= first_day)
    assert tail.height == full.height >= 60
    for column, dtype in full.schema.items():
        a, b = full[column], tail[column]
        assert (a.is_null() == b.is_null()).all(), column
        if dtype == pl.Float64:
            both = a.is_not_null()
            assert np.allclose(a.filter(both).to_numpy(), b.filter(both).to_numpy(), rtol=1e-9, atol=1e-12), column
        else:
            assert a.equals(b), column
