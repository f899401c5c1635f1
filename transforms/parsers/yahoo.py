"""Yahoo Finance daily history as CSV (`Date,Open,High,Low,Close,Adj Close,Volume`).

Close is required; the other columns are optional because Yahoo omits volume for futures and some
collected series are close-only.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from transforms import validation as check
from transforms.errors import SourceError

PRICE_COLUMNS = {
    "date": pl.Date,
    "asset_id": pl.String,
    "open": pl.Float64,
    "high": pl.Float64,
    "low": pl.Float64,
    "close": pl.Float64,
    "adj_close": pl.Float64,
    "volume": pl.Float64,
}
_YAHOO = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close", "Volume": "volume"}


def price_rules(today: date) -> list:
    return [
        check.not_null("date"),
        check.not_null("close"),
        check.positive("close"),
        check.positive("open"),
        check.positive("high"),
        check.positive("low"),
        check.not_future("date", today),
        check.unique_key(["asset_id", "date"]),
    ]


def parse_yahoo_csv(text: str | bytes, asset_id: str, file: str, today: date, source: str = "yahoo") -> pl.DataFrame:
    raw = check.read_rows(source, file, text, ["Date", "Close"])
    typed = raw.select(
        check.ROW,
        check.to_date("Date").alias("date"),
        pl.lit(asset_id).alias("asset_id"),
        *[
            (check.to_float(src) if src in raw.columns else pl.lit(None, pl.Float64)).alias(dst)
            for src, dst in _YAHOO.items()
        ],
        pl.col("Date").alias("_date_raw"),
        pl.col("Close").alias("_close_raw"),
    )
    rules = [
        check.unparseable("_date_raw", "date", "Date"),
        check.unparseable("_close_raw", "close", "Close"),
        *price_rules(today),
    ]
    return drop_flat_ranges(check.enforce(source, file, typed, raw, rules).select(list(PRICE_COLUMNS)))


def drop_flat_ranges(frame: pl.DataFrame) -> pl.DataFrame:
    """Open, high and low set missing on a flat bar (open = high = low = close); the close is kept.

    A flat bar is a settlement-only row, a price and not a traded range: Yahoo's COMEX futures hold 1,604 (SI=F)
    and 791 (GC=F) of them before 2024 (PROVENANCE). Kept as a range it would read as a day without movement."""
    o, h, lo, c = pl.col("open"), pl.col("high"), pl.col("low"), pl.col("close")
    flat = ((o == h) & (h == lo) & (lo == c)).fill_null(False)
    return frame.with_columns(pl.when(flat).then(None).otherwise(pl.col(x)).alias(x) for x in ("open", "high", "low"))


def drop_contradicted_ranges(frame: pl.DataFrame) -> pl.DataFrame:
    """Open, high and low set missing on rows whose bar contradicts its own close; the close is kept.

    For sources that stamp a close taken outside the bar's window (Yahoo JPY=X's London-morning snapshot;
    the BTC-USD and ETH-USD files appended daily with a partial last bar, PROVENANCE): the close is the
    observation, the range belongs to another window and would break the bar rule. Any other source with
    such a row is refused.
    """
    low, high, close, open_ = pl.col("low"), pl.col("high"), pl.col("close"), pl.col("open")
    contradicted = ((low > high) | (low > open_) | (low > close) | (high < open_) | (high < close)).fill_null(False)
    return frame.with_columns(
        pl.when(contradicted).then(None).otherwise(pl.col(c)).alias(c) for c in ("open", "high", "low")
    )


def parse_close_csv(
    text: str | bytes,
    asset_id: str,
    file: str,
    today: date,
    source: str,
    date_col: str = "date",
    close_col: str = "close",
) -> pl.DataFrame:
    """A two-column close series (LBMA fix `date,close`, FRED `observation_date,SERIES`)."""
    raw = check.read_rows(source, file, text, [date_col, close_col])
    typed = raw.select(
        check.ROW,
        check.to_date(date_col).alias("date"),
        pl.lit(asset_id).alias("asset_id"),
        check.to_float(close_col).alias("close"),
        pl.col(date_col).alias("_date_raw"),
        pl.col(close_col).alias("_close_raw"),
        *[pl.lit(None, pl.Float64).alias(c) for c in ("open", "high", "low", "adj_close", "volume")],
    )
    # A missing close ('.' on a FRED holiday) is no observation, not an error.
    rules = [
        check.unparseable("_date_raw", "date", date_col),
        check.unparseable("_close_raw", "close", close_col),
        *[r for r in price_rules(today) if r.name != "close must not be missing"],
    ]
    out = check.enforce(source, file, typed, raw, rules).filter(pl.col("close").is_not_null())
    return out.select(list(PRICE_COLUMNS))


_QUOTE_FIELDS = ["open", "high", "low", "close", "volume"]


_ZONES = frozenset(__import__("zoneinfo").available_timezones()) | {"UTC"}


def _length(value) -> int:
    return len(value) if isinstance(value, list) else 0


def _object(source: str, file: str, parent: dict, key: str) -> dict:
    value = parent.get(key) or {}
    if not isinstance(value, dict):
        raise SourceError(source, file, f"field '{key}' must be an object", detail=repr(value)[:60])
    return value


def _first_object(source: str, file: str, parent: dict, key: str) -> dict:
    """parent[key][0] as an object ({} when absent)."""
    value = parent.get(key) or [{}]
    first = value[0] if isinstance(value, list) and value else None
    if not isinstance(first, dict):
        raise SourceError(source, file, f"field '{key}' must be a list of objects", detail=repr(value)[:60])
    return first


def parse_yahoo_chart_json(
    text: str | bytes, asset_id: str, file: str, today: date, source: str = "yahoo"
) -> pl.DataFrame:
    """Yahoo's chart API v8 (`{"chart": {"result": [{"meta", "timestamp", "indicators"}], "error"}}`).

    A bar's timestamp is its session's open; its date is taken in the exchange's own time zone
    (`meta.exchangeTimezoneName`), since a London-midnight FX bar is 23:00 UTC the day before in summer.
    Bars with a null close (Yahoo emits them for half-formed days) are no observation.
    """
    text = check.as_text(source, file, text)
    payload = check.load_json(source, file, text)
    chart = payload.get("chart") if isinstance(payload, dict) else None
    if not isinstance(chart, dict) or "result" not in chart:
        raise SourceError(source, file, "body must be a chart response ({'chart': {'result': ...}})", detail=text[:80])
    if chart.get("error"):
        raise SourceError(source, file, "chart.error must be null", detail=json.dumps(chart["error"])[:200])
    results = chart.get("result") or []
    result = results[0] if isinstance(results, list) and results else None
    if not isinstance(result, dict) or not result.get("timestamp"):
        raise SourceError(source, file, "file must hold at least one data row", detail="no timestamps")
    indicators = _object(source, file, result, "indicators")
    quote = _first_object(source, file, indicators, "quote")
    missing = [f for f in ["close"] if f not in quote]
    if missing:
        raise SourceError(
            source, file, f"required field 'indicators.quote[0].{missing[0]}' missing", detail=f"found {sorted(quote)}"
        )
    stamps = result["timestamp"]
    columns = {f: quote.get(f) or [None] * _length(stamps) for f in _QUOTE_FIELDS}
    adj = _first_object(source, file, indicators, "adjclose").get("adjclose") or [None] * _length(stamps)
    if not all(isinstance(v, list) for v in [stamps, *columns.values(), adj]):
        raise SourceError(
            source,
            file,
            "timestamps and indicators must be lists",
            detail=", ".join(
                f"{k}: {type(v).__name__}" for k, v in {"timestamp": stamps, **columns, "adjclose": adj}.items()
            ),
        )
    lengths = {len(v) for v in [*columns.values(), adj]}
    if lengths != {len(stamps)}:
        raise SourceError(
            source,
            file,
            "every indicator must have one value per timestamp",
            detail=f"{len(stamps)} timestamps, indicator lengths {sorted(lengths)}",
        )
    meta = result.get("meta") if isinstance(result.get("meta"), dict) else {}
    zone = meta.get("exchangeTimezoneName") or "UTC"
    if not isinstance(zone, str) or zone not in _ZONES:
        raise SourceError(source, file, "meta.exchangeTimezoneName must be an IANA time zone", detail=repr(zone)[:60])
    raw = pl.DataFrame(
        {
            "timestamp": [str(s) for s in stamps],
            **{f: [None if v is None else str(v) for v in vals] for f, vals in columns.items()},
            "adjclose": [None if v is None else str(v) for v in adj],
        },
        schema={c: pl.String for c in ["timestamp", *_QUOTE_FIELDS, "adjclose"]},
    )
    raw = check.with_row_numbers(raw, first_line=1)
    typed = raw.select(
        check.ROW,
        check.from_epoch(pl.col("timestamp")).dt.convert_time_zone(zone).dt.date().alias("date"),
        pl.lit(asset_id).alias("asset_id"),
        *[check.to_float(f).alias(f) for f in _QUOTE_FIELDS if f != "volume"],
        check.to_float("adjclose").alias("adj_close"),
        check.to_float("volume").alias("volume"),
        pl.col("timestamp").alias("_ts_raw"),
    )
    rules = [
        check.unparseable("_ts_raw", "date", "timestamp"),
        *[r for r in price_rules(today) if r.name != "close must not be missing"],
    ]
    out = check.enforce(source, file, typed, raw, rules).filter(pl.col("close").is_not_null())
    return drop_flat_ranges(out.select(list(PRICE_COLUMNS)))


def parse_ny_close_csv(text: str | bytes, asset_id: str, file: str, today: date, source: str = "mt5") -> pl.DataFrame:
    """A broker's FX history aggregated to New York days (`trading_day, ny_close_17et, open, high, low, h4_bars,
    close_is_ny_close, note`): the close at 17:00 New York, the FX market's own day end.

    Days the source itself flags as incomplete (`close_is_ny_close = 0`: its bars stop mid-day, so the last
    price is not the New York close) are no observation of that day's close, not an error."""
    raw = check.read_rows(
        source, file, text, ["trading_day", "ny_close_17et", "open", "high", "low", "close_is_ny_close"]
    )
    typed = raw.select(
        check.ROW,
        check.to_date("trading_day").alias("date"),
        pl.lit(asset_id).alias("asset_id"),
        check.to_float("open").alias("open"),
        check.to_float("high").alias("high"),
        check.to_float("low").alias("low"),
        check.to_float("ny_close_17et").alias("close"),
        pl.lit(None, pl.Float64).alias("adj_close"),
        pl.lit(None, pl.Float64).alias("volume"),
        pl.col("trading_day").alias("_date_raw"),
        pl.col("ny_close_17et").alias("_close_raw"),
        pl.col("close_is_ny_close").alias("_complete"),
    )
    rules = [
        check.unparseable("_date_raw", "date", "trading_day"),
        check.unparseable("_close_raw", "close", "ny_close_17et"),
        *price_rules(today),
    ]
    out = check.enforce(source, file, typed, raw, rules)
    return out.filter(pl.col("_complete") == "1").select(list(PRICE_COLUMNS))
