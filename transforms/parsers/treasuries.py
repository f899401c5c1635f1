"""Bitcoin treasury-company holdings: Strategy's SEC filings, plus a curated file for other companies."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms import validation as check

HOLDINGS_COLUMNS = ["date", "company", "ticker", "holdings_btc", "filing_type", "document", "source"]


def _holding_rules(today: date) -> list[check.Rule]:
    return [
        check.unparseable("_d", "date", "date"),
        check.unparseable("_h", "holdings_btc", "holdings"),
        check.Rule(
            "holdings must be >= 0",
            pl.col("holdings_btc").is_null() | (pl.col("holdings_btc") < 0),
            pl.format("holdings = {}", pl.col("_h")),
        ),
        check.not_future("date", today),
        check.unique_key(["ticker", "date"]),
        check.Rule(
            "source must be cited",
            pl.col("source").is_null() | (pl.col("source").str.strip_chars() == ""),
            pl.lit("source is empty"),
        ),
    ]


def parse_mstr_holdings(text: str | bytes, file: str, today: date, source: str = "sec_edgar") -> pl.DataFrame:
    """Strategy's aggregate holdings as stated in each filing (`date,holdings,filingType,accession,source`)."""
    raw = check.read_rows(source, file, text, ["date", "holdings", "filingType", "accession", "source"])
    typed = raw.select(
        check.ROW,
        check.to_date("date").alias("date"),
        pl.lit("Strategy").alias("company"),
        pl.lit("MSTR").alias("ticker"),
        check.to_float("holdings").alias("holdings_btc"),
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
    return check.enforce(source, file, typed, raw, _holding_rules(today)).select(HOLDINGS_COLUMNS)


def parse_curated_holdings(text: str | bytes, file: str, today: date, source: str = "curated") -> pl.DataFrame:
    """Holdings of other companies, one row per dated statement: `date,company,ticker,holdings_btc,source`."""
    raw = check.read_rows(
        source, file, text, ["date", "company", "ticker", "holdings_btc", "source"], comment_prefix="#"
    )
    typed = raw.select(
        check.ROW,
        check.to_date("date").alias("date"),
        "company",
        "ticker",
        check.to_float("holdings_btc").alias("holdings_btc"),
        pl.lit("curated").alias("filing_type"),
        pl.lit(None, pl.String).alias("document"),
        "source",
        pl.col("date").alias("_d"),
        pl.col("holdings_btc").alias("_h"),
    )
    if typed.height == 0:  # the curated file may hold no company yet
        return typed.select(HOLDINGS_COLUMNS)
    return check.enforce(source, file, typed, raw, _holding_rules(today)).select(HOLDINGS_COLUMNS)
