"""The measure contract: every measure a claim can name, in one table (measure_contract.csv, read here).

For each measure: what it reads, what it does with the claim's period, the bases it computes, the finest
resolution it needs, and how its figure is oriented (a change has the sign of its figure; a level has the
direction of its extreme). docs/claims.md renders this table; the engine (transforms/claims/engine.py) reads
nothing about a measure from anywhere else.

Period semantics, the same for every measure of a kind:
- `one_session`: the claim's day is `period_end`, and `period_start` must equal it. The base is the series'
  previous session's close (a change "on" a day). A wider period is not silently narrowed: the measure answers
  `unverifiable` and says so.
- `span`: the base is the close of `period_start` and the end the close of `period_end` (each as of that day: the
  last session on or before it, at most a day back for a market that never shuts and a week for an exchange, so
  a holiday counts and a gap in the data does not). When `period_start == period_end` the change is that one
  session's change (as `one_session`).
- `every_day`: every session in `period_start..period_end` (both included) takes part: extremes, counts, sums.
- `history`: the day `period_end` against every session from `required_history_from` (or the series' start).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

AS_OF_DAYS = 4  # an exchange's normal longest gap (Fri -> Tue); measures.Sessions allows a week as "as of"


@dataclass(frozen=True)
class Measure:
    name: str
    reads: str  # the warehouse tables or derived series it reads
    period: str  # one_session | span | every_day | history
    kind: str  # change | level | count | sum | rank | offset
    bases: tuple[str, ...]  # the basis dimensions it varies over (see BASIS_DIMENSIONS)
    resolution: str  # daily | hourly | statement | calendar_year
    direction: int = 0  # for levels: +1 an upper extreme, -1 a lower one, 0 none (sign of the figure for changes)
    fixes: tuple[tuple[str, str], ...] = ()  # basis dimensions the measure's own name fixes
    description: str = ""


# The dimensions a basis varies on, with their values in preference order (the first available is primary
# unless the claim's words pick another).
BASIS_DIMENSIONS = {
    "price_point": ("close", "intraday"),
    "instrument": ("spot", "futures", "fix", "cash"),
    "clock": ("utc", "ny", "london"),
    "window": ("session", "rolling_24h"),
}

PERIODS = ("one_session", "span", "every_day", "history")
KINDS = ("change", "level", "count", "sum", "rank", "offset")
RESOLUTIONS = ("daily", "hourly", "statement", "calendar_year")


def measure_from_row(row: dict[str, str]) -> Measure:
    """One row of measure_contract.csv; a value outside the closed vocabularies above is refused by name."""
    bases = tuple(row["bases"].split())
    fixes = tuple(tuple(f.split("=", 1)) for f in row["fixes"].split())
    problems = [
        f"{column} {value!r} is not one of {allowed}"
        for column, value, allowed in [
            ("period", row["period"], PERIODS),
            ("kind", row["kind"], KINDS),
            ("resolution", row["resolution"], RESOLUTIONS),
            ("direction", row["direction"], ("-1", "0", "1")),
        ]
        if value not in allowed
    ] + [f"basis {b!r} is not a dimension" for b in bases + tuple(d for d, _ in fixes) if b not in BASIS_DIMENSIONS]
    if problems:
        raise ValueError(f"measure_contract.csv, measure {row['measure']!r}: " + "; ".join(problems))
    return Measure(
        row["measure"],
        row["reads"],
        row["period"],
        row["kind"],
        bases,
        row["resolution"],
        int(row["direction"]),
        fixes,
        row["description"],
    )


# The contract itself is a table (transforms/claims/measure_contract.csv): one row per measure; `bases` and
# `fixes` are space-separated (`price_point instrument clock`, `price_point=intraday`).
with (Path(__file__).parent / "measure_contract.csv").open(newline="", encoding="utf-8") as _f:
    MEASURES: dict[str, Measure] = {r["measure"]: measure_from_row(r) for r in csv.DictReader(_f)}

# Series the price measures read, with the bases the warehouse can give each one. A second source named as a
# series fixes its basis (USDJPY_NY is USD/JPY on the New York clock).
SERIES_ALIASES = {
    "BTC_FULLDAY": ("BTC", {"clock": "utc"}),
    "USDJPY_NY": ("USDJPY", {"clock": "ny"}),
    "XAU_FUT": ("XAU", {"instrument": "futures"}),
    "IXIC_YAHOO": ("IXIC", {}),
}

VERDICTS = ("confirmed", "contradicted", "basis_dependent", "unverifiable")
