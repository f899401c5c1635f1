"""raw/treasury_holdings: Strategy from its SEC filings, other companies from a curated file."""

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.errors import SourceError
from transforms.parsers.treasuries import parse_curated_holdings, parse_mstr_holdings

MSTR_FILE = "treasuries/mstr_holdings_sec.csv"
CURATED_FILE = "treasuries/treasury_holdings_curated.csv"


def parse_holdings(payloads: dict[str, bytes]) -> pl.DataFrame:
    mstr = parse_mstr_holdings(payloads[MSTR_FILE], MSTR_FILE, today_utc())
    curated = parse_curated_holdings(payloads[CURATED_FILE], CURATED_FILE, today_utc())
    clash = curated.filter(pl.col("ticker").is_in(mstr["ticker"].unique().to_list()))
    if clash.height:
        raise SourceError(
            "curated",
            CURATED_FILE,
            "ticker must not repeat one loaded from SEC filings",
            detail=f"ticker {clash['ticker'][0]}",
        )
    return pl.concat([mstr, curated]).sort("ticker", "date")


def inputs(load: Load) -> Inputs:
    files = (MSTR_FILE, CURATED_FILE)
    return Inputs(Input("bundled_snapshot", lambda: {f: load.snapshot.read_bytes(f) for f in files}, parse_holdings))


raw_treasury_holdings = raw_asset(Family("treasury_holdings", inputs))
