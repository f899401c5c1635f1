"""What the claims ledger reads from the warehouse, shaped for transforms/claims (one query per frame).

Every price series appears once per basis the warehouse holds, each with its clock:
- the mart's chosen daily close (`fct_asset_daily`) with the source's open, high and low of the same day, under
  the series' own instrument and clock (SERIES_BASES);
- second sources that are another instrument of the same thing (COMEX gold futures beside the LBMA fix);
- daily bars derived from the hourly bars: the New York day (17:00 to 17:00 for metals and FX; midnight to
  midnight New York time for crypto), only for days the hours cover (a partial day is not a session).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.lib.raw_tables import RAW_TABLES
from transforms.claims.engine import ClaimData, judge
from transforms.claims.files import read_claim_files

# The bundled claim files (the seed article's among them) and where `liqmart claims add` registers others.
BUNDLED_CLAIMS = settings.PROJECT_ROOT / "transforms" / "claims" / "articles"

# (series, instrument, clock) of each daily price source; a second source that is the same instrument on the
# same clock (BTC_FULLDAY, USDJPY_NY, IXIC_YAHOO) is already the chosen close or a reconciliation copy.
SERIES_BASES = {
    "BTC": ("BTC", "spot", "utc"),
    "ETH": ("ETH", "spot", "utc"),
    "XAG": ("XAG", "futures", "ny"),
    "XAU": ("XAU", "fix", "london"),
    "XAU_FUT": ("XAU", "futures", "ny"),
    "USDJPY": ("USDJPY", "spot", "ny"),
    "DXY": ("DXY", "futures", "ny"),
}
CASH_DEFAULT = ("cash", "ny")  # indices and single stocks: the regular New York session
MIN_HOURS = {"crypto": 20, "other": 18}  # hours a derived day needs to count as a session


def claims_dir() -> Path:
    return settings.warehouse_path().parent / "claims"


def claim_files() -> list[Path]:
    """Every registered claim file: the bundled ones, then those `liqmart claims add` registered."""
    registered = sorted(claims_dir().glob("*.csv")) if claims_dir().is_dir() else []
    return sorted(BUNDLED_CLAIMS.glob("*.csv")) + registered


def registered_claims() -> pl.DataFrame:
    return read_claim_files(claim_files())


def _daily_bars(conn) -> pl.DataFrame:
    frame = conn.sql(
        """
        select f.asset_id, f.date, f.close, f.close_basis, p.open, p.high, p.low, p.volume
        from marts.fct_asset_daily f
        left join staging.stg_raw__prices p
          on p.date = f.date
         and p.asset_id = case f.close_basis when 'new_york_close' then 'USDJPY_NY' else f.asset_id end
        order by f.asset_id, f.date
        """
    ).pl()
    reference = conn.sql("select asset_id, second_source_of from marts.dim_asset").pl()
    kept = set(SERIES_BASES) | set(reference.filter(pl.col("second_source_of").is_null())["asset_id"])
    frame = frame.filter(pl.col("asset_id").is_in(list(kept)))
    mapping = {a: SERIES_BASES.get(a, (a, *CASH_DEFAULT)) for a in frame["asset_id"].unique()}
    return frame.with_columns(
        series=pl.col("asset_id").replace_strict({a: v[0] for a, v in mapping.items()}),
        instrument=pl.col("asset_id").replace_strict({a: v[1] for a, v in mapping.items()}),
        clock=pl.col("asset_id").replace_strict({a: v[2] for a, v in mapping.items()}),
        source=pl.col("asset_id"),
    ).drop("asset_id")


def _hourly(conn) -> pl.DataFrame:
    return conn.sql(
        """
        select asset_id as series, 'spot' as instrument, source, timezone('UTC', bar_start) as bar_start,
               ny_trading_day,
               cast(timezone('America/New_York', bar_start) as date) as ny_calendar_day,
               open, high, low, close
        from staging.stg_raw__intraday_bars
        where basis in ('spot_usdt', 'spot_cfd')
        order by series, source, bar_start
        """
    ).pl()


def _derived_daily(hourly: pl.DataFrame) -> pl.DataFrame:
    """New York days from hourly bars: crypto's calendar day in New York, metals' and FX's 17:00 day."""
    crypto = pl.col("source").str.starts_with("binance")
    day = pl.when(crypto).then(pl.col("ny_calendar_day")).otherwise(pl.col("ny_trading_day"))
    need = pl.when(crypto).then(MIN_HOURS["crypto"]).otherwise(MIN_HOURS["other"])
    return (
        hourly.sort("bar_start")
        .with_columns(date=day, need=need)
        .group_by("series", "instrument", "source", "date", maintain_order=True)
        .agg(
            pl.col("open").first(),
            pl.col("high").max(),
            pl.col("low").min(),
            pl.col("close").last(),
            pl.len().alias("hours"),
            pl.col("need").first(),
        )
        .filter(pl.col("hours") >= pl.col("need"))
        .select(
            "series",
            "instrument",
            pl.lit("ny").alias("clock"),
            pl.format("{} hourly", "source").alias("source"),
            "date",
            "open",
            "high",
            "low",
            "close",
            pl.lit(None, pl.Float64).alias("volume"),
            pl.format("{} hourly", "source").alias("close_basis"),
            # Crypto's standard day is the UTC day; its New York day is shown beside it, and judged only when
            # the claim's words name New York.
            (~crypto).alias("standard"),
        )
    )


def _replace(conn, table: str, frame: pl.DataFrame) -> None:
    conn.register("_frame", frame.to_arrow())
    conn.execute(f"create or replace table {table} as select * from _frame")
    conn.unregister("_frame")


def write_raw_claims(conn) -> pl.DataFrame:
    """raw.claims from every registered claim file; SourceError (file, row, field) before anything is written."""
    claims = registered_claims()
    conn.execute("create schema if not exists raw")
    _replace(conn, "raw.claims", claims)
    return claims


def write_ledger(conn) -> tuple[pl.DataFrame, pl.DataFrame]:
    """marts.mart_claims and marts.mart_claim_evidence, judged from raw.claims and the marts, in one transaction."""
    ledger, evidence = judge(conn.sql("select * from raw.claims").pl(), load_claim_data(conn))
    conn.execute("begin")
    _replace(conn, "marts.mart_claims", ledger)
    _replace(conn, "marts.mart_claim_evidence", evidence)
    conn.execute("commit")
    return ledger, evidence


def load_claim_data(conn) -> ClaimData:
    daily = _daily_bars(conn)
    hourly = _hourly(conn)
    columns = [
        "series",
        "instrument",
        "clock",
        "source",
        "date",
        "open",
        "high",
        "low",
        "close",
        "volume",
        "close_basis",
        "standard",
    ]
    daily = daily.with_columns(standard=pl.lit(True))
    bars = pl.concat([daily.select(columns), _derived_daily(hourly).select(columns)], how="vertical_relaxed")
    # Every read is ordered: a sum over the same rows in another order differs in its last bits, and DuckLake
    # returns rows in another order than the file (a refresh on the lake must judge as one on the file).
    rates = conn.sql(
        "select curve || ':' || cast(cast(tenor_years as integer) as varchar) as series, date, yield_pct "
        "from marts.fct_rates_daily where yield_pct is not null order by series, date"
    ).pl()
    flows = conn.sql(
        """
        select f.date, f.etf_net_flow_btc as etf_btc, f.etf_net_flow_usd as etf_usd,
               f.treasury_purchases_btc as treasury_btc, f.treasury_purchases_btc * b.close as treasury_usd,
               f.issuance_btc
        from marts.fct_btc_flows_daily f
        left join marts.fct_asset_daily b on b.asset_id = 'BTC' and b.date = f.date
        order by f.date
        """
    ).pl()
    coverage = {t.name: {"complete": t.coverage_complete, "covers": t.covers} for t in RAW_TABLES.values()}
    return ClaimData(
        bars=bars,
        hourly=hourly.select("series", "instrument", "source", "bar_start", "open", "high", "low", "close"),
        rates=rates,
        liquidations=conn.sql("select * from marts.fct_liquidations_daily order by all").pl(),
        flows=flows,
        regimes=conn.sql("select date, regime from marts.mart_liquidity_stress_daily order by date").pl(),
        margins=conn.sql(
            "select contract, announced_on, effective_on, margin_before_pct, margin_after_pct, source "
            "from raw.cme_margin_changes order by all"
        ).pl(),
        coverage=coverage,
    )
