"""FRED's keyless CSV download: header `observation_date,SERIES` (older files `DATE,SERIES`), '.' for missing."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms import validation as check
from transforms.errors import SourceError


def parse_fred_csv(text: str | bytes, series_id: str, file: str, today: date, source: str = "fred") -> pl.DataFrame:
    """Return date, series_id, value; rows FRED marks missing are dropped (no observation that day)."""
    text = check.as_text(source, file, text)
    check.sniff_text(source, file, text)
    raw = check.read_csv_text(source, file, text)
    date_col = next((c for c in raw.columns if c.lower() in ("observation_date", "date")), None)
    if date_col is None:
        raise SourceError(source, file, "required column 'observation_date' missing", detail=f"found {raw.columns}")
    if series_id not in raw.columns:
        raise SourceError(source, file, f"required column {series_id!r} missing", detail=f"found {raw.columns}")
    raw = check.with_row_numbers(raw)
    typed = raw.select(
        check.ROW,
        check.to_date(date_col).alias("date"),
        pl.lit(series_id).alias("series_id"),
        check.to_float(series_id).alias("value"),
        pl.col(date_col).alias("_d"),
        pl.col(series_id).alias("_v"),
    )
    rules = [
        check.unparseable("_d", "date", date_col),
        check.unparseable("_v", "value", series_id),
        check.not_null("date"),
        check.not_future("date", today),
        check.unique_key(["series_id", "date"]),
    ]
    out = check.enforce(source, file, typed, raw, rules)
    return out.filter(pl.col("value").is_not_null()).select("date", "series_id", "value")
