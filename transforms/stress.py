"""The daily liquidity-stress frame: cross-asset measures, their standardised components, the composite
index and the regime. Definitions are documented column by column in
transforms/dbt/models/marts/_marts__models.yml (mart_liquidity_stress_daily).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from transforms.measures import (
    absorption_ratio,
    absorption_shift,
    avg_pairwise_correlation,
    panel_matrix,
    trailing_zscore,
    turbulence,
)

CORR_WINDOW = 60
MATRIX_WINDOW = 250
ZSCORE_WINDOW = 250
HARD_FALL_Z = -2.0
STRESSED_INDEX = 1.0
# The classes whose simultaneous hard fall the article calls a liquidity black hole.
BLACK_HOLE_CLASSES = ("crypto", "precious_metal", "equity_index")
CLASSES = ("crypto", "precious_metal", "equity_index", "fx")


def class_breadth(panel: pl.DataFrame, value_col: str = "log_return_1d") -> pl.DataFrame:
    """Per date: each class's worst return z-score, and how many classes fell below -2 sigma.

    Each asset's z-score is taken against its own trailing observed returns: days it did not trade are left
    out of the window rather than counted as calm."""
    z = (
        panel.filter(pl.col(value_col).is_not_null())
        .sort("date")
        .with_columns(trailing_zscore(pl.col(value_col), ZSCORE_WINDOW).over("asset_id").alias("z"))
    )
    worst = z.group_by("date", "asset_class").agg(pl.col("z").min().alias("worst_z"))
    wide = (
        panel.select("date")
        .unique()
        .join(worst.pivot(on="asset_class", index="date", values="worst_z"), on="date", how="left")
        .sort("date")
    )
    for c in CLASSES:
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
    down = {c: (pl.col(c) < HARD_FALL_Z).fill_null(False) for c in CLASSES}
    return wide.select(
        pl.col("date"),
        *[pl.col(c).alias(f"worst_z_{c}") for c in CLASSES],
        pl.sum_horizontal([down[c].cast(pl.Int32) for c in CLASSES]).alias("n_classes_down_2sigma"),
        pl.all_horizontal([down[c] for c in BLACK_HOLE_CLASSES]).alias("black_hole_classes_down"),
    )


def carry_unwind(panel: pl.DataFrame, rates: pl.DataFrame, value_col: str = "log_return_1d") -> pl.DataFrame:
    """The yen carry trade's unwind: mean of two trailing z-scores, the yen strengthening that day (-USDJPY
    return) and the US-Japan 2-year gap narrowing over the last five panel days (-change of UST2 - JGB2, bp),
    whichever side moves. The carry trade earns the short-rate gap; an unwind is a run over days (in Aug 2024
    the gap narrowed ~35 bp in the week before the yen's crash day, then widened on the day itself as JGB
    yields fell in a flight to quality), so the gap is read over a week, the yen on the day.

    rates: date, curve ('UST' | 'JGB'), yield_pct of the 2-year. Each curve's level on a panel day is its last
    close on or before it (Tokyo closes before New York on the same date); the change runs from the previous
    panel day, so a Tokyo move on a US holiday counts once, on the next panel day."""
    if "tenor_years" in rates.columns:
        rates = rates.filter(pl.col("tenor_years") == 2.0)
    yen = (
        panel.filter(pl.col("asset_id") == "USDJPY")
        .select(pl.col("date"), (-pl.col(value_col)).alias("yen_gain"))
        .sort("date")
    )
    days = panel.select(pl.col("date")).unique().sort("date")
    levels = days
    for curve in ("UST", "JGB"):
        series = rates.filter(pl.col("curve") == curve).select("date", pl.col("yield_pct").alias(curve)).sort("date")
        levels = levels.join_asof(series, on="date", strategy="backward", tolerance="7d")
    gap_bp = (pl.col("UST") - pl.col("JGB")) * 100
    gap = levels.with_columns(gap_bp.diff().alias("gap_change_bp"), gap_bp.diff(GAP_DAYS).alias("gap_change_5d_bp"))
    joined = yen.join(
        gap.select("date", "gap_change_bp", "gap_change_5d_bp"), on="date", how="full", coalesce=True
    ).sort("date")
    return (
        joined.with_columns(
            trailing_zscore(pl.col("yen_gain"), ZSCORE_WINDOW).fill_nan(None).alias("z_yen_gain"),
            trailing_zscore(-pl.col("gap_change_5d_bp"), ZSCORE_WINDOW).fill_nan(None).alias("z_gap_narrowing"),
        )
        .with_columns(pl.mean_horizontal("z_yen_gain", "z_gap_narrowing").alias("carry_unwind_score"))
        .select("date", "gap_change_bp", "gap_change_5d_bp", "z_yen_gain", "z_gap_narrowing", "carry_unwind_score")
    )


GAP_DAYS = 5  # the carry gap's change is read over a week of panel days

# How many complete panel days a day's measures depend on: the longest chain is a trailing statistic of a matrix
# measure (turbulence's z-score, the absorption ratio's one-year shift), one day's shift, and a margin.
HISTORY_DAYS = MATRIX_WINDOW + ZSCORE_WINDOW + 60

# The rates component entered by the pre-registration of 2026-12-06 (docs/stress-evaluation.md, fixed on
# 2000-2015 with the crypto-free variant); the formula before it is kept as stress_index_before_rates.
COMPONENTS_BEFORE_RATES = ["z_turbulence", "z_absorption_shift", "z_avg_pairwise_corr", "carry_unwind_score"]
COMPONENTS = [*COMPONENTS_BEFORE_RATES, "z_rates_turbulence"]
# The rates market: the curve points whose joint daily moves make the rates component (Treasuries at the short,
# middle and long end, and the 10-year JGB).
RATES_POINTS = (("UST", 2.0), ("UST", 10.0), ("UST", 30.0), ("JGB", 10.0))
# The crypto-free variant's components: the matrix measures of the panel without crypto, and the carry score.
COMPONENTS_EX_CRYPTO = [
    "z_turbulence_xc",
    "z_absorption_shift_xc",
    "z_avg_pairwise_corr_xc",
    "carry_unwind_score",
    "z_rates_turbulence",
]


def matrix_measures(panel: pl.DataFrame, value_col: str = "log_return_1d") -> pl.DataFrame:
    """Correlation, absorption ratio and turbulence over the days on which every panel asset has a return.

    A day with a missing return (a market shut, a hole in the data) is not a zero move: it is left out of every
    window and gets no matrix measures itself; the windows run over the complete days before it."""
    dates, assets, x = panel_matrix(panel, value_col=value_col)
    complete = np.isfinite(x).all(axis=1)
    xc = x[complete]
    ar = absorption_ratio(xc, MATRIX_WINDOW)
    measures = (
        pl.DataFrame(
            {
                "date": dates.filter(pl.Series(complete)),
                "avg_pairwise_corr_60d": avg_pairwise_correlation(xc, CORR_WINDOW),
                "absorption_ratio": ar,
                "absorption_ratio_shift": absorption_shift(ar),
                "turbulence": turbulence(xc, MATRIX_WINDOW),
            }
        )
        .fill_nan(None)
        .with_columns(
            trailing_zscore(pl.col("avg_pairwise_corr_60d"), ZSCORE_WINDOW).alias("z_avg_pairwise_corr"),
            trailing_zscore(pl.col("turbulence").log1p(), ZSCORE_WINDOW).alias("z_turbulence"),
            pl.col("absorption_ratio_shift").alias("z_absorption_shift"),
        )
    )
    return (
        pl.DataFrame({"date": dates})
        .join(measures, on="date", how="left")
        .with_columns(pl.lit(len(assets)).alias("n_assets"), pl.lit(complete).alias("panel_complete"))
    )


def rates_turbulence(rates: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    """The rates market's stress: turbulence (Kritzman and Li) of the joint daily yield changes of RATES_POINTS,
    in basis points, against the trailing MATRIX_WINDOW complete days, as a trailing z-score of its log1p
    (`z_rates_turbulence`).

    Each point's level on a panel day is its last close on or before it (Tokyo closes first); the change runs
    from the previous panel day. A day's distance is large when the curve moves more, or in a shape (the 2-year
    against the 30-year, Treasuries against JGBs), than its trailing year makes usual: in March 2023 the 2-year
    fell over 100 bp in three sessions, in October 2014 the 10-year swung 37 bp within a day. A level is never
    carried more than a week: a point with no quote leaves the day incomplete, out of every window."""
    levels = days.select("date").unique().sort("date")
    names = []
    for curve, tenor in RATES_POINTS:
        name = f"{curve}{int(tenor)}"
        names.append(name)
        series = (
            rates.filter((pl.col("curve") == curve) & (pl.col("tenor_years") == tenor))
            .select("date", pl.col("yield_pct").alias(name))
            .drop_nulls()
            .sort("date")
        )
        levels = levels.join_asof(series, on="date", strategy="backward", tolerance="7d")
    changes = levels.with_columns([(pl.col(n).diff() * 100).alias(n) for n in names])
    x = changes.select(names).to_numpy().astype(float)
    complete = np.isfinite(x).all(axis=1)
    turb = turbulence(x[complete], MATRIX_WINDOW)
    measured = pl.DataFrame({"date": changes["date"].filter(pl.Series(complete)), "rates_turbulence": turb})
    measured = measured.fill_nan(None).with_columns(
        trailing_zscore(pl.col("rates_turbulence").log1p(), ZSCORE_WINDOW).fill_nan(None).alias("z_rates_turbulence")
    )
    return changes.select("date").join(measured, on="date", how="left")


def history_start(panel: pl.DataFrame, first_day, value_col: str = "log_return_1d"):
    """The first panel day the measures of `first_day` and later need: HISTORY_DAYS complete days (every asset
    with a return) before it, or the panel's first day when it holds fewer. Measures computed from there equal,
    from `first_day` on, those computed on the whole history."""
    complete = (
        panel.filter(pl.col("date") < first_day)
        .group_by("date")
        .agg(pl.col(value_col).is_not_null().all().alias("complete"))
        .filter(pl.col("complete"))
        .sort("date")["date"]
    )
    if complete.len() <= HISTORY_DAYS:
        return panel["date"].min()
    return complete[-HISTORY_DAYS - 1]


def index_over(components: list[str], classes_down: pl.Expr, every: bool = False) -> pl.Expr:
    """The index formula: the mean of the standardised components plus 0.5 per class down 2 sigma; where every
    component exists (`every`), else where any does."""
    present = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in components])
    exists = present == len(components) if every else present > 0
    return pl.when(exists).then(pl.mean_horizontal(components) + 0.5 * classes_down)


def stress_measures(panel: pl.DataFrame, rates: pl.DataFrame, value_col: str = "log_return_1d") -> pl.DataFrame:
    """panel: date, asset_id, asset_class, <value_col> (aligned returns, null where not observed);
    rates: date, curve, tenor_years, yield_pct (the 2-year for the carry gap, RATES_POINTS for the rates
    component)."""
    ex_crypto = panel.filter(pl.col("asset_class") != "crypto")
    suffixed = {
        "z_turbulence": "z_turbulence_xc",
        "z_absorption_shift": "z_absorption_shift_xc",
        "z_avg_pairwise_corr": "z_avg_pairwise_corr_xc",
        "n_classes_down_2sigma": "n_classes_down_2sigma_xc",
    }
    crypto_free = (
        matrix_measures(ex_crypto, value_col)
        .join(class_breadth(ex_crypto, value_col), on="date", how="left")
        .select("date", *[pl.col(a).alias(b) for a, b in suffixed.items()])
    )
    rates_component = rates_turbulence(rates, panel.select("date"))
    out = (
        matrix_measures(panel, value_col)
        .join(class_breadth(panel, value_col), on="date", how="left")
        .join(carry_unwind(panel, rates, value_col), on="date", how="left")
        .join(crypto_free, on="date", how="left")
        .join(rates_component, on="date", how="left")
        .sort("date")
        .with_columns(
            pl.col("n_classes_down_2sigma").fill_null(0),
            pl.col("n_classes_down_2sigma_xc").fill_null(0),
            pl.col("black_hole_classes_down").fill_null(False),
        )
        .filter(pl.col("date") > pl.col("date").min())
    )  # the first panel day has no return at all

    present = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in COMPONENTS])
    breadth, breadth_xc = pl.col("n_classes_down_2sigma"), pl.col("n_classes_down_2sigma_xc")
    out = out.with_columns(
        present.alias("n_components"),
        # The index is defined only where every component is: never a silent mix of whichever exist.
        index_over(COMPONENTS, breadth, every=True).alias("stress_index"),
        # The same formula over the components that exist that day, for the early sample; its own column.
        index_over(COMPONENTS, breadth).alias("stress_index_reduced"),
        # The crypto-free variant from 2000: the same formula on the panel without crypto, over the components
        # that exist that day (the pre-registration's series).
        index_over(COMPONENTS_EX_CRYPTO, breadth_xc).alias("stress_index_ex_crypto"),
        # The formula before the rates component, kept for the comparison.
        index_over(COMPONENTS_BEFORE_RATES, breadth, every=True).alias("stress_index_before_rates"),
    )
    stressed = (pl.col("stress_index") >= STRESSED_INDEX).fill_null(False) | (pl.col("n_classes_down_2sigma") >= 2)
    return out.with_columns(
        pl.when(stressed & pl.col("black_hole_classes_down"))
        .then(pl.lit("liquidity_black_hole"))
        .when(stressed)
        .then(pl.lit("stressed"))
        .otherwise(pl.lit("calm"))
        .alias("regime")
    )
