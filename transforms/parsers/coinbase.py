"""Coinbase Exchange daily candles (JSON): `[[time, low, high, open, close, volume], ...]`, newest first.

Note the order: low and high come before open. Volume is in the base currency (BTC); the raw price table
holds volume in US$ as Yahoo reports it for crypto, so it is converted at the day's close (an approximation
of the quote volume Coinbase does not publish).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms.errors import SourceError
from transforms.parsers.yahoo import PRICE_COLUMNS, price_rules
from transforms.validation import ROW, Rule, as_text, enforce, from_epoch, load_json, with_row_numbers

FIELDS = ["time", "low", "high", "open", "close", "volume"]


def parse_coinbase_candles(
    text: str | bytes, asset_id: str, file: str, today: date, source: str = "coinbase"
) -> pl.DataFrame:
    text = as_text(source, file, text)
    payload = load_json(source, file, text)
    if isinstance(payload, dict):  # Coinbase answers errors as {"message": "..."}
        raise SourceError(source, file, "body must be a list of candles", detail=str(payload.get("message"))[:200])
    if not isinstance(payload, list) or not payload:
        raise SourceError(source, file, "file must hold at least one data row")
    bad = next((i for i, c in enumerate(payload, start=1) if not isinstance(c, list) or len(c) != len(FIELDS)), None)
    if bad is not None:
        raise SourceError(
            source,
            file,
            "each candle must be [time, low, high, open, close, volume]",
            row=bad,
            detail=str(payload[bad - 1])[:120],
        )
    raw = with_row_numbers(
        pl.DataFrame(
            [[None if v is None else str(v) for v in c] for c in payload],
            schema={f: pl.String for f in FIELDS},
            orient="row",
        ),
        first_line=1,
    )
    typed = raw.select(
        ROW,
        from_epoch(pl.col("time")).dt.date().alias("date"),
        pl.lit(asset_id).alias("asset_id"),
        *[pl.col(f).cast(pl.Float64, strict=False).alias(f) for f in FIELDS[1:]],
    )
    typed = typed.with_columns(
        (pl.col("volume") * pl.col("close")).alias("volume"), pl.lit(None, pl.Float64).alias("adj_close")
    )
    rules = [
        Rule("time must be epoch seconds", pl.col("date").is_null(), pl.lit("time is not an integer")),
        Rule(
            "low must not exceed high",
            pl.col("low") > pl.col("high"),
            pl.format("low {} > high {}", pl.col("low"), pl.col("high")),
        ),
        *price_rules(today),
    ]
    return enforce(source, file, typed, raw, rules).select(list(PRICE_COLUMNS)).sort("date")
