"""Periods named in words the drafter had not read: a month without its year after a sentence about another day,
'the same month', 'the first week of April', 'over the whole of 2025', and what they carry (a fall given back,
the buyers named as public companies); periods counted on ('the following week', 'before giving back 31% in two
sessions'), a whole month after another day ('over the course of January'), a clause that shares the period of the
one before it, a figureless move over a month, 'over the three sessions to Monday' and a move 'by Thursday' after
an earlier day. Sentences of our own, not the seed article's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import MONTHS, Calendar, latest_month, month_bounds, nearest_month
from transforms.claims.drafting.draft import draft

NY = Calendar("ny")


def rows(text: str, published: date) -> list[dict]:
    return draft(text, published, "t").claims.to_dicts()


def of(found: list[dict], series: str) -> dict:
    mine = [r for r in found if r["series"] == series]
    assert len(mine) == 1, found
    return mine[0]


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(MONTHS),
    anchor=st.dates(date(2001, 1, 1), date(2030, 12, 31)),
    after=st.integers(0, 800),
)
def test_a_month_without_its_year_is_the_nearest_one_begun_by_publication(name, anchor, after):
    published = anchor + timedelta(days=after)
    year, month = nearest_month(name, anchor, published)
    first, last = month_bounds(year, month)
    assert MONTHS[month - 1] == name and first <= published

    def distance(y: int) -> int:
        a, b = month_bounds(y, month)
        return 0 if a <= anchor <= b else min(abs((a - anchor).days), abs((b - anchor).days))

    years = range(anchor.year - 2, anchor.year + 3)
    others = [y for y in years if y != year and month_bounds(y, month)[0] <= published]
    assert all(distance(year) <= distance(y) for y in others)
    # Counted from publication itself, it is the latest such month, as before.
    assert nearest_month(name, published, published) == latest_month(name, published)


@pytest.mark.parametrize(
    ("before", "month", "published", "expected"),
    [
        # forward: the month after the day an earlier sentence spoke of, still before publication
        ("Gold hit a record on 20 January 2026.", "February", date(2026, 4, 10), (2026, 2)),
        ("The yen carry trade unwound on 5 August 2024.", "September", date(2026, 4, 10), (2024, 9)),
        # backward: the month just before that day
        ("Bitcoin peaked on 6 October 2025.", "September", date(2026, 4, 10), (2025, 9)),
        ("Bitcoin fell on 5 November 2025.", "October", date(2026, 4, 10), (2025, 10)),
    ],
)
def test_a_month_named_after_another_day_is_read_near_that_day(before, month, published, expected):
    text = f"{before} In {month}, spot bitcoin ETFs saw net outflows of $3.2 billion."
    flows = of(rows(text, published), "etf_usd")
    first, last = month_bounds(*expected)
    assert (flows["period_start"], flows["period_end"]) == (first, last)
    assert flows["claimed_value"] == -3.2e9


@pytest.mark.parametrize("verb", ["gained", "shed", "added", "lost"])
@pytest.mark.parametrize("same", ["over the same month", "in the same month", "during that month"])
def test_the_same_month_is_the_month_named_before_it(verb, same):
    found = rows(f"Bitcoin slid 12% in March 2026, while ether {verb} 20% {same}.", date(2026, 4, 10))
    ether = of(found, "ETH")
    assert ether["measure"] == "period_change"
    assert (ether["period_start"], ether["period_end"]) == (date(2026, 2, 28), date(2026, 3, 31))
    assert ether["claimed_value"] == (0.2 if verb in ("gained", "added") else -0.2)


@pytest.mark.parametrize(
    ("nth", "days"),
    [("first", (1, 7)), ("second", (8, 14)), ("third", (15, 21)), ("fourth", (22, 28)), ("last", (25, 31))],
)
@pytest.mark.parametrize("up", [True, False])
def test_a_week_of_a_month_runs_from_the_last_close_before_it(nth, days, up):
    verb = "jumped" if up else "fell"
    found = rows(f"The 10-year Treasury yield {verb} 25 basis points in the {nth} week of March.", date(2026, 4, 10))
    move = of(found, "UST:10")
    first, last = date(2026, 3, days[0]), date(2026, 3, days[1])
    assert move["measure"] == "yield_change_bp" and move["claimed_value"] == (25 if up else -25)
    assert move["period_start"] == NY.on_or_before(first - timedelta(days=1))
    assert move["period_end"] == NY.on_or_before(last)


@pytest.mark.parametrize("words", ["over the whole of", "throughout", "over the course of", "across all of"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_a_year_in_other_words_is_that_calendar_year(words, year):
    text = f"{words.capitalize()} {year}, bitcoin miners produced about 160,000 new coins."
    issuance = of(rows(text, date(2026, 4, 10)), "issuance_btc")
    assert (issuance["period_start"], issuance["period_end"]) == (date(year, 1, 1), date(year, 12, 31))
    assert issuance["measure"] == "btc_flows" and issuance["claimed_value"] == 160000


@pytest.mark.parametrize("who", ["public companies", "listed companies", "publicly traded companies"])
def test_companies_that_buy_bitcoin_are_the_treasury_companies(who):
    text = f"In 2025, bitcoin miners produced about 164,000 new coins, while {who} added more than 500,000 BTC."
    found = rows(text, date(2026, 4, 10))
    treasury = of(found, "treasury_btc")
    assert treasury["claimed_value"] == 500000 and treasury["wording_rule"] == "over"
    assert not [r for r in found if r["series"] == "BTC"]  # 'bitcoin miners' is no price move of bitcoin


@pytest.mark.parametrize("verb", ["giving back", "gave back", "surrendered"])
def test_a_gain_given_back_is_a_fall(verb):
    found = rows(f"Silver rallied on Monday, then {verb} 9% on Tuesday, February 3, 2026.", date(2026, 2, 7))
    move = of([r for r in found if r["claimed_value"] and abs(r["claimed_value"]) == 0.09], "XAG")
    assert move["claimed_value"] == -0.09


@settings(max_examples=120, deadline=None)
@given(
    month=st.integers(1, 12),
    year=st.integers(2015, 2025),
    anchor_day=st.integers(1, 28),
    words=st.sampled_from(["Over the course of", "Throughout", "During", "Over the whole of", "In", "Across"]),
    outflow=st.booleans(),
)
def test_a_month_is_whole_whatever_day_an_earlier_sentence_spoke_of(month, year, anchor_day, words, outflow):
    name = MONTHS[month - 1].capitalize()
    anchor = date(year, month, anchor_day)
    flow = "outflows" if outflow else "inflows"
    text = f"Gold fell 3% on {name} {anchor_day}, {year}. {words} {name}, spot bitcoin ETFs saw {flow} of 40,000 BTC."
    flows = of(rows(text, date(2026, 3, 10)), "etf_btc")
    assert (flows["period_start"], flows["period_end"]) == month_bounds(year, month), anchor
    assert flows["claimed_value"] == (-40000 if outflow else 40000)


def test_a_month_not_over_at_publication_ends_at_publication():
    text = "Gold fell 3% on February 3, 2026. During February, spot bitcoin ETFs saw outflows of 40,000 BTC."
    flows = of(rows(text, date(2026, 2, 10)), "etf_btc")
    assert flows["period_start"] == date(2026, 2, 1) and flows["period_end"] <= date(2026, 2, 10)
    assert flows["period_end"] >= date(2026, 2, 9)


@pytest.mark.parametrize("verb, sign", [("rose", 1), ("fell", -1)])
@pytest.mark.parametrize("words", ["the following week", "the next week", "in the following week", "the week after"])
def test_the_following_week_is_the_calendar_week_after_the_day(verb, sign, words):
    text = f"The 10-year Treasury yield fell on Tuesday, March 3, 2026. It {verb} 12 basis points {words}."
    move = [r for r in rows(text, date(2026, 4, 10)) if r["claimed_value"]]
    (move,) = move
    # the week of March 9: from the last close before it (Friday, March 6) to its last session (Friday, March 13)
    assert (move["period_start"], move["period_end"]) == (date(2026, 3, 6), date(2026, 3, 13))
    assert move["claimed_value"] == sign * 12


def test_the_following_month_is_the_calendar_month_after_the_day():
    text = "Gold fell 2% on January 20, 2026. Silver rose 15% the following month."
    silver = of(rows(text, date(2026, 4, 10)), "XAG")
    assert (silver["period_start"], silver["period_end"]) == (date(2026, 1, 30), date(2026, 2, 27))
    assert silver["claimed_value"] == 0.15


@settings(max_examples=80, deadline=None)
@given(
    anchor=st.dates(date(2015, 1, 5), date(2025, 12, 1)),
    n=st.integers(2, 5),
    words=st.sampled_from(
        [
            "before giving back {p} in {n} sessions",
            "then fell {p} over the next {n} sessions",
            "only to lose {p} in the following {n} trading days",
        ]
    ),
)
def test_sessions_after_a_word_of_sequence_are_counted_on_from_the_day(anchor, n, words):
    """A rise then a fall: the fall's sessions run forward from the day named, never back from it."""
    written = f"{anchor:%B} {anchor.day}, {anchor.year}"
    text = f"Silver climbed to a record on {written} " + words.format(p="31%", n=n) + "."
    (move,) = [r for r in rows(text, anchor + timedelta(days=60)) if r["claimed_value"]]
    start = NY.on_or_before(anchor)
    end = start
    for _ in range(n):
        end = NY.after(end)
    assert (move["measure"], move["period_start"], move["period_end"]) == ("period_change", start, end)
    assert move["claimed_value"] == -0.31


def test_days_after_a_word_of_sequence_are_calendar_days_for_crypto():
    text = "Bitcoin rose on January 14, 2026, then fell 10% over the next five days."
    btc = [r for r in rows(text, date(2026, 3, 1)) if r["claimed_value"]]
    assert [(r["period_start"], r["period_end"], r["claimed_value"]) for r in btc] == [
        (date(2026, 1, 14), date(2026, 1, 19), -0.1)
    ]


@pytest.mark.parametrize("joiner", ["while", "and", "as", "but", "whereas"])
def test_a_joined_clause_with_no_time_of_its_own_shares_the_period_before_it(joiner):
    text = f"Gold rose 4% in the first week of March 2026, {joiner} silver jumped 9%."
    found = rows(text, date(2026, 4, 10))
    gold, silver = of(found, "XAU"), of(found, "XAG")
    assert (silver["period_start"], silver["period_end"]) == (gold["period_start"], gold["period_end"])
    assert (gold["period_start"], gold["period_end"]) == (date(2026, 2, 27), date(2026, 3, 6))


def test_a_joined_clause_with_its_own_day_keeps_it():
    text = "Gold rose 4% in the first week of March 2026, while silver jumped 9% on March 10."
    silver = of(rows(text, date(2026, 4, 10)), "XAG")
    assert (silver["measure"], silver["period_start"]) == ("return_1d", date(2026, 3, 10))


@pytest.mark.parametrize("verb, rule", [("slipped", "fell"), ("climbed", "rose")])
def test_a_move_with_no_figure_over_a_month_is_the_months_move(verb, rule):
    text = f"Bitcoin fell 12% in March 2026. Ether {verb} even more over that month."
    ether = of(rows(text, date(2026, 4, 10)), "ETH")
    assert (ether["measure"], ether["wording_rule"]) == ("period_change", rule)
    assert (ether["period_start"], ether["period_end"]) == (date(2026, 2, 28), date(2026, 3, 31))


@pytest.mark.parametrize("same", ["the same week", "that week", "in the same week", "during that week"])
def test_the_same_week_is_the_week_of_the_day_before(same):
    text = f"Gold closed at $3,450 on Friday, August 14, 2026. Silver lagged, adding just 2% {same}."
    silver = of(rows(text, date(2026, 8, 20)), "XAG")
    assert (silver["measure"], silver["period_start"], silver["period_end"]) == (
        "period_change",
        date(2026, 8, 7),
        date(2026, 8, 14),
    )


@pytest.mark.parametrize("half, days", [("first", (1, 15)), ("second", (16, 31))])
@pytest.mark.parametrize("named", [True, False])
def test_a_half_of_a_month_runs_from_the_close_before_it(half, days, named):
    month = (
        "the first half of July"
        if (half, named) == ("first", True)
        else f"the {half} half of " + ("July" if named else "the month")
    )
    text = f"Gold closed at $3,300 on July 2, 2026. Japanese 30-year yields rose 20 basis points in {month}."
    jgb = of(rows(text, date(2026, 8, 20)), "JGB:30")
    first, last = date(2026, 7, days[0]), date(2026, 7, days[1])
    assert jgb["measure"] == "yield_change_bp" and jgb["claimed_value"] == 20
    assert jgb["period_start"] < first <= jgb["period_end"] <= last


@pytest.mark.parametrize("half, months", [("first", (1, 6)), ("second", (7, 12))])
def test_a_half_of_a_year_runs_from_the_close_before_it(half, months):
    text = f"Bitcoin rose 20% in the {half} half of 2025."
    btc = of(rows(text, date(2026, 2, 10)), "BTC")
    first = date(2025, months[0], 1)
    assert btc["period_start"] == first - timedelta(days=1)
    assert btc["period_end"] == (date(2025, 6, 30) if half == "first" else date(2025, 12, 31))


def test_a_history_named_by_a_month_is_not_the_month_the_text_goes_on_about():
    text = (
        "Gold closed at $3,400 on August 14, 2026. The yen weakened past 150 per dollar, its softest level since "
        "March. Japanese 30-year yields rose 20 basis points in the first half of the month."
    )
    jgb = of(rows(text, date(2026, 8, 20)), "JGB:30")
    assert (jgb["period_start"], jgb["period_end"]) == (date(2026, 7, 31), date(2026, 8, 14))


@pytest.mark.parametrize("word, measure", [("softest", "max_close_before"), ("firmest", "min_close_before")])
def test_a_rank_of_the_yen_over_a_window_bounds_the_history_before_the_window(word, measure):
    """The yen's softest level is USD/JPY's highest: no USD/JPY close before early August was above it."""
    text = f"The yen weakened past 150 per dollar in early August 2026, its {word} level since March."
    found = rows(text, date(2026, 8, 20))
    ranked = [r for r in found if r["measure"].endswith("_close_before")]
    assert [(r["measure"], r["period_start"], r["period_end"]) for r in ranked] == [
        (measure, date(2026, 4, 1), date(2026, 7, 31))
    ]


@pytest.mark.parametrize(
    "words",
    ["closed at a record", "hit a fresh all-time high of", "ended at a new record high of", "closed at its record"],
)
def test_a_record_level_is_above_every_earlier_close(words):
    text = f"Gold {words} $3,450 an ounce on Friday, August 14, 2026."
    found = rows(text, date(2026, 8, 20))
    record = [r for r in found if r["measure"] == "max_close_before"]
    assert [(r["claimed_value"], r["period_end"], r["required_history_from"]) for r in record] == [
        (3450.0, date(2026, 8, 13), date(1900, 1, 1))
    ]
    assert not [
        r
        for r in rows("Gold closed at $3,450 an ounce on Friday, August 14, 2026.", date(2026, 8, 20))
        if r["measure"] == "max_close_before"
    ]


@settings(max_examples=60, deadline=None)
@given(
    monday=st.dates(date(2015, 1, 5), date(2025, 12, 1)).map(lambda x: x - timedelta(days=x.weekday())),
    n=st.integers(2, 5),
    unit=st.sampled_from(["sessions", "trading days"]),
    to=st.sampled_from(["to", "ending", "through"]),
)
def test_n_sessions_to_a_day_end_on_that_day(monday, n, unit, to):
    text = f"Over the {n} {unit} {to} Monday, the dollar shed roughly 5% against the yen."
    (move,) = rows(text, monday + timedelta(days=3))
    start = monday
    for _ in range(n):
        start = NY.before(start)
    assert (move["measure"], move["period_start"], move["period_end"]) == ("period_change", start, monday)
    assert move["claimed_value"] == -0.05


@pytest.mark.parametrize("verb, sign", [("rebounding", 1), ("recovering", 1), ("giving back", -1), ("adding", 1)])
@pytest.mark.parametrize("seq", ["before", "then", "only to be"])
def test_a_move_by_a_later_day_after_a_word_of_sequence_runs_from_the_earlier_day(verb, sign, seq):
    text = f"Two-year Treasury yields sank to 3.65% on Monday, {seq} {verb} 25 basis points by Thursday."
    move = [r for r in rows(text, date(2024, 8, 9)) if r["measure"] == "yield_change_bp"]
    assert [(r["period_start"], r["period_end"], r["claimed_value"]) for r in move] == [
        (date(2024, 8, 5), date(2024, 8, 8), sign * 25.0)
    ]


def test_a_move_by_a_day_without_a_word_of_sequence_keeps_its_day():
    (_, week) = rows("Gold rose 1% on Monday and was up 3% by Friday.", date(2024, 8, 9))
    assert (week["period_start"], week["period_end"]) == (date(2024, 8, 9), date(2024, 8, 9))


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("words", ["across the week's first {n} sessions", "over the first {n} sessions of the week"])
def test_the_weeks_first_sessions_run_from_the_close_before_its_monday(n, words):
    text = f"Gold fell on Thursday, February 12, 2026. Japan's 40-year yield dropped 15bp {words.format(n=n)}."
    jgb = of(rows(text, date(2026, 2, 20)), "JGB:40")
    end = date(2026, 2, 6)
    for _ in range(n):
        end = NY.after(end)
    assert (jgb["period_start"], jgb["period_end"], jgb["claimed_value"]) == (date(2026, 2, 6), end, -15.0)


@pytest.mark.parametrize("level", ["steadied around $67k", "hovered near $67,000", "traded at about $67,000"])
def test_a_levels_period_is_not_one_named_after_a_later_move(level):
    text = f"Bitcoin {level} on Tuesday after shedding almost a fifth since the start of February."
    found = rows(text, date(2026, 2, 12))
    price = [r for r in found if r["claimed_value"] == 67000.0]
    move = [r for r in found if r["measure"] == "period_change"]
    assert [(r["period_start"], r["period_end"]) for r in price] == [(date(2026, 2, 10), date(2026, 2, 10))]
    assert [(r["period_start"], r["claimed_value"]) for r in move] == [(date(2026, 1, 31), -0.2)]


def test_sessions_counted_on_end_no_later_than_the_last_session_before_publication():
    text = "Silver climbed to a record on Thursday, January 29, 2026, then fell 31% over the next five sessions."
    (move,) = [r for r in rows(text, date(2026, 2, 3)) if r["claimed_value"]]
    assert (move["period_start"], move["period_end"]) == (date(2026, 1, 29), date(2026, 2, 2))


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@settings(max_examples=60, deadline=None)
@given(
    published=st.dates(date(2024, 3, 4), date(2026, 7, 31)),
    first=st.integers(0, 3),
    length=st.integers(1, 4),
    pct=st.integers(2, 30),
    up=st.booleans(),
    words=st.sampled_from(["across {a} and {b}", "over {a} and {b} combined", "on {a} and {b}", "{a} through {b}"]),
    series=st.sampled_from([("Silver", "XAG"), ("Bitcoin", "BTC"), ("The Nasdaq", "IXIC")]),
)
def test_two_weekdays_one_figure_is_the_move_over_both_sessions(published, first, length, pct, up, words, series):
    from transforms.claims.drafting.dates import weekday_on_or_before

    a, b = DAYS[first], DAYS[min(first + length, 4)]
    name, code = series
    text = f"{name} {'rose' if up else 'fell'} {pct}% {words.format(a=a, b=b)}."
    (claim,) = draft(text, published, "t").claims.to_dicts()
    cal = Calendar("crypto" if code == "BTC" else "ny")
    last = weekday_on_or_before(published, b)
    start = weekday_on_or_before(last, a)
    assert (claim["measure"], claim["series"]) == ("period_change", code), text
    assert claim["period_start"] == cal.on_or_before(start - timedelta(days=1)), text  # the close before the first
    assert claim["period_end"] == cal.on_or_before(last), text
    assert claim["claimed_value"] == pytest.approx((1 if up else -1) * pct / 100)
    # 'between' the two days is close to close, as 'from ... to ...'
    (between,) = draft(f"{name} fell {pct}% between {a} and {b}.", published, "t").claims.to_dicts()
    assert (between["period_start"], between["period_end"]) == (cal.on_or_before(start), cal.on_or_before(last))


def test_two_weekdays_with_respectively_are_not_one_span():
    claims = draft("Silver and gold fell 5% and 3% on Thursday and Friday respectively.", date(2026, 2, 9), "t").claims
    assert "period_change" not in claims["measure"].to_list()
