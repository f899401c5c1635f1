"""The daily liquidity-stress frame: cross-asset measures, their standardised components, the composite
index and the regime. Definitions are documented column by column in
transforms/dbt/models/marts/_marts__models.yml (mart_liquidity_stress_daily).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from transforms.measures import (absorption_ratio, absorption_shift, avg_pairwise_correlation, panel_matrix,
                                 trailing_zscore, turbulence)

CORR_WINDOW = 60
MATRIX_WINDOW = 250
ZSCORE_WINDOW = 250
HARD_FALL_Z = -2.0
STRESSED_INDEX = 1.0
# The classes whose simultaneous hard fall the article calls a liquidity black hole.
BLACK_HOLE_CLASSES = ("crypto", "precious_metal", "equity_index")
CLASSES = ("crypto", "precious_metal", "equity_index", "fx")


def class_breadth(panel: pl.DataFrame) -> pl.DataFrame:
    """Per date: each class's worst aligned return z-score, and how many classes fell below -2 sigma."""
    z = panel.sort("panel_date").with_columns(
        trailing_zscore(pl.col("log_return_1d"), ZSCORE_WINDOW).over("asset_id").alias("z"))
    worst = z.group_by("panel_date", "asset_class").agg(pl.col("z").min().alias("worst_z"))
    wide = worst.pivot(on="asset_class", index="panel_date", values="worst_z").sort("panel_date")
    for c in CLASSES:
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
    down = {c: (pl.col(c) < HARD_FALL_Z).fill_null(False) for c in CLASSES}
    return wide.select(
        pl.col("panel_date").alias("date"),
        *[pl.col(c).alias(f"worst_z_{c}") for c in CLASSES],
        pl.sum_horizontal([down[c].cast(pl.Int32) for c in CLASSES]).alias("n_classes_down_2sigma"),
        pl.all_horizontal([down[c] for c in BLACK_HOLE_CLASSES]).alias("black_hole_classes_down"))


def carry_unwind(panel: pl.DataFrame, jgb30: pl.DataFrame) -> pl.DataFrame:
    """Mean of two trailing z-scores: yen strengthening (-USDJPY log return) and the 30y JGB yield's daily
    change, as of each panel date (Tokyo closes before New York on the same date)."""
    yen = panel.filter(pl.col("asset_id") == "USDJPY").select(pl.col("panel_date").alias("date"),
                                                               (-pl.col("log_return_1d")).alias("yen_gain"))
    jgb = jgb30.sort("date").with_columns(pl.col("yield_pct").diff().mul(100).alias("jgb30_change_bp"))
    joined = yen.sort("date").join_asof(jgb.select("date", "jgb30_change_bp"), on="date", strategy="backward",
                                        tolerance="4d")
    return joined.with_columns(
        pl.mean_horizontal(trailing_zscore(pl.col("yen_gain"), ZSCORE_WINDOW),
                           trailing_zscore(pl.col("jgb30_change_bp").fill_null(0.0), ZSCORE_WINDOW))
        .alias("carry_unwind_score")).select("date", "carry_unwind_score")


def stress_measures(panel: pl.DataFrame, jgb30: pl.DataFrame) -> pl.DataFrame:
    """panel: panel_date, asset_id, asset_class, log_return_1d (aligned); jgb30: date, yield_pct."""
    dates, assets, x = panel_matrix(panel)
    x = np.nan_to_num(x[1:], nan=0.0)  # a carried close is no move; the first date has no return at all
    dates = dates[1:]
    ar = absorption_ratio(x, MATRIX_WINDOW)
    matrix = pl.DataFrame({
        "date": dates, "n_assets": len(assets),
        "avg_pairwise_corr_60d": avg_pairwise_correlation(x, CORR_WINDOW),
        "absorption_ratio": ar, "absorption_ratio_shift": absorption_shift(ar),
        "turbulence": turbulence(x, MATRIX_WINDOW)}).fill_nan(None)
    out = (matrix.join(class_breadth(panel), on="date", how="left")
           .join(carry_unwind(panel, jgb30), on="date", how="left").sort("date")
           .with_columns(trailing_zscore(pl.col("avg_pairwise_corr_60d"), ZSCORE_WINDOW).alias("z_avg_pairwise_corr"),
                         trailing_zscore(pl.col("turbulence").log1p(), ZSCORE_WINDOW).alias("z_turbulence"),
                         pl.col("absorption_ratio_shift").alias("z_absorption_shift"))
           .with_columns(pl.col("n_classes_down_2sigma").fill_null(0),
                         pl.col("black_hole_classes_down").fill_null(False)))
    components = ["z_turbulence", "z_absorption_shift", "z_avg_pairwise_corr", "carry_unwind_score"]
    out = out.with_columns(
        (pl.mean_horizontal(components) + 0.5 * pl.col("n_classes_down_2sigma")).alias("stress_index"),
        pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in components]).alias("n_components"))
    stressed = (pl.col("stress_index") >= STRESSED_INDEX) | (pl.col("n_classes_down_2sigma") >= 2)
    return out.with_columns(
        pl.when(stressed & pl.col("black_hole_classes_down")).then(pl.lit("liquidity_black_hole"))
        .when(stressed).then(pl.lit("stressed")).otherwise(pl.lit("calm")).alias("regime"))
