"""What each claim's Great Expectations suite expects (the bounds its wording rule set), and the frame it reads:
run by the checks in `defs/claims/expectations.py` and by the benchmark."""

import math

import pandas as pd

from orchestration.lib.gx_runner import Expectation


def number_or_none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def expectations_for(row: dict) -> list[Expectation]:
    import great_expectations.expectations as gxe  # heavy: imported when the check runs

    check = f"claim_{row['claim_id']}"
    low, high = number_or_none(row["accepted_min"]), number_or_none(row["accepted_max"])
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


def claim_frames(rows: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """Each claim's one-row frame for GX: the value that decided its verdict, under the name the expectations
    read."""
    return {
        cid: pd.DataFrame([{"observed_value": number_or_none(r["deciding_value"])}], dtype="float64")
        for cid, r in rows.items()
    }
