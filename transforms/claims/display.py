"""A claim's values as a reader wants them: rounded to two digits finer than the figure as written, with units.

'17%' judged against -0.17314 shows "-17.31%"; '$126,000' against 126069.23 shows "$126,069"; '25 basis points'
against 18.0 shows "+18.00 bp". The ledger keeps the exact values; only what is shown is rounded.
"""

from __future__ import annotations

import math

from transforms.claims.rules import infer_precision


def _decimals(step: float | None, default: int) -> int:
    if not step or not math.isfinite(step) or step <= 0:
        return default
    return max(0, -math.floor(math.log10(step)) + 2)


def precision_of(row: dict) -> float | None:
    precision = row.get("stated_precision")
    if precision is None or (isinstance(precision, float) and math.isnan(precision)):
        precision = infer_precision(row.get("claimed_text") or "", float(row.get("claimed_value") or 0.0))
    return precision


def format_value(value: float | None, row: dict, kind: str = "") -> str:
    """`value` in the claim's unit, two digits finer than the claim's own precision: a value at the edge of the
    figure's rounding shows which side of it it is on."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "no value"
    if kind == "rank":
        return f"rank {value:.0f}"
    if kind == "offset":
        return f"{value:+.0f} {'days' if row.get('measure', '').endswith('days') else 'sessions'}"
    unit = row.get("unit") or ""
    step = precision_of(row)
    if unit == "fraction":
        places = _decimals(step * 100 if step else None, 1)
        return f"{100 * value:+.{places}f}%"
    if unit == "usd":
        if abs(value) >= 1e9:
            return f"${value / 1e9:,.{_decimals(step / 1e9 if step else None, 2)}f}bn"
        return f"${value:,.{_decimals(step, 2 if abs(value) < 1000 else 0)}f}"
    if unit == "bp":
        return f"{value:+.{_decimals(step, 1)}f} bp"
    if unit in ("pct",):
        return f"{value:.{_decimals(step, 3)}f}%"
    places = _decimals(step, 0 if float(value).is_integer() else 2)
    suffix = "" if unit in ("", "count", "x", "fraction") else f" {unit}"
    return f"{value:,.{places}f}{suffix}"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def data_value(row: dict) -> str:
    """What the data says, on every basis when the verdict is not a plain confirmation."""
    if _present(row.get("data_says")):
        return str(row["data_says"])
    if not _present(row.get("observed_value")):
        return str(row["verdict_reason"]) if _present(row.get("verdict_reason")) else "no value"
    basis = f" ({row['observed_basis']})" if _present(row.get("observed_basis")) else ""
    return format_value(row["observed_value"], row) + basis
