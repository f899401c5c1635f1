"""Judging a stress measure on dated episodes, point in time: pure functions, so that the pre-registration
(docs/stress-evaluation.md) computes its training table from the data and nothing else.

- A measure's percentile on a day is the share of its earlier values (from its first) below that day's value,
  defined once it has BURN_IN values: a measure a few days old would otherwise read its first bad day as 1.0.
- An episode is reached when the highest percentile inside its window is >= ALARM.
- A false alarm is a day outside every episode window that reads >= ALARM; the share is of the days judged.
- Lead: how many of the measure's own sessions before an episode's first day it first reads >= WATCH, looking
  back LOOKBACK sessions (0: on the first day; negative: only after it began; None: never in the window).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

ALARM = 0.95
WATCH = 0.90
BURN_IN = 250
LOOKBACK = 20


def pit_percentile(values: pl.Series, burn_in: int = BURN_IN) -> pl.Series:
    """Each value's rank among the values up to it: (how many earlier values are lower) / (count so far - 1),
    null before `burn_in` values. A Fenwick tree over the values' ranks: n log n, never a look ahead."""
    x = values.to_numpy().astype(float)
    out = np.full(len(x), np.nan)
    finite = np.isfinite(x)
    ranks = np.searchsorted(np.unique(x[finite]), x[finite])
    tree = np.zeros(len(ranks) + 1, dtype=np.int64)
    seen = 0
    positions = np.flatnonzero(finite)
    for pos, r in zip(positions, ranks, strict=True):
        below, i = 0, int(r)  # values with a smaller rank: strictly lower
        while i > 0:
            below += tree[i]
            i -= i & -i
        seen += 1
        if seen >= burn_in and seen > 1:
            out[pos] = below / (seen - 1)
        i = int(r) + 1
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return pl.Series(values.name, out).fill_nan(None)


def judge(series: pl.DataFrame, episodes: pl.DataFrame, first: date, last: date) -> tuple[pl.DataFrame, dict]:
    """series: date, pct (a measure's point-in-time percentile, any days); episodes: episode_id, start_date,
    end_date, crypto_or_carry. Returns (per episode: days judged, max pct, reached, lead) for the episodes that
    start in [first, last], and the summary: judged, reached, crypto_or_carry judged and reached, false alarms."""
    days = series.filter(pl.col("pct").is_not_null()).sort("date")
    in_period = days.filter(pl.col("date").is_between(first, last))
    rows = []
    dates = days["date"].to_list()
    pcts = days["pct"].to_list()
    for e in episodes.filter(pl.col("start_date").is_between(first, last)).iter_rows(named=True):
        inside = [p for d, p in zip(dates, pcts, strict=True) if e["start_date"] <= d <= e["end_date"]]
        first_in = next((i for i, d in enumerate(dates) if d >= e["start_date"]), len(dates))
        lead = None
        for i in range(max(0, first_in - LOOKBACK), len(dates)):
            if dates[i] > e["end_date"]:
                break
            if pcts[i] >= WATCH:
                lead = first_in - i
                break
        rows.append(
            {
                "episode_id": e["episode_id"],
                "crypto_or_carry": e["crypto_or_carry"],
                "days_judged": len(inside),
                "max_pct": max(inside) if inside else None,
                "reached": (max(inside) >= ALARM) if inside else None,
                "lead": lead if inside else None,
            }
        )
    table = pl.DataFrame(
        rows,
        schema={
            "episode_id": pl.String,
            "crypto_or_carry": pl.Boolean,
            "days_judged": pl.Int64,
            "max_pct": pl.Float64,
            "reached": pl.Boolean,
            "lead": pl.Int64,
        },
    )
    outside = in_period
    for e in episodes.iter_rows(named=True):
        outside = outside.filter(~pl.col("date").is_between(e["start_date"], e["end_date"]))
    judged = table.filter(pl.col("days_judged") > 0)
    summary = {
        "judged": judged.height,
        "reached": int(judged["reached"].sum()),
        "cc_judged": int(judged["crypto_or_carry"].sum()),
        "cc_reached": int(judged.filter(pl.col("crypto_or_carry"))["reached"].sum()),
        "false_alarms": float((outside["pct"] >= ALARM).mean()) if outside.height else None,
        "median_lead": judged["lead"].median(),
    }
    return table, summary
