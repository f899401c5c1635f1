"""Yahoo Finance daily history as CSV (`Date,Open,High,Low,Close,Adj Close,Volume`).

Close is required; the other columns are optional because Yahoo omits volume for futures and some
collected series are close-only.
"""

from __future__ import annotations

import io
from datetime import date

import polars as pl

from transforms.validation import (ROW, enforce, not_future, not_null, positive, require_columns, sniff_text,
                                   to_date, to_float, unique_key, unparseable, with_row_numbers)

PRICE_COLUMNS = {"date": pl.Date, "asset_id": pl.String, "open": pl.Float64, "high": pl.Float64,
                 "low": pl.Float64, "close": pl.Float64, "adj_close": pl.Float64, "volume": pl.Float64}
_YAHOO = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close",
          "Volume": "volume"}


def price_rules(today: date) -> list:
    return [not_null("date"), not_null("close"), positive("close"), positive("open"), positive("high"),
            positive("low"), not_future("date", today), unique_key(["asset_id", "date"])]


def parse_yahoo_csv(text: str, asset_id: str, file: str, today: date, source: str = "yahoo") -> pl.DataFrame:
    sniff_text(source, file, text)
    raw = pl.read_csv(io.StringIO(text), infer_schema_length=0)
    require_columns(source, file, raw.columns, ["Date", "Close"])
    raw = with_row_numbers(raw)
    typed = raw.select(
        ROW, to_date("Date").alias("date"), pl.lit(asset_id).alias("asset_id"),
        *[(to_float(src) if src in raw.columns else pl.lit(None, pl.Float64)).alias(dst)
          for src, dst in _YAHOO.items()],
        pl.col("Date").alias("_date_raw"), pl.col("Close").alias("_close_raw"))
    rules = [unparseable("_date_raw", "date", "Date"), unparseable("_close_raw", "close", "Close"),
             *price_rules(today)]
    return enforce(source, file, typed, raw, rules).select(list(PRICE_COLUMNS))


def parse_close_csv(text: str, asset_id: str, file: str, today: date, source: str,
                    date_col: str = "date", close_col: str = "close") -> pl.DataFrame:
    """A two-column close series (LBMA fix `date,close`, FRED `observation_date,SERIES`)."""
    sniff_text(source, file, text)
    raw = pl.read_csv(io.StringIO(text), infer_schema_length=0)
    require_columns(source, file, raw.columns, [date_col, close_col])
    raw = with_row_numbers(raw)
    typed = raw.select(ROW, to_date(date_col).alias("date"), pl.lit(asset_id).alias("asset_id"),
                       to_float(close_col).alias("close"), pl.col(date_col).alias("_date_raw"),
                       pl.col(close_col).alias("_close_raw"),
                       *[pl.lit(None, pl.Float64).alias(c) for c in ("open", "high", "low", "adj_close", "volume")])
    # A missing close ('.' on a FRED holiday) is no observation, not an error.
    rules = [unparseable("_date_raw", "date", date_col), unparseable("_close_raw", "close", close_col),
             *[r for r in price_rules(today) if r.name != "close must not be missing"]]
    out = enforce(source, file, typed, raw, rules).filter(pl.col("close").is_not_null())
    return out.select(list(PRICE_COLUMNS))
