"""raw/claims, marts/mart_claims and marts/mart_claim_evidence: the claims ledger.

raw/claims loads every registered claim file (the bundled articles and those `liqmart claims add` registered),
each validated row by row; a malformed file fails the asset naming its file, row and field, and the table keeps
its previous rows. The ledger is judged by transforms/claims (the measure contract, the wording rules, every
basis the warehouse holds) on the marts it reads, and both tables are written in one transaction.
"""

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.lib.claims_data import claim_files, load_claim_data, registered_claims
from orchestration.lib.storage import Warehouse
from transforms.claims.engine import judge

RAW_CLAIMS = dg.AssetKey(["raw", "claims"])
MART_CLAIMS = dg.AssetKey(["marts", "mart_claims"])
MART_CLAIM_EVIDENCE = dg.AssetKey(["marts", "mart_claim_evidence"])
# The marts and staging views the measures read (transforms/claims/contract.py names each measure's input).
LEDGER_INPUTS = [
    dg.AssetKey(["marts", "fct_asset_daily"]),
    dg.AssetKey(["marts", "dim_asset"]),
    dg.AssetKey(["staging", "stg_raw__prices"]),
    dg.AssetKey(["staging", "stg_raw__intraday_bars"]),
    dg.AssetKey(["marts", "fct_rates_daily"]),
    dg.AssetKey(["marts", "fct_liquidations_daily"]),
    dg.AssetKey(["marts", "fct_btc_flows_daily"]),
    dg.AssetKey(["marts", "mart_liquidity_stress_daily"]),
    dg.AssetKey(["raw", "cme_margin_changes"]),
]


def _replace(conn, table: str, frame: pl.DataFrame) -> None:
    conn.register("_frame", frame.to_arrow())
    conn.execute(f"create or replace table {table} as select * from _frame")
    conn.unregister("_frame")


@dg.asset(
    key=RAW_CLAIMS,
    group_name="raw",
    kinds={"polars", "duckdb"},
    pool=settings.WRITER_POOL,
    owners=["team:liquidity-mart"],
    automation_condition=dg.AutomationCondition.eager(),
    description="Every registered claim file's claims with their article: the bundled files "
    "(transforms/claims/articles/) and those `liqmart claims add FILE` registered (warehouse/claims/). Each row is "
    "validated (a known measure and wording rule, dates, a figure); a malformed file fails the run naming its "
    "file, row and field, and nothing is written.",
)
def raw_claims(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    claims = registered_claims()  # raises SourceError naming the file, row and field
    with warehouse.get_connection() as conn:
        conn.execute("create schema if not exists raw")
        _replace(conn, "raw.claims", claims)
    per_article = claims.group_by("article").len().sort("article")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": claims.height,
            "files": ", ".join(p.name for p in claim_files()),
            "claims_per_article": dg.MetadataValue.md(
                "\n".join(
                    ["| article | claims |", "|---|---|"] + [f"| {a} | {n} |" for a, n in per_article.iter_rows()]
                )
            ),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            MART_CLAIMS,
            deps=[RAW_CLAIMS, *LEDGER_INPUTS],
            group_name="marts",
            kinds={"polars", "duckdb", "great_expectations"},
            owners=["team:liquidity-mart"],
            automation_condition=dg.AutomationCondition.eager(),
            description="The claims ledger: one row per claim of every registered article, with the bounds its "
            "wording rule sets, the value on its primary basis, and a verdict: confirmed or contradicted when every "
            "basis that can decide agrees, basis_dependent when they disagree, unverifiable when none can decide "
            "(docs/claims.md). Each claim is an asset check claim_<claim_id> (Great Expectations).",
        ),
        dg.AssetSpec(
            MART_CLAIM_EVIDENCE,
            deps=[RAW_CLAIMS, *LEDGER_INPUTS],
            group_name="marts",
            kinds={"polars", "duckdb"},
            owners=["team:liquidity-mart"],
            automation_condition=dg.AutomationCondition.eager(),
            description="Each claim on each basis the warehouse holds (close or intraday, spot or futures, New "
            "York or UTC day, rolling 24 hours): its value, exact or a bound, the verdict on that basis, and the "
            "evidence; or why the basis has no value.",
        ),
    ],
    name="claims_ledger",
    pool=settings.WRITER_POOL,
)
def claims_ledger(context: dg.AssetExecutionContext, warehouse: Warehouse):
    with warehouse.get_connection() as conn:
        claims = conn.sql("select * from raw.claims").pl()
        ledger, evidence = judge(claims, load_claim_data(conn))
        conn.execute("begin")
        _replace(conn, "marts.mart_claims", ledger)
        _replace(conn, "marts.mart_claim_evidence", evidence)
        conn.execute("commit")
    counts = dict(ledger.group_by("verdict").len().iter_rows())
    yield dg.MaterializeResult(
        asset_key=MART_CLAIMS,
        metadata={
            "dagster/row_count": ledger.height,
            **{
                f"verdict_{v}": counts.get(v, 0)
                for v in ("confirmed", "contradicted", "basis_dependent", "unverifiable")
            },
            "articles": ", ".join(sorted(ledger["article"].unique())),
            "preview": dg.MetadataValue.md(
                ledger.select("article", "claim_id", "claimed_text", "verdict", "observed_basis")
                .sort("article", "verdict", "claim_id")
                .to_pandas()
                .to_markdown(index=False)
            ),
        },
    )
    yield dg.MaterializeResult(asset_key=MART_CLAIM_EVIDENCE, metadata={"dagster/row_count": evidence.height})
