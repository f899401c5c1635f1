"""FRED's keyless CSV download: header `observation_date,SERIES` (older files `DATE,SERIES`), '.' for missing."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms.errors import SourceError
from transforms.validation import (
    ROW,
    as_text,
    enforce,
    not_future,
    not_null,
    read_csv_text,
    sniff_text,
    to_date,
    to_float,
    unique_key,
    unparseable,
    with_row_numbers,
)


def parse_fred_csv(text: str | bytes, series_id: str, file: str, today: date, source: str = "fred") -> pl.DataFrame:
    """Return date, series_id, value; rows FRED marks missing are dropped (no observation that day)."""
    text = as_text(source, file, text)
    sniff_text(source, file, text)
    raw = read_csv_text(source, file, text)
    date_col = next((c for c in raw.columns if c.lower() in ("observation_date", "date")), None)
    if date_col is None:
        raise SourceError(source, file, "required column 'observation_date' missing", detail=f"found {raw.columns}")
    if series_id not in raw.columns:
        raise SourceError(source, file, f"required column {series_id!r} missing", detail=f"found {raw.columns}")
    raw = with_row_numbers(raw)
    typed = raw.select(
        ROW,
        to_date(date_col).alias("date"),
        pl.lit(series_id).alias("series_id"),
        to_float(series_id).alias("value"),
        pl.col(date_col).alias("_d"),
        pl.col(series_id).alias("_v"),
    )
    rules = [
        unparseable("_d", "date", date_col),
        unparseable("_v", "value", series_id),
        not_null("date"),
        not_future("date", today),
        unique_key(["series_id", "date"]),
    ]
    out = enforce(source, file, typed, raw, rules)
    return out.filter(pl.col("value").is_not_null()).select("date", "series_id", "value")
