"""One Dagster asset check per claim of the ledger (marts.mart_claims), each a Great Expectations validation.

The check `claim_<claim_id>` validates the claim's evidence row: the observed value exists and lies within
the bounds the wording rule set. What asset health shows, at a glance, without opening a check:
- confirmed: passes;
- contradicted: fails with WARN severity (the article is wrong, the data is not), the observed value in the
  result's description;
- unverifiable: passes, and says so: the data cannot judge the claim, which is not a failure of the claim or
  of the pipeline. Its description and metadata say why and what the data can say (bounds, the end-of-day
  value);
- GX and the dbt verdict disagree: fails with ERROR severity, because then the ledger itself is wrong.
Every result's description starts with the verdict.
"""

import csv
import math

import dagster as dg
import pandas as pd

from orchestration import settings
from orchestration.lib.gx_runner import Expectation, run_expectations, to_check_result
from orchestration.lib.storage import Warehouse

CLAIMS_SEED = settings.DBT_PROJECT_DIR / "seeds" / "claims.csv"
MART_CLAIMS = dg.AssetKey(["marts", "mart_claims"])


def claim_specs() -> list[dg.AssetCheckSpec]:
    with CLAIMS_SEED.open(newline="") as f:
        claims = list(csv.DictReader(f))
    return [
        dg.AssetCheckSpec(
            f"claim_{c['claim_id']}",
            asset=MART_CLAIMS,
            description=f'{c["subject"]}: the article says {c["claimed_text"]}. "{c["quote"]}"',
        )
        for c in claims
    ]


def _number(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def expectations_for(row: dict) -> list[Expectation]:
    import great_expectations.expectations as gxe  # heavy: imported when the check runs

    check = f"claim_{row['claim_id']}"
    low, high = _number(row["accepted_min"]), _number(row["accepted_max"])
    # Between ignores nulls, so the not-null expectation is what makes missing evidence fail.
    expectations = [Expectation(check, row["claim_id"], gxe.ExpectColumnValuesToNotBeNull(column="observed_value"))]
    # A claim without bounds (no source can check it: its figure has no tolerance) has nothing to compare.
    if low is not None or high is not None:
        expectations.append(
            Expectation(
                check,
                row["claim_id"],
                gxe.ExpectColumnValuesToBeBetween(
                    column="observed_value",
                    min_value=low,
                    max_value=high,
                    strict_min=bool(row["strict_min"]),
                    strict_max=bool(row["strict_max"]),
                ),
            )
        )
    return expectations


def claim_metadata(row: dict) -> dict:
    meta = {
        "verdict": row["verdict"],
        "verdict_reason": row["verdict_reason"],
        "quote": row["quote"],
        "claimed": row["claimed_text"],
        "claimed_value": _number(row["claimed_value"]),
        "observed_value": _number(row["observed_value"]),
        "observed_basis": row["observed_basis"] or "",
        "accepted_range": f"[{_number(row['accepted_min'])}, {_number(row['accepted_max'])}]",
        "metric": row["metric"],
        "wording_rule": row["wording_rule"],
        "evidence": row["evidence"] or "",
    }
    if _number(row["alt_value"]) is not None:
        meta |= {"alt_value": _number(row["alt_value"]), "alt_basis": row["alt_basis"]}
    if _text(row["data_says"]):
        meta["data_says"] = _text(row["data_says"])
    if _number(row["share_of_claim_covered"]) is not None:
        meta["share_of_claim_covered"] = _number(row["share_of_claim_covered"])
    return {k: v for k, v in meta.items() if v is not None}


def judge(row: dict, outcome: dict) -> tuple[dict, dg.AssetCheckSeverity]:
    """Combine the GX outcome with the ledger's verdict into the check's outcome and severity."""
    gx_confirms = outcome["passed"]
    verdict = row["verdict"]
    observed = _number(row["observed_value"])
    # An unverifiable row may hold a figure GX would confirm (silver's fall "since 1980" is within bounds, but
    # the history held starts in 2024): the ledger's reason decides, so only a decided verdict is compared.
    agrees = verdict == "unverifiable" or gx_confirms == (verdict == "confirmed")
    if agrees:
        return {**outcome, "passed": verdict in ("confirmed", "unverifiable")}, dg.AssetCheckSeverity.WARN
    disagreement = {
        "error": f"ledger says {verdict} but GX {'confirms' if gx_confirms else 'refutes'} the "
        f"claim (observed {observed})"
    }
    return {"passed": False, "results": [*outcome["results"], disagreement]}, dg.AssetCheckSeverity.ERROR


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def describe_verdict(row: dict) -> str:
    """The verdict first, then why: what a user reads in asset health without opening the check."""
    verdict, observed, data_says = row["verdict"], _number(row["observed_value"]), _text(row["data_says"])
    said = f"the article says {row['claimed_text']}"
    if verdict == "confirmed":
        return f"CONFIRMED: {said}; observed {observed:g} ({row['observed_basis']})."
    if verdict == "contradicted":
        detail = f"; {data_says}" if data_says else ""
        return f"CONTRADICTED: {said}; observed {observed:g} ({row['observed_basis']}){detail}."
    what = f" What the data can say: {data_says}." if data_says else ""
    return f"UNVERIFIABLE (not a failure: the data cannot judge it): {said}; {row['verdict_reason']}.{what}"


@dg.multi_asset_check(specs=claim_specs(), name="mart_claims_expectations", pool=settings.WRITER_POOL)
def claim_checks(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    with warehouse.get_connection() as conn:
        ledger = conn.sql("select * from marts.mart_claims").df()
    rows = {r["claim_id"]: r for r in ledger.to_dict("records")}
    expected = {spec.name.removeprefix("claim_") for spec in claim_specs()}
    frames = {
        cid: pd.DataFrame([{"observed_value": _number(r["observed_value"])}], dtype="float64")
        for cid, r in rows.items()
        if cid in expected
    }
    outcome = run_expectations("mart_claims", frames, [e for cid in frames for e in expectations_for(rows[cid])])
    for cid in sorted(expected):
        check = f"claim_{cid}"
        if cid not in rows:  # the seed has the claim but the mart lost it: that is a failure, not a pass
            yield dg.AssetCheckResult(
                asset_key=MART_CLAIMS,
                check_name=check,
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"error": "claim missing from marts.mart_claims"},
            )
            continue
        result, severity = judge(rows[cid], outcome[check])
        yield to_check_result(
            MART_CLAIMS, check, result, severity, claim_metadata(rows[cid]), description=describe_verdict(rows[cid])
        )
