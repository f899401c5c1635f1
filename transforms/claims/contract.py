"""The measure contract: every measure a claim can name, in one place.

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

from dataclasses import dataclass

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

PRICE = ("price_point", "instrument", "clock")

MEASURES: dict[str, Measure] = {
    m.name: m
    for m in [
        Measure(
            "return_1d",
            "daily bars per basis",
            "one_session",
            "change",
            PRICE,
            "daily",
            description="the session's move: close against the previous close, or the intraday extreme in the "
            "move's direction against the previous close",
        ),
        Measure(
            "period_change",
            "daily bars per basis",
            "span",
            "change",
            PRICE,
            "daily",
            description="close of period_start to close of period_end; intraday: to the extreme in the move's "
            "direction over the span",
        ),
        Measure(
            "intraday_fall",
            "daily bars per basis",
            "one_session",
            "change",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "intraday"),),
            description="the session's high to its low (a fall; its mirror is intraday_rise)",
        ),
        Measure(
            "intraday_rise",
            "daily bars per basis",
            "one_session",
            "change",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "intraday"),),
            description="the session's low to its high",
        ),
        Measure(
            "period_fall_from_peak",
            "daily bars per basis",
            "every_day",
            "change",
            PRICE,
            "daily",
            description="the highest price in the window to the lowest after it (intraday: high to low; close: "
            "close to close)",
        ),
        Measure(
            "period_rise_from_trough",
            "daily bars per basis",
            "every_day",
            "change",
            PRICE,
            "daily",
            description="the lowest price in the window to the highest after it",
        ),
        Measure(
            "period_rise_to_peak",
            "daily bars per basis",
            "span",
            "change",
            PRICE,
            "daily",
            description="close of period_start to the highest price after it up to period_end",
        ),
        Measure(
            "period_fall_to_trough",
            "daily bars per basis",
            "span",
            "change",
            PRICE,
            "daily",
            description="close of period_start to the lowest price after it up to period_end",
        ),
        Measure(
            "drawdown_from_peak",
            "daily bars per basis",
            "history",
            "change",
            PRICE,
            "daily",
            description="period_end's price against the highest price of the history up to it",
        ),
        Measure(
            "intraday_low",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            direction=-1,
            fixes=(("price_point", "intraday"),),
            description="the lowest traded price in the window; from closes only, the lowest close bounds it "
            "from above",
        ),
        Measure(
            "intraday_high",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            direction=1,
            fixes=(("price_point", "intraday"),),
            description="the highest traded price in the window; from closes only, the highest close bounds it "
            "from below",
        ),
        Measure(
            "close_level",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "close"),),
            description="the close of the one session (period_start = period_end); over a longer window the "
            "average close, with every close in the evidence",
        ),
        Measure(
            "max_close_before",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "close"),),
            direction=1,
            description="the highest close in the window ('its highest level since 2021': every close before the day "
            "stayed below the day's)",
        ),
        Measure(
            "min_close_before",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "close"),),
            direction=-1,
            description="the lowest close in the window (the mirror of max_close_before)",
        ),
        Measure(
            "nearest_traded_price",
            "daily bars per basis",
            "every_day",
            "level",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "intraday"),),
            description="the price nearest the figure inside the window's traded ranges (the figure itself "
            "when it traded)",
        ),
        Measure(
            "return_rank_in_sample",
            "daily bars per basis",
            "history",
            "rank",
            ("instrument", "clock"),
            "daily",
            fixes=(("price_point", "close"),),
            description="the rank of period_end's close-to-close move among the history's moves in the same "
            "direction (1 = the largest); a history shorter than required_history_from makes it a lower bound",
        ),
        Measure(
            "rolling_24h_change",
            "hourly bars",
            "every_day",
            "change",
            ("price_point", "instrument"),
            "hourly",
            fixes=(("window", "rolling_24h"),),
            description="the largest move in the figure's direction over any 24 hours inside the window: "
            "close against the close 24 hours before, or the extreme against the opposite extreme of the 24 "
            "hours before it",
        ),
        Measure(
            "share_down_1d",
            "daily bars per basis, several series (A|B|C)",
            "one_session",
            "count",
            ("price_point",),
            "daily",
            description="the share of the listed series that fell on the session (close to close, or the "
            "intraday low under the previous close)",
        ),
        Measure(
            "share_up_1d",
            "daily bars per basis, several series (A|B|C)",
            "one_session",
            "count",
            ("price_point",),
            "daily",
            description="the share of the listed series that rose on the session",
        ),
        Measure(
            "sessions_all_down",
            "daily bars per basis, several series (A|B|C)",
            "every_day",
            "count",
            ("price_point",),
            "daily",
            description="the sessions in the window on which every listed series fell (each close against its own "
            "previous close, on the same date): what 'A, B and C all fell simultaneously' names",
        ),
        Measure(
            "sessions_all_up",
            "daily bars per basis, several series (A|B|C)",
            "every_day",
            "count",
            ("price_point",),
            "daily",
            description="the sessions in the window on which every listed series rose (the mirror of "
            "sessions_all_down)",
        ),
        Measure(
            "peak_lag_days",
            "daily closes of two series (A|B)",
            "every_day",
            "offset",
            (),
            "daily",
            fixes=(("price_point", "close"),),
            description="calendar days from B's highest close in the window to A's (positive: A turned after B)",
        ),
        Measure(
            "gap_session_offset",
            "daily bars (open, close, volume)",
            "span",
            "offset",
            (),
            "daily",
            description="the session with the largest opening gap from 5 sessions before period_start to "
            "period_end, counted in sessions from period_start (1 = the session after it: news after its close)",
        ),
        Measure(
            "yield_level",
            "fct_rates_daily (end of day)",
            "one_session",
            "level",
            ("price_point",),
            "daily",
            direction=0,
            description="the end-of-day yield of period_end; an intraday reading is bounded by it (the day's "
            "high is at least the close, its low at most)",
        ),
        Measure(
            "yield_low",
            "fct_rates_daily (end of day)",
            "one_session",
            "level",
            (),
            "daily",
            direction=-1,
            fixes=(("price_point", "intraday"),),
            description="the session's lowest yield ('dropped to 3.65%'); from end-of-day yields only, the close "
            "bounds it from above, so a level below the close is undecidable and one above it is contradicted",
        ),
        Measure(
            "yield_high",
            "fct_rates_daily (end of day)",
            "one_session",
            "level",
            (),
            "daily",
            direction=1,
            fixes=(("price_point", "intraday"),),
            description="the session's highest yield ('jumped to 4.5%'); the mirror of yield_low: the close bounds "
            "it from below",
        ),
        Measure(
            "yield_change_bp",
            "fct_rates_daily (end of day)",
            "span",
            "change",
            (),
            "daily",
            description="basis points from the close of period_start to the close of period_end (one day: from "
            "the previous business day)",
        ),
        Measure(
            "yield_change_rank",
            "fct_rates_daily (end of day)",
            "history",
            "rank",
            (),
            "daily",
            description="the rank of period_end's one-day change among the history's changes in the same "
            "direction (1 = the largest); a history shorter than required_history_from makes it a lower bound",
        ),
        Measure(
            "max_yield_before",
            "fct_rates_daily (end of day)",
            "every_day",
            "level",
            (),
            "daily",
            direction=1,
            description="the highest end-of-day yield in the window",
        ),
        Measure(
            "min_yield_before",
            "fct_rates_daily (end of day)",
            "every_day",
            "level",
            (),
            "daily",
            direction=-1,
            description="the lowest end-of-day yield in the window (the mirror of max_yield_before)",
        ),
        Measure(
            "liquidations_usd",
            "fct_liquidations_daily",
            "every_day",
            "sum",
            (),
            "daily",
            description="long plus short liquidations over the window's UTC days (series ALL), or one side (LONG, "
            "SHORT), every coin the source covers (a lower bound: see source coverage)",
        ),
        Measure(
            "btc_flows",
            "fct_btc_flows_daily",
            "span",
            "sum",
            (),
            "calendar_year",
            description="sums over whole calendar years: etf_plus_treasury_btc, etf_plus_treasury_usd, "
            "issuance_btc, absorption_multiple, treasury_btc; etf_btc and etf_usd over any window of days "
            "(net: outflows negative)",
        ),
        Measure(
            "black_hole_days",
            "mart_liquidity_stress_daily",
            "every_day",
            "count",
            (),
            "daily",
            description="days in the window whose regime is liquidity_black_hole (our index)",
        ),
        Measure(
            "margin_before_pct",
            "raw.cme_margin_changes (curated from press reports)",
            "every_day",
            "level",
            (),
            "statement",
            description="a figure from public reporting: the warehouse holds it as reported, so it is shown, "
            "never judged",
        ),
        Measure(
            "margin_after_pct",
            "raw.cme_margin_changes (curated from press reports)",
            "every_day",
            "level",
            (),
            "statement",
            description="as margin_before_pct",
        ),
        Measure(
            "none",
            "nothing: no source in the warehouse",
            "every_day",
            "level",
            (),
            "daily",
            description="a figure no source holds (company financials, counts of traders): unverifiable, with "
            "the file's reason",
        ),
    ]
}

# Series the price measures read, with the bases the warehouse can give each one. A second source named as a
# series fixes its basis (USDJPY_NY is USD/JPY on the New York clock).
SERIES_ALIASES = {
    "BTC_FULLDAY": ("BTC", {"clock": "utc"}),
    "USDJPY_NY": ("USDJPY", {"clock": "ny"}),
    "XAU_FUT": ("XAU", {"instrument": "futures"}),
    "IXIC_YAHOO": ("IXIC", {}),
}

VERDICTS = ("confirmed", "contradicted", "basis_dependent", "unverifiable")
