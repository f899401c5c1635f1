"""Run Great Expectations 1.x suites on frames and turn the results into Dagster check results.

dagster-ge only supports GX < 1.0, so each check builds an ephemeral GX context, validates a pandas
frame read from DuckDB, and maps every expectation result into the AssetCheckResult it belongs to.
An expectation that raised is a failure ("could not run"), never a pass.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import dagster as dg
import pandas as pd
from pydantic import PrivateAttr

# GX logs each expectation that raises at ERROR level; the check result carries that message instead.
logging.getLogger("great_expectations").setLevel(logging.CRITICAL)


@dataclass
class Expectation:
    check: str  # the Dagster check this expectation reports to
    frame: str  # which frame it validates (frames are passed by name)
    gx: object  # a great_expectations.expectations.Expectation


def _jsonable(value):
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value][:20]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def ephemeral_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


class GreatExpectations(dg.ConfigurableResource):
    """The run's Great Expectations context: one ephemeral context, made when the first check of the run asks for
    it and kept for the run's other checks (a context costs about 0.2 s to make; a run has a dozen checks). The
    in-process executor `liqmart` launches runs every step in one process, so a run makes one."""

    _context: object = PrivateAttr(default=None)

    def context(self):
        if self._context is None:
            self._context = ephemeral_context()
        return self._context


def run_expectations(
    suite_name: str, frames: dict[str, pd.DataFrame], expectations: list[Expectation], context=None
) -> dict[str, dict]:
    """Validate every frame in `context` (the run's, from GreatExpectations; a new one when None); return
    {check_name: {"passed": bool, "results": [...]}}. A suite validated again in the same context (a backfill's
    next partition) replaces its earlier definitions."""
    import great_expectations as gx

    context = context or ephemeral_context()
    source = context.data_sources.add_or_update_pandas(f"{suite_name}_frames")
    outcome: dict[str, dict] = defaultdict(lambda: {"passed": True, "results": []})
    for frame_name, frame in frames.items():
        mine = [e for e in expectations if e.frame == frame_name]
        if not mine:
            continue
        for e in mine:
            e.gx.meta = {**(e.gx.meta or {}), "check": e.check}
        batch = source.add_dataframe_asset(frame_name).add_batch_definition_whole_dataframe(frame_name)
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(name=f"{suite_name}.{frame_name}", expectations=[e.gx for e in mine])
        )
        validation = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(data=batch, suite=suite, name=f"{suite_name}.{frame_name}")
        )
        result = validation.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
        for r in result.results:
            check = (r.expectation_config.meta or {}).get("check")
            if check is None:
                raise RuntimeError(f"GX result for {r.expectation_config.type} could not be matched to a check")
            raised = bool(r.exception_info.get("raised_exception"))
            entry = {
                "expectation": r.expectation_config.type,
                "kwargs": _jsonable({k: v for k, v in r.expectation_config.kwargs.items() if k != "batch_id"}),
                "success": bool(r.success) and not raised,
            }
            for k in ("observed_value", "unexpected_count", "unexpected_percent", "partial_unexpected_list"):
                if k in r.result:
                    entry[k] = _jsonable(r.result[k])
            if raised:
                entry["error"] = f"expectation could not run: {r.exception_info.get('exception_message')}"
            outcome[check]["passed"] &= entry["success"]
            outcome[check]["results"].append(entry)
    missing = {e.check for e in expectations} - set(outcome)
    for check in missing:  # a frame that was not given means the expectation never ran
        outcome[check] = {"passed": False, "results": [{"error": "no frame to validate: the check did not run"}]}
    return dict(outcome)


def to_check_result(
    asset_key: dg.AssetKey,
    check: str,
    outcome: dict,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
    extra_metadata: dict | None = None,
    description: str | None = None,
    note: str = "",
) -> dg.AssetCheckResult:
    """`note` leads the description (a failure the bundled snapshot is known for says so first)."""
    failed = [r for r in outcome["results"] if not r.get("success")]
    if description is None and failed:
        kinds = sorted({str(r.get("expectation") or r.get("error") or "an expectation") for r in failed})
        description = f"{len(failed)} of {len(outcome['results'])} expectations failed: {', '.join(kinds[:3])}"
    if note:
        description = note + (description or "")
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check,
        passed=outcome["passed"],
        severity=severity,
        description=description,
        metadata={
            "expectations_run": len(outcome["results"]),
            "expectations_failed": len(failed),
            "failures": dg.MetadataValue.json(failed[:10]),
            "results": dg.MetadataValue.json(outcome["results"][:30]),
            **(extra_metadata or {}),
        },
    )
