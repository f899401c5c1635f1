"""Hourly bars in their sources' own formats: Binance kline archives and a MetaTrader 5 broker export.

Both carry `open_time_utc` (ISO, UTC), the bar's start; a bar belongs to the hour it opens. Binance volume is
in the base asset (BTC); the broker's `tick_volume` counts quote updates, not units traded, so it is not
loaded as volume.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms import validation as check

COLUMNS = ["bar_start", "asset_id", "source", "basis", "open", "high", "low", "close", "volume"]


def parse_hourly_bars(
    text: str | bytes, asset_id: str, source: str, basis: str, file: str, today: date, volume_column: str | None
) -> pl.DataFrame:
    """bar_start (UTC), asset_id, source, basis, open, high, low, close, volume (null without `volume_column`)."""
    raw = check.read_rows(
        source,
        file,
        text,
        ["open_time_utc", "open", "high", "low", "close", *([volume_column] if volume_column else [])],
    )
    typed = raw.select(
        check.ROW,
        pl.col("open_time_utc")
        .str.strip_chars()
        .str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC", time_unit="us", strict=False)
        .alias("bar_start"),
        pl.lit(asset_id).alias("asset_id"),
        pl.lit(source).alias("source"),
        pl.lit(basis).alias("basis"),
        *[check.to_float(c).alias(c) for c in ("open", "high", "low", "close")],
        (check.to_float(volume_column) if volume_column else pl.lit(None, pl.Float64)).alias("volume"),
        pl.col("open_time_utc").alias("_t"),
        *[pl.col(c).alias(f"_{c}") for c in ("open", "high", "low", "close")],
    )
    rules = [
        check.unparseable("_t", "bar_start", "open_time_utc"),
        *[check.unparseable(f"_{c}", c, c) for c in ("open", "high", "low", "close")],
        check.not_future("bar_start", today),
        check.unique_key(["asset_id", "source", "bar_start"]),
    ]
    return check.enforce(source, file, typed, raw, rules).select(COLUMNS).sort("bar_start")
