"""Drafting rules for clauses with a time of their own and for units that name a pair, each tested across its
class on sentences of our own: a relative clause's date is that clause's ('Gold, which had hit a record on April
3, also fell'), a leading after-clause's date is the earlier event's ('After falling 5% on Monday, ...'), a streak
('for two consecutive days'), 'ending the week', a level reached beyond a level ('dropped to below $75,000'),
and a price quoted in yen ('the dollar slid to 145 yen')."""

from __future__ import annotations

from datetime import date, timedelta

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
@given(day=WEEKDAYS, pct=st.integers(1, 9), lag=st.integers(0, 12))
def test_ending_the_week_is_the_calendar_week_of_the_day(day, pct, lag):
    published = day + timedelta(days=1 + lag)
    (claim,) = rows(f"On {written(day)}, gold fell, ending the week {pct}% lower.", published)
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
