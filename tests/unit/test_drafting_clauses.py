"""Drafting rules for clauses with a time of their own and for units that name a pair, each tested across its
class on sentences of our own: a relative clause's date is that clause's ('Gold, which had hit a record on April
3, also fell'), a leading after-clause's date is the earlier event's ('After falling 5% on Monday, ...'), a streak
('for two consecutive days'), 'ending the week', a level reached beyond a level ('dropped to below $75,000'),
a price quoted in yen ('the dollar slid to 145 yen'), a price named between liquidations and their figure, the coins a
flow named right after them counts, a close at a period's end ('ending the week near 97.6', 'ended the month at
$80') and a period named again ('over the same stretch')."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import Calendar
from transforms.claims.drafting.draft import draft

WEEKDAYS = st.dates(date(2024, 1, 8), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)
NY = Calendar("ny")


def rows(text: str, published: date) -> list[dict]:
    return draft(text, published, "t").claims.to_dicts()


def left(text: str, published: date) -> dict[str, str]:
    return {r["figure"]: r["reason"] for r in draft(text, published, "t").left_out.to_dicts()}


def written(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, up=st.booleans(), level=st.integers(1_000, 150_000), verb_i=st.integers(0, 20))
def test_a_move_that_reaches_beyond_a_level_crossed_it(day, up, level, verb_i):
    verbs = (
        ["rose to", "climbed to", "jumped to", "surged to"] if up else ["dropped to", "fell to", "slid to", "sank to"]
    )
    side = "above" if up else "below"
    text = f"Bitcoin {verbs[verb_i % len(verbs)]} {side} ${level:,} on {written(day)}."
    (claim,) = rows(text, day + timedelta(days=2))
    assert claim["measure"] == ("intraday_high" if up else "intraday_low")
    assert claim["wording_rule"] == f"broke_{side}" and claim["claimed_value"] == level
    assert claim["period_end"] == day


@settings(max_examples=30, deadline=None)
@given(record=WEEKDAYS, gap=st.integers(3, 40), pct=st.integers(1, 9), up=st.booleans())
def test_a_date_in_a_relative_clause_is_not_the_main_clauses(record, gap, pct, up):
    move_day = NY.on_or_before(record + timedelta(days=gap))
    verb = "rose" if up else "fell"
    text = f"On {written(move_day)}, gold {verb} {pct}%. "
    text += f"Silver, which had hit a record on {written(record)}, also {verb} {pct}%."
    claims = [r for r in rows(text, move_day + timedelta(days=1)) if r["series"] == "XAG"]
    assert [(c["period_end"], c["claimed_value"]) for c in claims] == [(move_day, (1 if up else -1) * pct / 100)]


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(10_000, 150_000), then=st.integers(10_000, 150_000))
def test_a_figure_in_a_relative_clause_without_a_date_of_its_own_is_left_out(day, level, then):
    assume(level != then)
    text = f"Bitcoin, which had traded near ${then:,} before the announcement, dropped to ${level:,} on {written(day)}."
    claims = rows(text, day + timedelta(days=1))
    assert [(c["claimed_value"], c["period_end"]) for c in claims] == [(level, day)]
    assert "relative clause" in left(text, day + timedelta(days=1))[f"${then:,}"]
    # With a date of its own, the figure inside is that date's.
    earlier = NY.before(day, 3)
    dated = f"Bitcoin, which had traded near ${then:,} on {written(earlier)}, dropped to ${level:,} on {written(day)}."
    found = {c["claimed_value"]: c["period_end"] for c in rows(dated, day + timedelta(days=1))}
    assert found.get(then) == earlier and found.get(level) == day


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, first=st.integers(2, 9), second=st.integers(1, 9), up=st.booleans())
def test_a_move_after_an_earlier_move_is_the_next_sessions(day, first, second, up):
    assume(first != second)
    before, after = ("falling", "rebounded") if up else ("rising", "fell")
    text = f"After {before} {first}% on {written(day)}, gold {after} {second}%."
    found = {abs(c["claimed_value"]): c for c in rows(text, day + timedelta(days=10)) if c["series"] == "XAU"}
    assert found[first / 100]["period_end"] == day
    assert found[second / 100]["period_end"] == NY.after(day) and found[second / 100]["measure"] == "return_1d"


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, n=st.integers(2, 5), up=st.booleans())
def test_a_streak_after_an_event_runs_that_many_sessions_from_its_close(day, n, up):
    words = {2: "two", 3: "three", 4: "four", 5: "five"}
    verb = "rose" if up else "fell"
    text = (
        f"After the central bank announced its decision on {written(day)}, gold {verb} for {words[n]} consecutive days."
    )
    (claim,) = [c for c in rows(text, day + timedelta(days=20)) if c["series"] == "XAU"]
    end = day
    for _ in range(n):
        end = NY.after(end)
    assert (claim["period_start"], claim["period_end"]) == (day, end)
    assert claim["measure"] == "period_change" and claim["wording_rule"] == ("rose" if up else "fell")


@settings(max_examples=20, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 9))
def test_an_event_alone_in_an_after_clause_keeps_its_day(day, pct):
    text = f"After the Fed's decision on {written(day)}, gold rose {pct}%."
    (claim,) = [c for c in rows(text, day + timedelta(days=5)) if c["series"] == "XAU"]
    assert claim["period_end"] == day and claim["measure"] == "return_1d"


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 9), lag=st.integers(0, 12), up=st.booleans())
def test_ending_the_week_is_the_calendar_week_of_the_day(day, pct, lag, up):
    published = day + timedelta(days=1 + lag)
    verb, side = ("rose", "higher") if up else ("fell", "lower")
    (claim,) = rows(f"On {written(day)}, gold {verb}, ending the week {pct}% {side}.", published)
    assert claim["claimed_value"] == pytest.approx((1 if up else -1) * pct / 100)
    monday = day - timedelta(days=day.weekday())
    assert claim["measure"] == "period_change"
    assert claim["period_start"] == NY.on_or_before(monday - timedelta(days=1))
    assert claim["period_end"] == min(
        NY.on_or_before(monday + timedelta(days=6)), NY.on_or_before(published - timedelta(days=1))
    )


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(100, 170), up=st.booleans(), subject_i=st.integers(0, 3))
def test_a_price_quoted_in_yen_is_usdjpys_level(day, level, up, subject_i):
    subject = ["The dollar", "The greenback", "The US dollar", "The dollar index"][subject_i]
    if subject == "The dollar index":  # 'the dollar index ... yen' is not a wording anyone writes
        subject = "The dollar"
    verb = "climbed to" if up else "slid to"
    unit = ["yen", "yen per dollar", "yen to the dollar"][level % 3]
    (claim,) = rows(f"{subject} {verb} {level} {unit} on {written(day)}.", day + timedelta(days=2))
    assert claim["series"] == "USDJPY_NY" and claim["claimed_value"] == level
    assert claim["measure"] == ("intraday_high" if up else "intraday_low") and claim["period_end"] == day


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, bp=st.integers(2, 40), level=st.integers(10, 400), tenor_i=st.integers(0, 2))
def test_a_tenor_after_a_curve_named_in_the_same_sentence_is_that_curves(day, bp, level, tenor_i):
    tenor = [2, 10, 30][tenor_i]
    text = (
        f"Japanese government bond yields tumbled on {written(day)}, with the {tenor}-year yield falling {bp} basis "
        f"points to {level / 100:.2f}%."
    )
    found = [r for r in rows(text, day + timedelta(days=1)) if r["claimed_value"]]  # the figures' claims
    assert {r["series"] for r in found} == {f"JGB:{tenor}"}, found
    assert {r["measure"] for r in found} == {"yield_change_bp", "yield_level"}


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(50, 600), up=st.booleans())
def test_a_yield_reached_on_a_move_is_the_sessions_extreme_on_its_side(day, level, up):
    verb = "jumped to" if up else "dropped to"
    (claim,) = rows(f"The 10-year Treasury yield {verb} {level / 100:.2f}% on {written(day)}.", day + timedelta(days=1))
    assert claim["measure"] == ("yield_high" if up else "yield_low") and claim["claimed_value"] == level / 100


@settings(max_examples=30, deadline=None)
@given(day=st.dates(date(2024, 3, 4), date(2026, 6, 26)).filter(lambda d: d.weekday() == 4), n=st.integers(2, 5))
def test_a_leading_period_does_not_take_a_figure_with_a_date_of_its_own(day, n):
    words = {2: "two", 3: "three", 4: "four", 5: "five"}
    published = day + timedelta(days=4)  # the Tuesday after the Friday
    text = f"Over the past {words[n]} sessions the Nasdaq has shed 6%, after the index closed down 2.4% on Friday."
    found = {abs(r["claimed_value"]): r for r in rows(text, published)}
    friday, last = found[0.024], found[0.06]
    assert friday["measure"] == "return_1d" and friday["period_end"] == day
    end = NY.on_or_before(published - timedelta(days=1))
    assert last["measure"] == "period_change" and last["period_end"] == end
    assert last["period_start"] == NY.before(end, n)


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 9), level=st.integers(1_000, 3_000))
def test_a_participle_clause_keeps_its_period_from_the_figure_before_it(day, pct, level):
    text = f"Gold slipped {pct / 10:.1f}% on {written(day)}, having hit a record above ${level:,} an ounce last month."
    published = day + timedelta(days=1)
    found = {r["measure"]: r for r in rows(text, published)}
    assert found["return_1d"]["period_end"] == day
    assert found["intraday_high"]["period_end"] < published.replace(day=1)  # the writer's last month


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, low=st.integers(40_000, 60_000), up_by=st.integers(1_000, 9_000))
def test_a_recovery_to_a_level_is_where_the_session_closed(day, low, up_by):
    text = f"Bitcoin slumped to ${low:,} on {written(day)} before recovering to around ${low + up_by:,}."
    found = {r["claimed_value"]: r for r in rows(text, day + timedelta(days=1))}
    assert found[low]["measure"] == "intraday_low"
    assert found[low + up_by]["measure"] == "close_level" and found[low + up_by]["wording_rule"] == "about"


@settings(max_examples=30, deadline=None)
@given(day=st.dates(date(2024, 6, 3), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5), level=st.integers(130, 160))
def test_the_yens_strongest_level_since_a_month_is_usdjpys_lowest_close_since(day, level):
    month = (day.replace(day=1) - timedelta(days=95)).strftime("%B")
    text = f"The yen rallied to as strong as {level} per dollar on {written(day)}, its strongest level since {month}."
    found = {r["measure"]: r for r in rows(text, day + timedelta(days=1))}
    assert found["intraday_low"]["series"] == "USDJPY_NY" and found["intraday_low"]["claimed_value"] == level
    since = found["min_close_before"]
    assert since["period_end"] == day - timedelta(days=1) and since["period_start"].day == 1
    assert f"{since['period_start'] - timedelta(days=1):%B}" == month  # the month after the one named


@settings(max_examples=20, deadline=None)
@given(part=st.sampled_from(["early", "mid", "late"]), month=st.integers(1, 12), year=st.integers(2024, 2025))
def test_a_part_of_a_named_month_is_its_third(part, month, year):
    name = date(year, month, 1).strftime("%B")
    text = f"Dollar-yen traded near 150 in {part} {name} {year}."
    (claim,) = rows(text, date(year + 1, 1, 20))
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}[part]
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    assert date(year, month, lo) <= claim["period_start"] <= claim["period_end"] <= date(year, month, min(hi, last))


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 30), unit=st.sampled_from(["week", "month", "year"]))
def test_for_the_week_month_or_year_runs_to_date_and_a_week_earlier_counts_back(day, pct, unit):
    published = day + timedelta(days=1)
    (to_date,) = rows(f"On {written(day)}, gold rose {pct}% for the {unit}.", published)
    first = {
        "week": day - timedelta(days=day.weekday()),
        "month": day.replace(day=1),
        "year": day.replace(month=1, day=1),
    }[unit]
    assert to_date["period_start"] == NY.on_or_before(first - timedelta(days=1)) and to_date["period_end"] == day
    (back,) = rows(f"By {written(day)}, gold had gained {pct}% from its level a {unit} earlier.", published)
    assert back["period_end"] == day and back["measure"] == "period_change"
    span = (day - back["period_start"]).days
    assert {"week": 7 <= span <= 10, "month": 28 <= span <= 34, "year": 365 <= span <= 369}[unit], span


@settings(max_examples=20, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(5, 40), up=st.booleans())
def test_a_record_move_needs_the_whole_history(day, pct, up):
    verb, word = ("soared", "best") if up else ("plunged", "worst")
    text = f"Silver {verb} {pct}% on {written(day)}, its {word} session on record."
    (rank,) = [r for r in rows(text, day + timedelta(days=1)) if r["measure"] == "return_rank_in_sample"]
    assert rank["claimed_value"] == 1 and rank["required_history_from"] <= date(1901, 1, 1)


@settings(max_examples=30, deadline=None)
@given(day=st.dates(date(2024, 9, 2), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5), pct=st.integers(2, 30))
def test_a_moves_rank_since_a_month_takes_its_history_from_the_month_after(day, pct):
    month = (day.replace(day=1) - timedelta(days=70)).strftime("%B")
    text = f"The dollar index climbed {pct / 10:.1f}% on {written(day)}, its biggest one-day gain since {month}."
    found = {r["measure"]: r for r in rows(text, day + timedelta(days=1))}
    assert found["return_1d"]["period_end"] == day
    start = found["return_rank_in_sample"]["required_history_from"]
    assert start.day == 1 and f"{start - timedelta(days=1):%B}" == month


@settings(max_examples=20, deadline=None)
@given(day=WEEKDAYS, level=st.integers(20, 90), verb=st.sampled_from(["settle near", "close near", "finish near"]))
def test_near_a_level_is_about_it(day, level, verb):
    (claim,) = rows(f"Silver plunged on {written(day)} to {verb} ${level} an ounce.", day + timedelta(days=1))
    assert claim["claimed_value"] == level and claim["wording_rule"] == "about"


@settings(max_examples=30, deadline=None)
@given(
    peak=WEEKDAYS,
    lag=st.integers(20, 90),
    frac=st.sampled_from([("a quarter", 0.25), ("a third", 1 / 3), ("half", 0.5)]),
)
def test_a_loss_since_a_dated_peak_is_a_drawdown_measured_now(peak, lag, frac):
    published = peak + timedelta(days=lag)
    words, value = frac
    text = f"Bitcoin has lost {words} of its value since its {peak:%B} {peak.day} peak above $126,000."
    found = {r["measure"]: r for r in rows(text, published)}
    drawdown = found["drawdown_from_peak"]
    assert drawdown["claimed_value"] == pytest.approx(-value)
    assert drawdown["period_end"] == published - timedelta(days=1)  # crypto: the writer's now, the day before
    high = found["intraday_high"]
    assert high["period_end"] == peak and high["claimed_value"] == 126_000 and high["wording_rule"] == "over"


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, n=st.integers(2, 9), unit=st.sampled_from(["weeks", "months", "years"]), pct=st.integers(5, 60))
def test_over_the_past_n_weeks_months_or_years_counts_back_from_the_writers_now(day, n, unit, pct):
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
    (claim,) = rows(f"Strategy shares have fallen {pct}% over the past {words[n]} {unit}.", day)
    end = NY.on_or_before(day - timedelta(days=1))
    assert claim["measure"] == "period_change" and claim["period_end"] == end
    per = {"weeks": 7, "months": 30.44, "years": 365.25}[unit]
    assert abs((end - claim["period_start"]).days - n * per) <= 5 + n * 0.2


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 60), up=st.booleans(), verb=st.sampled_from(["closed", "ended", "finished"]))
def test_a_close_higher_or_lower_is_the_sessions_move_and_a_cause_after_it_is_not_its_subject(day, pct, up, verb):
    side = "higher" if up else "lower"
    text = (
        f"The Nasdaq {verb} {pct / 10:.1f}% {side} on {written(day)} after Nvidia's earnings failed to lift sentiment."
    )
    (claim,) = rows(text, day + timedelta(days=1))
    assert claim["measure"] == "return_1d" and claim["claimed_value"] == pytest.approx((1 if up else -1) * pct / 1000)
    # The company's own figure stays left out.
    reasons = left(f"Nvidia's revenue rose {pct}% in the quarter.", day + timedelta(days=1))
    assert "company" in reasons[f"{pct}%"]


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, lag=st.integers(1, 5), pct=st.integers(2, 90), level=st.integers(1_000, 5_000))
def test_a_to_date_figure_in_the_present_runs_to_the_writers_now(day, lag, pct, level):
    published = day + timedelta(days=lag)
    text = f"On {written(day)}, silver fell. Gold, by contrast, is up {pct}% year to date, trading around ${level:,}."
    found = {r["measure"]: r for r in rows(text, published) if r["series"] == "XAU"}
    ytd = found["period_change"]
    assert ytd["period_end"] == NY.on_or_before(published - timedelta(days=1))
    assert ytd["period_start"] == NY.on_or_before(date(ytd["period_end"].year - 1, 12, 31))
    level_claim = found["nearest_traded_price"]  # a participle clause: not the year's window
    assert level_claim["period_start"] == level_claim["period_end"]


@settings(max_examples=20, deadline=None)
@given(year=st.integers(2024, 2025), mined=st.integers(100_000, 250_000), usd=st.integers(2, 60))
def test_new_coins_counted_name_the_issuance_and_etf_inflows_name_the_funds(year, mined, usd):
    published = date(year + 1, 1, 15)
    text = f"That is more than the {mined:,} new bitcoins miners produced in {year}."
    (issued,) = rows(text, published)
    assert issued["series"] == "issuance_btc" and issued["claimed_value"] == mined
    assert (issued["period_start"], issued["period_end"]) == (date(year, 1, 1), date(year, 12, 31))
    (flows,) = rows(f"ETF inflows totalled ${usd} billion in {year}.", published)
    assert flows["series"] == "etf_usd" and flows["claimed_value"] == usd * 1e9


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(1_000, 150_000), words=st.sampled_from(["USD", "US dollars"]))
def test_a_currency_written_after_the_number_is_a_dollar_figure(day, level, words):
    text = f"Bitcoin fell below the {level:,} {words} mark on {written(day)}."
    (claim,) = rows(text, day + timedelta(days=1))
    assert claim["measure"] == "intraday_low" and claim["wording_rule"] == "broke_below"
    assert claim["claimed_value"] == level


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, total=st.integers(2, 20), side=st.sampled_from(["long positions", "longs", "short positions"]))
def test_one_side_of_the_liquidations_is_that_sides_sum(day, total, side):
    text = (
        f"On {written(day)}, over ${total / 10 + 1:.1f} billion of crypto positions were liquidated, "
        f"of which {side} accounted for ${total / 10:.1f} billion."
    )
    found = {r["series"]: r for r in rows(text, day + timedelta(days=1))}
    assert found["ALL"]["measure"] == found["LONG" if "long" in side else "SHORT"]["measure"] == "liquidations_usd"
    assert found["LONG" if "long" in side else "SHORT"]["claimed_value"] == pytest.approx(total / 10 * 1e9)


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, n=st.integers(1, 3), unit=st.sampled_from(["day", "week", "month"]), up=st.booleans())
def test_a_time_earlier_than_the_day_spoken_of_dates_the_move_and_a_comparison_does_not(day, n, unit, up):
    from transforms.claims.drafting.dates import months_back

    words = {1: "a", 2: "two", 3: "three"}[n] + f" {unit}{'s' if n > 1 else ''}"
    back = months_back(day, n) if unit == "month" else day - timedelta(days=n * (7 if unit == "week" else 1))
    verb = "soared" if up else "collapsed"
    text = f"The Nasdaq fell 2% on {written(day)}. Gold had already {verb} {words} earlier."
    (gold,) = [r for r in rows(text, day + timedelta(days=1)) if r["series"] == "XAU"]
    assert gold["period_end"] == NY.on_or_before(back)
    # 'Down 5% from its high a week earlier' dates the high, not the move; 'from a week earlier' compares with it.
    peak = [r for r in rows(f"Bitcoin is down 5% from its high {words} earlier.", day) if r["series"] == "BTC"]
    assert [r["measure"] for r in peak] == ["drawdown_from_peak"] and peak[0]["period_end"] < day
    if n == 1 and unit != "day":  # 'from a day earlier' is the session's own move
        (compared,) = rows(f"Gold is up 5% from {words} earlier, on {written(day)}.", day + timedelta(days=1))
        assert compared["measure"] == "period_change" and compared["period_end"] == day


@pytest.mark.parametrize("verb", ["slipped under", "fell below", "dropped beneath", "tumbled under"])
@pytest.mark.parametrize("amount", ["$2.5 billion", "$900 million"])
def test_a_price_named_between_the_liquidations_and_a_level_owns_the_level(verb, amount):
    text = f"More than {amount} of leveraged positions were wiped out on January 31, 2026 as bitcoin {verb} $80,000."
    found = rows(text, date(2026, 2, 9))
    liquidations = [r for r in found if r["series"] == "ALL"]
    level = [r for r in found if r["series"] == "BTC"]
    assert [r["claimed_value"] for r in liquidations] == [
        float(amount[1:].split()[0]) * (1e9 if "billion" in amount else 1e6)
    ]
    assert [(r["measure"], r["claimed_value"], r["wording_rule"]) for r in level] == [
        ("intraday_low", 80000.0, "broke_below")
    ]


@pytest.mark.parametrize("words", ["coins miners created", "new coins miners produced", "bitcoins miners mined"])
def test_the_coins_a_flow_named_right_after_them_counts_are_that_flows(words):
    text = f"Corporate treasuries bought around 40,000 BTC in January 2026, far more than the roughly 13,500 {words}."
    issued = [r for r in rows(text, date(2026, 2, 9)) if r["series"] == "issuance_btc"]
    assert [(r["measure"], r["claimed_value"], r["period_start"], r["period_end"]) for r in issued] == [
        ("btc_flows", 13500.0, date(2026, 1, 1), date(2026, 1, 31))
    ]


@pytest.mark.parametrize(
    "words, start, end",
    [
        # the week of Monday, February 2 ends on Friday, February 6; February is not over at publication (Tuesday,
        # February 10, 2026): it ends at the session before it
        ("ending the week near", date(2026, 2, 6), date(2026, 2, 6)),
        ("ended the month at", date(2026, 2, 9), date(2026, 2, 9)),
        ("closed the week at", date(2026, 2, 6), date(2026, 2, 6)),
    ],
)
def test_a_close_at_a_periods_end_is_its_last_session(words, start, end):
    text = f"Gold rose 2% on Monday, February 2, 2026. The dollar index was steady, {words} 97.6."
    (dxy,) = [r for r in rows(text, date(2026, 2, 10)) if r["series"] == "DXY"]
    assert (dxy["measure"], dxy["period_start"], dxy["period_end"], dxy["claimed_value"]) == (
        "close_level",
        start,
        end,
        97.6,
    )


def test_a_close_at_the_end_of_a_past_month_is_that_months_last_session():
    text = "Gold rose 2% on Monday, March 2, 2026. Silver ended the month at $80."
    (silver,) = [r for r in rows(text, date(2026, 4, 10)) if r["series"] == "XAG"]
    assert (silver["measure"], silver["period_start"], silver["period_end"]) == (
        "close_level",
        NY.on_or_before(date(2026, 3, 31)),
        NY.on_or_before(date(2026, 3, 31)),
    )


@pytest.mark.parametrize("same", ["over the same stretch", "over the same period", "in that period", "over the period"])
@pytest.mark.parametrize("sign", [1, -1])
def test_a_period_named_again_is_the_period_of_the_figure_before(same, sign):
    verb, other = ("gained", "rising") if sign > 0 else ("lost", "dropping")
    text = (
        f"Since the start of the year, bitcoin has {verb} about a quarter of its value. "
        f"Ether did worse, {other} 35% {same}."
    )
    found = rows(text, date(2026, 2, 9))
    btc, eth = (next(r for r in found if r["series"] == s) for s in ("BTC", "ETH"))
    assert (eth["measure"], eth["period_start"], eth["period_end"]) == (
        "period_change",
        btc["period_start"],
        btc["period_end"],
    )
    assert eth["claimed_value"] == sign * 0.35 and btc["claimed_value"] == sign * 0.25


@pytest.mark.parametrize("word, measure", [("strongest", "intraday_low"), ("weakest", "intraday_high")])
def test_a_level_the_yen_touched_is_read_on_the_side_the_sentence_names(word, measure):
    """The yen's strongest level is USD/JPY's lowest: 'touching 141.7 per dollar, its strongest level since
    January' is a USD/JPY low at or below 141.7, and no earlier close since February below it."""
    text = f"The yen surged on Monday, touching 141.7 per dollar, its {word} level since January."
    found = rows(text, date(2024, 8, 9))
    level = [r for r in found if r["claimed_value"] == 141.7]
    assert [r["measure"] for r in level] == [
        measure,
        "min_close_before" if measure == "intraday_low" else "max_close_before",
    ]
    assert level[1]["period_start"] == date(2024, 2, 1)


@pytest.mark.parametrize(
    "words",
    [
        "extending its drop from the July peak to more than",
        "taking its decline from the record high to",
        "widening its slide from its all-time high to about",
    ],
)
def test_a_peak_named_before_the_figure_makes_it_a_fall_from_the_peak(words):
    text = f"The Nasdaq 100 slumped 3% on Monday, {words} 13%."
    (_, fall) = rows(text, date(2024, 8, 9))
    assert (fall["measure"], fall["period_end"]) == ("drawdown_from_peak", date(2024, 8, 5))
    assert fall["claimed_value"] == -0.13


@pytest.mark.parametrize(
    "words", ["bringing its holdings to", "for a total of", "taking its stash to about", "lifting its total to"]
)
def test_the_holdings_a_purchase_brings_a_company_to_are_no_purchase(words):
    text = f"Strategy added 3,015 BTC last week, {words} 720,737 coins."
    found = rows(text, date(2026, 3, 3))
    assert [r["claimed_value"] for r in found] == [3015.0]
    assert "holds" in left(text, date(2026, 3, 3))["720,737"]


@pytest.mark.parametrize("qualifier", ["", "about ", "around ", "roughly ", "close to "])
def test_a_price_traded_at_with_a_qualifier_is_the_nearest_traded_price(qualifier):
    # ('was trading at' is a close: verbs.csv)
    text = f"Silver has more than halved, trading at {qualifier}$58 an ounce on Monday."
    (row,) = [r for r in rows(text, date(2026, 3, 3)) if r["claimed_value"] == 58.0]
    assert (row["measure"], row["period_end"]) == ("nearest_traded_price", date(2026, 3, 2))


def test_a_period_inside_a_relative_clause_is_not_the_figures_outside_it():
    text = "Gold, which set an all-time high of $5,595 in January, ended February roughly 12% below it."
    found = rows(text, date(2026, 3, 3))
    fall = [r for r in found if r["claimed_value"] == -0.12]
    assert [(r["measure"], r["period_start"], r["period_end"]) for r in fall] == [
        ("drawdown_from_peak", date(2026, 2, 27), date(2026, 2, 27))
    ]
    high = [r for r in found if r["measure"] == "intraday_high"]
    assert [(r["period_start"], r["period_end"]) for r in high] == [(date(2026, 1, 1), date(2026, 1, 31))]


@pytest.mark.parametrize("it", ["below it", "off that level", "under that peak"])
def test_a_figure_below_a_peak_named_earlier_is_a_fall_from_the_peak(it):
    text = f"Bitcoin hit a record $126,000 on October 6, 2025, and closed on November 20 about 30% {it}."
    fall = [r for r in rows(text, date(2025, 12, 1)) if r["claimed_value"] == -0.3]
    assert [(r["measure"], r["period_end"]) for r in fall] == [("drawdown_from_peak", date(2025, 11, 20))]
    # no peak named before it: 'below it' is no fall from a peak
    assert not [
        r
        for r in rows(f"Bitcoin closed on November 20 about 30% {it}.", date(2025, 12, 1))
        if r["measure"] == "drawdown_from_peak"
    ]


@settings(max_examples=40, deadline=None)
@given(
    published=st.dates(date(2024, 3, 4), date(2026, 7, 31)),
    billions=st.integers(1, 30),
    span=st.sampled_from(
        [
            ("over the weekend", 2),
            ("in the past week", 7),
            ("over the past three days", 3),
            ("over Friday and Saturday", 2),
        ]
    ),
)
def test_liquidations_over_a_span_sum_the_utc_days_after_its_opening_close(published, billions, span):
    words, days = span
    (claim,) = rows(f"Crypto liquidations topped ${billions} billion {words}.", published)
    assert claim["measure"] == "liquidations_usd"
    assert (claim["period_end"] - claim["period_start"]).days + 1 == days, (words, claim)


ENDING_VERBS = ["finished at", "closed at", "settled near", "ended at", "recovered to"]


@settings(max_examples=40, deadline=None)
@given(
    day=WEEKDAYS,
    pct=st.integers(2, 30),
    verb=st.sampled_from(ENDING_VERBS),
    level=st.integers(50, 5000),
    period=st.sampled_from(["over the week", "across Thursday and Friday", "in the past three sessions"]),
)
def test_a_close_after_a_move_over_a_span_is_the_spans_last_close(day, pct, verb, level, period):
    published = day + timedelta(days=1)
    moved, closed = rows(f"Silver fell {pct}% {period} and {verb} ${level:,}.", published)
    assert moved["measure"] == "period_change" and closed["measure"] == "close_level"
    assert closed["period_start"] == closed["period_end"] == moved["period_end"], (period, verb)
    # 'held near' names where the price stood over the window: its closes, not one
    (held,) = rows(f"Silver held near ${level:,} {period}.", published)
    assert held["period_start"] < held["period_end"]


def test_a_ranks_month_is_no_period_of_the_figure_after_it():
    for rank in ("its sharpest decline since June", "its lowest level since June"):
        text = f"Ether slid 12% across Thursday and Friday, {rank}, and finished at $3,800."
        claims = {c["measure"]: c for c in rows(text, date(2025, 10, 11))}
        assert claims["period_change"]["period_end"] == date(2025, 10, 10)
        assert claims["close_level"]["period_start"] == claims["close_level"]["period_end"] == date(2025, 10, 10)


def test_the_vix_is_named_and_not_held():
    claims = rows("The S&P 500 lost 2.7% and the VIX jumped above 21 on Friday.", date(2025, 10, 11))
    assert [(c["series"], c["measure"]) for c in claims] == [("SPX", "none"), ("VIX", "none")]
    assert "stress index" in subjects_note("VIX")


def subjects_note(series: str) -> str:
    from transforms.claims.drafting.tables import table

    return next(r["note"] for r in table("subjects") if r["series"] == series)
