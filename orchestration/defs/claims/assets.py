"""raw/claims, marts/mart_claims and marts/mart_claim_evidence: the claims ledger.

raw/claims loads every registered claim file (the bundled articles and those `liqmart claims add` registered),
each validated row by row; a malformed file fails the asset naming its file, row and field, and the table keeps
its previous rows. The ledger is judged by transforms/claims (the measure contract, the wording rules, every
basis the warehouse holds) on the marts it reads, and both tables are written in one transaction.
"""

import dagster as dg

from orchestration import settings
from orchestration.lib import claims_data
from orchestration.lib.table_metadata import describe_model
from orchestration.lib.warehouse import Warehouse
from transforms.claims.contract import VERDICTS

RAW_CLAIMS = dg.AssetKey(["raw", "claims"])
MART_CLAIMS = dg.AssetKey(["marts", "mart_claims"])
MART_CLAIM_EVIDENCE = dg.AssetKey(["marts", "mart_claim_evidence"])
# The marts and staging views the measures read (transforms/claims/contract.py names each measure's input).
LEDGER_INPUTS = [dg.AssetKey(table.split(".")) for table in claims_data.LEDGER_TABLES]


# Every column of the two tables, shown in the UI's column schema (they are not dbt models, so no dbt docs).
COLUMN_DOCS = {
    "article": "The article the claim comes from (the file's article column, or the file's name).",
    "claim_id": "The claim's id, unique across the registered files.",
    "section": "The article's section.",
    "quote": "The sentence, verbatim.",
    "subject": "What the claim is about; its words can fix a basis (docs/claims.md).",
    "measure": "The measure of the contract (transforms/claims/contract.py).",
    "series": "The series: an asset id, CURVE:tenor, a flow series, or A|B for several.",
    "period_start": "First day of the period (the contract says how each measure reads it).",
    "period_end": "Last day of the period (the day itself for one-session claims).",
    "claimed_text": "The figure as written.",
    "claimed_value": "The figure in the measure's unit.",
    "unit": "The figure's unit.",
    "wording_rule": "The rule that turns the wording into bounds (transforms/claims/wording_rules.csv).",
    "claim_basis": "A basis the claim file states (close, intraday, rolling_24h); empty or end_of_day states none.",
    "stated_precision": "One unit of the figure's last significant digit (or a range's half-width).",
    "required_history_from": "The history a 'since X' claim needs.",
    "unverifiable_reason": "Why no source can judge the claim, as the file says.",
    "interpretation": "How the claim is read.",
    "source_file": "The claim file the row came from.",
    "draft_note": "Why each field was chosen, for a claim drafted from the article's text (`liqmart claims draft`).",
    "accepted_min": "Lowest accepted value (null: open).",
    "accepted_max": "Highest accepted value (null: open).",
    "strict_min": "Whether accepted_min itself is excluded.",
    "strict_max": "Whether accepted_max itself is excluded.",
    "direction": "The claim's direction: +1 or -1 (the figure's sign for a change, the extreme's for a level).",
    "observed_value": "The value on the primary basis.",
    "observed_kind": "exact, lower_bound or upper_bound.",
    "observed_basis": "The primary basis.",
    "observed_on": "The day the observed value belongs to.",
    "deciding_value": "The value of a basis whose own verdict is the claim's (what the GX check validates).",
    "deciding_basis": "That basis.",
    "bases_computed": "How many bases gave a value and could vote.",
    "verdict": "confirmed, contradicted, basis_dependent or unverifiable.",
    "verdict_reason": "Why.",
    "evidence": "The primary basis's evidence.",
    "data_says": "Every basis's value and verdict, where the claim is not confirmed.",
    "fixed_basis": "The basis dimensions the claim's words, measure, rule and claim_basis fix.",
    "metric": "measure(series, start[, end]).",
    "basis": "The basis of this row.",
    "is_primary": "Whether it is the claim's primary basis.",
    "value": "The claim's value on this basis.",
    "value_kind": "exact, lower_bound or upper_bound.",
    "verdict_on_basis": "The verdict on this basis alone.",
    "missing_reason": "Why this basis has no value.",
}


def _documented(meta: dict) -> dict:
    schema = meta.get("dagster/column_schema")
    if schema is None:
        return meta
    columns = [
        dg.TableColumn(c.name, c.type, description=c.description or COLUMN_DOCS.get(c.name)) for c in schema.columns
    ]
    return {**meta, "dagster/column_schema": dg.TableSchema(columns=columns)}


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
    with warehouse.get_connection() as conn:
        claims = claims_data.write_raw_claims(conn)  # raises SourceError naming the file, row and field
        described = _documented(describe_model(conn, "raw", "claims"))
    per_article = claims.group_by("article").len().sort("article")
    return dg.MaterializeResult(
        metadata={
            **described,
            "dagster/row_count": claims.height,
            "files": ", ".join(p.name for p in claims_data.claim_files()),
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
        # Judged again only when a claim, a table it reads or the judging code changed; otherwise the ledger in
        # the warehouse is already the one these inputs give (a refresh that changed no input of it).
        digest = claims_data.ledger_fingerprint(conn)
        since = claims_data.judged_since(conn, digest)
        if since is None:
            ledger, evidence = claims_data.write_ledger(conn, digest)
        else:
            context.log.info(f"claims ledger: inputs unchanged since {since:%Y-%m-%d %H:%M:%S %Z}; not judged again")
            ledger, evidence = (
                conn.sql(f"select * from {t}").pl() for t in ("marts.mart_claims", "marts.mart_claim_evidence")
            )
        described = {key: _documented(describe_model(conn, *key.path)) for key in (MART_CLAIMS, MART_CLAIM_EVIDENCE)}
    per_article = ledger.pivot("verdict", index="article", values="claim_id", aggregate_function="len").fill_null(0)
    table = ["| article | claims | " + " | ".join(VERDICTS) + " |", "|---|---|" + "---|" * len(VERDICTS)]
    for row in per_article.sort("article").iter_rows(named=True):
        counts = [int(row.get(v) or 0) for v in VERDICTS]
        table.append(f"| {row['article']} | {sum(counts)} | " + " | ".join(str(c) for c in counts) + " |")
    # The data version is the inputs' fingerprint: the same inputs give the same ledger.
    version = dg.DataVersion(digest[:16])
    yield dg.MaterializeResult(
        asset_key=MART_CLAIMS,
        data_version=version,
        metadata={
            **described[MART_CLAIMS],
            "dagster/row_count": ledger.height,
            "judged": "in this run" if since is None else f"inputs unchanged since {since:%Y-%m-%d %H:%M:%S %Z}",
            # Counts per article as a table, not numbers: Dagster would plot numbers over runs as if one series.
            "verdicts_per_article": dg.MetadataValue.md("\n".join(table)),
            "articles": ", ".join(sorted(ledger["article"].unique())),
            "preview": dg.MetadataValue.md(
                ledger.select("article", "claim_id", "claimed_text", "verdict", "observed_basis")
                .sort("article", "verdict", "claim_id")
                .to_pandas()
                .to_markdown(index=False)
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=MART_CLAIM_EVIDENCE,
        data_version=version,
        metadata={**described[MART_CLAIM_EVIDENCE], "dagster/row_count": evidence.height},
    )
