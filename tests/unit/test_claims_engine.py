"""The claims engine on data known by construction: symmetry, periods, coverage, bases, unknown series, files."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transforms.claims.contract import MEASURES
from transforms.claims.engine import ClaimData, judge
from transforms.claims.files import COLUMNS, read_claim_file
from transforms.claims.rules import (
    EXACT,
    LOWER,
    UPPER,
    bounds,
    infer_precision,
    judge_value,
    orientation,
    wording_rules,
)
from transforms.errors import SourceError

START = date(2025, 1, 1)
# Rules with a direction of their own swap; the others follow the figure's and the measure's direction.
MIRROR_RULE = {"fell": "rose", "rose": "fell", "broke_below": "broke_above", "broke_above": "broke_below"}
SYMMETRIC = {"plain", "about", "nearly", "once_plummeted_to", "traded_at", "range", "exactly"}
MIRROR_MEASURE = {
    "intraday_low": "intraday_high",
    "intraday_high": "intraday_low",
    "period_fall_from_peak": "period_rise_from_trough",
    "period_rise_from_trough": "period_fall_from_peak",
    "period_rise_to_peak": "period_fall_to_trough",
    "period_fall_to_trough": "period_rise_to_peak",
    "intraday_fall": "intraday_rise",
    "intraday_rise": "intraday_fall",
    "max_yield_before": "min_yield_before",
    "min_yield_before": "max_yield_before",
}
MIRROR_KIND = {EXACT: EXACT, LOWER: UPPER, UPPER: LOWER}


def verdict(rule_name, kind, figure, direction, value, value_kind, precision=0.01):
    rule = wording_rules()[rule_name]
    s = orientation(rule, kind, figure, direction)
    return judge_value(value, value_kind, bounds(rule, figure, precision, s, direction, kind))


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    rule=st.sampled_from(sorted(wording_rules())),
    kind=st.sampled_from(["change", "level"]),
    direction=st.sampled_from([-1, 0, 1]),
    figure=finite,
    value=finite,
    value_kind=st.sampled_from([EXACT, LOWER, UPPER]),
)
def test_every_rule_gives_the_mirrored_claim_the_same_verdict(rule, kind, direction, figure, value, value_kind):
    """Negate the figure and the data (a fall for a rise, a low for a high, a lower bound for an upper one)."""
    if kind == "change":
        direction = 0
        # A change of zero has no direction of its own: only a rule with one (fell, rose) can judge it.
        assume(figure != 0 or wording_rules()[rule].orientation != "figure")
    if kind == "level" and direction == 0 and rule not in SYMMETRIC and wording_rules()[rule].orientation == "figure":
        direction = 1  # a level with no direction of its own is read upward ("over $100"); its mirror is a low
    mirrored = verdict(MIRROR_RULE.get(rule, rule), kind, -figure, -direction, -value, MIRROR_KIND[value_kind])
    assert verdict(rule, kind, figure, direction, value, value_kind) == mirrored


def test_nearly_is_short_of_the_figure_on_its_own_side_for_a_fall_and_a_rise():
    assert verdict("nearly", "change", -0.05, 0, -0.049, EXACT) == "confirmed"  # "dropped nearly 5%" on -4.9%
    assert verdict("nearly", "change", 0.05, 0, 0.049, EXACT) == "confirmed"
    assert verdict("nearly", "change", -0.05, 0, -0.051, EXACT) == "contradicted"
    assert verdict("nearly", "level", 100, 1, 96, EXACT) == "confirmed"  # a high approached from below
    assert verdict("nearly", "level", 60_000, -1, 62_000, EXACT) == "confirmed"  # a low approached from above
    assert verdict("nearly", "level", 60_000, -1, 58_000, EXACT) == "contradicted"


def test_a_lower_bound_confirms_more_than_once_past_it_and_never_refutes_it():
    assert verdict("over", "change", 1e9, 0, 1.2e9, LOWER) == "confirmed"
    assert verdict("over", "change", 1e9, 0, 0.4e9, LOWER) == "unverifiable"
    assert verdict("about", "change", 1e9, 0, 0.4e9, LOWER) == "unverifiable"
    assert verdict("about", "change", 1e9, 0, 2e9, LOWER) == "contradicted"  # more than "about" allows, already


def test_the_last_significant_digit_is_read_from_the_figure_as_written():
    assert infer_precision("17%", -0.17) == pytest.approx(0.01)
    assert infer_precision("31.4%", -0.314) == pytest.approx(0.001)
    assert infer_precision("30%", -0.30) == pytest.approx(0.1)
    assert infer_precision("$126,000", 126_000) == pytest.approx(1000)
    assert infer_precision("$2.6 billion", 2.6e9) == pytest.approx(1e8)


# --- the engine on synthetic data ---------------------------------------------------------------------------


def days(n: int, start: date = START, every: int = 1) -> list[date]:
    return [start + timedelta(days=every * i) for i in range(n)]


def bars(series: str, closes: list[float], instrument="cash", clock="ny", spread=0.02, start=START) -> pl.DataFrame:
    n = len(closes)
    return pl.DataFrame(
        {
            "series": [series] * n,
            "instrument": [instrument] * n,
            "clock": [clock] * n,
            "source": [f"{series}_{instrument}"] * n,
            "date": days(n, start),
            "open": closes,
            "high": [c * (1 + spread) for c in closes],
            "low": [c * (1 - spread) for c in closes],
            "close": closes,
            "volume": [1.0] * n,
            "close_basis": ["as_loaded"] * n,
            "standard": [True] * n,
        }
    )


FLOWS = {
    "date": pl.Date,
    "etf_btc": pl.Float64,
    "etf_usd": pl.Float64,
    "treasury_btc": pl.Float64,
    "treasury_usd": pl.Float64,
    "issuance_btc": pl.Float64,
    "strategy_btc": pl.Float64,
}


def flow_days(n: int, **columns: list[float]) -> pl.DataFrame:
    """n days of flows from START: the columns given, zero in every other."""
    return pl.DataFrame({"date": days(n), **{c: columns.get(c, [0.0] * n) for c in FLOWS if c != "date"}}, schema=FLOWS)


def data(bar_frames=(), rates=None, liquidations=None, coverage=None, flows=None) -> ClaimData:
    empty_bars = bars("none", [1.0]).clear()
    return ClaimData(
        bars=pl.concat([empty_bars, *bar_frames]) if bar_frames else empty_bars,
        hourly=pl.DataFrame(
            schema={
                "series": pl.String,
                "instrument": pl.String,
                "source": pl.String,
                "bar_start": pl.Datetime("us", "UTC"),
                "open": pl.Float64,
                "high": pl.Float64,
                "low": pl.Float64,
                "close": pl.Float64,
            }
        ),
        rates=rates
        if rates is not None
        else pl.DataFrame(schema={"series": pl.String, "date": pl.Date, "yield_pct": pl.Float64}),
        liquidations=liquidations
        if liquidations is not None
        else pl.DataFrame(
            schema={
                "date": pl.Date,
                "coin": pl.String,
                "long_usd": pl.Float64,
                "short_usd": pl.Float64,
                "total_usd": pl.Float64,
            }
        ),
        flows=flows if flows is not None else pl.DataFrame(schema=FLOWS),
        regimes=pl.DataFrame(schema={"date": pl.Date, "regime": pl.String}),
        margins=pl.DataFrame(
            schema={
                "contract": pl.String,
                "announced_on": pl.Date,
                "effective_on": pl.Date,
                "margin_before_pct": pl.Float64,
                "margin_after_pct": pl.Float64,
                "source": pl.String,
            }
        ),
        coverage=coverage or {},
    )


def claim(claim_id="c", **fields) -> dict:
    row = {c: None for c in COLUMNS}
    row |= {
        "claim_id": claim_id,
        "article": "test",
        "subject": "",
        "claimed_text": "",
        "unit": "fraction",
        "claim_basis": "",
        "wording_rule": "plain",
        "stated_precision": 0.01,
    }
    return row | fields


def on_day(claim_id: str, day: date, **fields) -> dict:
    """A claim about one session."""
    return claim(claim_id, period_start=day, period_end=day, **fields)


def run(rows: list[dict], d: ClaimData) -> dict[str, dict]:
    frame = pl.DataFrame(
        rows,
        schema_overrides={
            "claimed_value": pl.Float64,
            "stated_precision": pl.Float64,
            "period_start": pl.Date,
            "period_end": pl.Date,
            "required_history_from": pl.Date,
        },
    )
    ledger, _ = judge(frame, d)
    return {r["claim_id"]: r for r in ledger.iter_rows(named=True)}


def test_a_measure_honours_its_period_or_says_why_not():
    # A yield that rises 5bp a day for a week: "over the week" is the week's change, not the last day's.
    rates = pl.DataFrame({"series": ["UST:10"] * 8, "date": days(8), "yield_pct": [4 + 0.05 * i for i in range(8)]})
    out = run(
        [
            claim(
                "week",
                measure="yield_change_bp",
                series="UST:10",
                period_start=days(8)[1],
                period_end=days(8)[6],
                claimed_value=25.0,
                unit="bp",
                stated_precision=1.0,
            ),
            on_day(
                "day",
                days(8)[6],
                measure="yield_change_bp",
                series="UST:10",
                claimed_value=5.0,
                unit="bp",
                stated_precision=1.0,
            ),
            claim(
                "return_over_a_week",
                measure="return_1d",
                series="A",
                period_start=days(8)[1],
                period_end=days(8)[6],
                claimed_value=-0.05,
            ),
        ],
        data([bars("A", [100.0] * 8)], rates=rates),
    )
    assert out["week"]["observed_value"] == pytest.approx(25.0) and out["week"]["verdict"] == "confirmed"
    assert out["day"]["observed_value"] == pytest.approx(5.0) and out["day"]["verdict"] == "confirmed"
    assert out["return_over_a_week"]["verdict"] == "unverifiable"
    assert "judges one session" in out["return_over_a_week"]["verdict_reason"]


def test_a_partial_total_is_a_lower_bound():
    liq = pl.DataFrame(
        {
            "date": days(2),
            "coin": ["BTC", "BTC"],
            "long_usd": [4e8, 4e8],
            "short_usd": [1e8, 1e8],
            "total_usd": [5e8, 5e8],
        }
    )
    partial = {"crypto_liquidations": {"complete": False, "covers": "BTC only"}}
    rows = [
        claim(
            "over_half",
            measure="liquidations_usd",
            period_start=days(2)[0],
            period_end=days(2)[1],
            claimed_value=0.5e9,
            wording_rule="over",
            unit="usd",
        ),
        claim(
            "over_2bn",
            measure="liquidations_usd",
            period_start=days(2)[0],
            period_end=days(2)[1],
            claimed_value=2e9,
            wording_rule="over",
            unit="usd",
        ),
    ]
    out = run(rows, data(liquidations=liq, coverage=partial))
    assert out["over_half"]["verdict"] == "confirmed"
    assert out["over_2bn"]["verdict"] == "unverifiable" and out["over_2bn"]["observed_kind"] == "lower_bound"
    complete = run(rows, data(liquidations=liq, coverage={"crypto_liquidations": {"complete": True, "covers": ""}}))
    assert complete["over_2bn"]["verdict"] == "contradicted"


def test_bases_that_disagree_make_a_basis_dependent_verdict_and_words_that_fix_one_decide():
    spot = bars("XAG", [100.0, 80.0], instrument="spot")  # -20%
    futures = bars("XAG", [100.0, 90.0], instrument="futures")  # -10%
    rows = [
        on_day(
            "silver",
            days(2)[1],
            measure="return_1d",
            series="XAG",
            claimed_value=-0.10,
            claimed_text="10%",
            subject="Silver",
            claim_basis="close",
        ),
        on_day(
            "futures",
            days(2)[1],
            measure="return_1d",
            series="XAG",
            claimed_value=-0.10,
            claimed_text="10%",
            subject="Silver futures",
            claim_basis="close",
        ),
    ]
    out = run(rows, data([spot, futures]))
    assert out["silver"]["verdict"] == "basis_dependent"
    assert out["silver"]["observed_basis"].startswith("close, spot")  # a metal named alone reads spot first
    assert out["futures"]["verdict"] == "confirmed" and "futures" in out["futures"]["deciding_basis"]


def test_a_series_the_warehouse_does_not_hold_is_unverifiable_with_that_reason():
    out = run(
        [claim(measure="return_1d", series="HG", period_start=START, period_end=START, claimed_value=-0.05)],
        data([bars("A", [1.0, 2.0])]),
    )
    assert out["c"]["verdict"] == "unverifiable" and "holds no series HG" in out["c"]["verdict_reason"]


def test_two_closes_on_different_bases_give_no_return():
    frame = bars("BTC", [100.0, 90.0], instrument="spot", clock="utc").with_columns(
        close_basis=pl.Series(["full_day_second_source", "as_loaded"])
    )
    out = run(
        [
            claim(
                measure="return_1d",
                series="BTC",
                period_start=days(2)[1],
                period_end=days(2)[1],
                claimed_value=-0.10,
                claim_basis="close",
            )
        ],
        data([frame]),
    )
    assert out["c"]["verdict"] == "unverifiable" and "two bases" in out["c"]["verdict_reason"]


PRICE_MIRRORABLE = [
    "return_1d",
    "period_change",
    "intraday_fall",
    "period_fall_from_peak",
    "period_rise_to_peak",
    "intraday_low",
    "close_level",
]


def mirrored_bars(frame: pl.DataFrame, around: float) -> pl.DataFrame:
    """Prices reflected around a level: a rise of x becomes a fall of x, a high becomes a low."""
    return frame.with_columns(
        open=2 * around - pl.col("open"),
        close=2 * around - pl.col("close"),
        high=2 * around - pl.col("low"),
        low=2 * around - pl.col("high"),
    )


@settings(max_examples=120, deadline=None)
@given(
    measure=st.sampled_from(PRICE_MIRRORABLE),
    rule=st.sampled_from(["plain", "about", "nearly", "over", "fell", "rose", "broke_through"]),
    steps=st.lists(st.floats(-3, 3, allow_nan=False), min_size=6, max_size=12),
    figure=st.floats(-8, 8, allow_nan=False),
    point=st.sampled_from(["", "close", "intraday"]),
)
def test_the_engine_gives_a_mirrored_claim_the_same_verdict(measure, rule, steps, figure, point):
    """Additive prices around 1000, so a reflected series moves by exactly the opposite amount; changes are judged
    as a return on the base, so figures are fractions of 1000 scaled small."""
    closes = [1000.0]
    for x in steps:
        closes.append(closes[-1] + x)
    frame = bars("A", closes, spread=0.001)
    n = len(closes)
    start, end = days(n)[1], days(n)[n - 2]
    if MEASURES[measure].period == "one_session":
        start = end
    kind = MEASURES[measure].kind
    value = figure / 1000 if kind == "change" else 1000 + figure
    mirror_value = -figure / 1000 if kind == "change" else 1000 - figure
    base = claim(
        "x",
        measure=measure,
        series="A",
        period_start=start,
        period_end=end,
        claimed_value=value,
        wording_rule=rule,
        claim_basis=point,
        stated_precision=0.001 if kind == "change" else 1.0,
    )
    mirror = claim(
        "x",
        measure=MIRROR_MEASURE.get(measure, measure),
        series="A",
        period_start=start,
        period_end=end,
        claimed_value=mirror_value,
        wording_rule=MIRROR_RULE.get(rule, rule),
        claim_basis=point,
        stated_precision=base["stated_precision"],
    )
    if kind == "change":
        # A return is a ratio: reflect around the base close so the move's size is kept exactly.
        ref = closes[0] if measure != "return_1d" else closes[n - 3]
        if measure in ("period_change", "period_rise_to_peak"):
            ref = closes[1]
        ref_frame = mirrored_bars(frame, ref)
    else:
        ref_frame = mirrored_bars(frame, 1000.0)
    # A high-to-low ratio is not kept by a reflection; a close has no direction of its own, so only the
    # symmetric rules mirror onto it.
    assume(measure != "intraday_fall")
    assume(not (measure == "close_level" and rule not in SYMMETRIC))
    assume(measure != "period_fall_from_peak")  # a swing's ratio is on its own peak, not the base
    assume(not math.isclose(abs(figure), 0, abs_tol=1e-9) or rule in ("fell", "rose"))
    got = run([base], data([frame]))["x"]
    want = run([mirror], data([ref_frame]))["x"]
    assert got["verdict"] == want["verdict"], (got["data_says"], want["data_says"])


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.floats(-0.03, 0.03, allow_nan=False), min_size=30, max_size=60),
    point=st.sampled_from(["close", "intraday"]),
)
def test_the_rolling_24_hour_move_is_the_same_for_a_rise_and_its_fall(steps, point):
    """A path and the same path run backwards: the largest 24-hour rise of one is the largest 24-hour fall of
    the other (as ratios: a rise r is a fall 1/(1+r) - 1)."""
    from datetime import datetime

    from transforms.claims.measures import Claim, rolling_24h

    prices = [100.0]
    for x in steps:
        prices.append(prices[-1] * (1 + x))
    hours = [datetime(2025, 1, 2) + timedelta(hours=i) for i in range(len(prices))]

    def hourly(path):
        return pl.DataFrame({"bar_start": hours, "open": path, "high": path, "low": path, "close": path})

    day = Claim("x", "rolling_24h_change", "A", date(2025, 1, 2), date(2025, 1, 5), 0.0)
    rise = rolling_24h(hourly(prices), day, 1, point, "A")
    fall = rolling_24h(hourly(prices[::-1]), day, -1, point, "A")
    assert fall.value == pytest.approx(1 / (1 + rise.value) - 1, rel=1e-9, abs=1e-12)


def test_a_measure_knows_nothing_of_the_future():
    """Cutting the data after a claim's period changes no verdict on a history measure."""
    closes = [100 + 3 * math.sin(i / 3) + i * 0.1 for i in range(60)]
    rows = [
        on_day(
            "dd",
            days(60)[30],
            measure="drawdown_from_peak",
            series="A",
            claimed_value=-0.05,
            wording_rule="over",
            claim_basis="close",
        ),
        on_day(
            "rank",
            days(60)[30],
            measure="return_rank_in_sample",
            series="A",
            claimed_value=1.0,
            wording_rule="exactly",
        ),
    ]
    full = run(rows, data([bars("A", closes)]))
    cut = run(rows, data([bars("A", closes[:31])]))
    for cid in full:
        assert (full[cid]["verdict"], full[cid]["observed_value"]) == (cut[cid]["verdict"], cut[cid]["observed_value"])


# --- claim files ------------------------------------------------------------------------------------------------


def write(tmp_path, rows: list[dict], header=COLUMNS, name="my_article.csv"):
    path = tmp_path / name
    lines = [",".join(header)] + [",".join(str(r.get(c, "")) for c in header) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


GOOD = {
    "claim_id": "a",
    "measure": "return_1d",
    "series": "BTC",
    "period_start": "2025-01-02",
    "period_end": "2025-01-02",
    "claimed_text": "5%",
    "claimed_value": "-0.05",
    "unit": "fraction",
    "wording_rule": "plain",
    "stated_precision": "0.01",
}


def test_a_valid_file_is_read_with_its_article_from_the_name(tmp_path):
    claims = read_claim_file(write(tmp_path, [GOOD]))
    assert claims["article"].to_list() == ["my_article"] and claims["period_end"][0] == date(2025, 1, 2)
    with_article = read_claim_file(write(tmp_path, [GOOD | {"article": "other"}], header=("article", *COLUMNS)))
    assert with_article["article"].to_list() == ["other"]


@pytest.mark.parametrize(
    "change, field, rule",
    [
        ({"period_end": "2025-13-01"}, "period_end", "dates are YYYY-MM-DD"),
        ({"measure": "price_vibes"}, "measure", "a measure of the contract"),
        ({"wording_rule": "kinda"}, "wording_rule", "a known wording rule"),
        ({"claimed_value": ""}, "claimed_value", "a figure is required"),
        ({"claimed_value": "nan"}, "claimed_value", "a finite number"),
        ({"period_start": "2025-02-01"}, "period_end", "period_start on or before period_end"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_file_row_and_field(tmp_path, change, field, rule):
    path = write(tmp_path, [GOOD | {"claim_id": "first"}, GOOD | change])
    with pytest.raises(SourceError) as error:
        read_claim_file(path)
    assert error.value.row == 3 and error.value.rule == rule and field in error.value.detail
    assert str(path) in str(error.value)


def test_every_measure_and_rule_of_the_contract_is_documented():
    from orchestration.settings import PROJECT_ROOT

    page = (PROJECT_ROOT / "docs" / "claims.md").read_text()
    for name in MEASURES:
        assert f"`{name}`" in page, name
    for name in wording_rules():
        assert f"`{name}`" in page, name


# A value outside the contract's closed vocabularies, for each column that has one, and what the refusal says.
OUTSIDE_THE_VOCABULARIES = {
    "period": "weekly",
    "kind": "ratio",
    "direction": "2",
    "bases": "price_point venue",
    "fixes": "venue=otc",
}


@pytest.mark.parametrize("column", OUTSIDE_THE_VOCABULARIES)
def test_a_contract_row_outside_the_vocabularies_is_refused_by_measure_and_column(column):
    from transforms.claims.contract import measure_from_row

    row = {
        "measure": "return_1d",
        "reads": "daily bars per basis",
        "period": "one_session",
        "kind": "change",
        "bases": "price_point instrument clock",
        "resolution": "daily",
        "direction": "0",
        "fixes": "",
        "description": "",
    }
    assert measure_from_row(row) == dataclasses.replace(MEASURES["return_1d"], description="")
    value = OUTSIDE_THE_VOCABULARIES[column]
    said = "basis 'venue' is not a dimension" if column in ("bases", "fixes") else f"{column} '{value}' is not one of"
    with pytest.raises(ValueError, match="measure_contract.csv, measure 'return_1d': " + said):
        measure_from_row({**row, column: value})


def test_every_measure_of_the_contract_has_one_registered_computation():
    from transforms.claims.engine import COMPUTATIONS

    assert set(COMPUTATIONS) == set(MEASURES)


@settings(max_examples=60, deadline=None)
@given(
    closes=st.lists(st.floats(10, 1000, allow_nan=False), min_size=5, max_size=40),
    level=st.floats(10, 1000, allow_nan=False),
    lowest=st.booleans(),
)
def test_the_lowest_or_highest_level_since_holds_exactly_when_no_earlier_close_went_beyond_it(closes, level, lowest):
    """'Its lowest level since March 2022' (min_close_before, wording below): every close of the history before
    the day stayed above the day's level; the highest is the mirror. Mirrored data give mirrored verdicts."""
    assume(all(abs(c - level) > 1e-6 for c in closes))  # a close equal to the level decides nothing either way
    measure = "min_close_before" if lowest else "max_close_before"
    history = days(len(closes))
    row = claim(
        "c",
        series="X",
        measure=measure,
        claimed_value=level,
        unit="points",
        wording_rule="below",
        period_start=history[0],
        period_end=history[-1],
        required_history_from=history[0],
        stated_precision=None,
    )
    out = run([row], data([bars("X", closes)]))["c"]
    beyond = min(closes) < level if lowest else max(closes) > level
    assert out["verdict"] == ("contradicted" if beyond else "confirmed"), (min(closes), max(closes), level)


@settings(max_examples=60, deadline=None)
@given(close=st.floats(0.1, 8.0), gap=st.floats(0.05, 1.0), low_side=st.booleans())
def test_a_yield_extreme_is_bounded_by_the_close_on_its_side_only(close, gap, low_side):
    """'Dropped to 3.65%' (yield_low) and 'jumped to 4.5%' (yield_high) from end-of-day yields: the session's low is
    at most its close and its high at least, so a level beyond the close on the measure's side cannot be decided
    and one on the other side is contradicted. Mirrored claims give mirrored verdicts."""
    assume(close - gap > 0.05)
    rates = pl.DataFrame({"series": ["UST:2"] * 3, "date": days(3), "yield_pct": [close] * 3})
    measure = "yield_low" if low_side else "yield_high"
    beyond = close - gap if low_side else close + gap
    short = close + gap if low_side else close - gap
    rows = [
        claim(
            name,
            measure=measure,
            series="UST:2",
            period_start=days(3)[2],
            period_end=days(3)[2],
            claimed_value=round(level, 2),
            unit="pct",
            claim_basis="intraday_level",
        )  # fmt: skip
        for name, level in (("beyond", beyond), ("short", short))
    ]
    out = run(rows, data(rates=rates))
    assert out["beyond"]["verdict"] == "unverifiable", out["beyond"]
    assert out["short"]["verdict"] == "contradicted", out["short"]


@settings(max_examples=40, deadline=None)
@given(longs=st.lists(st.floats(1e6, 1e9), min_size=2, max_size=5), share=st.floats(0.05, 0.95))
def test_liquidations_of_one_side_sum_that_sides_column(longs, share):
    """'Of which long positions accounted for $1 billion': LONG sums long_usd, SHORT short_usd, ALL both."""
    n = len(longs)
    shorts = [x * share for x in longs]
    liq = pl.DataFrame(
        {
            "date": days(n),
            "coin": ["BTC"] * n,
            "long_usd": longs,
            "short_usd": shorts,
            "total_usd": [a + b for a, b in zip(longs, shorts, strict=True)],
        }
    )
    rows = [
        claim(
            side,
            measure="liquidations_usd",
            series=side,
            period_start=days(n)[0],
            period_end=days(n)[-1],
            claimed_value=1e9,
            unit="usd",
            stated_precision=1e8,
        )  # fmt: skip
        for side in ("ALL", "LONG", "SHORT")
    ]
    out = run(rows, data(liquidations=liq))
    assert out["LONG"]["observed_value"] == pytest.approx(sum(longs))
    assert out["SHORT"]["observed_value"] == pytest.approx(sum(shorts))
    assert out["ALL"]["observed_value"] == pytest.approx(sum(longs) + sum(shorts))


@settings(max_examples=30, deadline=None)
@given(
    filings=st.lists(st.integers(0, 30_000), min_size=21, max_size=21),
    first=st.integers(0, 13),
    length=st.integers(0, 7),
    delta=st.integers(1, 500),
)
def test_strategys_purchases_sum_the_filings_in_any_window_of_days(filings, first, length, delta):
    # A filing every seventh day, nothing in between: any window sums the filings dated in it, exactly.
    n = len(filings)
    bought = [float(b) if i % 7 == 6 else 0.0 for i, b in enumerate(filings)]
    flows = flow_days(n, treasury_btc=bought, issuance_btc=[450.0] * n, strategy_btc=bought)
    start, end = days(n)[first], days(n)[first + length]
    total = sum(bought[first : first + length + 1])
    fields = {"measure": "btc_flows", "series": "strategy_btc", "unit": "btc", "stated_precision": 1.0}
    out = run(
        [
            claim("right", period_start=start, period_end=end, claimed_value=total, **fields),
            claim("wrong", period_start=start, period_end=end, claimed_value=total + delta, **fields),
        ],
        data(flows=flows),
    )
    assert out["right"]["verdict"] == "confirmed" and out["wrong"]["verdict"] == "contradicted"


@settings(max_examples=30, deadline=None)
@given(
    issued=st.lists(st.floats(300.0, 1000.0), min_size=21, max_size=21),
    first=st.integers(0, 13),
    length=st.integers(0, 7),
)
def test_issuance_sums_over_any_window_of_days_and_treasury_companies_only_over_whole_years(issued, first, length):
    """Issuance is a daily series: any window sums its days. The treasury companies' purchases come from
    statements: a window that is not a whole calendar year is no figure."""
    n = len(issued)
    flows = flow_days(n, issuance_btc=issued)
    start, end = days(n)[first], days(n)[first + length]
    total = sum(issued[first : first + length + 1])
    fields = {"measure": "btc_flows", "unit": "btc", "stated_precision": 1.0, "period_start": start, "period_end": end}
    out = run(
        [
            claim("issued", series="issuance_btc", claimed_value=total, **fields),
            claim("more", series="issuance_btc", claimed_value=total * 1.1 + 10, **fields),
            claim("treasury", series="treasury_btc", claimed_value=0.0, **fields),
        ],
        data(flows=flows),
    )
    assert out["issued"]["verdict"] == "confirmed" and out["more"]["verdict"] == "contradicted"
    assert out["issued"]["observed_value"] == pytest.approx(total)
    assert out["treasury"]["verdict"] == "unverifiable"
