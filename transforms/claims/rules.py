"""Wording rules and the verdict policy, written once in the claim's own direction so they are symmetric.

Every rule is applied to the oriented value `s * x` against the oriented figure `s * v`, where `s` is the
claim's direction: the sign of the figure for a change (a fall of 5% and a rise of 5% get mirrored bounds), the
direction of the extreme for a level (a low is approached from above, a high from below), or the rule's own
(`fell`, `rose`, `broke_below`). A value can be exact or only a bound (a partial total is a lower bound, a close
bounds the session's high from below); the verdict says only what the bound allows.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
INF = math.inf


@dataclass(frozen=True)
class WordingRule:
    name: str
    comparator: str  # within | within_short | at_least | above | below
    tolerance_kind: str  # last_digit | relative | half_range | none
    tolerance: float
    orientation: str  # figure | up | down
    fixes: dict  # basis dimensions the wording itself fixes ('fell': a direction between closes)
    wording: str
    rule: str


@cache
def wording_rules() -> dict[str, WordingRule]:
    with (HERE / "wording_rules.csv").open(newline="") as f:
        return {
            r["wording_rule"]: WordingRule(
                r["wording_rule"],
                r["comparator"],
                r["tolerance_kind"],
                float(r["tolerance"]),
                r["orientation"],
                dict(f.split("=") for f in r["fixes"].split(";") if f),
                r["wording"],
                r["rule"],
            )
            for r in csv.DictReader(f)
        }


@dataclass(frozen=True)
class Bounds:
    low: float  # -inf when open
    high: float  # +inf when open
    strict_low: bool
    strict_high: bool

    def contains(self, x: float) -> bool:
        above = x > self.low or (not self.strict_low and x == self.low)
        below = x < self.high or (not self.strict_high and x == self.high)
        return above and below


def orientation(rule: WordingRule, kind: str, figure: float, direction: int) -> int:
    """The claim's direction: +1 or -1 (see the module's docstring)."""
    if rule.orientation == "up":
        return 1
    if rule.orientation == "down":
        return -1
    if kind == "change":
        return -1 if figure < 0 else 1
    if kind == "level":
        return direction or 1
    return 1  # counts, sums, ranks and offsets are not oriented


def infer_precision(claimed_text: str, claimed_value: float) -> float | None:
    """One unit of the last significant digit of the figure as written, in the claimed value's unit:
    '17%' with claimed_value -0.17 gives 0.01; '$126,000' gives 1,000; '30%' gives 0.1 (trailing zeros of a whole
    number are not significant)."""
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", claimed_text or "")
    if not numbers or not claimed_value:
        return None
    written = numbers[0].replace(",", "")
    number = float(written)
    if number == 0:
        return None
    if "." in written:
        unit = 10.0 ** -len(written.split(".")[1])
    else:
        stripped = written.rstrip("0")
        unit = 10.0 ** (len(written) - len(stripped)) if stripped else 1.0
    return abs(claimed_value / number) * unit


def bounds(rule: WordingRule, figure: float, precision: float | None, s: int, direction: int, kind: str) -> Bounds:
    """The accepted interval for the value itself (not oriented), from the rule applied in the claim's direction."""
    v = s * figure
    tolerance = {
        "last_digit": (precision or 0.0) * rule.tolerance,
        "half_range": (precision or 0.0) * rule.tolerance,
        "relative": abs(figure) * rule.tolerance,
    }.get(rule.tolerance_kind, 0.0)
    comparator = rule.comparator
    # A level with no direction of its own has no near side: 'nearly' is judged either side.
    if comparator == "within_short" and kind == "level" and direction == 0:
        comparator = "within"
    low, high, strict_low, strict_high = {
        "within": (v - tolerance, v + tolerance, False, False),
        "within_short": (v - tolerance, v, False, False),
        "at_least": (v, INF, False, False),
        "above": (v, INF, True, False),
        "below": (-INF, v, False, True),
    }[comparator]
    if s > 0:
        return Bounds(_round(low), _round(high), strict_low, strict_high)
    return Bounds(_round(-high), _round(-low), strict_high, strict_low)


def _round(x: float) -> float:
    # '17%' gives exactly -0.18..-0.16, not -0.18000000000000002.
    return x if math.isinf(x) else round(x, 12)


EXACT, LOWER, UPPER = "exact", "lower_bound", "upper_bound"


def judge_value(value: float, kind: str, accepted: Bounds) -> str:
    """confirmed, contradicted or unverifiable for one basis's value.

    exact: in the bounds or not. lower_bound (the truth is at least `value`): confirmed only if everything from
    `value` up is accepted, contradicted only if nothing is. upper_bound: the mirror."""
    if kind == EXACT:
        return "confirmed" if accepted.contains(value) else "contradicted"
    if kind == LOWER:
        if accepted.high == INF and accepted.contains(value):
            return "confirmed"
        beyond = value > accepted.high or (accepted.strict_high and value == accepted.high)
        return "contradicted" if beyond else "unverifiable"
    if accepted.low == -INF and accepted.contains(value):
        return "confirmed"
    short = value < accepted.low or (accepted.strict_low and value == accepted.low)
    return "contradicted" if short else "unverifiable"


def combine(verdicts: list[str]) -> str:
    """One verdict from the verdicts of every basis the claim's words leave open.

    Bases that can decide must agree; if some confirm and some contradict the claim depends on its basis. Bases
    that hold only a bound too loose to decide do not outvote those that decide."""
    decided = {v for v in verdicts if v in ("confirmed", "contradicted")}
    if len(decided) == 2:
        return "basis_dependent"
    if decided:
        return decided.pop()
    return "unverifiable"
