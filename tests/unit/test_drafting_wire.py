"""Drafting rules found on articles of our own in other registers (a research note on March 2020, a crypto-Twitter
recap, a look back at February 2026), each tested across its class on sentences of our own: a history in decades,
the history of the figure's own clause, a level's rank that is not a move's, levels reached 'near' or 'around', a
bounce to a level, a possessive period that names an event, a modal with no verb, a level crossed 'past', 'in less
than two weeks', a record low at the close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from transforms.claims.drafting.dates import Calendar
from transforms.claims.drafting.draft import draft

NY = Calendar("ny")


def rows(text: str, published: date) -> list[dict]:
    return draft(text, published, "t").claims.to_dicts()


def left(text: str, published: date) -> dict[str, str]:
    return {r["figure"]: r["reason"] for r in draft(text, published, "t").left_out.to_dicts()}


@pytest.mark.parametrize(
    "words, years", [("a decade", 10), ("two decades", 20), ("half a century", 50), ("20 years", 20)]
)
def test_a_rank_takes_the_history_of_its_own_clause(words, years):
    text = (
        "Silver's 26% collapse on January 30, 2026 was its worst session since 1980, and gold's 9% slide that day "
        f"was the largest in more than {words}."
    )
    ranks = {r["series"]: r for r in rows(text, date(2026, 2, 14)) if r["measure"] == "return_rank_in_sample"}
    assert ranks["XAG"]["required_history_from"] == date(1981, 1, 1)
    assert ranks["XAU"]["required_history_from"] == date(2026 - years, 1, 30)


def test_a_levels_rank_is_not_the_rank_of_a_move_after_it():
    text = (
        "The dollar index surged past 102 on March 19, 2020, its strongest level since 2017, after gaining about 8% "
        "in less than two weeks."
    )
    found = rows(text, date(2020, 4, 2))
    assert not [r for r in found if r["measure"] == "return_rank_in_sample"]
    ((level,), (rank,), (move,)) = (
        [r for r in found if r["measure"] == m] for m in ("intraday_high", "max_close_before", "period_change")
    )
    assert (level["claimed_value"], level["wording_rule"]) == (102.0, "broke_above")
    assert rank["required_history_from"] == date(2018, 1, 1)
    assert (move["period_start"], move["period_end"], move["claimed_value"]) == (
        NY.on_or_before(date(2020, 3, 5)),
        date(2020, 3, 19),
        0.08,
    )


@pytest.mark.parametrize(
    "words, measure",
    [
        ("bottomed near", "intraday_low"),
        ("bottomed out around", "intraday_low"),
        ("printing a low around", "intraday_low"),
        ("hit an intraday low near", "intraday_low"),
        ("peaked near", "intraday_high"),
        ("setting a high around", "intraday_high"),
    ],
)
def test_an_extreme_reached_near_a_level_is_read_on_its_side(words, measure):
    (row,) = rows(f"Bitcoin {words} $60,000 on February 6, 2026.", date(2026, 2, 14))
    assert (row["measure"], row["claimed_value"], row["period_end"]) == (measure, 60000.0, date(2026, 2, 6))


@pytest.mark.parametrize("words", ["bouncing to", "bouncing back to", "bounced to"])
def test_a_bounce_to_a_level_is_where_it_closed(words):
    text = f"Bitcoin fell 14% on Thursday, February 5, 2026, printing a low around $60k before {words} $65k."
    (close,) = [r for r in rows(text, date(2026, 2, 6)) if r["claimed_value"] == 65000.0]
    assert (close["measure"], close["period_end"]) == ("close_level", date(2026, 2, 5))


def test_a_possessive_period_after_a_figure_names_an_event_not_its_period():
    text = "Gold fell on Thursday, February 5, 2026. Silver? Up 2% after last week's carnage."
    (silver,) = rows(text, date(2026, 2, 6))[1:]
    assert (silver["measure"], silver["period_start"], silver["period_end"]) == (
        "return_1d",
        date(2026, 2, 5),
        date(2026, 2, 5),
    )
    # before the figure, the possessive is the figure's own period: 'last week's 10% drop'
    (drop,) = rows("Silver is still reeling from last week's 10% drop.", date(2026, 2, 6))
    assert (drop["period_start"], drop["period_end"]) == (date(2026, 1, 23), date(2026, 1, 30))


@pytest.mark.parametrize("modal", ["could", "would", "might", "will"])
def test_a_modal_with_no_verb_after_it_is_no_hedge(modal):
    text = f"Gold lost 3.5% on March 16, 2020 as funds sold what they {modal}."
    (row,) = rows(text, date(2020, 4, 2))
    assert (row["measure"], row["claimed_value"]) == ("return_1d", -0.035)
    # a modal before a verb is one
    assert "forecast" in left(f"Gold {modal} lose 3.5% on Monday.", date(2020, 4, 2))["3.5%"]


@pytest.mark.parametrize(
    "verb, measure, rule",
    [
        ("surged past", "intraday_high", "broke_above"),
        ("climbed beyond", "intraday_high", "broke_above"),
        ("slid past", "intraday_low", "broke_below"),
    ],
)
def test_a_level_crossed_past_or_beyond(verb, measure, rule):
    (row,) = rows(f"The dollar index {verb} 102 on March 19, 2020.", date(2020, 4, 2))
    assert (row["measure"], row["wording_rule"], row["claimed_value"]) == (measure, rule, 102.0)


@pytest.mark.parametrize(
    "words, n", [("less than two weeks", 2), ("under three weeks", 3), ("just over two months", 2)]
)
def test_a_span_of_weeks_or_months_in_other_words(words, n):
    (row,) = rows(f"Gold gained about 8% in {words} to March 19, 2020.", date(2020, 4, 2))
    end = date(2020, 3, 19)
    start = end - timedelta(days=7 * n) if "week" in words else date(2020, 3 - n, 19)
    assert (row["period_start"], row["period_end"]) == (NY.on_or_before(start), end)


@pytest.mark.parametrize(
    "side, measure, rank", [("low", "yield_level", "min_yield_before"), ("high", "yield_level", "max_yield_before")]
)
def test_a_record_yield_at_the_close_is_the_close_and_beyond_every_earlier_one(side, measure, rank):
    text = f"On March 9, 2020 the 10-year Treasury yield fell to a record {side} of 0.54% at the close."
    found = rows(text, date(2020, 4, 2))
    assert [(r["measure"], r["claimed_value"]) for r in found] == [(measure, 0.54), (rank, 0.54)]
    assert found[1]["required_history_from"] == date(1900, 1, 1) and found[1]["period_end"] == date(2020, 3, 8)


def test_a_record_low_price_is_below_every_earlier_close():
    found = rows("Silver sank to a record low of $3.55 on February 19, 1991.", date(1991, 3, 1))
    record = [r for r in found if r["measure"].endswith("_close_before")]
    assert [(r["measure"], r["claimed_value"]) for r in record] == [("min_close_before", 3.55)]


@pytest.mark.parametrize(
    "text, measure",
    [
        ("The 40-year yield jumped 25 basis points to 4.2% on Tuesday, a record.", "max_yield_before"),
        ("The 10-year yield sank to 0.54% on Tuesday, a record low.", "min_yield_before"),
        ("Gold closed at $4,800 an ounce on Tuesday, a record.", "max_close_before"),
        ("Silver fell to $3.55 on Tuesday, a record low.", "min_close_before"),
        ("Gold closed at $4,800 on Tuesday, its all-time high.", "max_close_before"),
    ],
)
def test_a_level_named_a_record_after_it_is_beyond_every_earlier_one(text, measure):
    record = [r for r in rows(text, date(2026, 1, 21)) if r["measure"] == measure]
    assert [(r["period_end"], r["required_history_from"]) for r in record] == [(date(2026, 1, 19), date(1900, 1, 1))]


def test_a_record_of_a_shorter_period_is_no_record_of_the_whole_history():
    found = rows("Bitcoin sank to $60,000 on Tuesday, a record for the month.", date(2026, 1, 21))
    assert not [r for r in found if r["measure"].endswith("_before")]


@pytest.mark.parametrize(
    "span, start",
    [("three years", date(2022, 4, 7)), ("five months", date(2024, 11, 7)), ("twelve months", date(2024, 4, 7))],
)
def test_the_first_time_in_a_span_bounds_the_history_to_it(span, start):
    text = f"Bitcoin fell below $75,000 on Monday, April 7, 2025 for the first time in {span}."
    found = rows(text, date(2025, 4, 11))
    bound = [r for r in found if r["measure"] == "min_close_before"]
    assert [(r["period_start"], r["period_end"], r["claimed_value"]) for r in bound] == [
        (start, date(2025, 4, 6), 75000.0)
    ]


@pytest.mark.parametrize("verb, value", [("quadrupled", 3.0), ("tripled", 2.0), ("doubled", 1.0), ("halved", -0.5)])
def test_a_move_named_by_its_multiple(verb, value):
    (row,) = rows(f"SanDisk shares have {verb} since the start of the year.", date(2026, 6, 12))
    assert (row["measure"], row["claimed_value"], row["period_start"]) == ("period_change", value, date(2025, 12, 31))


@pytest.mark.parametrize("name", ["The chip gauge", "The semiconductor gauge", "The chip index"])
def test_the_chip_gauge_is_the_semiconductor_index(name):
    (row,) = rows(f"{name} is still up 31% year to date.", date(2026, 6, 12))
    assert (row["series"], row["claimed_value"]) == ("SOX", 0.31)


@pytest.mark.parametrize("close", ["closed the session at", "closed at", "ended the day at"])
def test_a_close_below_a_named_peak_is_a_fall_from_it(close):
    found = rows(f"AMD {close} $182.40 on Wednesday, roughly 12% below its May high.", date(2026, 6, 12))
    fall = [r for r in found if r["measure"] == "drawdown_from_peak"]
    assert [(r["claimed_value"], r["period_end"]) for r in fall] == [(-0.12, date(2026, 6, 10))]
