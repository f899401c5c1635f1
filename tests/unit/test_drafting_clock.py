"""Drafting rules for the writer's clock, news after the close, whole classes, moves between two levels and the
curve's ends: each written for its class (any day, rises and falls, any clock) on sentences of our own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import Calendar, writer_lag
from transforms.claims.drafting.draft import draft, writer_clock
from transforms.claims.drafting.tables import clock_cues, tenor_words

WEEKDAYS = st.dates(date(2024, 1, 8), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)


def rows(text: str, published: date, clock: str | None = None) -> list[dict]:
    return draft(text, published, "t", None, clock).claims.to_dicts()


def by_series(text: str, published: date, clock: str | None = None) -> dict[str, dict]:
    return {r["series"]: r for r in rows(text, published, clock)}


def ny_before(day: date) -> date:
    return Calendar("ny").before(day)


@settings(max_examples=40, deadline=None)
@given(day=WEEKDAYS, clock=st.sampled_from(["Asia/Shanghai", "Asia/Tokyo", "UTC+8", "+9", "Asia/Singapore"]))
def test_the_writers_night_in_asia_is_the_new_york_session_before_and_the_same_utc_day(day, clock):
    text = f"On {day:%B} {day.day}, {day.year}, traders had a sleepless night. The Nasdaq fell 2%. Bitcoin fell 5%."
    found = by_series(text, day + timedelta(days=1), clock)
    assert found["IXIC"]["period_end"] == ny_before(day)  # New York's close is the writer's next morning
    assert found["BTC"]["period_end"] == day  # the UTC day overlaps the writer's date most
    assert "writer's clock" in found["IXIC"]["draft_note"]


@settings(max_examples=25, deadline=None)
@given(day=WEEKDAYS, clock=st.sampled_from(["America/New_York", "Europe/London", "UTC-5", "UTC+1"]))
def test_a_night_on_a_clock_west_of_asia_is_the_same_session(day, clock):
    text = f"On {day:%B} {day.day}, {day.year}, traders had a sleepless night. The Nasdaq fell 2%."
    assert by_series(text, day + timedelta(days=1), clock)["IXIC"]["period_end"] == day


@settings(max_examples=25, deadline=None)
@given(day=WEEKDAYS, direction=st.sampled_from(["fell", "rose"]))
def test_a_date_that_only_names_a_move_is_the_markets_own_on_any_clock(day, direction):
    text = f"On {day:%B} {day.day}, {day.year}, silver {direction} 7%."
    for clock in (None, "Asia/Shanghai", "America/New_York"):
        assert by_series(text, day + timedelta(days=3), clock)["XAG"]["period_end"] == day


def test_the_same_date_read_again_keeps_the_night_it_was_given():
    text = (
        "On February 6, investors had a sleepless night in Beijing time. The Nasdaq fell 1.5%.\n\n"
        "Silver had rallied for weeks.\n\nOn February 6th, silver fell another 17%."
    )
    found = rows(text, date(2026, 2, 7))
    assert {r["series"]: r["period_end"] for r in found} == {"IXIC": date(2026, 2, 5), "XAG": date(2026, 2, 5)}


def test_the_clock_comes_from_the_text_or_the_option_and_a_bad_one_is_refused():
    assert writer_clock("Shares fell at 9 p.m. Beijing time.", None, date(2026, 2, 7)).utc_offset == 8
    assert writer_clock("Markets, as of 10:00 Tokyo time.", None, date(2026, 2, 7)).utc_offset == 9
    assert writer_clock("No clock here.", None, date(2026, 2, 7)) is None
    assert writer_clock("Beijing time", "America/New_York", date(2026, 7, 1)).utc_offset == -4  # daylight time
    with pytest.raises(ValueError, match="not a time zone"):
        writer_clock("text", "Mars/Olympus", date(2026, 2, 7))
    assert {c.kind for c in clock_cues()} == {"clock", "night", "after_close"}


def test_the_lag_follows_each_calendars_close():
    assert writer_lag("ny", 8) == 1 and writer_lag("ny", 0) == 0 and writer_lag("ny", -5) == 0
    assert writer_lag("tokyo", 8) == 0 and writer_lag("tokyo", -8) == -1  # Tokyo's next session closes in the
    assert writer_lag("crypto", 8) == 0 and writer_lag("ny", None) == 0  # Pacific evening


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, direction=st.sampled_from([("fell", -1), ("rose", 1)]))
def test_news_after_the_close_moves_the_next_session_and_is_a_gap_claim(day, direction):
    verb, sign = direction
    text = (
        f"After the market closed on {day:%B} {day.day}, {day.year}, AMD reported its quarterly results. "
        f"Then the stock {verb} 12%."
    )
    found = rows(text, day + timedelta(days=10))
    cal = Calendar("ny")
    gap = next(r for r in found if r["measure"] == "gap_session_offset")
    move = next(r for r in found if r["measure"] == "return_1d")
    assert (gap["series"], gap["period_start"], gap["claimed_value"]) == ("AMD", day, 1.0)
    assert gap["period_end"] == cal.after(cal.after(cal.after(day)))
    assert move["period_end"] == cal.after(day) and move["claimed_value"] == pytest.approx(sign * 0.12)


@settings(max_examples=20, deadline=None)
@given(day=WEEKDAYS)
def test_news_after_the_close_read_from_asia_is_the_session_before(day):
    text = (
        f"After the market closed on {day:%B} {day.day}, {day.year}, AMD released its earnings report. "
        "Then the stock fell 9%."
    )
    found = rows(text, day + timedelta(days=10), "Asia/Shanghai")
    gap = next(r for r in found if r["measure"] == "gap_session_offset")
    move = next(r for r in found if r["measure"] == "return_1d")
    assert gap["period_start"] == ny_before(day) and move["period_end"] == Calendar("ny").after(ny_before(day))


def test_a_report_without_a_close_or_a_company_makes_no_gap_claim():
    assert not [r for r in rows("On March 3, AMD reported its results.", date(2026, 3, 9))]
    assert not [r for r in rows("After the close on March 3, analysts reported their views.", date(2026, 3, 9))]


@pytest.mark.parametrize("whole", ["The entire chip industry", "The whole semiconductor sector", "All the chip names"])
@pytest.mark.parametrize(
    "verb, measure",
    [
        ("fell", "share_down_1d"),
        ("was dragged down", "share_down_1d"),
        ("rallied", "share_up_1d"),
        ("rose", "share_up_1d"),
    ],
)
def test_a_whole_class_is_one_claim_that_every_member_moved(whole, verb, measure):
    found = rows(f"On February 4, {whole[0].lower() + whole[1:]} {verb}.", date(2026, 2, 7))
    assert len(found) == 1, found
    (row,) = found
    assert row["measure"] == measure and row["claimed_value"] == 1.0 and row["wording_rule"] == "at_least"
    assert set(row["series"].split("|")) == {"AMD", "MU", "SNDK", "WDC", "SOX"}


def test_a_class_named_without_a_whole_word_gives_a_claim_for_each_member():
    found = rows("On February 4, precious metals fell.", date(2026, 2, 7))
    assert {r["series"] for r in found} == {"XAG", "XAU"} and {r["measure"] for r in found} == {"return_1d"}


@settings(max_examples=40, deadline=None)
@given(
    a=st.integers(50, 5000),
    ratio=st.floats(0.4, 1.9).filter(lambda r: abs(r - 1) > 0.03),
)
def test_a_percentage_between_two_levels_of_one_session_is_the_sessions_range(a, ratio):
    b = round(a * ratio)
    pct = round(abs(b / a - 1) * 100)
    verb, noun = ("plunged", "drop") if b < a else ("soared", "gain")
    text = f"On January 30, silver {verb} from ${a} to ${b}, a single-day {noun} of {pct}%."
    found = {r["measure"]: r for r in rows(text, date(2026, 2, 7))}
    consistent = abs(abs(b / a - 1) - pct / 100) <= 0.005 + 1e-9  # half a unit of the figure, the edge in
    expected = ("intraday_fall" if b < a else "intraday_rise") if consistent else "return_1d"
    assert expected in found, found
    assert found["intraday_low" if b < a else "intraday_high"]["claimed_value"] == b  # a move, not a range


def test_a_percentage_that_is_not_the_move_between_the_levels_stays_a_close_to_close_move():
    found = {
        r["measure"]
        for r in rows("On January 30, silver fell from $120 to $100, down 30% on the day.", date(2026, 2, 7))
    }
    assert "return_1d" in found and "intraday_fall" not in found


@pytest.mark.parametrize(
    "words, series",
    [
        ("long-dated Treasuries", "UST:30"),
        ("Treasuries at the long end", "UST:30"),
        ("Treasuries", "UST:10"),
        ("short-dated Treasuries", "UST:2"),
        ("super-long Japanese government bonds", "JGB:30"),
        ("Japanese government bonds", "JGB:10"),
        ("5-year Treasury notes", "UST:5"),
    ],
)
def test_words_for_the_curves_end_place_bonds_named_without_a_tenor(words, series):
    (row,) = rows(f"On January 20, {words} were sold off.", date(2026, 2, 7))
    assert row["series"] == series and row["wording_rule"] == "rose"  # a bond sold off: its yield up
    assert tenor_words()


LEADERS = st.sampled_from([("the Nasdaq", "IXIC"), ("gold", "XAU"), ("silver", "XAG"), ("US stocks", "IXIC")])
FOLLOWERS = st.sampled_from([("bitcoin", "BTC"), ("ether", "ETH"), ("cryptocurrencies", "BTC")])
TURNS = st.sampled_from(["reversed", "rolled over", "peaked", "topped out", "entered a downward trend"])


@settings(max_examples=40, deadline=None)
@given(
    leader=LEADERS,
    follower=FOLLOWERS,
    turn=TURNS,
    when=st.sampled_from(["When", "After", "Once"]),
    fell=st.sampled_from(["were sold off", "fell", "slumped"]),
    published=WEEKDAYS,
)
def test_when_one_trend_turned_and_another_fell_the_claim_orders_their_peaks(
    leader, follower, turn, when, fell, published
):
    text = f"{when} {leader[0]} {turn}, {follower[0]} {fell} too."
    found = rows(text, published)
    assert [(r["measure"], r["series"], r["wording_rule"]) for r in found] == [
        ("peak_lag_days", f"{follower[1]}|{leader[1]}", "rose")
    ]
    claim = found[0]
    # No peak named before: a year back to the last session before publication, the article's present.
    assert claim["period_end"] == Calendar("ny").before(published)  # every pair holds a New York series
    assert (claim["period_end"] - claim["period_start"]).days == 365


def test_a_turn_counts_from_the_earliest_peak_the_article_named_for_those_series():
    text = (
        "In March 2025, bitcoin surged to a record high of $110,000. "
        "When gold and the Nasdaq reversed, bitcoin was sold off as well."
    )
    found = [r for r in rows(text, date(2025, 11, 20)) if r["measure"] == "peak_lag_days"]
    assert {r["series"] for r in found} == {"BTC|XAU", "BTC|IXIC"}
    assert {r["period_start"] for r in found} == {date(2025, 3, 1)}
    assert {r["period_end"] for r in found} == {date(2025, 11, 19)}


@pytest.mark.parametrize(
    "text",
    [
        "Bitcoin reversed and fell 5% on Monday.",  # a figure, no ordering of two trends
        "When gold reversed, analysts said bitcoin could fall.",  # a forecast
        "Gold reversed on Monday, and bitcoin fell.",  # no clause that sets one turn before another
    ],
)
def test_a_turn_without_a_when_clause_and_a_follower_orders_nothing(text):
    assert all(r["measure"] != "peak_lag_days" for r in rows(text, date(2026, 3, 4)))


@settings(max_examples=30, deadline=None)
@given(
    day=WEEKDAYS,
    words=st.sampled_from(["In the early morning of", "Early in the morning of", "Before dawn on"]),
    zone=st.sampled_from(["Beijing time", "Tokyo time", "Hong Kong time"]),
)
def test_the_writers_early_morning_in_asia_is_the_new_york_session_before(day, words, zone):
    text = f"{words} {day:%B} {day.day}, {zone}, the Nasdaq fell 2%."
    (claim,) = rows(text, day + timedelta(days=1))
    assert claim["period_end"] == ny_before(day)
    # The night of a date is the evening that starts on it: New York's session of that date closes during it.
    (night,) = rows(f"On the night of {day:%B} {day.day} {zone}, the Nasdaq fell 2%.", day + timedelta(days=1))
    assert night["period_end"] == day


@pytest.mark.parametrize(
    "line",
    [
        "February 10, 2026, Beijing time",
        "February 10, 2026 (Beijing time)",
        "February 10, 2026 (UTC+8)",
        "Feb 10, 2026 10:42 GMT",
        "February 10, 2026 Hong Kong time",
    ],
)
def test_a_date_line_may_name_its_time_zone(line):
    result = draft(f"# Title\n\n{line}\n\nThe Nasdaq fell 2% on Monday.")
    assert result.published == date(2026, 2, 10)
    assert [r["period_end"] for r in result.claims.to_dicts()] == [date(2026, 2, 9)]
