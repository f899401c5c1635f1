"""Curated reference tables kept as CSV in the repository: every row must cite its source."""

from __future__ import annotations

import polars as pl

from transforms.validation import (
    ROW,
    Rule,
    as_text,
    enforce,
    read_csv_text,
    require_columns,
    sniff_text,
    to_date,
    unique_key,
    unparseable,
    with_row_numbers,
)


def parse_curated_csv(
    text: str | bytes,
    file: str,
    required: list[str],
    keys: list[str],
    date_columns: list[str],
    numeric_columns: list[str] = (),
    source: str = "curated",
) -> pl.DataFrame:
    text = as_text(source, file, text)
    sniff_text(source, file, text)
    raw = read_csv_text(source, file, text, comment_prefix="#")
    require_columns(source, file, raw.columns, [*required, "source"])
    raw = with_row_numbers(raw)
    typed = raw.with_columns(
        *[to_date(c).alias(c) for c in date_columns],
        *[pl.col(c).str.strip_chars().cast(pl.Float64, strict=False).alias(c) for c in numeric_columns],
        *[pl.col(c).alias(f"_raw_{c}") for c in [*date_columns, *numeric_columns]],
    )
    rules = [
        *[unparseable(f"_raw_{c}", c, c) for c in [*date_columns, *numeric_columns]],
        Rule(
            "source must be cited",
            pl.col("source").is_null() | (pl.col("source").str.strip_chars() == ""),
            pl.lit("source is empty"),
        ),
        *[Rule(f"{c} must not be missing", pl.col(c).is_null(), pl.lit(f"{c} is missing")) for c in required],
        unique_key(keys),
    ]
    out = enforce(source, file, typed, raw, rules)
    return out.select([c for c in raw.columns if c != ROW])
