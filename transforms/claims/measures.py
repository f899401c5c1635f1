"""The measures of the contract (transforms/claims/contract.py), each on one basis of one series.

A measure gets the claim, the claim's direction `s` and the basis's data, and returns an Observation (a value,
exact or a bound, with its evidence) or a Missing (why it cannot say). Pure Python over small frames: a claim
reads one series' few hundred sessions; nothing here knows of Dagster or the warehouse.

Over 400 lines because it is one catalogue: a short function per measure of the contract, each registered in
COMPUTATIONS beside its entry; splitting them by family would split the catalogue the contract test holds equal.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import polars as pl

from transforms.claims.contract import AS_OF_DAYS
from transforms.claims.rules import EXACT, LOWER, UPPER


@dataclass(frozen=True)
class Observation:
    value: float
    kind: str = EXACT  # exact | lower_bound | upper_bound
    on: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Missing:
    reason: str


@dataclass
class Claim:
    claim_id: str
    measure: str
    series: str
    period_start: date | None
    period_end: date | None
    claimed_value: float
    required_history_from: date | None = None
    extra: dict = field(default_factory=dict)


class Sessions:
    """One series on one basis: its sessions in date order, as plain lists."""

    def __init__(self, frame: pl.DataFrame, label: str):
        frame = frame.sort("date")
        self.label = label
        self.dates: list[date] = frame["date"].to_list()
        self.close: list[float] = frame["close"].to_list()
        self.high: list[float | None] = frame["high"].to_list() if "high" in frame.columns else [None] * frame.height
        self.low: list[float | None] = frame["low"].to_list() if "low" in frame.columns else [None] * frame.height
        self.open: list[float | None] = frame["open"].to_list() if "open" in frame.columns else [None] * frame.height
        self.volume: list[float | None] = (
            frame["volume"].to_list() if "volume" in frame.columns else [None] * frame.height
        )
        self.close_basis: list[str | None] = (
            frame["close_basis"].to_list() if "close_basis" in frame.columns else [None] * frame.height
        )
        gaps = [(b - a).days for a, b in zip(self.dates, self.dates[1:], strict=False)]
        # A series that trades every day (crypto) has a gap of one day; an exchange's has weekends and holidays.
        self.normal_gap = 1 if gaps and sum(g > 1 for g in gaps) < 0.05 * len(gaps) else AS_OF_DAYS
        # The longest gap that is still the previous session: a day for a market that never shuts; for exchanges,
        # their longest real closure in the history (Tokyo's ten-day Golden Week of 2019, Apr 27 - May 6: 11 days
        # between sessions; New York's 9/11 closure: 7). A longer one is missing data, not a close "as of".
        self.max_gap = 1 if self.normal_gap == 1 else 11

    def __len__(self) -> int:
        return len(self.dates)

    def as_of(self, day: date) -> int | None:
        """The last session on or before `day`, if it is recent enough to be the close as of that day."""
        lo, hi = 0, len(self.dates)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.dates[mid] <= day:
                lo = mid + 1
            else:
                hi = mid
        i = lo - 1
        if i < 0 or (day - self.dates[i]).days > self.max_gap:
            return None
        return i

    def window(self, start: date, end: date) -> tuple[list[int], bool]:
        """Indexes of the sessions in start..end, and whether the data covers the whole window: the series
        starts by `start`, ends by `end`, and no gap inside the window (or at its edges) is longer than normal."""
        idx = [i for i, d in enumerate(self.dates) if start <= d <= end]
        if not idx:
            return idx, False
        gap = self.normal_gap
        days = [self.dates[i] for i in idx]
        steps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        complete = (
            self.dates[0] <= start
            and (days[0] - start).days < gap
            and (end - days[-1]).days < gap
            and all(step <= self.max_gap for step in steps)
        )
        return idx, complete

    def previous(self, i: int) -> int | None:
        if i <= 0 or (self.dates[i] - self.dates[i - 1]).days > self.max_gap:
            return None
        return i - 1

    def has_ranges(self, idx: list[int]) -> bool:
        return bool(idx) and all(self.high[i] is not None and self.low[i] is not None for i in idx)


def _pct(x: float) -> str:
    return f"{100 * x:+.2f}%"


def span_ends(data: Sessions, claim: Claim) -> tuple[int, int] | Missing:
    """(base, end) session indexes under the contract's `span` semantics."""
    start, end = claim.period_start, claim.period_end
    end_i = data.as_of(end)
    if end_i is None:
        return Missing(f"no {data.label} close as of {end}")
    if start == end:
        base_i = data.previous(end_i) if data.dates[end_i] == end else None
        if base_i is None:
            return Missing(f"no {data.label} session on {end} with a previous close")
        return base_i, end_i
    base_i = data.as_of(start)
    if base_i is None:
        return Missing(f"no {data.label} close as of {start}")
    if base_i >= end_i:
        return Missing(f"no {data.label} session after {data.dates[base_i]} up to {end}")
    return base_i, end_i


def _same_close_basis(data: Sessions, a: int, b: int) -> Missing | None:
    if data.close_basis[a] != data.close_basis[b]:
        return Missing(
            f"the closes of {data.dates[a]} and {data.dates[b]} are on two bases "
            f"({data.close_basis[a]}, {data.close_basis[b]}): their change compares unlike prices"
        )
    return None


def one_session(data: Sessions, claim: Claim) -> int | Missing:
    if claim.period_start != claim.period_end:
        return Missing(
            f"{claim.measure} judges one session; the period {claim.period_start} to {claim.period_end} spans more "
            "(a change over it is period_change)"
        )
    i = data.as_of(claim.period_end)
    if i is None or data.dates[i] != claim.period_end:
        return Missing(f"no {data.label} session on {claim.period_end}")
    return i


def change(data: Sessions, claim: Claim, s: int, price_point: str) -> Observation | Missing:
    """return_1d (one session) and period_change (a span): close to close, or to the extreme in the move's
    direction (intraday)."""
    if claim.measure == "return_1d":
        i = one_session(data, claim)
        if isinstance(i, Missing):
            return i
        base = data.previous(i)
        if base is None:
            return Missing(f"no {data.label} close before {data.dates[i]}")
        ends = (base, i)
    else:
        ends = span_ends(data, claim)
        if isinstance(ends, Missing):
            return ends
    base, end = ends
    unlike = _same_close_basis(data, base, end)
    if unlike:
        return unlike
    prev = data.close[base]
    if price_point == "close":
        value = data.close[end] / prev - 1
        return Observation(
            value,
            on=data.dates[end],
            evidence=f"{data.label}: close {data.dates[base]} {prev:,.4g} -> {data.dates[end]} "
            f"{data.close[end]:,.4g} ({_pct(value)})",
        )
    idx = list(range(base + 1, end + 1))
    if not data.has_ranges(idx):
        return Missing(f"{data.label} has no intraday high and low for {data.dates[end]}")
    extreme_i = min(idx, key=lambda k: data.low[k]) if s < 0 else max(idx, key=lambda k: data.high[k])
    extreme = data.low[extreme_i] if s < 0 else data.high[extreme_i]
    value = extreme / prev - 1
    word = "low" if s < 0 else "high"
    return Observation(
        value,
        on=data.dates[extreme_i],
        evidence=f"{data.label}: close {data.dates[base]} {prev:,.4g} -> intraday {word} {data.dates[extreme_i]} "
        f"{extreme:,.4g} ({_pct(value)})",
    )


def intraday_range(data: Sessions, claim: Claim, s: int) -> Observation | Missing:
    i = one_session(data, claim)
    if isinstance(i, Missing):
        return i
    if not data.has_ranges([i]):
        return Missing(f"{data.label} has no intraday high and low on {data.dates[i]}")
    hi, lo = data.high[i], data.low[i]
    value = lo / hi - 1 if claim.measure == "intraday_fall" else hi / lo - 1
    return Observation(value, on=data.dates[i], evidence=f"{data.label} {data.dates[i]}: high {hi:,.4g}, low {lo:,.4g}")


def _prices(data: Sessions, idx: list[int], price_point: str, side: str) -> list[float]:
    if price_point == "close":
        return [data.close[i] for i in idx]
    return [data.high[i] if side == "high" else data.low[i] for i in idx]


def swing(data: Sessions, claim: Claim, price_point: str) -> Observation | Missing:
    """period_fall_from_peak / period_rise_from_trough: the largest swing inside the window (peak then trough, or
    trough then peak). Within one session the order of the high and low is unknown: its range counts."""
    idx, complete = data.window(claim.period_start, claim.period_end)
    if not idx:
        return Missing(f"no {data.label} session in {claim.period_start} to {claim.period_end}")
    if price_point == "intraday" and not data.has_ranges(idx):
        return Missing(f"{data.label} has no intraday ranges in the window")
    falling = claim.measure == "period_fall_from_peak"
    first = _prices(data, idx, price_point, "high" if falling else "low")
    then = _prices(data, idx, price_point, "low" if falling else "high")
    best, where = 0.0, (idx[0], idx[0])
    for a in range(len(idx)):
        for b in range(a if price_point == "intraday" else a + 1, len(idx)):
            move = then[b] / first[a] - 1
            if (move < best) if falling else (move > best):
                best, where = move, (idx[a], idx[b])
    kind = EXACT if complete else (UPPER if falling else LOWER)
    word = ("high", "low") if falling else ("low", "high")
    return Observation(
        best,
        kind,
        on=data.dates[where[1]],
        evidence=f"{data.label}: {word[0]} {data.dates[where[0]]} -> {word[1]} {data.dates[where[1]]} ({_pct(best)})"
        + ("" if complete else "; the data covers only part of the window"),
    )


def run_from_base(data: Sessions, claim: Claim, price_point: str) -> Observation | Missing:
    """period_rise_to_peak / period_fall_to_trough: the close of period_start to the extreme after it."""
    ends = span_ends(data, claim)
    if isinstance(ends, Missing):
        return ends
    base, end = ends
    idx = list(range(base + 1, end + 1))
    rising = claim.measure == "period_rise_to_peak"
    if price_point == "intraday" and not data.has_ranges(idx):
        return Missing(f"{data.label} has no intraday ranges in the window")
    prices = _prices(data, idx, price_point, "high" if rising else "low")
    k = max(range(len(idx)), key=prices.__getitem__) if rising else min(range(len(idx)), key=prices.__getitem__)
    value = prices[k] / data.close[base] - 1
    return Observation(
        value,
        on=data.dates[idx[k]],
        evidence=f"{data.label}: close {data.dates[base]} {data.close[base]:,.4g} -> {price_point} "
        f"{data.dates[idx[k]]} {prices[k]:,.4g} ({_pct(value)})",
    )


def history_start(data: Sessions, claim: Claim) -> tuple[int, bool]:
    """The first session of the claim's history and whether the data reaches back to required_history_from."""
    wanted = claim.required_history_from or claim.extra.get("series_start")
    if wanted is None:
        return 0, True
    first = next((i for i, d in enumerate(data.dates) if d >= wanted), len(data.dates))
    # A basis that starts later than the claim's history (or than the series' longest basis) sees only part.
    return first, data.dates[0] <= wanted


def drawdown(data: Sessions, claim: Claim, price_point: str) -> Observation | Missing:
    end = data.as_of(claim.period_end)
    if end is None:
        return Missing(f"no {data.label} close as of {claim.period_end}")
    start, reaches = history_start(data, claim)
    idx = list(range(start, end + 1))
    if price_point == "intraday" and not data.has_ranges(idx):
        return Missing(f"{data.label} has no intraday ranges over its history")
    peaks = _prices(data, idx, price_point, "high")
    k = max(range(len(idx)), key=peaks.__getitem__)
    now = data.close[end] if price_point == "close" else data.low[end]
    value = now / peaks[k] - 1
    # A peak before the data starts can only be higher: the drawdown is at most (as deep as) this.
    return Observation(
        value,
        EXACT if reaches else UPPER,
        on=data.dates[end],
        evidence=f"{data.label}: peak {data.dates[idx[k]]} {peaks[k]:,.4g}, {data.dates[end]} {now:,.4g} "
        f"({_pct(value)})",
    )


def extreme_level(data: Sessions, claim: Claim) -> Observation | Missing:
    """intraday_low / intraday_high over the window; from closes only, the closes bound the extreme."""
    idx, complete = data.window(claim.period_start, claim.period_end)
    if not idx:
        return Missing(f"no {data.label} session in {claim.period_start} to {claim.period_end}")
    low = claim.measure == "intraday_low"
    ranged = data.has_ranges(idx)
    prices = _prices(data, idx, "intraday" if ranged else "close", "low" if low else "high")
    k = min(range(len(idx)), key=prices.__getitem__) if low else max(range(len(idx)), key=prices.__getitem__)
    # The true low is at most the lowest price seen (closes only, or part of the window); the high at least.
    kind = EXACT if ranged and complete else (UPPER if low else LOWER)
    what = ("intraday low" if low else "intraday high") if ranged else ("lowest close" if low else "highest close")
    return Observation(
        prices[k],
        kind,
        on=data.dates[idx[k]],
        evidence=f"{data.label}: {what} in {claim.period_start} to {claim.period_end}: {prices[k]:,.6g} on "
        f"{data.dates[idx[k]]}" + ("" if complete else " (the data covers only part of the window)"),
    )


def close_extreme(data: Sessions, claim: Claim) -> Observation | Missing:
    """The highest (max_close_before) or lowest (min_close_before) close in the window: 'its lowest level since
    March 2022' holds when every close from April 2022 to the day before stayed above the day's level. A history
    that starts after the window's start bounds the extreme from one side only."""
    idx, complete = data.window(claim.period_start, claim.period_end)
    if not idx:
        return Missing(f"no {data.label} close in {claim.period_start} to {claim.period_end}")
    highest = claim.measure == "max_close_before"
    k = max(idx, key=data.close.__getitem__) if highest else min(idx, key=data.close.__getitem__)
    return Observation(
        data.close[k],
        EXACT if complete else (LOWER if highest else UPPER),
        on=data.dates[k],
        evidence=f"{data.label}: {'highest' if highest else 'lowest'} close from {data.dates[idx[0]]} to "
        f"{data.dates[idx[-1]]}: {data.close[k]:,.6g} on {data.dates[k]}"
        + ("" if complete else f" (the data starts {data.dates[0]})"),
    )


def close_level(data: Sessions, claim: Claim) -> Observation | Missing:
    if claim.period_start == claim.period_end:
        i = data.as_of(claim.period_end)
        if i is None:
            return Missing(f"no {data.label} close as of {claim.period_end}")
        return Observation(
            data.close[i], on=data.dates[i], evidence=f"{data.label}: close {data.dates[i]} {data.close[i]:,.6g}"
        )
    idx, complete = data.window(claim.period_start, claim.period_end)
    if not idx or not complete:
        return Missing(f"{data.label} does not cover every session of {claim.period_start} to {claim.period_end}")
    closes = [data.close[i] for i in idx]
    mean = sum(closes) / len(closes)
    return Observation(
        mean,
        on=data.dates[idx[-1]],
        evidence=f"{data.label}: average close {mean:,.6g} over {len(idx)} sessions (from {min(closes):,.6g} to "
        f"{max(closes):,.6g})",
    )


def nearest_traded(data: Sessions, claim: Claim) -> Observation | Missing:
    idx, _ = data.window(claim.period_start, claim.period_end)
    if not idx:
        return Missing(f"no {data.label} session in {claim.period_start} to {claim.period_end}")
    level = claim.claimed_value
    if not data.has_ranges(idx):
        return Missing(f"{data.label} has no traded ranges in the window")
    best, on = None, None
    for i in idx:
        point = min(max(level, data.low[i]), data.high[i])
        if best is None or abs(point - level) < abs(best - level):
            best, on = point, data.dates[i]
    return Observation(
        best, on=on, evidence=f"{data.label}: nearest traded price to {level:,.6g} in the window: {best:,.6g} on {on}"
    )


def move_rank(moves: list[tuple[date, float]], day: date, reaches: bool, label: str) -> Observation | Missing:
    """The rank of `day`'s move among the history's moves in the same direction (1 = the largest)."""
    on_day = [m for d, m in moves if d == day]
    if not on_day:
        return Missing(f"no {label} move on {day}")
    move = on_day[0]
    history = [m for d, m in moves if d <= day]
    rank = 1 + sum(1 for m in history if (m < move if move < 0 else m > move))
    # A history that does not reach back far enough can only hide larger moves: the true rank is at least this.
    return Observation(
        float(rank),
        EXACT if reaches else LOWER,
        on=day,
        evidence=f"{label}: the move on {day} ({move:+.4g}) ranks {rank} of {len(history)} from {moves[0][0]} to "
        f"{day}" + ("" if reaches else " (the history held is shorter than the claim's)"),
    )


def return_rank(data: Sessions, claim: Claim) -> Observation | Missing:
    start, reaches = history_start(data, claim)
    moves = []
    for i in range(max(start, 1), len(data)):
        p = data.previous(i)
        if p is not None and data.close_basis[p] == data.close_basis[i]:
            moves.append((data.dates[i], data.close[i] / data.close[p] - 1))
    if not moves:
        return Missing(f"no {data.label} returns in the history")
    return move_rank(moves, claim.period_end, reaches, f"{data.label} close-to-close return")


def gap_offset(data: Sessions, claim: Claim) -> Observation | Missing:
    base = data.as_of(claim.period_start)
    end = data.as_of(claim.period_end)
    if base is None or end is None:
        return Missing(f"no {data.label} sessions around {claim.period_start} to {claim.period_end}")
    candidates = [i for i in range(max(1, base - 5), end + 1) if data.open[i] is not None]
    if not candidates:
        return Missing(f"{data.label} has no opening prices")
    k = max(candidates, key=lambda i: abs(data.open[i] / data.close[i - 1] - 1))
    gap = data.open[k] / data.close[k - 1] - 1
    before = [v for v in data.volume[max(0, k - 20) : k] if v]
    ratio = f", volume {data.volume[k] / statistics.median(before):.1f}x the 20 sessions before" if before else ""
    return Observation(
        float(k - base),
        on=data.dates[k],
        evidence=f"{data.label}: the largest opening gap from {data.dates[max(1, base - 5)]} to {data.dates[end]} is "
        f"{data.dates[k]} ({_pct(gap)}{ratio}), {k - base} session(s) from {data.dates[base]}",
    )


def peak_lag(later: Sessions, earlier: Sessions, claim: Claim) -> Observation | Missing:
    out = []
    for data in (later, earlier):
        idx, complete = data.window(claim.period_start, claim.period_end)
        if not idx or not complete:
            return Missing(f"{data.label} does not cover {claim.period_start} to {claim.period_end}")
        out.append(data.dates[max(idx, key=lambda i: data.close[i])])
    lag = (out[0] - out[1]).days
    return Observation(
        float(lag),
        on=out[0],
        evidence=f"{later.label} peaked {out[0]}, {earlier.label} peaked {out[1]} ({lag:+d} days) in "
        f"{claim.period_start} to {claim.period_end}",
    )


def share_moved(members: list[Sessions], claim: Claim, price_point: str) -> Observation | Missing:
    down = claim.measure == "share_down_1d"
    moved, parts = 0, []
    for data in members:
        i = one_session(data, claim)
        if isinstance(i, Missing):
            return i
        p = data.previous(i)
        if p is None:
            return Missing(f"no {data.label} close before {claim.period_end}")
        if price_point == "close":
            x = data.close[i] / data.close[p] - 1
        elif data.has_ranges([i]):
            x = (data.low[i] if down else data.high[i]) / data.close[p] - 1
        else:
            return Missing(f"{data.label} has no intraday range on {claim.period_end}")
        moved += (x < 0) if down else (x > 0)
        parts.append(f"{data.label} {_pct(x)}")
    share = moved / len(members)
    return Observation(share, on=claim.period_end, evidence="; ".join(parts))


def all_moved(members: list[Sessions], claim: Claim, price_point: str) -> Observation | Missing:
    """sessions_all_down / sessions_all_up: the dates in the window on which every member moved in the
    direction (close to close, or its intraday extreme beyond its previous close); a date one member did not
    trade is not a common session."""
    down = claim.measure == "sessions_all_down"
    moves: list[dict[date, float]] = []
    for data in members:
        idx, _ = data.window(claim.period_start, claim.period_end)
        per_day = {}
        for i in idx:
            p = data.previous(i)
            if p is None:
                continue
            if price_point == "close":
                per_day[data.dates[i]] = data.close[i] / data.close[p] - 1
            elif data.has_ranges([i]):
                per_day[data.dates[i]] = (data.low[i] if down else data.high[i]) / data.close[p] - 1
        if not per_day:
            return Missing(f"no {data.label} moves in {claim.period_start} to {claim.period_end}")
        moves.append(per_day)
    common = sorted(set.intersection(*(set(m) for m in moves)))
    hits = [d for d in common if all((m[d] < 0) if down else (m[d] > 0) for m in moves)]
    shown = hits or common[-1:]
    parts = [
        f"{d}: " + ", ".join(f"{data.label.split(' ')[0]} {_pct(m[d])}" for data, m in zip(members, moves, strict=True))
        for d in shown[:5]
    ]
    return Observation(
        float(len(hits)),
        on=hits[-1] if hits else claim.period_end,
        evidence=f"{len(hits)} of {len(common)} common sessions in {claim.period_start} to {claim.period_end} with "
        f"every series {'down' if down else 'up'}" + (f"; {'; '.join(parts)}" if parts else ""),
    )


def rolling_24h(hourly: pl.DataFrame, claim: Claim, s: int, price_point: str, label: str) -> Observation | Missing:
    """The largest move in the claim's direction over any 24 hours that end inside the window (UTC days)."""
    start = datetime.combine(claim.period_start, datetime.min.time(), tzinfo=timezone.utc)
    end = datetime.combine(claim.period_end + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
    hourly = hourly.with_columns(pl.col("bar_start").dt.replace_time_zone(None))
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)  # naive UTC throughout
    bars = hourly.filter(pl.col("bar_start") >= start - timedelta(hours=24), pl.col("bar_start") < end)
    if bars.is_empty():
        return Missing(f"no {label} hourly bars in {claim.period_start} to {claim.period_end}")
    times, close, high, low = (bars[c].to_list() for c in ("bar_start", "close", "high", "low"))
    at = {t: i for i, t in enumerate(times)}
    best = None
    for i, t in enumerate(times):
        if t < start:
            continue
        if price_point == "close":
            j = at.get(t - timedelta(hours=24))
            if j is None:
                continue
            move, ref_t, ref = close[i] / close[j] - 1, times[j], close[j]
            here = close[i]
        else:
            window = [j for j in range(i + 1) if times[j] > t - timedelta(hours=24)]
            j = max(window, key=high.__getitem__) if s < 0 else min(window, key=low.__getitem__)
            ref, ref_t = (high[j] if s < 0 else low[j]), times[j]
            here = low[i] if s < 0 else high[i]
            move = here / ref - 1
        if best is None or (move < best[0] if s < 0 else move > best[0]):
            best = (move, ref_t, ref, t, here)
    if best is None:
        return Missing(f"no 24-hour span of {label} bars inside the window")
    move, ref_t, ref, t, here = best
    return Observation(
        move,
        on=t.date(),
        evidence=f"{label} hourly: {ref_t:%Y-%m-%d %H:%M} {ref:,.6g} -> {t:%Y-%m-%d %H:%M} UTC {here:,.6g} "
        f"({_pct(move)})",
    )
