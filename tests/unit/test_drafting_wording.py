"""Drafting rules for more classes of wording, each tested across its class (rises and falls, any day, any
level) on sentences of our own: levels crossed ('slid below $75,000', 'to below $50,000', 'the pair fell below
145'), what a move is measured against ('against the dollar'), the year and month to date, 'since early July',
an intraday marker after the figure ('at one point'), the inverse of a series (the yen against USD/JPY), a plain
'rebounded 1%', and verbs in -ing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import Calendar
from transforms.claims.drafting.draft import draft

WEEKDAYS = st.dates(date(2024, 1, 8), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)
DOWN = ["slid", "fell", "dropped", "tumbled", "plunged", "dipped", "slipped", "sank", "broke"]
UP = ["climbed", "rose", "jumped", "surged", "pushed", "broke", "moved"]


def rows(text: str, published: date) -> list[dict]:
    return draft(text, published, "t").claims.to_dicts()


def one(text: str, published: date) -> dict:
    found = rows(text, published)
    assert len(found) == 1, found
    return found[0]


@settings(max_examples=40, deadline=None)
@given(day=WEEKDAYS, up=st.booleans(), verb_i=st.integers(0, 50), level=st.integers(2, 200_000))
def test_a_level_crossed_is_the_extreme_beyond_it(day, up, verb_i, level):
    verbs = UP if up else DOWN
    verb = verbs[verb_i % len(verbs)]
    side = "above" if up else "below"
    claim = one(f"Bitcoin {verb} {side} ${level:,} on {day:%B} {day.day}, {day.year}.", day + timedelta(days=2))
    assert claim["measure"] == ("intraday_high" if up else "intraday_low")
    assert claim["wording_rule"] == ("broke_above" if up else "broke_below")
    assert claim["claimed_value"] == level and claim["period_end"] == day


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, up=st.booleans(), pct=st.integers(2, 30), level=st.integers(1_000, 150_000))
def test_a_move_to_beyond_a_level_crossed_it(day, up, pct, level):
    verb, side = ("jumped", "above") if up else ("tumbled", "below")
    text = f"On {day:%B} {day.day}, {day.year}, bitcoin {verb} as much as {pct}% to {side} ${level:,}."
    found = {r["measure"]: r for r in rows(text, day + timedelta(days=1))}
    level_claim = found["intraday_high" if up else "intraday_low"]
    assert level_claim["claimed_value"] == level and level_claim["wording_rule"] == f"broke_{side}"


@pytest.mark.parametrize(
    ("text", "series", "value", "rule"),
    [
        ("The pair fell below 145 on Monday, March 3, 2025.", None, 145.0, "broke_below"),
        ("Dollar-yen traded near 142 on Monday, August 5, 2024.", "USDJPY_NY", 142.0, "traded_at"),
        ("USD/JPY climbed above 160 on Friday, April 26, 2024.", "USDJPY_NY", 160.0, "broke_above"),
        ("The dollar index slid below 100 on Friday, April 11, 2025.", "DXY", 100.0, "broke_below"),
    ],
)
def test_a_level_with_no_unit_is_a_level_of_the_series(text, series, value, rule):
    found = rows(text, date(2025, 6, 1))
    if series is None:  # 'the pair' with no pair named before: nobody to carry, so nothing is claimed
        assert found == []
        return
    claim = one(text, date(2025, 6, 1))
    assert (claim["series"], claim["claimed_value"], claim["wording_rule"]) == (series, value, rule)


def test_the_pair_carries_the_currency_named_before_and_what_it_moves_against_is_no_subject():
    text = "The yen strengthened against the dollar, with the pair falling below 145 on Monday, April 7, 2025."
    found = rows(text, date(2025, 4, 10))
    assert {r["series"] for r in found} == {"USDJPY_NY"}  # not DXY: 'against the dollar' is a reference
    for currency in ("the euro", "gold", "bitcoin"):
        moved = rows(f"The yen rose 2% against {currency} on Friday, March 7, 2025.", date(2025, 3, 10))
        assert {r["series"] for r in moved} == {"USDJPY_NY"}


@settings(max_examples=40, deadline=None)
@given(
    day=WEEKDAYS,
    pct=st.integers(1, 60),
    up=st.booleans(),
    phrase=st.sampled_from(["this year", "so far this year", "year to date", "since the start of the year"]),
)
def test_this_year_is_the_year_to_date(day, pct, up, phrase):
    verb = "is up" if up else "is down"
    claim = one(f"On {day:%B} {day.day}, {day.year}, gold {verb} {pct}% {phrase}.", day + timedelta(days=1))
    ny = Calendar("ny")
    assert claim["measure"] == "period_change"
    assert claim["period_start"] == ny.on_or_before(date(day.year - 1, 12, 31))
    assert claim["period_end"] == day and (claim["claimed_value"] > 0) == up


@settings(max_examples=40, deadline=None)
@given(day=st.dates(date(2024, 9, 1), date(2026, 6, 30)), part=st.sampled_from(["", "early ", "mid-", "late "]))
def test_since_a_part_of_a_month_starts_at_the_last_close_before_it(day, part):
    month = (day.replace(day=1) - timedelta(days=40)).replace(day=1)
    claim = one(f"Silver has fallen 12% since {part}{month:%B}, as of {day:%B} {day.day}, {day.year}.", day)
    first = month.replace(day={"": 1, "early ": 1, "mid-": 15, "late ": 21}[part])
    assert claim["period_start"] == Calendar("ny").on_or_before(first - timedelta(days=1))
    assert claim["period_start"] < first


@settings(max_examples=30, deadline=None)
@given(month=st.integers(1, 12), year=st.integers(2024, 2025))
def test_a_move_in_a_month_counts_from_the_last_close_before_its_first_day(month, year):
    claim = one(f"Gold rose 3% in {date(year, month, 1):%B} {year}.", date(2026, 1, 15))
    first = date(year, month, 1)
    assert claim["period_start"] == Calendar("ny").on_or_before(first - timedelta(days=1))


@pytest.mark.parametrize("marker", ["at one point", "intraday", "during the session", "at its lows"])
@pytest.mark.parametrize("verb", ["sinking", "falling", "plunging", "tumbling"])
def test_an_intraday_marker_after_the_figure_names_the_extreme(marker, verb):
    claim = one(f"Ether fared worse on Monday, August 5, 2024, {verb} over 20% {marker}.", date(2024, 8, 7))
    assert claim["claim_basis"] == "intraday" and claim["claimed_value"] == -0.2


@settings(max_examples=50, deadline=None)
@given(pct=st.integers(1, 40), up=st.booleans(), day=WEEKDAYS)
def test_a_move_of_the_yen_is_the_inverse_move_of_usd_jpy(pct, up, day):
    verb = "strengthened" if up else "weakened"
    claim = one(f"The yen {verb} {pct}% on {day:%B} {day.day}, {day.year}.", day + timedelta(days=1))
    yen = pct / 100 if up else -pct / 100
    assert claim["series"] == "USDJPY_NY"
    assert claim["claimed_value"] == pytest.approx(1 / (1 + yen) - 1, abs=1e-6)


@pytest.mark.parametrize("verb", ["rebounded", "bounced", "recovered"])
def test_a_rebound_with_no_low_named_is_a_plain_move_up(verb):
    plain = one(f"The Nasdaq {verb} 1% on Tuesday, August 6, 2024.", date(2024, 8, 7))
    assert (plain["measure"], plain["claimed_value"]) == ("return_1d", 0.01)
    trough = one(f"The Nasdaq {verb} 1% from its low on Tuesday, August 6, 2024.", date(2024, 8, 7))
    assert trough["measure"] == "period_rise_from_trough"


def test_the_month_of_may_is_no_hedge_and_the_modal_still_is():
    dated = one("Bitcoin fell 5% on May 6, 2025.", date(2025, 5, 8))
    assert (dated["period_end"], dated["claimed_value"]) == (date(2025, 5, 6), -0.05)
    assert rows("Bitcoin may fall 10% on Friday, analysts say.", date(2025, 5, 8)) == []


@settings(max_examples=40, deadline=None)
@given(published=st.dates(date(2024, 2, 1), date(2026, 6, 30)), up=st.booleans(), pct=st.integers(1, 30))
def test_last_week_is_the_writers_last_calendar_week(published, up, pct):
    verb = "up" if up else "down"
    claim = one(f"Gold ended last week {verb} {pct}%.", published)
    monday = published - timedelta(days=published.weekday() + 7)
    ny = Calendar("ny")
    assert (claim["period_start"], claim["period_end"]) == (
        ny.on_or_before(monday - timedelta(days=1)),
        ny.on_or_before(monday + timedelta(days=6)),
    )
    # A day named in the sentence does not move the writer's last week.
    dated = one(
        f"Gold ended last week {verb} {pct}%, having slid on {published - timedelta(days=9):%B %d, %Y}.", published
    )
    assert (dated["period_start"], dated["period_end"]) == (claim["period_start"], claim["period_end"])


@settings(max_examples=30, deadline=None)
@given(published=WEEKDAYS, bp=st.integers(1, 40), level=st.integers(100, 600), up=st.booleans())
def test_a_move_to_a_level_over_the_past_week_counts_back_from_the_last_session_before_publication(
    published, bp, level, up
):
    verb = "climbed" if up else "fell"
    text = (
        f"On {published - timedelta(days=30):%B %d, %Y}, gold rose 2%. "
        f"The 30-year Treasury yield {verb} {bp} basis points to {level / 100:.2f}% over the past week."
    )
    found = {r["measure"]: r for r in rows(text, published)}
    change = found["yield_change_bp"]
    # The writer's now is the last session before publication, not the day an earlier sentence spoke of.
    assert change["period_end"] == Calendar("ny").on_or_before(published - timedelta(days=1))
    assert (change["period_end"] - change["period_start"]).days <= 9
    assert change["claimed_value"] == (bp if up else -bp)


@pytest.mark.parametrize(
    "head, series",
    [("Shares of Strategy", "MSTR"), ("Micron", "MU"), ("Silver", "XAG"), ("The Nasdaq", "IXIC")],
)
@pytest.mark.parametrize("apposition", ["the largest corporate holder of bitcoin", "a bellwether for gold and ether"])
def test_a_name_inside_an_apposition_is_not_the_subject(head, series, apposition):
    claim = one(f"{head}, {apposition}, fell 7% on Thursday, February 5, 2026.", date(2026, 2, 7))
    assert (claim["series"], claim["claimed_value"]) == (series, -0.07)


@pytest.mark.parametrize("verb", ["erased", "gave up", "wiped out", "lost", "shed"])
def test_verbs_for_giving_up_a_share_are_falls(verb):
    claim = one(f"The Philadelphia Semiconductor Index {verb} 5% on Wednesday, February 4, 2026.", date(2026, 2, 6))
    assert (claim["series"], claim["claimed_value"], claim["measure"]) == ("SOX", -0.05, "return_1d")


def test_halved_from_a_peak_is_a_drawdown_of_half():
    claim = one("On February 6, 2026, ether had halved from its August peak.", date(2026, 2, 7))
    assert (claim["measure"], claim["claimed_value"], claim["stated_precision"]) == ("drawdown_from_peak", -0.5, 0.1)


@pytest.mark.parametrize(("word", "measure"), [("lowest", "min_close_before"), ("highest", "max_close_before")])
@pytest.mark.parametrize("month", [1, 3, 12])
def test_a_level_that_is_the_lowest_or_highest_since_a_month_gives_its_history(word, measure, month):
    since = f"{date(2022, month, 1):%B} 2022"
    text = f"The dollar index fell 1.1% to 98.3 on Monday, April 21, 2025, its {word} level since {since}."
    found = {r["measure"]: r for r in rows(text, date(2025, 4, 23))}
    assert found["return_1d"]["period_end"] == date(2025, 4, 21)  # 'since March 2022' is no period of the move
    ranked = found[measure]
    start = date(2022 + month // 12, month % 12 + 1, 1)
    assert (ranked["period_start"], ranked["period_end"], ranked["claimed_value"]) == (start, date(2025, 4, 20), 98.3)


@pytest.mark.parametrize(
    "text",
    [
        "Silver fell for a third straight session on Monday, April 21, 2025.",
        "Gold rose in the first half of the year, and fell on Monday, April 21, 2025.",
        "The Fed cut rates by a quarter point on Wednesday, December 10, 2025, and gold fell.",
    ],
)
def test_an_ordinal_or_a_part_of_the_calendar_is_no_fraction(text):
    assert all(abs(r["claimed_value"]) not in (1 / 3, 0.3333333333, 0.5, 0.25) for r in rows(text, date(2026, 1, 5)))


@pytest.mark.parametrize("tenor", [2, 10, 20, 30, 40])
@pytest.mark.parametrize(("opening", "curve"), [("Japanese government bond yields", "JGB"), ("Treasury yields", "UST")])
def test_a_tenor_without_a_country_takes_the_curve_named_before(tenor, opening, curve):
    text = f"{opening} spiked on Tuesday, January 20, 2026. The {tenor}-year yield rose 12 basis points."
    found = [r for r in rows(text, date(2026, 1, 21)) if r["quote"].startswith("The")]
    assert {r["series"] for r in found} == {f"{curve}:{tenor}"}
    alone = one(f"The {tenor}-year yield rose 12 basis points on Tuesday, January 20, 2026.", date(2026, 1, 21))
    assert alone["series"] == f"UST:{tenor}"  # no curve named before: US


@pytest.mark.parametrize(
    ("verb", "measure", "rule"),
    [("weakened past", "intraday_high", "broke_above"), ("strengthened past", "intraday_low", "broke_below")],
)
def test_the_yen_crossing_a_level_crosses_usd_jpy_the_other_way(verb, measure, rule):
    claim = one(f"The yen {verb} 158 per dollar on Tuesday, January 20, 2026.", date(2026, 1, 21))
    assert (claim["series"], claim["measure"], claim["wording_rule"], claim["claimed_value"]) == (
        "USDJPY_NY",
        measure,
        rule,
        158.0,
    )


@pytest.mark.parametrize("year", [1990, 1999, 2008])
@pytest.mark.parametrize("words", ["a level last seen in", "a level not seen since", "last reached in"])
def test_a_level_last_seen_in_a_year_is_the_highest_since_then(year, words):
    text = f"The 10-year JGB yield climbed to 2.29% on Tuesday, January 20, 2026, {words} {year}."
    found = {r["measure"]: r for r in rows(text, date(2026, 1, 21))}
    assert found["max_yield_before"]["period_start"] == date(year + 1, 1, 1)


@pytest.mark.parametrize(
    ("verb", "measure"), [("fell below", "min_close_before"), ("climbed above", "max_close_before")]
)
def test_crossing_a_level_for_the_first_time_since_a_date_is_a_history_of_closes(verb, measure):
    text = f"Bitcoin {verb} $70,000 on Feb. 5, 2026 for the first time since November 2024."
    found = {r["measure"]: r for r in rows(text, date(2026, 2, 8))}
    ranked = found[measure]
    assert (ranked["period_start"], ranked["period_end"], ranked["claimed_value"]) == (
        date(2024, 12, 1),
        date(2026, 2, 4),
        70000.0,
    )


def test_a_coin_counted_in_a_figure_is_no_subject_and_a_company_named_with_a_verb_is():
    text = "Strategy bought 1,142 bitcoin last week, its filings show, even as its shares slumped 17% on Thursday."
    moved = [r for r in rows(text, date(2026, 2, 8)) if r["unit"] == "fraction"]
    assert [(r["series"], r["claimed_value"], r["period_end"]) for r in moved] == [("MSTR", -0.17, date(2026, 2, 5))]
    assert rows("A new strategy bought time for the bulls.", date(2026, 2, 8)) == []


@pytest.mark.parametrize("present", ["has fallen", "is down", "has dropped"])
def test_a_fall_from_a_dated_peak_is_measured_now_not_on_the_peaks_day(present):
    text = f"BTC {present} about 45% from its all-time high of $126,000 set on Oct. 6, 2025."
    claim = next(r for r in rows(text, date(2026, 2, 8)) if r["measure"] == "drawdown_from_peak")
    assert claim["period_end"] == date(2026, 2, 7)  # the last day before publication, not Oct 6


@pytest.mark.parametrize("hedge", ["around", "about", "roughly", "nearly"])
def test_a_qualified_level_at_the_end_of_a_move_is_still_a_level(hedge):
    found = {
        r["measure"]: r
        for r in rows(f"Bitcoin fell 5% to {hedge} $60,000 on Friday, February 6, 2026.", date(2026, 2, 7))
    }
    assert found["close_level"]["claimed_value"] == 60000.0  # the end of a move between closes is a close
    low = {
        r["measure"]: r
        for r in rows(f"Silver plunged on January 30, 2026, from $121 to {hedge} $78.", date(2026, 2, 7))
    }
    assert low["intraday_low"]["claimed_value"] == 78.0


@pytest.mark.parametrize(
    ("phrase", "back"),
    [("Twenty years ago", (20, 0)), ("Two months ago", (0, 2)), ("Three weeks ago", 21), ("10 days ago", 10)],
)
def test_a_time_ago_is_counted_back_from_publication(phrase, back):
    published = date(2026, 2, 9)
    claim = one(f"{phrase}, gold traded at $400.", published)
    if isinstance(back, tuple):
        years, months = back
        y, m = divmod(published.year * 12 + published.month - 1 - years * 12 - months, 12)
        expected = Calendar("ny").on_or_before(date(y, m + 1, published.day))
    else:
        expected = Calendar("ny").on_or_before(published - timedelta(days=back))
    assert claim["period_end"] == expected


@pytest.mark.parametrize(
    "attribute", ["mining difficulty", "hashrate", "network difficulty", "dominance", "open interest", "demand"]
)
@pytest.mark.parametrize("verb", ["rose", "fell", "jumped"])
def test_a_figure_about_another_attribute_than_the_price_is_left_out(attribute, verb):
    result = draft(f"Bitcoin {attribute} {verb} 3% on Monday, February 2, 2026.", date(2026, 2, 9), "t")
    assert result.claims.is_empty()
    assert any("another attribute" in r for r in result.left_out["reason"])


@pytest.mark.parametrize("lead", ["In the past week", "Over the past month", "So far this year"])
def test_a_leading_period_scopes_every_figure_of_the_sentence(lead):
    text = f"{lead}, bitcoin has fallen by about 25%, and ether has fallen by nearly 30%."
    found = rows(text, date(2024, 8, 6))
    assert [r["series"] for r in found] == ["BTC", "ETH"]
    assert len({(r["measure"], r["period_start"], r["period_end"]) for r in found}) == 1
    assert found[0]["measure"] == "period_change"


def test_a_crossing_followed_by_a_percentage_names_the_move():
    text = "On August 5, 2024, bitcoin fell below $50,000, a 15% drop in 24 hours."
    found = {r["measure"]: r for r in rows(text, date(2024, 8, 6))}
    assert found["rolling_24h_change"]["claimed_value"] == -0.15 and "intraday_low" in found


@pytest.mark.parametrize(("word", "measure"), [("lowest", "min_yield_before"), ("highest", "max_yield_before")])
def test_a_yield_at_its_lowest_or_highest_level_since_gives_that_history(word, measure):
    text = f"The US 2-year Treasury yield moved to 3.88% on August 5, 2024, the {word} level since May 2023."
    found = {r["measure"]: r for r in rows(text, date(2024, 8, 6))}
    assert (found[measure]["period_start"], found[measure]["claimed_value"]) == (date(2023, 6, 1), 3.88)


@pytest.mark.parametrize("up", [True, False])
@pytest.mark.parametrize(
    ("start_words", "start_day"), [("at the beginning of July", date(2024, 7, 1)), ("on July 10", date(2024, 7, 10))]
)
def test_a_percentage_after_from_a_time_to_a_time_is_the_move_between_them(up, start_words, start_day):
    a, b, verb = (100, 130, "rose") if up else (130, 100, "fell")
    text = f"Gold {verb} sharply, from ${a} {start_words} to ${b} on August 5, 2024, a move of more than 20%."
    found = rows(text, date(2024, 8, 6))
    move = next(r for r in found if r["unit"] == "fraction")
    assert (move["measure"], move["period_start"], move["period_end"]) == ("period_change", start_day, date(2024, 8, 5))
    level = next(r for r in found if r["claimed_value"] == b)
    assert level["period_end"] == date(2024, 8, 5)  # the date beside the level is its own


def test_a_levels_history_is_the_figures_it_follows_and_a_change_rank_is_no_level_rank():
    text = (
        "Bitcoin fell below $75,000 on April 7, 2025, and ether fell below $1,400, the lowest level since March 2023."
    )
    ranked = [r for r in rows(text, date(2025, 4, 10)) if r["measure"] == "min_close_before"]
    assert [r["series"] for r in ranked] == ["ETH"]
    change = "The 10-year Treasury yield rose to 4.5% on April 11, 2025, the largest weekly increase since 2001."
    assert all(r["measure"] == "yield_high" for r in rows(change, date(2025, 4, 12)))


@pytest.mark.parametrize("month", ["January", "February", "November"])
def test_a_series_that_ended_a_month_at_a_level_is_that_months_last_close(month):
    published = date(2026, 3, 2)
    claim = next(
        r for r in rows(f"The dollar index ended {month} at 97.8.", published) if r["measure"] == "close_level"
    )
    year, number = (2026, 1) if month == "January" else (2026, 2) if month == "February" else (2025, 11)
    last = (date(year + number // 12, number % 12 + 1, 1)) - timedelta(days=1)
    assert claim["period_end"] == Calendar("ny").on_or_before(last)


def test_a_figure_after_two_dates_is_the_move_between_them_and_levels_keep_their_dates():
    text = (
        "After bottoming at $64 on February 6, 2026, silver climbed back above $90 by February 27, 2026, "
        "a gain of over 40%."
    )
    found = rows(text, date(2026, 3, 2))
    by_measure = {r["measure"]: r for r in found}
    assert by_measure["intraday_low"]["period_end"] == date(2026, 2, 6)
    assert (by_measure["intraday_high"]["wording_rule"], by_measure["intraday_high"]["period_end"]) == (
        "broke_above",
        date(2026, 2, 27),
    )
    move = by_measure["period_change"]
    assert (move["period_start"], move["period_end"], move["claimed_value"]) == (
        date(2026, 2, 6),
        date(2026, 2, 27),
        0.4,
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("Gold is now only 5% below its January record.", "drawdown_from_peak"),
        ("Micron shares have rebounded 25% from their February low.", "period_rise_from_trough"),
    ],
)
def test_a_distance_from_a_named_extreme_in_the_present_is_measured_now(text, measure):
    found = [
        r for r in rows(f"On February 6, 2026, silver fell 10%. {text}", date(2026, 3, 2)) if r["measure"] == measure
    ]
    assert found and found[0]["period_end"] == date(2026, 2, 27)  # now (the last session before Mar 2), not Feb 6


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, bp=st.integers(2, 40), level=st.integers(100, 500), other=st.integers(100, 500))
def test_a_rank_speaks_of_the_figure_it_follows_or_precedes_not_a_neighbours(day, bp, level, other):
    when = f"on {day:%B} {day.day}, {day.year}"
    a, b = f"{level / 100:.2f}%", f"{other / 100:.2f}%"
    text = (
        f"The 30-year JGB yield jumped {bp} bps to a record {a} {when}, and the 40-year yield surged {bp} basis "
        f"points to {b}, its highest since the maturity was introduced in 2007."
    )
    claims = rows(text, day + timedelta(days=1))
    # 'a record 3.77%' is the 30-year's level; 'its highest since' the 40-year's level: no change is ranked.
    assert not [c for c in claims if c["measure"] == "yield_change_rank"]
    assert {(c["series"], c["claimed_value"]) for c in claims if c["measure"] == "yield_level"} == {
        ("JGB:30", level / 100),
        ("JGB:40", other / 100),
    }
    for ranked in (
        f"AMD plunged {bp}% {when}, its worst day since 2008.",
        f"AMD posted its worst day since 2008 {when}, plunging {bp}%.",
        # a price level between the move and its rank is the move's end, not another move
        f"Silver crashed {bp}% {when} to settle at ${level / 3:.2f} an ounce, the metal's biggest drop since 1980.",
    ):
        measures = [c["measure"] for c in rows(ranked, day + timedelta(days=1))]
        assert measures[:2] == ["return_1d", "return_rank_in_sample"], ranked
    # Two moves, one rank: the rank is the one it follows.
    two = f"Silver plunged {bp}% {when} and gold fell {bp / 10}%, the largest decline of gold since 1980."
    assert [c["series"] for c in rows(two, day + timedelta(days=1)) if "rank" in c["measure"]] == ["XAU"]


@pytest.mark.parametrize("words", ["holding near", "held around", "steady at", "flat at"])
def test_a_price_held_at_a_level_is_its_close(words):
    (claim,) = rows(
        f"Dollar-yen was {words} 158.15 on January 20, 2026.".replace("was held", "held"), date(2026, 1, 21)
    )
    assert (claim["series"], claim["measure"], claim["claimed_value"]) == ("USDJPY_NY", "close_level", 158.15)


@settings(max_examples=30, deadline=None)
@given(
    day=WEEKDAYS,
    level=st.integers(20, 5_000),
    side=st.sampled_from(["low", "high", "lows", "highs", "worst", "best"]),
    words=st.sampled_from(["At the session's {side}", "At its {side}", "At the day's {side}"]),
    verb=st.sampled_from(["traded at", "changed hands at", "stood at", "was at"]),
)
def test_a_level_at_the_sessions_extreme_is_that_extreme(day, level, side, words, verb):
    opening = words.format(side=side)
    (claim,) = rows(f"{opening} gold {verb} ${level:,} on {day:%B} {day.day}, {day.year}.", day + timedelta(days=1))
    low = side in ("low", "lows", "worst")
    assert (claim["measure"], claim["claimed_value"], claim["period_end"]) == (
        "intraday_low" if low else "intraday_high",
        float(level),
        Calendar("ny").on_or_before(day),
    )


SERIES_NAMES = [("Micron", "MU"), ("AMD", "AMD"), ("SanDisk", "SNDK"), ("gold", "XAU"), ("bitcoin", "BTC")]


@settings(max_examples=30, deadline=None)
@given(
    day=WEEKDAYS,
    picked=st.lists(st.sampled_from(range(len(SERIES_NAMES))), min_size=2, max_size=4, unique=True),
    tenths=st.lists(st.integers(1, 300), min_size=4, max_size=4, unique=True),
    up=st.booleans(),
)
def test_figures_listed_respectively_belong_in_order_to_the_series_listed(day, picked, tenths, up):
    names = [SERIES_NAMES[i][0] for i in picked]
    figures = [f"{t / 10:.1f}%" for t in tenths[: len(picked)]]
    listed = lambda items: ", ".join(items[:-1]) + " and " + items[-1]  # noqa: E731
    text = (
        f"{listed(names)} {'rose' if up else 'fell'} {listed(figures)} respectively on {day:%B} {day.day}, {day.year}."
    )
    claims = rows(text, day + timedelta(days=1))
    assert [(c["series"], c["claimed_value"]) for c in claims] == [
        (SERIES_NAMES[i][1], (1 if up else -1) * t / 1000) for i, t in zip(picked, tenths, strict=False)
    ]
    # Lists of two lengths pair nothing by order: both figures stay with the series named last before them.
    if len(picked) > 2:
        uneven = rows(f"{listed(names)} fell 5% and 6% respectively on {day:%B} {day.day}, {day.year}.", day)
        assert {c["series"] for c in uneven if c["claimed_value"] in (-0.05, -0.06)} == {SERIES_NAMES[picked[-1]][1]}


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, low=st.integers(1, 30), width=st.integers(1, 5), up=st.booleans())
def test_between_two_percentages_is_a_range(day, low, width, up):
    when = f"on {day:%B} {day.day}, {day.year}"
    verb = "rose" if up else "fell"
    (between,) = rows(f"Bitcoin {verb} between {low}% and {low + width}% {when}.", day + timedelta(days=1))
    (dashed,) = rows(f"Bitcoin {verb} {low}-{low + width}% {when}.", day + timedelta(days=1))
    assert {k: between[k] for k in ("measure", "claimed_value", "wording_rule")} == {
        k: dashed[k] for k in ("measure", "claimed_value", "wording_rule")
    }


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(100, 90_000), verb=st.sampled_from(["closed", "ended", "settled"]))
def test_a_close_with_its_date_before_the_level_is_a_close(day, level, verb):
    for when in (f"{day:%B} {day.day}, {day.year}", f"on {day:%A}, {day:%B} {day.day}, {day.year},"):
        (claim,) = rows(f"Bitcoin {verb} {when} at ${level:,}.", day + timedelta(days=1))
        assert (claim["measure"], claim["claimed_value"], claim["period_end"]) == ("close_level", float(level), day)


RANK_WORDS = ["largest", "biggest", "worst", "sharpest", "steepest", "best", "deepest", "heaviest"]
SPANS = {  # words after a rank word -> the span the left-out row names (rank_spans.csv)
    "weekly": "a week",
    "week": "a week",
    "five-day": "a week",
    "two-week": "several weeks",
    "monthly": "a month",
    "three-month": "several months",
    "quarterly": "a quarter",
    "annual": "a year",
    "two-day": "several sessions",
    "three-session": "several sessions",
}
ONE_SESSION = ["", " one-day", " single-day", " single-session", " daily"]


@settings(max_examples=60, deadline=None)
@given(
    day=WEEKDAYS,
    pct=st.integers(2, 40),
    up=st.booleans(),
    word=st.sampled_from(RANK_WORDS),
    span=st.sampled_from(sorted(SPANS)),
    series=st.sampled_from([("Bitcoin", "BTC"), ("Silver", "XAG"), ("The Nasdaq", "IXIC"), ("AMD", "AMD")]),
    year=st.integers(2001, 2023),
)
def test_a_rank_of_longer_moves_is_left_out_and_a_sessions_rank_is_drafted(day, pct, up, word, span, series, year):
    name, code = series
    verb = "surged" if up else "plunged"
    when = f"on {day:%B} {day.day}, {day.year}"
    noun = "rally" if up else "drop"
    out = draft(f"{name} {verb} {pct}% {when}, its {word} {span} {noun} since {year}.", day + timedelta(days=1), "t")
    claims = out.claims.to_dicts()
    assert [c["measure"] for c in claims] == ["return_1d"] and claims[0]["series"] == code
    assert claims[0]["claimed_value"] == pytest.approx((1 if up else -1) * pct / 100)
    reasons = [r["reason"] for r in out.left_out.to_dicts() if r["figure"].lower().startswith(word)]
    assert reasons == [f"a rank among moves over {SPANS[span]} (rank_spans.csv): the ledger ranks one session's moves"]
    # The same sentence ranking one session's move drafts the rank, whichever word says so.
    for session in ONE_SESSION:
        text = f"{name} {verb} {pct}% {when}, its {word}{session} {noun} since {year}."
        measures = [c["measure"] for c in rows(text, day + timedelta(days=1))]
        assert measures == ["return_1d", "return_rank_in_sample"], text


def test_a_rank_of_longer_moves_without_a_figure_is_left_out_too():
    out = draft("Gold logged its biggest monthly gain since 1980 in January.", date(2026, 2, 2), "t")
    assert out.claims.is_empty()
    assert "a rank among moves over a month" in out.left_out["reason"].to_list()[-1]
    # ... and a figureless rank of a session is drafted as before
    kept = rows("Silver suffered its worst day since 1980 on January 30.", date(2026, 2, 2))
    assert [c["measure"] for c in kept] == ["return_rank_in_sample"]


@settings(max_examples=40, deadline=None)
@given(
    day=WEEKDAYS,
    level=st.integers(20, 200_000),
    noun=st.sampled_from(["a close of", "a record close of", "its highest close of", "a fresh record close of"]),
    qualifier=st.sampled_from(["", "about ", "roughly ", "just under "]),
    series=st.sampled_from([("Bitcoin", "BTC"), ("Gold", "XAU"), ("Silver", "XAG")]),
)
def test_a_close_named_as_a_noun_is_that_sessions_close_and_a_record_one_tops_every_earlier(
    day, level, noun, qualifier, series
):
    name, code = series
    text = f"{name} posted {noun} {qualifier}${level:,} on {day:%B} {day.day}, {day.year}."
    claims = {c["measure"]: c for c in rows(text, day + timedelta(days=2))}
    close = claims["close_level"]
    assert (close["series"], close["claimed_value"]) == (code, level), text
    assert (
        close["period_start"] == close["period_end"] == Calendar("crypto" if code == "BTC" else "ny").on_or_before(day)
    )
    assert ("max_close_before" in claims) == ("record" in noun), text
