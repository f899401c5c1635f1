"""One Dagster asset check per claim of the ledger (marts.mart_claims), each a Great Expectations validation.

The check `claim_<claim_id>` validates the value that decided the claim (`deciding_value`: from a basis whose own
verdict is the claim's, exact or a bound; in the bounds exactly when the claim is confirmed) against the bounds
the wording rule set. What asset health shows, at a glance, without opening a check:
- confirmed: passes;
- contradicted: fails with WARN severity (the article is wrong, the data is not), the observed value in the
  result's description;
- basis_dependent: passes with a WARN description: confirmed on one standard basis, contradicted on another;
  the metadata lists each basis's value;
- unverifiable: passes, and says so: the data cannot judge the claim, which is not a failure of the claim or
  of the pipeline. Its description and metadata say why and what the data can say;
- GX and the ledger's verdict disagree: fails with ERROR severity, because then the ledger itself is wrong.
The checks are the registered claim files' claims (orchestration/lib/claims_data.py), read when the code
location loads: a file `liqmart claims add` registered shows its checks after the location reloads.
Every result's description starts with the verdict.
"""

import math
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lib import gx_runner
from orchestration.lib.claims_data import registered_claims
from orchestration.lib.expectations import claims as claim_expectations
from orchestration.lib.expectations.claims import claim_frames, expectations_for, number_or_none
from orchestration.lib.fingerprints import code_version, fingerprint, record, recorded
from orchestration.lib.gx_runner import GreatExpectations, run_expectations, to_check_result
from orchestration.lib.warehouse import Warehouse
from transforms.claims.display import format_value

MART_CLAIMS = dg.AssetKey(["marts", "mart_claims"])
# The checks validate the ledger's rows with the expectations this code writes: Great Expectations runs again
# only for rows or code it has not validated (the outcomes are kept with their fingerprint, in ops.fingerprints).
CHECKS_STEP = "mart_claims_expectations"
CHECK_CODE = (Path(__file__), Path(claim_expectations.__file__), Path(gx_runner.__file__))


def claim_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            f"claim_{c['claim_id']}",
            asset=MART_CLAIMS,
            description=f'[{c["article"]}] {c["subject"]}: the article says {c["claimed_text"]}. "{c["quote"]}"',
            metadata={"article": c["article"]},
        )
        for c in registered_claims().iter_rows(named=True)
    ]


def claim_metadata(row: dict) -> dict:
    """What a reader needs, as text rounded to the claim's precision with its unit (numbers would be plotted as
    if they were a series; a claim's value is not one)."""
    low, high = number_or_none(row["accepted_min"]), number_or_none(row["accepted_max"])
    meta = {
        "verdict": row["verdict"].upper(),
        "article": row["article"],
        "verdict_reason": _text(row["verdict_reason"]),
        "quote": _text(row["quote"]),
        "claimed": _text(row["claimed_text"]),
        "observed": format_value(number_or_none(row["observed_value"]), row)
        if number_or_none(row["observed_value"]) is not None
        else "no value",
        "observed_basis": _text(row["observed_basis"]),
        "accepted_range": f"{format_value(low, row) if low is not None else 'open'} to "
        f"{format_value(high, row) if high is not None else 'open'}",
        "metric": _text(row["metric"]),
        "wording_rule": _text(row["wording_rule"]),
        "evidence": _text(row["evidence"]),
    }
    if _text(row["data_says"]):
        meta["data_says"] = _text(row["data_says"])
    if _text(row.get("observed_kind")) not in ("", "exact"):
        meta["observed_kind"] = _text(row["observed_kind"])
    if _text(row.get("deciding_basis")):
        meta["deciding_basis"] = row["deciding_basis"]
    return {k: v for k, v in meta.items() if v is not None}


def judge(row: dict, outcome: dict) -> tuple[dict, dg.AssetCheckSeverity]:
    """Combine the GX outcome with the ledger's verdict into the check's outcome and severity."""
    gx_confirms = outcome["passed"]
    verdict = row["verdict"]
    observed = number_or_none(row["deciding_value"])
    # An undecided row (unverifiable, basis_dependent) has no one deciding value: only decided verdicts are
    # compared.
    agrees = verdict in ("unverifiable", "basis_dependent") or gx_confirms == (verdict == "confirmed")
    if agrees:
        return {**outcome, "passed": verdict != "contradicted"}, dg.AssetCheckSeverity.WARN
    disagreement = {
        "error": f"ledger says {verdict} but GX {'confirms' if gx_confirms else 'refutes'} the "
        f"claim (observed {observed})"
    }
    return {"passed": False, "results": [*outcome["results"], disagreement]}, dg.AssetCheckSeverity.ERROR


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def describe_verdict(row: dict) -> str:
    """The verdict first, then why: what a user reads in asset health without opening the check."""
    verdict, observed, data_says = row["verdict"], number_or_none(row["deciding_value"]), _text(row["data_says"])
    said = f"[{row['article']}] the article says {row['claimed_text']}"
    basis = _text(row["deciding_basis"]) or "its only basis"
    shown = format_value(observed, row) if observed is not None else "no value"
    if verdict == "confirmed":
        return f"CONFIRMED: {said}; the data: {shown} ({basis})."
    if verdict == "contradicted":
        detail = f"; on every basis: {data_says}" if data_says else ""
        return f"CONTRADICTED: {said}; the data: {shown} ({basis}){detail}."
    what = f" What the data can say: {data_says}." if data_says else ""
    if verdict == "basis_dependent":
        return f"BASIS_DEPENDENT (warn: the words do not fix the basis): {said}; {row['verdict_reason']}.{what}"
    return f"UNVERIFIABLE (not a failure: the data cannot judge it): {said}; {row['verdict_reason']}.{what}"


@dg.multi_asset_check(specs=claim_specs(), name="mart_claims_expectations", pool=settings.WRITER_POOL)
def claim_checks(context: dg.AssetCheckExecutionContext, warehouse: Warehouse, gx: GreatExpectations):
    with warehouse.get_connection() as conn:
        ledger = conn.sql("select * from marts.mart_claims").df()
        digest = fingerprint(conn, ["marts.mart_claims"], code_version(CHECK_CODE))
        last = recorded(conn, CHECKS_STEP)
    rows = {r["claim_id"]: r for r in ledger.to_dict("records")}
    # The checks this run evaluates: those the code location defined when it loaded (a file registered since
    # shows its checks after the location reloads; its claims are in the ledger already).
    expected = {key.name.removeprefix("claim_") for key in context.selected_asset_check_keys}
    decided = {cid: r for cid, r in rows.items() if cid in expected and r["verdict"] != "unverifiable"}
    kept = last[2]["outcomes"] if last is not None and last[0] == digest else {}
    validated_at = {check: last[1] for check in kept}
    todo = {cid: r for cid, r in decided.items() if f"claim_{cid}" not in kept}
    if todo:
        frames = claim_frames(todo)
        outcome = run_expectations(
            "mart_claims", frames, [e for cid in frames for e in expectations_for(rows[cid])], gx.context()
        )
        kept = {**kept, **outcome}
        with warehouse.get_connection() as conn:
            record(conn, CHECKS_STEP, digest, {"outcomes": kept})
    if len(todo) < len(decided):
        context.log.info(
            f"{len(decided) - len(todo)} claim checks: the ledger's rows and the expectations are those Great "
            "Expectations validated before; its outcomes are reported again"
        )
    outcome = kept
    for cid in sorted(expected):
        check = f"claim_{cid}"
        if cid not in rows:  # the seed has the claim but the mart lost it: that is a failure, not a pass
            yield dg.AssetCheckResult(
                asset_key=MART_CLAIMS,
                check_name=check,
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"error": "claim missing from marts.mart_claims (registered after the last ledger run?)"},
            )
            continue
        if rows[cid]["verdict"] == "unverifiable":
            # Nothing decided the claim, so there is no value to validate: said as such, never as a GX failure.
            yield dg.AssetCheckResult(
                asset_key=MART_CLAIMS,
                check_name=check,
                passed=True,
                severity=dg.AssetCheckSeverity.WARN,
                description=describe_verdict(rows[cid]),
                metadata=claim_metadata(rows[cid]),
            )
            continue
        result, severity = judge(rows[cid], outcome[check])
        when = validated_at.get(check)
        validated = "in this run" if when is None else f"{when:%Y-%m-%d %H:%M:%S %Z}, on the same rows"
        yield to_check_result(
            MART_CLAIMS,
            check,
            result,
            severity,
            {**claim_metadata(rows[cid]), "validated_by_great_expectations": validated},
            description=describe_verdict(rows[cid]),
        )
