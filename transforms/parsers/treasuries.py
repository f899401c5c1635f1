"""Bitcoin treasury-company holdings: Strategy's SEC filings, plus a curated file for other companies."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms.validation import (
    ROW,
    Rule,
    as_text,
    enforce,
    not_future,
    read_csv_text,
    require_columns,
    sniff_text,
    to_date,
    to_float,
    unique_key,
    unparseable,
    with_row_numbers,
)

HOLDINGS_COLUMNS = ["date", "company", "ticker", "holdings_btc", "filing_type", "document", "source"]


def _holding_rules(today: date) -> list[Rule]:
    return [
        unparseable("_d", "date", "date"),
        unparseable("_h", "holdings_btc", "holdings"),
        Rule(
            "holdings must be >= 0",
            pl.col("holdings_btc").is_null() | (pl.col("holdings_btc") < 0),
            pl.format("holdings = {}", pl.col("_h")),
        ),
        not_future("date", today),
        unique_key(["ticker", "date"]),
        Rule(
            "source must be cited",
            pl.col("source").is_null() | (pl.col("source").str.strip_chars() == ""),
            pl.lit("source is empty"),
        ),
    ]


def parse_mstr_holdings(text: str | bytes, file: str, today: date, source: str = "sec_edgar") -> pl.DataFrame:
    """Strategy's aggregate holdings as stated in each filing (`date,holdings,filingType,accession,source`)."""
    text = as_text(source, file, text)
    sniff_text(source, file, text)
    raw = read_csv_text(source, file, text)
    require_columns(source, file, raw.columns, ["date", "holdings", "filingType", "accession", "source"])
    raw = with_row_numbers(raw)
    typed = raw.select(
        ROW,
        to_date("date").alias("date"),
        pl.lit("Strategy").alias("company"),
        pl.lit("MSTR").alias("ticker"),
        to_float("holdings").alias("holdings_btc"),
        pl.col("filingType").alias("filing_type"),
        pl.col("source").alias("document"),
        # 10-K and 10-Q rows carry no accession number; the document name identifies them.
        pl.format(
            "SEC {} filing, {}",
            pl.col("filingType"),
            pl.coalesce(pl.format("accession {}", pl.col("accession")), pl.col("source")),
        ).alias("source"),
        pl.col("date").alias("_d"),
        pl.col("holdings").alias("_h"),
    )
    return enforce(source, file, typed, raw, _holding_rules(today)).select(HOLDINGS_COLUMNS)


def parse_curated_holdings(text: str | bytes, file: str, today: date, source: str = "curated") -> pl.DataFrame:
    """Holdings of other companies, one row per dated statement: `date,company,ticker,holdings_btc,source`."""
    text = as_text(source, file, text)
    sniff_text(source, file, text)
    raw = read_csv_text(source, file, text, comment_prefix="#")
    require_columns(source, file, raw.columns, ["date", "company", "ticker", "holdings_btc", "source"])
    raw = with_row_numbers(raw)
    typed = raw.select(
        ROW,
        to_date("date").alias("date"),
        "company",
        "ticker",
        to_float("holdings_btc").alias("holdings_btc"),
        pl.lit("curated").alias("filing_type"),
        pl.lit(None, pl.String).alias("document"),
        "source",
        pl.col("date").alias("_d"),
        pl.col("holdings_btc").alias("_h"),
    )
    if typed.height == 0:  # the curated file may hold no company yet
        return typed.select(HOLDINGS_COLUMNS)
    return enforce(source, file, typed, raw, _holding_rules(today)).select(HOLDINGS_COLUMNS)
