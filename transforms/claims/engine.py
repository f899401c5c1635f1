"""The claims ledger: every claim judged on every basis the warehouse holds, with one verdict policy.

`judge(claims, data)` returns two frames: the ledger (one row per claim: bounds, the primary basis's value, the
verdict and why) and the evidence (one row per claim and basis). The policy (docs/claims.md):
- the claim's words, its measure and its `claim_basis` fix some basis dimensions (transforms/claims/basis_words.csv);
  every standard basis the warehouse holds within them is computed;
- confirmed or contradicted when every basis that can decide agrees; basis_dependent when they disagree;
  unverifiable when none can decide (no data, a bound too loose, a period the measure cannot honour);
- a value over partial coverage is a bound (transforms/claims/coverage.csv), never taken for the whole.

Over 400 lines because it is one thing: the verdict policy, applied per claim and per basis, whose steps (bases,
bounds, the decision, its reasons) read one another's intermediate values; the measures it applies are
measures.py, their contract contract.py.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from transforms.claims import measures as m
from transforms.claims.contract import BASIS_DIMENSIONS, MEASURES, SERIES_ALIASES
from transforms.claims.display import format_value
from transforms.claims.rules import (
    EXACT,
    HERE,
    LOWER,
    UPPER,
    bounds,
    combine,
    infer_precision,
    judge_value,
    wording_rules,
)
from transforms.claims.rules import orientation as claim_orientation

PRICE_MEASURES = {
    "return_1d": lambda d, c, s, b: m.change(d, c, s, b["price_point"]),
    "period_change": lambda d, c, s, b: m.change(d, c, s, b["price_point"]),
    "intraday_fall": lambda d, c, s, b: m.intraday_range(d, c, s),
    "intraday_rise": lambda d, c, s, b: m.intraday_range(d, c, s),
    "period_fall_from_peak": lambda d, c, s, b: m.swing(d, c, b["price_point"]),
    "period_rise_from_trough": lambda d, c, s, b: m.swing(d, c, b["price_point"]),
    "period_rise_to_peak": lambda d, c, s, b: m.run_from_base(d, c, b["price_point"]),
    "period_fall_to_trough": lambda d, c, s, b: m.run_from_base(d, c, b["price_point"]),
    "drawdown_from_peak": lambda d, c, s, b: m.drawdown(d, c, b["price_point"]),
    "intraday_low": lambda d, c, s, b: m.extreme_level(d, c),
    "intraday_high": lambda d, c, s, b: m.extreme_level(d, c),
    "close_level": lambda d, c, s, b: m.close_level(d, c),
    "max_close_before": lambda d, c, s, b: m.close_extreme(d, c),
    "min_close_before": lambda d, c, s, b: m.close_extreme(d, c),
    "nearest_traded_price": lambda d, c, s, b: m.nearest_traded(d, c),
    "return_rank_in_sample": lambda d, c, s, b: m.return_rank(d, c),
    "gap_session_offset": lambda d, c, s, b: m.gap_offset(d, c),
}
CLAIM_BASIS_FIXES = {
    "close": {"price_point": "close"},
    "end_of_day_only": {"price_point": "close"},
    "intraday": {"price_point": "intraday"},
    "intraday_level": {"price_point": "intraday"},
    "rolling_24h": {"window": "rolling_24h"},
}
CLOCK_LABELS = {"utc": "UTC day", "ny": "New York day", "london": "London"}


@dataclass
class ClaimData:
    """What the ledger reads, each frame in the shape its measures expect (orchestration/lib/claims_data.py)."""

    bars: pl.DataFrame  # series, instrument, clock, source, date, open, high, low, close, volume, close_basis
    hourly: pl.DataFrame  # series, instrument, source, bar_start (UTC), open, high, low, close
    rates: pl.DataFrame  # series (CURVE:tenor), date, yield_pct
    liquidations: pl.DataFrame  # date, coin, long_usd, short_usd, total_usd
    flows: pl.DataFrame  # date, etf_btc, etf_usd, treasury_btc, treasury_usd, issuance_btc, strategy_btc
    regimes: pl.DataFrame  # date, regime
    margins: pl.DataFrame  # contract, announced_on, effective_on, margin_before_pct, margin_after_pct, source
    coverage: dict[str, dict]  # source -> {complete, covers}


@cache
def basis_words() -> list[dict]:
    with (HERE / "basis_words.csv").open(newline="") as f:
        return [{**r, "regex": re.compile(r["pattern"], re.IGNORECASE)} for r in csv.DictReader(f)]


def words_pick(text: str) -> tuple[dict, dict]:
    """(fixed, preferred) basis dimensions the claim's own words name (basis_words.csv)."""
    fixed, preferred = {}, {}
    for word in basis_words():
        if word["regex"].search(text):
            target = fixed if word["effect"] == "fixes" else preferred
            target.setdefault(word["dimension"], word["value"])
    return fixed, preferred


def basis_label(basis: dict) -> str:
    clock = CLOCK_LABELS.get(basis.get("clock"), basis.get("clock"))
    parts = [basis.get("price_point"), basis.get("instrument"), clock]
    if basis.get("window") == "rolling_24h":
        parts.append("rolling 24 hours")
    if basis.get("source"):
        parts.append(basis["source"])
    return ", ".join(p for p in parts if p)


def _rank(basis: dict, preferred: dict) -> tuple:
    """Preference order: the words' preferred values first, then each dimension's own order."""
    key = []
    for dim, values in BASIS_DIMENSIONS.items():
        value = basis.get(dim)
        key.append(0 if preferred.get(dim) == value else 1)
        key.append(values.index(value) if value in values else len(values))
    return tuple(key)


def _claim(row: dict) -> m.Claim:
    return m.Claim(
        row["claim_id"],
        row["measure"],
        row.get("series") or "",
        row.get("period_start"),
        row.get("period_end"),
        float(row["claimed_value"]),
        row.get("required_history_from"),
    )


def _shown_only(basis: dict, fixed: dict) -> bool:
    """A basis that is shown beside the verdict but does not vote on it:
    - one that is not the series' standard one (crypto's New York day), unless the words name its clock;
    - an intraday extreme when the words name none: a plain move or level is a close (docs/claims.md, the
      verdict policy), and a session that fell 12% intraday also passed through 7%, so its extreme can neither
      confirm nor contradict a plain figure."""
    if basis.get("price_point") == "intraday" and "price_point" not in fixed:
        return True
    return False


def _price_candidates(data: ClaimData, series: str, measure, fixed: dict) -> list[tuple[dict, m.Sessions]]:
    bars = data.bars.filter(pl.col("series") == series)
    out = []
    groups = bars.group_by(["instrument", "clock", "source", "standard"], maintain_order=True)
    for (instrument, clock, source, standard), frame in groups:
        for point in ("close", "intraday") if "price_point" in measure.bases else (None,):
            basis = {"instrument": instrument, "clock": clock}
            # A basis that is not the series' standard one (crypto's New York day) is shown, and judged only
            # when the claim's words name it.
            if point:
                basis["price_point"] = point
            basis |= dict(measure.fixes)
            if any(basis.get(k, v) != v for k, v in fixed.items() if k in basis):
                continue
            if (not standard and fixed.get("clock") != clock) or _shown_only(basis, {**dict(measure.fixes), **fixed}):
                basis["shown_only"] = True
            out.append((basis, m.Sessions(frame, f"{series} {instrument} ({source})")))
    return out


def _member_sessions(data: ClaimData, series: str, preferred: dict, claim: m.Claim) -> m.Sessions | None:
    """For measures over several series: each series' first standard basis, in preference order, that covers
    the claim's window (the first one if none does)."""
    bars = data.bars.filter((pl.col("series") == series) & pl.col("standard"))
    groups = sorted(
        bars.group_by(["instrument", "clock", "source"], maintain_order=True),
        key=lambda g: _rank({"instrument": g[0][0], "clock": g[0][1]}, preferred),
    )
    if not groups:
        return None
    options = [m.Sessions(frame, f"{series} {instrument} ({source})") for (instrument, _, source), frame in groups]
    return next((o for o in options if o.window(claim.period_start, claim.period_end)[1]), options[0])


def observe(claim: m.Claim, row: dict, data: ClaimData, s: int, fixed: dict, preferred: dict):
    """[(basis, Observation | Missing)] for every basis the claim's fixed dimensions leave open: the measure's
    computation as registered in COMPUTATIONS (one entry per measure of the contract, a test holds them equal)."""
    series, alias_fixes = SERIES_ALIASES.get(claim.series, (claim.series, {}))
    claim.series = series
    return COMPUTATIONS[claim.measure](claim, row, data, s, {**alias_fixes, **fixed}, preferred)


def _unsourced(claim, row, data, s, fixed, preferred):
    return [({}, m.Missing(row.get("unverifiable_reason") or "no source in the warehouse holds this figure"))]


def _reported(claim, row, data, s, fixed, preferred):
    return [({}, _margin(data, claim, claim.measure))]


def _on_price_bases(claim, row, data, s, fixed, preferred):
    standard = data.bars.filter((pl.col("series") == claim.series) & pl.col("standard"))
    claim.extra["series_start"] = standard["date"].min() if standard.height else None
    candidates = _price_candidates(data, claim.series, MEASURES[claim.measure], fixed)
    if not candidates:
        return [({}, m.Missing(_no_series(data, claim.series, fixed)))]
    return [(b, PRICE_MEASURES[claim.measure](d, claim, s, b)) for b, d in candidates]


# Measures over several series (A|B|C), each on its first standard basis that covers the window.
MEMBER_MEASURES = {
    "share_down_1d": m.share_moved,
    "share_up_1d": m.share_moved,
    "sessions_all_down": m.all_moved,
    "sessions_all_up": m.all_moved,
    "peak_lag_days": lambda members, claim, point: m.peak_lag(members[0], members[1], claim),
}


def _on_members(claim, row, data, s, fixed, preferred):
    names = claim.series.split("|")
    members = [_member_sessions(data, x, preferred, claim) for x in names]
    if any(x is None for x in members):
        missing = [x for x, d in zip(names, members, strict=False) if d is None]
        return [({}, m.Missing(f"the warehouse holds no series {', '.join(missing)}"))]
    fixed = {**dict(MEASURES[claim.measure].fixes), **fixed}
    points = [fixed["price_point"]] if "price_point" in fixed else ["close", "intraday"]
    return [
        (
            {"price_point": p} | ({"shown_only": True} if _shown_only({"price_point": p}, fixed) else {}),
            MEMBER_MEASURES[claim.measure](members, claim, p),
        )
        for p in points
    ]


def _on_hourly_bars(claim, row, data, s, fixed, preferred):
    series = claim.series
    hourly = data.hourly.filter(pl.col("series") == series)
    if hourly.is_empty():
        return [({}, m.Missing(f"the warehouse holds no hourly bars of {series or '(no series)'}"))]
    out = []
    for (instrument, source), frame in hourly.group_by(["instrument", "source"], maintain_order=True):
        for point in ("close", "intraday"):
            basis = {"price_point": point, "instrument": instrument, "window": "rolling_24h"}
            if any(basis.get(k, v) != v for k, v in fixed.items() if k in basis):
                continue
            if _shown_only(basis, fixed):
                basis["shown_only"] = True
            label = f"{series} {instrument} ({source})"
            out.append((basis, m.rolling_24h(frame.sort("bar_start"), claim, s, point, label)))
    return out or [({}, m.Missing(_no_series(data, series, fixed)))]


def _on_yields(claim, row, data, s, fixed, preferred):
    return _yields(data, claim, s, fixed)


def _one(compute):
    """A measure with one basis: the value (or why not) computed from the data and the claim."""
    return lambda claim, row, data, s, fixed, preferred: [({}, compute(data, claim))]


def _no_series(data: ClaimData, series: str, fixed: dict) -> str:
    if (
        data.bars.filter(pl.col("series") == series).is_empty()
        and data.hourly.filter(pl.col("series") == series).is_empty()
    ):
        return f"the warehouse holds no series {series or '(none named)'}"
    return f"the warehouse holds no {basis_label(fixed)} basis for {series}"


def _yields(data: ClaimData, claim: m.Claim, s: int, fixed: dict):
    rates = data.rates.filter(pl.col("series") == claim.series).rename({"yield_pct": "close"})
    if rates.is_empty():
        return [({}, m.Missing(f"the warehouse holds no yield series {claim.series}"))]
    d = m.Sessions(rates, f"{claim.series} end of day")
    return YIELD_MEASURES[claim.measure](d, claim, s, fixed)


def _yield_level(d: m.Sessions, claim: m.Claim, s: int, fixed: dict):
    i = d.as_of(claim.period_end)
    if i is None or d.dates[i] != claim.period_end:
        return [({}, m.Missing(f"no {d.label} yield on {claim.period_end}"))]
    text = f"{d.label}: {d.dates[i]} {d.close[i]:.3f}%"
    out = []
    for point in ("close", "intraday"):
        if fixed.get("price_point", point) != point:
            continue
        # The session's high is at least its close, its low at most: an end-of-day yield bounds an intraday
        # level in the claim's direction, and says nothing more.
        kind = EXACT if point == "close" else (LOWER if s > 0 else UPPER)
        basis = {"price_point": point} | ({"shown_only": True} if _shown_only({"price_point": point}, fixed) else {})
        out.append((basis, m.Observation(d.close[i], kind, d.dates[i], text)))
    return out


def _yield_change(d: m.Sessions, claim: m.Claim, s: int, fixed: dict):
    if claim.period_start == claim.period_end:
        i = m.one_session(d, claim)
        base = None if isinstance(i, m.Missing) else d.previous(i)
        if base is None:
            return [({}, m.Missing(f"no {d.label} yields on {claim.period_end} and the business day before"))]
        ends = (base, i)
    else:
        ends = m.span_ends(d, claim)
        if isinstance(ends, m.Missing):
            return [({}, ends)]
    base, end = ends
    bp = (d.close[end] - d.close[base]) * 100
    return [
        (
            {},
            m.Observation(
                bp,
                on=d.dates[end],
                evidence=(
                    f"{d.label}: {d.dates[base]} {d.close[base]:.3f}% -> {d.dates[end]} "
                    f"{d.close[end]:.3f}% ({bp:+.1f}bp)"
                ),
            ),
        )
    ]


def _yield_rank(d: m.Sessions, claim: m.Claim, s: int, fixed: dict):
    start, reaches = m.history_start(d, claim)
    moves = [
        (d.dates[i], (d.close[i] - d.close[p]) * 100)
        for i in range(max(start, 1), len(d))
        if (p := d.previous(i)) is not None
    ]
    return [({}, m.move_rank(moves, claim.period_end, reaches, f"{d.label} one-day change (bp)"))]


def _yield_extreme(d: m.Sessions, claim: m.Claim, s: int, fixed: dict):
    idx, complete = d.window(claim.period_start, claim.period_end)
    if not idx:
        return [({}, m.Missing(f"no {d.label} yields in {claim.period_start} to {claim.period_end}"))]
    highest = claim.measure == "max_yield_before"  # min_yield_before is its mirror
    k = max(idx, key=d.close.__getitem__) if highest else min(idx, key=d.close.__getitem__)
    kind = EXACT if complete else (LOWER if highest else UPPER)
    return [
        (
            {},
            m.Observation(
                d.close[k],
                kind,
                d.dates[k],
                (
                    f"{d.label}: {'highest' if highest else 'lowest'} from {d.dates[idx[0]]} to {d.dates[idx[-1]]}: "
                    f"{d.close[k]:.3f}% on {d.dates[k]}" + ("" if complete else f" (the data starts {d.dates[0]})")
                ),
            ),
        )
    ]


def _partial(data: ClaimData, source: str) -> bool:
    return not data.coverage.get(source, {}).get("complete", False)


LIQUIDATION_SIDES = {"LONG": "long_usd", "SHORT": "short_usd"}
LIQUIDATION_LABELS = {"total_usd": "liquidations", "long_usd": "long liquidations", "short_usd": "short liquidations"}


def _liquidations(data: ClaimData, claim: m.Claim):
    rows = data.liquidations.filter(pl.col("date").is_between(claim.period_start, claim.period_end))
    if rows.is_empty():
        lo, hi = data.liquidations["date"].min(), data.liquidations["date"].max()
        return m.Missing(f"no liquidation data in {claim.period_start} to {claim.period_end} (it covers {lo} to {hi})")
    # 'ALL' (or any other series) is long plus short; 'LONG' and 'SHORT' one side ('of which longs accounted for').
    column = LIQUIDATION_SIDES.get(claim.series, "total_usd")
    total = rows[column].sum()
    covers = data.coverage.get("crypto_liquidations", {}).get("covers", "")
    days = rows["date"].n_unique()
    span = (claim.period_end - claim.period_start).days + 1
    # Liquidations are never negative: a total over part of the coins, exchanges or days is a lower bound.
    partial = _partial(data, "crypto_liquidations") or days < span
    return m.Observation(
        total,
        LOWER if partial else EXACT,
        claim.period_end,
        f"{LIQUIDATION_LABELS[column]} {claim.period_start} to {claim.period_end}: ${total / 1e9:.2f}bn over {days} "
        f"of {span} days, longs {rows['long_usd'].sum() / max(rows['total_usd'].sum(), 1e-9):.0%} of all; "
        f"covers {covers}",
    )


# Strategy's purchases are dated by its 8-K filings, each a whole period's buying: any window sums the filings in it.
# Issuance is a daily series (the supply's change, then the block schedule): any window of days sums it too.
DAILY_FLOWS = ("etf_btc", "etf_usd", "strategy_btc", "issuance_btc")


def _flows(data: ClaimData, claim: m.Claim):
    start, end = claim.period_start, claim.period_end
    yearly = start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and end >= start
    # The ETFs' flows are daily (Farside, the US session's day): any window of days sums them. The treasury
    # companies' purchases come from statements, so the sums that hold them need whole calendar years.
    if not yearly and not (claim.series in DAILY_FLOWS and end >= start):
        return m.Missing(
            f"btc_flows sums whole calendar years (the treasury statements' resolution) except for "
            f"{' and '.join(DAILY_FLOWS)}; {start} to {end} is not one"
        )
    rows = data.flows.filter(pl.col("date").is_between(start, end))
    if rows.height < (end - start).days + 1:
        return m.Missing(
            f"the flows data covers {rows.height} of the {(end - start).days + 1} days of {start} to {end}"
        )
    sums = {
        c: rows[c].sum() for c in ("etf_btc", "etf_usd", "treasury_btc", "treasury_usd", "issuance_btc", "strategy_btc")
    }
    # ETF flows are net and may be negative: only a complete issuer list makes their sum a figure. Treasury
    # companies' purchases are not negative: a sum over the companies held is a lower bound.
    etf_partial, treasury_partial = _partial(data, "btc_etf_flows"), _partial(data, "treasury_holdings")
    if etf_partial and claim.series.startswith(("etf", "absorption")):  # issuance and Strategy need no ETF
        return m.Missing("the ETF issuer list is partial and net flows can be negative: no bound")
    values = {
        "etf_btc": (sums["etf_btc"], EXACT),
        "etf_usd": (sums["etf_usd"], EXACT),
        "treasury_btc": (sums["treasury_btc"], LOWER if treasury_partial else EXACT),
        "etf_plus_treasury_btc": (sums["etf_btc"] + sums["treasury_btc"], LOWER if treasury_partial else EXACT),
        "etf_plus_treasury_usd": (sums["etf_usd"] + sums["treasury_usd"], LOWER if treasury_partial else EXACT),
        "issuance_btc": (sums["issuance_btc"], EXACT),
        "strategy_btc": (sums["strategy_btc"], EXACT),
        "absorption_multiple": (
            (sums["etf_btc"] + sums["treasury_btc"]) / sums["issuance_btc"],
            LOWER if treasury_partial else EXACT,
        ),
    }
    if claim.series not in values:
        return m.Missing(f"btc_flows has no series {claim.series} (it has {', '.join(values)})")
    value, kind = values[claim.series]
    text = (
        f"{start} to {end}: US spot ETFs {sums['etf_btc']:,.0f} BTC (${sums['etf_usd'] / 1e9:.2f}bn); treasury "
        f"companies {sums['treasury_btc']:,.0f} BTC; issuance {sums['issuance_btc']:,.0f} BTC; treasury coverage: "
        f"{data.coverage.get('treasury_holdings', {}).get('covers', '')}"
    )
    return m.Observation(value, kind, end, text)


def _black_holes(data: ClaimData, claim: m.Claim):
    regimes = data.regimes.drop_nulls("regime")
    if regimes.is_empty():
        return m.Missing("the stress mart has no regimes")
    rows = regimes.filter(pl.col("date").is_between(claim.period_start, claim.period_end))
    if rows.is_empty():
        return m.Missing(f"no regime in {claim.period_start} to {claim.period_end}")
    n = int((rows["regime"] == "liquidity_black_hole").sum())
    partial = regimes["date"].min() > claim.period_start
    return m.Observation(
        float(n),
        LOWER if partial else EXACT,
        claim.period_end,
        f"{n} of {rows.height} days in {claim.period_start} to {claim.period_end} have the regime liquidity_black_hole",
    )


def _margin(data: ClaimData, claim: m.Claim, name: str):
    rows = data.margins.filter(
        (pl.col("contract") == claim.series) & pl.col("announced_on").is_between(claim.period_start, claim.period_end)
    )
    said = "; ".join(
        f"{r['contract']} announced {r['announced_on']}: {r['margin_before_pct']}% -> {r['margin_after_pct']}% "
        f"({r['source']})"
        for r in rows.iter_rows(named=True)
    )
    # Press-reported figures are held as reported: showing one is not checking it, whichever table it sits in.
    return m.Missing(
        "a figure from public reporting, held as reported (curated), not market data the warehouse can check"
        + (f"; the curated table says: {said}" if said else "")
    )


YIELD_MEASURES = {
    "yield_level": _yield_level,
    "yield_low": _yield_level,  # the measure fixes the intraday point; its direction bounds it by the close
    "yield_high": _yield_level,
    "yield_change_bp": _yield_change,
    "yield_change_rank": _yield_rank,
    "max_yield_before": _yield_extreme,
    "min_yield_before": _yield_extreme,
}
# Each measure of the contract (transforms/claims/contract.py) and the computation that reads it: the engine
# dispatches on this table alone, never on a measure's name.
COMPUTATIONS = {
    "none": _unsourced,
    "margin_before_pct": _reported,
    "margin_after_pct": _reported,
    **dict.fromkeys(PRICE_MEASURES, _on_price_bases),
    **dict.fromkeys(MEMBER_MEASURES, _on_members),
    "rolling_24h_change": _on_hourly_bars,
    **dict.fromkeys(YIELD_MEASURES, _on_yields),
    "liquidations_usd": _one(_liquidations),
    "btc_flows": _one(_flows),
    "black_hole_days": _one(_black_holes),
}


def judge_claim(row: dict, data: ClaimData) -> tuple[dict, list[dict]]:
    rule = wording_rules()[row["wording_rule"]]
    measure = MEASURES[row["measure"]]
    figure = float(row["claimed_value"])
    s = claim_orientation(rule, measure.kind, figure, measure.direction)
    precision = row.get("stated_precision")
    if precision is None and rule.tolerance_kind == "last_digit":
        precision = infer_precision(row.get("claimed_text") or "", figure)
    accepted = bounds(rule, figure, precision, s, measure.direction, measure.kind)
    fixed, preferred = words_pick(" ".join(str(row.get(k) or "") for k in ("claimed_text", "subject")))
    fixed = {**rule.fixes, **CLAIM_BASIS_FIXES.get(row.get("claim_basis") or "", {}), **fixed}
    claim = _claim(row)
    observations = observe(claim, row, data, s, fixed, preferred)
    per_basis = []
    for basis, obs in observations:
        verdict = judge_value(obs.value, obs.kind, accepted) if isinstance(obs, m.Observation) else "unverifiable"
        per_basis.append((basis, obs, verdict))
    per_basis.sort(key=lambda t: (not isinstance(t[1], m.Observation), _rank(t[0], preferred)))
    seen = [t for t in per_basis if isinstance(t[1], m.Observation) and not t[0].get("shown_only")]
    verdict = combine([v for _, _, v in seen])
    primary = (seen or per_basis)[0]
    deciding = next((t for t in seen if t[2] == verdict), None)
    reason = _reason(verdict, per_basis, seen, accepted)
    says = None
    if verdict != "confirmed":
        says = "; ".join(
            f"{basis_label(b) or 'the data'}: {_fmt(o.value, row, measure.kind)} "
            f"({'shown only' if b.get('shown_only') else v}{_kind_note(o.kind)})"
            for b, o, v in per_basis
            if isinstance(o, m.Observation)
        )
        says = says or None
    ledger = {
        "claim_id": row["claim_id"],
        "accepted_min": None if accepted.low == float("-inf") else accepted.low,
        "accepted_max": None if accepted.high == float("inf") else accepted.high,
        "strict_min": accepted.strict_low,
        "strict_max": accepted.strict_high,
        "direction": s,
        "observed_value": primary[1].value if isinstance(primary[1], m.Observation) else None,
        "observed_kind": primary[1].kind if isinstance(primary[1], m.Observation) else None,
        "observed_basis": (basis_label(primary[0]) or None) if isinstance(primary[1], m.Observation) else None,
        "observed_on": primary[1].on if isinstance(primary[1], m.Observation) else None,
        "deciding_value": deciding[1].value if deciding else None,
        "deciding_basis": (basis_label(deciding[0]) or None) if deciding else None,
        "bases_computed": len(seen),
        "verdict": verdict,
        "verdict_reason": reason,
        "evidence": primary[1].evidence if isinstance(primary[1], m.Observation) else None,
        "data_says": says,
        "fixed_basis": basis_label(fixed) or None,
    }
    evidence = [
        {
            "claim_id": row["claim_id"],
            "basis": (basis_label(b) or "the measure's only basis") + (" (shown only)" if b.get("shown_only") else ""),
            "is_primary": (b, o) == (primary[0], primary[1]),
            "value": o.value if isinstance(o, m.Observation) else None,
            "value_kind": o.kind if isinstance(o, m.Observation) else None,
            "verdict_on_basis": v,
            "observed_on": o.on if isinstance(o, m.Observation) else None,
            "evidence": o.evidence if isinstance(o, m.Observation) else None,
            "missing_reason": o.reason if isinstance(o, m.Missing) else None,
        }
        for b, o, v in per_basis
    ]
    return ledger, evidence


def _kind_note(kind: str) -> str:
    return {LOWER: ", a lower bound", UPPER: ", an upper bound"}.get(kind, "")


def _fmt(value: float, row: dict, kind: str = "") -> str:
    return format_value(value, row, kind)


def _reason(verdict: str, per_basis, seen, accepted) -> str:
    if verdict == "confirmed":
        return f"every basis that can decide ({len([t for t in seen if t[2] != 'unverifiable'])}) is within the bounds"
    if verdict == "contradicted":
        return f"every basis that can decide ({len([t for t in seen if t[2] != 'unverifiable'])}) is outside the bounds"
    if verdict == "basis_dependent":
        yes = [basis_label(b) for b, _, v in seen if v == "confirmed"]
        no = [basis_label(b) for b, _, v in seen if v == "contradicted"]
        return f"confirmed on {'; '.join(yes)}, contradicted on {'; '.join(no)}: the words do not fix the basis"
    if seen:
        return "the data holds only a bound, which can neither confirm nor refute the claim: " + "; ".join(
            o.evidence for _, o, _ in seen
        )
    # No basis that votes holds a value: say why for each, and name those only shown beside the verdict.
    return "; ".join(
        dict.fromkeys(
            o.reason if isinstance(o, m.Missing) else f"{basis_label(b)} is shown only (the words do not name it)"
            for b, o, _ in per_basis
        )
    )


LEDGER_SCHEMA = {
    "claim_id": pl.String,
    "accepted_min": pl.Float64,
    "accepted_max": pl.Float64,
    "strict_min": pl.Boolean,
    "strict_max": pl.Boolean,
    "direction": pl.Int8,
    "observed_value": pl.Float64,
    "observed_kind": pl.String,
    "observed_basis": pl.String,
    "observed_on": pl.Date,
    "deciding_value": pl.Float64,
    "deciding_basis": pl.String,
    "bases_computed": pl.Int32,
    "verdict": pl.String,
    "verdict_reason": pl.String,
    "evidence": pl.String,
    "data_says": pl.String,
    "fixed_basis": pl.String,
}
EVIDENCE_SCHEMA = {
    "claim_id": pl.String,
    "basis": pl.String,
    "is_primary": pl.Boolean,
    "value": pl.Float64,
    "value_kind": pl.String,
    "verdict_on_basis": pl.String,
    "observed_on": pl.Date,
    "evidence": pl.String,
    "missing_reason": pl.String,
}


def judge(claims: pl.DataFrame, data: ClaimData) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ledger (the claims' own columns, then bounds, values and verdicts) and the evidence per basis."""
    ledgers, evidence = [], []
    for row in claims.iter_rows(named=True):
        one, rows = judge_claim(row, data)
        ledgers.append(one)
        evidence.extend(rows)
    judged = pl.DataFrame(ledgers, schema=LEDGER_SCHEMA)
    ledger = claims.join(judged, on="claim_id", how="left", maintain_order="left")
    period = pl.concat_str(
        pl.col("period_start").cast(pl.String),
        pl.when(pl.col("period_end") != pl.col("period_start")).then(pl.col("period_end").cast(pl.String)),
        separator=", ",
        ignore_nulls=True,
    )
    metric = pl.format(
        "{}({})",
        "measure",
        pl.concat_str(pl.col("series").cast(pl.String).replace("", None), period, separator=", ", ignore_nulls=True),
    )
    return ledger.with_columns(metric=metric), pl.DataFrame(evidence, schema=EVIDENCE_SCHEMA)
