"""Drafting rules for the way crypto desks and social posts write a move: slang verbs ('dumped', 'got hit',
'ripped', 'pumped'), a close named in the present participle ('closing at $3,836'), a distance from an all-time
high ('~9% off its October 6 ATH of $124.7k'), a move since a weekday ('down 15% since Monday's close'), and longs
or shorts wiped out. Each is tested across its class against the same claim in plain words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import Calendar
from transforms.claims.drafting.draft import draft

WEEKDAYS = st.dates(date(2024, 1, 8), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)
NY = Calendar("ny")
FIELDS = ("series", "measure", "period_start", "period_end", "claimed_value", "wording_rule")
FALLS = ["dumped", "nuked", "got hit", "got hammered", "got crushed", "was hammered", "bled", "puked", "capitulated"]
RISES = ["ripped", "pumped", "mooned", "popped", "squeezed higher"]


def rows(text: str, published: date) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in draft(text, published, "t").claims.to_dicts()]


def on(day: date) -> str:
    return f"on {day:%B} {day.day}, {day.year}"


@settings(max_examples=40, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 40), verb=st.sampled_from(FALLS + RISES), coin=st.sampled_from(["BTC", "ETH"]))
def test_a_slang_verb_is_the_move_plain_words_name(day, pct, verb, coin):
    plain = "rose" if verb in RISES else "fell"
    published = day + timedelta(days=2)
    slang = rows(f"{coin} {verb} {pct}% {on(day)}.", published)
    assert slang == rows(f"{coin} {plain} {pct}% {on(day)}.", published) and len(slang) == 1


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(100, 150_000), verb=st.sampled_from(["closing", "ending", "settling"]))
def test_a_close_in_the_present_participle_is_a_close(day, level, verb):
    published = day + timedelta(days=2)
    claims = rows(f"Ether got hit harder {on(day)}: -12.2%, {verb} at ${level:,}.", published)
    assert ("ETH", "close_level", day, day, float(level), "plain") in claims


@pytest.mark.parametrize("peak", ["ATH", "all-time high", "record", "peak", "high"])
@pytest.mark.parametrize("dated", ["", "October 6 "])
def test_a_distance_off_a_named_high_is_a_drawdown_measured_now(peak, dated):
    claims = rows(f"BTC is now 9% off its {dated}{peak} of $124.7k.", date(2025, 10, 12))
    drawdown = [c for c in claims if c[1] == "drawdown_from_peak"]
    # 'now' is the last session before publication, whichever day the peak was
    assert drawdown == [("BTC", "drawdown_from_peak", date(2025, 10, 11), date(2025, 10, 11), -0.09, "plain")]


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, pct=st.integers(1, 40), named=st.integers(0, 4), close=st.booleans(), up=st.booleans())
def test_a_move_since_a_weekday_runs_from_its_close_or_the_close_before_it(day, pct, named, close, up):
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[named]
    back = (day.weekday() - named) % 7 or 7
    that_day = day - timedelta(days=back)
    base = NY.on_or_before(that_day) if close else NY.on_or_before(that_day - timedelta(days=1))
    words = f"since {weekday}'s close" if close else f"since {weekday}"
    (claim,) = rows(f"AMD {'rose' if up else 'fell'} {pct}% {words} {on(day)}.", day + timedelta(days=1))
    assert claim == ("AMD", "period_change", base, day, (1 if up else -1) * pct / 100, "plain")


@settings(max_examples=30, deadline=None)
@given(
    day=st.dates(date(2025, 5, 20), date(2025, 11, 10)),
    millions=st.integers(50, 900),
    side=st.sampled_from(["Longs", "Shorts"]),
)
def test_longs_or_shorts_wiped_out_are_that_sides_liquidations(day, millions, side):
    for text in (
        f"{side} worth ${millions}m were wiped out {on(day)}.",
        f"{side} were liquidated {on(day)}: ${millions}m in all.",
        f"${millions}m of {side.lower()} were liquidated {on(day)}.",
    ):
        claims = rows(text, day + timedelta(days=1))
        assert [(c[0], c[1], c[3], c[4]) for c in claims] == [
            ("LONG" if "long" in side.lower() else "SHORT", "liquidations_usd", day, millions * 1e6)
        ], text
