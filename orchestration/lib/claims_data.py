"""What the claims ledger reads from the warehouse, shaped for transforms/claims (one query per frame).

Every price series appears once per basis the warehouse holds, each with its clock: the dbt mart
fct_price_bars_by_basis (the chosen daily close with its source's range under the series' instrument and clock,
second sources that are another instrument, New York days from the hourly bars), so the choice of source lives
in SQL only; the hourly bars themselves for the rolling 24 hours.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.lib import raw_tables
from orchestration.lib.fingerprints import code_version, fingerprint, record, recorded
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.tables import table_exists
from transforms.claims.engine import ClaimData, judge
from transforms.claims.files import read_claim_files

# The bundled claim files (the seed article's among them) and where `liqmart claims add` registers others.
BUNDLED_CLAIMS = settings.PROJECT_ROOT / "transforms" / "claims" / "articles"


# What the ledger is judged from (load_claim_data reads these tables; raw.claims holds the claims) and the code
# that judges: the ledger is judged again only when one of them changed (orchestration/lib/fingerprints.py).
LEDGER_TABLES = (
    "marts.fct_price_bars_by_basis",
    "marts.fct_asset_daily",
    "staging.stg_raw__intraday_bars",
    "marts.fct_rates_daily",
    "marts.fct_liquidations_daily",
    "marts.fct_btc_flows_daily",
    "marts.mart_liquidity_stress_daily",
    "raw.cme_margin_changes",
)
JUDGING_CODE = (settings.PROJECT_ROOT / "transforms" / "claims", Path(__file__), Path(raw_tables.__file__))
LEDGER_STEP = "claims_ledger"


def claims_dir() -> Path:
    return settings.warehouse_path().parent / "claims"


def claim_files() -> list[Path]:
    """Every registered claim file: the bundled ones, then those `liqmart claims add` registered."""
    registered = sorted(claims_dir().glob("*.csv")) if claims_dir().is_dir() else []
    return sorted(BUNDLED_CLAIMS.glob("*.csv")) + registered


def registered_claims() -> pl.DataFrame:
    return read_claim_files(claim_files())


def _hourly(conn) -> pl.DataFrame:
    return conn.sql(
        """
        select asset_id as series, 'spot' as instrument, source, timezone('UTC', bar_start) as bar_start,
               open, high, low, close
        from staging.stg_raw__intraday_bars
        where basis in ('spot_usdt', 'spot_cfd')
        order by series, source, bar_start
        """
    ).pl()


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


def ledger_fingerprint(conn) -> str:
    return fingerprint(conn, ("raw.claims", *LEDGER_TABLES), code_version(JUDGING_CODE))


def judged_since(conn, digest: str):
    """When the ledger in the warehouse was judged, if it was judged from inputs with this fingerprint; else None."""
    last = recorded(conn, LEDGER_STEP)
    written = all(table_exists(conn, t) for t in ("marts.mart_claims", "marts.mart_claim_evidence"))
    return last[1] if last is not None and last[0] == digest and written else None


def write_ledger(conn, digest: str | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """marts.mart_claims and marts.mart_claim_evidence, judged from raw.claims and the marts, in one transaction
    with the fingerprint of the inputs they were judged from (when given)."""
    ledger, evidence = judge(conn.sql("select * from raw.claims").pl(), load_claim_data(conn))
    conn.execute("begin")
    _replace(conn, "marts.mart_claims", ledger)
    _replace(conn, "marts.mart_claim_evidence", evidence)
    if digest is not None:
        record(conn, LEDGER_STEP, digest)
    conn.execute("commit")
    return ledger, evidence


def load_claim_data(conn) -> ClaimData:
    # The bars per basis are a mart (fct_price_bars_by_basis): which source gives which basis lives in SQL only.
    bars = conn.sql(
        "select series, instrument, clock, source, date, open, high, low, close, volume, close_basis, "
        "is_standard as standard from marts.fct_price_bars_by_basis order by series, instrument, clock, source, date"
    ).pl()
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
               f.issuance_btc, f.strategy_purchases_btc as strategy_btc
        from marts.fct_btc_flows_daily f
        left join marts.fct_asset_daily b on b.asset_id = 'BTC' and b.date = f.date
        order by f.date
        """
    ).pl()
    coverage = {t.name: {"complete": t.coverage_complete, "covers": t.covers} for t in RAW_TABLES.values()}
    return ClaimData(
        bars=bars,
        hourly=_hourly(conn),
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
