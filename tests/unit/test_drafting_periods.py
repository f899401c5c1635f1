"""Periods named in words the drafter had not read: a month without its year after a sentence about another day,
'the same month', 'the first week of April', 'over the whole of 2025', and what they carry (a fall given back,
the buyers named as public companies). Sentences of our own, not the seed article's."""

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
