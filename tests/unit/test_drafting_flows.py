"""Drafting rules for flow articles ('who was buying'): the funds and companies named as buyers ('US spot ETFs',
'the funds', 'corporate treasuries', 'the network issued'), a unit left to an earlier figure ('177,000 BTC, and
corporate treasuries another 388k'), one period for a sentence's flows, 'over the year' after a year was named,
Strategy's own purchases ('the company bought 22,305 BTC in the week to January 20'), and money leaving the funds
as a negative flow. Each is tested across its class on sentences of our own."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.draft import draft

FIELDS = ("series", "measure", "period_start", "period_end", "claimed_value")
YEARS = st.integers(2024, 2025)
DAYS = st.dates(date(2024, 3, 1), date(2026, 6, 30))


def rows(text: str, published: date) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in draft(text, published, "t").claims.to_dicts()]


def whole(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@settings(max_examples=30, deadline=None)
@given(
    year=YEARS,
    etf=st.integers(1_000, 900_000),
    treasury=st.integers(1, 900),
    issued=st.integers(1_000, 400_000),
    etfs=st.sampled_from(["US spot ETFs", "Spot ETFs", "The ETFs", "US-listed spot ETFs", "Spot bitcoin ETFs"]),
    companies=st.sampled_from(["corporate treasuries", "treasury companies", "company treasuries"]),
)
def test_a_sentences_flows_share_its_period_and_its_unit(year, etf, treasury, issued, etfs, companies):
    text = (
        f"{etfs} absorbed {etf:,} BTC in {year}, and {companies} another {treasury}k, while the network issued "
        f"only {issued:,} new coins."
    )
    claims = rows(text, date(2026, 2, 10))
    assert claims == [
        ("etf_btc", "btc_flows", *whole(year), float(etf)),
        ("treasury_btc", "btc_flows", *whole(year), treasury * 1000.0),
        ("issuance_btc", "btc_flows", *whole(year), float(issued)),
    ]


@settings(max_examples=20, deadline=None)
@given(year=YEARS, etf=st.integers(1_000, 900_000), words=st.sampled_from(["over the year", "for the year"]))
def test_over_the_year_after_a_year_was_named_is_that_year(year, etf, words):
    published = date(2026, 2, 10)
    text = f"For most of {year} the story was simple. US spot ETFs absorbed {etf:,} BTC {words}."
    assert rows(text, published) == [("etf_btc", "btc_flows", *whole(year), float(etf))]
    # With no year named before, the year is counted back from the writer's now, as before.
    (alone,) = rows(f"US spot ETFs absorbed {etf:,} BTC {words}.", published)
    assert (alone[2], alone[3]) != whole(year)


@settings(max_examples=30, deadline=None)
@given(
    day=DAYS,
    coins=st.integers(100, 60_000),
    verb=st.sampled_from(["bought", "added", "acquired", "purchased", "alone added", "also bought"]),
)
def test_coins_a_company_counts_are_its_purchases_in_the_week_it_names(day, coins, verb):
    published = day + timedelta(days=3)
    written = f"{day:%B} {day.day}, {day.year}"
    text = f"Strategy {verb} {coins:,} BTC in the week to {written}."
    week = (day - timedelta(days=6), day)
    assert rows(text, published) == [("strategy_btc", "btc_flows", *week, float(coins))]
    # The company named before, 'the company' after: the same purchases.
    carried = rows(
        f"Strategy's buying went on. The company {verb.split()[-1]} {coins:,} BTC in the week to {written}.", published
    )
    assert carried == [("strategy_btc", "btc_flows", *week, float(coins))]
    # The coins it holds are no purchase: left out, saying so.
    held = draft(f"Strategy holds {coins:,} BTC, bought for about $54 billion.", published, "t")
    assert held.claims.is_empty()
    reasons = dict(zip(held.left_out["figure"], held.left_out["reason"], strict=True))
    assert "holds, not a purchase" in reasons[f"{coins:,} BTC"] and "not a price" in reasons["$54 billion"]
    # A percentage of the company is still its stock's move.
    (stock,) = rows(f"Strategy shares fell 5% on {written}.", published)
    assert stock[0] == "MSTR" and stock[1] == "return_1d"


@settings(max_examples=30, deadline=None)
@given(
    day=DAYS.filter(lambda d: d.weekday() < 5),
    millions=st.integers(10, 2_000),
    leaving=st.sampled_from(["leaving", "pulled", "exited", "flowing out"]),
    funds=st.sampled_from(["the funds", "spot ETFs", "US ETFs"]),
)
def test_money_leaving_the_funds_is_a_negative_flow_on_its_day(day, millions, leaving, funds):
    written = f"{day:%B} {day.day}, {day.year}"
    text = f"Outflows from {funds} continued, with ${millions} million {leaving} on {written} alone."
    assert rows(text, day + timedelta(days=2)) == [("etf_usd", "btc_flows", day, day, -millions * 1e6)]


def test_treasuries_of_companies_are_no_treasury_yield():
    claims = rows("Corporate treasuries bought 388,000 BTC in 2025.", date(2026, 2, 10))
    assert claims == [("treasury_btc", "btc_flows", *whole(2025), 388000.0)]
    (bond,) = rows("US Treasuries rose 5 basis points on February 4, 2026.", date(2026, 2, 10))
    assert bond[0] == "UST:10"
