"""CoinGlass aggregated liquidation history (JSON): long and short US$ per bar, per coin."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms.errors import SourceError
from transforms.validation import ROW, Rule, as_text, enforce, from_epoch, load_json, unique_key, with_row_numbers

FIELDS = {
    "time": "bar_start_ms",
    "aggregated_long_liquidation_usd": "long_usd",
    "aggregated_short_liquidation_usd": "short_usd",
}


def parse_coinglass_liquidations(
    text: str | bytes, coin: str, file: str, today: date, source: str = "coinglass"
) -> pl.DataFrame:
    """Return bar_start (UTC), coin, long_usd, short_usd."""
    payload = load_json(source, file, as_text(source, file, text))
    if not isinstance(payload, dict) or str(payload.get("code")) != "0":
        raise SourceError(
            source,
            file,
            "response code must be '0' (success)",
            detail=f"code={payload.get('code') if isinstance(payload, dict) else '?'} "
            f"msg={payload.get('msg') if isinstance(payload, dict) else '?'}",
        )
    data = payload.get("data")
    if not isinstance(data, list) or not data:
        raise SourceError(source, file, "file must hold at least one data row", detail="'data' is empty")
    not_object = next((i for i, row in enumerate(data, start=1) if not isinstance(row, dict)), None)
    if not_object is not None:
        raise SourceError(
            source, file, "each data row must be an object", row=not_object, detail=repr(data[not_object - 1])[:80]
        )
    missing = [k for k in FIELDS if k not in data[0]]
    if missing:
        raise SourceError(
            source, file, f"required field {missing[0]!r} missing", row=1, detail=f"found {sorted(data[0])}"
        )
    raw = with_row_numbers(
        pl.DataFrame(
            [{k: (None if row.get(k) is None else str(row.get(k))) for k in FIELDS} for row in data],
            schema={k: pl.String for k in FIELDS},
        ),
        first_line=1,  # rows are counted in the `data` array
    )
    typed = raw.select(ROW, *[pl.col(k).cast(pl.Float64, strict=False).alias(v) for k, v in FIELDS.items()])
    typed = typed.with_columns(from_epoch(pl.col("bar_start_ms"), "ms").alias("bar_start"), pl.lit(coin).alias("coin"))
    rules = [
        Rule(
            "time must be epoch milliseconds (1970-2200)",
            pl.col("bar_start").is_null(),
            pl.format("time = {}", pl.col("bar_start_ms")),
        ),
        *[
            Rule(
                f"{c} must be a number >= 0",
                pl.col(c).is_null() | (pl.col(c) < 0),
                pl.format("{} = {}", pl.lit(c), pl.col(c)),
            )
            for c in ("long_usd", "short_usd")
        ],
        Rule(
            "bar_start must not be in the future",
            pl.col("bar_start").dt.date() > pl.lit(today),
            pl.format("bar_start = {}", pl.col("bar_start")),
        ),
        unique_key(["coin", "bar_start"]),
    ]
    return enforce(source, file, typed, raw, rules).select("bar_start", "coin", "long_usd", "short_usd")
