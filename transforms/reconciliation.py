"""Two sources of one thing, compared: pure polars functions behind the reconciliation checks
(orchestration/defs/raw/reconciliation.py), tested directly.

Every gap is in percent, one source against its reference on the days both hold; a quarter's median absolute
gap is what a check judges, because one bad day is noise and a bad quarter is a clock or a basis.
"""

from __future__ import annotations

import polars as pl


def source_gaps(prices: pl.DataFrame, asset: str, reference: str, next_stamp: bool = False) -> pl.DataFrame:
    """Per day held by both: one source's close against the reference source's, in percent. `next_stamp` takes
    the asset's next row as its value for a day (Yahoo's JPY=X, stamped a day behind New York)."""
    value = pl.col("close").shift(-1) if next_stamp else pl.col("close")
    series = prices.filter(pl.col("asset_id") == asset).sort("date").select("date", value.alias(asset))
    base = prices.filter(pl.col("asset_id") == reference).select("date", pl.col("close").alias(reference))
    return (
        base.join(series, on="date")
        .drop_nulls()
        .sort("date")
        .with_columns(((pl.col(asset) / pl.col(reference) - 1) * 100).alias("gap_pct"))
    )


def continuity_gaps(prices: pl.DataFrame) -> pl.DataFrame:
    """Per 24/7 asset and day: the next day's open against this day's close, in percent."""
    return (
        prices.sort("asset_id", "date")
        .with_columns(
            pl.col("open").shift(-1).over("asset_id").alias("next_open"),
            pl.col("date").shift(-1).over("asset_id").alias("next_date"),
        )
        .filter((pl.col("next_date") - pl.col("date")).dt.total_days() == 1)
        .with_columns(((pl.col("next_open") / pl.col("close") - 1) * 100).alias("gap_pct"))
        .drop_nulls("gap_pct")
    )


def quarterly_gaps(gaps: pl.DataFrame, limit_pct: float, by: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(every quarter's days and median absolute gap, the quarters beyond the limit)."""
    by_quarter = (
        gaps.group_by(*by, pl.col("date").dt.truncate("1q").alias("quarter"))
        .agg(pl.len().alias("days"), pl.col("gap_pct").abs().median().alias("median_abs_gap_pct"))
        .sort(*by, "quarter")
    )
    return by_quarter, by_quarter.filter(pl.col("median_abs_gap_pct") > limit_pct)


def worst_days(gaps: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    return gaps.sort(pl.col("gap_pct").abs(), descending=True).head(n)


def lag_correlations(panel: pl.DataFrame, class_reference: dict[str, str]) -> pl.DataFrame:
    """Per panel asset: correlation of its per-session returns with its class reference's at lags -1, 0, +1
    (lag +1: the reference's return of the next panel day)."""
    wide = panel.pivot(on="asset_id", index="date", values="log_return_per_session").sort("date")
    classes = dict(panel.select("asset_id", "asset_class").unique().iter_rows())
    rows = []
    for asset, cls in sorted(classes.items()):
        reference = class_reference.get(cls)
        if reference is None or asset == reference or reference not in wide.columns:
            continue
        corr = {lag: wide.select(pl.corr(pl.col(asset), pl.col(reference).shift(-lag))).item() for lag in (-1, 0, 1)}
        rows.append(
            {
                "asset_id": asset,
                "reference": reference,
                "corr_lag_minus_1": corr[-1],
                "corr_lag_0": corr[0],
                "corr_lag_plus_1": corr[1],
                "best_at_lag_0": corr[0] > max(corr[-1], corr[1]),
            }
        )
    return pl.DataFrame(rows)


def intraday_gaps(bars: pl.DataFrame, daily: pl.DataFrame, references: dict[str, tuple[str, str]]) -> pl.DataFrame:
    """Per hourly series and day: the day's last hourly close, highest high and lowest low against the daily
    reference's close, high and low, in percent. `references`: asset -> (daily reference, clock). Crypto days
    are UTC days; metals days are New York trading days (17:00 to 17:00 New York), the day a futures settlement
    or a fix belongs to."""
    rows = []
    for asset, (reference, clock) in references.items():
        series = bars.filter(pl.col("asset_id") == asset)
        if clock == "utc":
            day = pl.col("bar_start").dt.date()
        else:
            day = (pl.col("bar_start").dt.convert_time_zone("America/New_York") + pl.duration(hours=7)).dt.date()
        hourly = (
            series.with_columns(day.alias("date"))
            .sort("bar_start")
            .group_by("asset_id", "source", "date")
            .agg(
                pl.col("close").last().alias("hourly_close"),
                pl.col("high").max().alias("hourly_high"),
                pl.col("low").min().alias("hourly_low"),
                pl.len().alias("bars"),
            )
        )
        ref = daily.filter(pl.col("asset_id") == reference).select(
            "date", pl.lit(reference).alias("reference"), "close", "high", "low"
        )
        rows.append(
            hourly.join(ref, on="date").with_columns(
                ((pl.col("hourly_close") / pl.col("close") - 1) * 100).alias("gap_pct"),
                ((pl.col("hourly_high") / pl.col("high") - 1) * 100).alias("high_gap_pct"),
                ((pl.col("hourly_low") / pl.col("low") - 1) * 100).alias("low_gap_pct"),
            )
        )
    return pl.concat(rows).sort("asset_id", "source", "date") if rows else pl.DataFrame()


def intraday_summary(gaps: pl.DataFrame, limits: dict[str, float]) -> pl.DataFrame:
    """Per hourly series: days compared, the median and 95th-percentile close gaps, the high and low gaps, and
    its limit."""
    return (
        gaps.group_by("asset_id", "source", "reference")
        .agg(
            pl.len().alias("days"),
            pl.col("gap_pct").abs().median().alias("median_abs_close_gap_pct"),
            pl.col("gap_pct").abs().quantile(0.95).alias("p95_abs_close_gap_pct"),
            pl.col("high_gap_pct").abs().median().alias("median_abs_high_gap_pct"),
            pl.col("low_gap_pct").abs().median().alias("median_abs_low_gap_pct"),
        )
        .with_columns(pl.col("asset_id").replace_strict(limits, return_dtype=pl.Float64).alias("limit_pct"))
        .sort("asset_id", "source")
    )
