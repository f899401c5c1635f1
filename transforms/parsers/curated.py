"""Curated reference tables kept as CSV in the repository: every row must cite its source."""

from __future__ import annotations

import polars as pl

from transforms import validation as check


def parse_curated_csv(
    text: str | bytes,
    file: str,
    required: list[str],
    keys: list[str],
    date_columns: list[str],
    numeric_columns: list[str] = (),
    source: str = "curated",
) -> pl.DataFrame:
    raw = check.read_rows(source, file, text, [*required, "source"], comment_prefix="#")
    typed = raw.with_columns(
        *[check.to_date(c).alias(c) for c in date_columns],
        *[pl.col(c).str.strip_chars().cast(pl.Float64, strict=False).alias(c) for c in numeric_columns],
        *[pl.col(c).alias(f"_raw_{c}") for c in [*date_columns, *numeric_columns]],
    )
    rules = [
        *[check.unparseable(f"_raw_{c}", c, c) for c in [*date_columns, *numeric_columns]],
        check.Rule(
            "source must be cited",
            pl.col("source").is_null() | (pl.col("source").str.strip_chars() == ""),
            pl.lit("source is empty"),
        ),
        *[check.Rule(f"{c} must not be missing", pl.col(c).is_null(), pl.lit(f"{c} is missing")) for c in required],
        check.unique_key(keys),
    ]
    out = check.enforce(source, file, typed, raw, rules)
    return out.select([c for c in raw.columns if c != check.ROW])
