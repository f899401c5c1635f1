"""Drafting rules for data-style writing: weekly wraps, desk notes and dashboards pasted as text, where a line is a
label, a colon and figures ('Bitcoin: -16.1% w/w to $70,555', 'DXY: 97.63, up 0.7% on the week'). Each rule is
tested across its class against the same claim written as prose: a signed figure is a move in its sign's
direction, 'w/w' is 'week-on-week', the figure that opens a labelled line is the series' level, a level after a
signed move is the close it ended at, a list item does not inherit a day a sibling item named, and a concessive
clause ('despite a 4.4% slide on Wednesday') keeps its own day."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.drafting.dates import Calendar
from transforms.claims.drafting.draft import draft
from transforms.claims.drafting.text import figures

WEEKDAYS = st.dates(date(2024, 1, 8), date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)
NY = Calendar("ny")
PRICES = st.sampled_from([("Bitcoin", "BTC"), ("Gold", "XAU"), ("AMD", "AMD"), ("The Nasdaq", "IXIC")])
SIGNS = {"-": -1, "\u2212": -1, "+": 1}
FIELDS = ("series", "measure", "period_start", "period_end", "claimed_value", "unit")


def rows(text: str, published: date) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in draft(text, published, "t").claims.to_dicts()]


def left(text: str, published: date) -> dict[str, str]:
    return {r["figure"]: r["reason"] for r in draft(text, published, "t").left_out.to_dicts()}


def on(day: date) -> str:
    return f"on {day:%B} {day.day}, {day.year}"


def pct(tenths: int) -> str:
    return f"{tenths / 10:.1f}%"


@settings(max_examples=40, deadline=None)
@given(
    words=st.text(alphabet="abc XYZ", max_size=20),
    tenths=st.integers(1, 999),
    sign=st.sampled_from(sorted(SIGNS)),
    opener=st.sampled_from([" ", ": ", " (", ", ", "; "]),
)
def test_a_sign_against_the_number_is_its_direction_and_no_other_dash_is(words, tenths, sign, opener):
    (signed,) = figures(f"{words}{opener}{sign}{pct(tenths)}")
    assert signed.sign == SIGNS[sign] and signed.value == pytest.approx(tenths / 1000)
    (at_start,) = figures(f"{sign}{pct(tenths)} {words}")
    assert at_start.sign == SIGNS[sign]
    # A range, a hyphenated word or a dash between words is no sign.
    for unsigned in (
        f"a 2-{pct(tenths)} range",
        f"fell \u2013 {pct(tenths)} on",
        f"S&P-{pct(tenths)}",
        f"{words.strip() or 'a'}-{pct(tenths)}",
    ):
        assert all(f.sign == 0 for f in figures(unsigned)), unsigned


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), up=st.booleans(), subject=PRICES, sign_i=st.integers(0, 1))
def test_a_signed_figure_on_a_labelled_line_is_the_move_prose_would_name(day, tenths, up, subject, sign_i):
    name, _ = subject
    sign = "+" if up else ("-", "\u2212")[sign_i]
    published = day + timedelta(days=1)
    data_style = rows(f"- {name}: {sign}{pct(tenths)} {on(day)}.", published)
    prose = rows(f"{name} {'rose' if up else 'fell'} {pct(tenths)} {on(day)}.", published)
    assert data_style == prose and len(prose) == 1
    assert data_style[0][4] == (1 if up else -1) * tenths / 1000


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), up=st.booleans(), short=st.sampled_from(["w/w", "week-over-week"]))
def test_w_w_is_week_on_week(day, tenths, up, short):
    sign = "+" if up else "-"
    published = day + timedelta(days=1)
    claims = rows(f"Gold: {sign}{pct(tenths)} {short} {on(day)}.", published)
    assert claims == rows(f"Gold {'rose' if up else 'fell'} {pct(tenths)} week-on-week {on(day)}.", published)
    (claim,) = claims
    assert claim[1] == "period_change" and claim[3] == day


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), up=st.booleans(), level=st.integers(100, 150_000))
def test_a_level_after_a_signed_move_is_the_close_it_ended_at(day, tenths, up, level):
    sign = "+" if up else "-"
    published = day + timedelta(days=1)
    for text in (
        f"Bitcoin: {sign}{pct(tenths)} {on(day)} to ${level:,}.",
        f"Bitcoin: {sign}{pct(tenths)} w/w {on(day)}, to ${level:,}.",
        f"The dollar index: {sign}{pct(tenths)} {on(day)} to {level:,}.",
    ):
        closes = [c for c in rows(text, published) if c[1] == "close_level"]
        # The close the move ended at, on its last day: not the mean close of the week it spans.
        assert [(c[2], c[3], c[4]) for c in closes] == [(c[3], c[3], level) for c in closes] and closes, text
        assert closes[0][3] == day or closes[0][0] == "DXY"


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, level=st.integers(80, 130), cents=st.integers(0, 99), yield_bp=st.integers(50, 600))
def test_the_figure_that_opens_a_labelled_line_is_the_series_level(day, level, cents, yield_bp):
    published = day + timedelta(days=1)
    index = f"{level}.{cents:02d}"
    claims = rows(f"DXY: {index}, up 0.7% {on(day)}.", published)
    assert ("DXY", "close_level", day, day, float(index), "points") in claims
    yield_pct = f"{yield_bp / 100:.2f}%"
    for label in ("US 10-year", "The US 10-year", "U.S. 10-year yield"):
        claims = rows(f"{label}: {yield_pct}, down 4 bp {on(day)}.", published)
        assert ("UST:10", "yield_level", day, day, float(yield_pct[:-1]), "pct") in claims, label
        assert ("UST:10", "yield_change_bp", day, day, -4.0, "bp") in claims, label
    # A figure further into the line is no label's level: it needs words of its own.
    assert "97.63" in left(f"The dollar index rose, and 97.63 {on(day)}.", published)


@settings(max_examples=30, deadline=None)
@given(first=WEEKDAYS, gap=st.integers(7, 60), tenths=st.integers(1, 300))
def test_a_list_item_keeps_the_lists_day_not_a_sibling_items(first, gap, tenths):
    later = NY.on_or_before(first + timedelta(days=gap))
    published = later + timedelta(days=1)
    article = (
        f"Markets {on(later)}:\n\n"
        f"- Silver: -{pct(tenths)} {on(first)}.\n"
        f"- Gold: +{pct(tenths)}.\n"
        f"- AMD fell {pct(tenths)}.\n"
    )
    ends = {c[0]: c[3] for c in rows(article, published)}
    # Each item stands alone: the gold and AMD items take the lead-in's day, not the silver item's.
    assert ends == {"XAG": first, "XAU": later, "AMD": later}
    # In prose the day does carry from the sentence before.
    prose = f"Silver fell {pct(tenths)} {on(first)}. Gold rose {pct(tenths)}."
    assert {c[0]: c[3] for c in rows(prose, published)}["XAU"] == first


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), slide=st.integers(1, 99), up=st.booleans())
def test_a_concessive_clause_keeps_its_own_day(day, tenths, slide, up):
    friday = NY.on_or_before(day + timedelta(days=(4 - day.weekday()) % 7))
    published = friday + timedelta(days=1)
    weekday = f"{day:%A}"
    sign = "+" if up else "-"
    claims = rows(f"SOX: {sign}{pct(tenths)} w/w despite a {slide}% slide on {weekday}.", published)
    week, single = sorted(claims, key=lambda c: c[1])
    # The week's move runs to the last session before publication; the slide is its own day's.
    assert week[1] == "period_change" and week[3] == friday and week[4] == (1 if up else -1) * tenths / 1000
    assert single[1:5] == ("return_1d", NY.on_or_before(day), NY.on_or_before(day), -slide / 100)


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), up=st.booleans(), tag=st.sampled_from(["BTC", "ETH", "MSTR", "AMD"]))
def test_a_cashtag_names_its_ticker_as_the_name_does(day, tenths, up, tag):
    sign = "+" if up else "-"
    published = day + timedelta(days=1)
    claims = rows(f"1/ ${tag} {sign}{pct(tenths)} {on(day)} 🔻", published)
    assert claims == rows(f"{tag} {'rose' if up else 'fell'} {pct(tenths)} {on(day)}.", published) and claims


@settings(max_examples=30, deadline=None)
@given(day=WEEKDAYS, tenths=st.integers(1, 300), opener=st.sampled_from(["Down", "Up", "-", "+"]))
def test_a_sentence_that_opens_on_its_move_is_about_the_subject_before(day, tenths, opener):
    up = opener in ("Up", "+")
    move = f"{opener}{pct(tenths)}" if opener in ("-", "+") else f"{opener} {pct(tenths)}"
    published = day + timedelta(days=1)
    (claim,) = rows(f"2/ Silver? {move} {on(day)}.", published)
    assert claim[:5] == ("XAG", "return_1d", day, day, (1 if up else -1) * tenths / 1000)
    # With no subject before, nothing is guessed.
    assert rows(f"{move} {on(day)}.", published) == []


@settings(max_examples=20, deadline=None)
@given(
    day=WEEKDAYS, millions=st.integers(10, 2000), funds=st.sampled_from(["Spot BTC ETFs", "BTC ETFs", "US BTC funds"])
)
def test_btc_funds_are_the_bitcoin_etfs(day, millions, funds):
    (claim,) = rows(f"{funds}: -${millions}M of net outflows {on(day)}.", day + timedelta(days=1))
    assert claim[:5] == ("etf_usd", "btc_flows", day, day, -millions * 1e6)


ASSETS = [("Bitcoin", "BTC", "$"), ("Gold", "XAU", "$"), ("Nasdaq Composite", "IXIC", ""), ("AMD", "AMD", "$")]


@settings(max_examples=30, deadline=None)
@given(
    friday=WEEKDAYS.filter(lambda d: d.weekday() == 4),
    picked=st.lists(st.sampled_from(range(len(ASSETS))), min_size=1, max_size=4, unique=True),
    tenths=st.lists(st.integers(-300, 300).filter(bool), min_size=4, max_size=4),
    closes=st.lists(st.integers(100, 90_000), min_size=4, max_size=4),
)
def test_a_markdown_table_reads_as_its_labelled_lines(friday, picked, tenths, closes):
    header = "| Asset | Weekly change | Friday close |\n|---|:---:|---:|\n"
    body = "".join(f"| {ASSETS[i][0]} | {tenths[i] / 10:+.1f}% | {ASSETS[i][2]}{closes[i]:,} |\n" for i in picked)
    published = friday + timedelta(days=1)
    claims = rows(f"Published {published.isoformat()}\n\nThe week:\n\n{header}{body}\nMore next week.", published)
    week_start = NY.on_or_before(friday - timedelta(days=7))
    expected = []
    for i in picked:
        series = ASSETS[i][1]
        start = week_start if series != "BTC" else friday - timedelta(days=7)
        expected.append((series, "period_change", start, friday, tenths[i] / 1000, "fraction"))
        expected.append((series, "close_level", friday, friday, float(closes[i]), "usd" if ASSETS[i][2] else "points"))
    assert sorted(claims, key=str) == sorted(expected, key=str)


def test_a_signed_move_then_a_level_with_no_words_between_is_read_or_left_out_never_a_crash():
    for text in ("Bitcoin | -16.1% | $70,555", "Bitcoin -16.1% $70,555", "Gold: +2% 4,948"):
        draft(text, date(2026, 2, 7), "t")  # it raised TypeError on the missing verb


TOKENS = [
    "Bitcoin", "$BTC", "gold", "the Nasdaq", "US 10-year", "Strategy", "the company", "spot ETFs", "longs", "it",
    "fell", "rose", "dumped", "closing at", "to", "at", "from", "below", "since", "despite", "a week earlier",
    "on Friday", "on February 5, 2026", "w/w", "this week", "in 2025", "over the year", "its worst day since 2008",
    "-16.1%", "+0.6%", "17%", "−4 bp", "25 basis points", "$70,555", "$62.7k", "97.63", "4.22%", "388k",
    "22,305 BTC", "-$434M", "outflows", "|", ":", ",", ".", "?", "\n", "\n\n", "- ", "1. ", "2/ ", "# ", "(", ")",
    "respectively", "between", "and", "Micron", "SanDisk", "closed", "| Bitcoin | -16.1% | $70,555 |",
    "| Asset | Weekly change | Friday close |\n|---|---|---|", "Friday close", "at the session's low",
    "the March contract", "Beijing time", "in the early morning of", "the week to", "new coins",
    "corporate treasuries", "wiped out", "since Monday's close", "ATH", "~9%", "off its", "a record", "holding near",
    "Silver?", "Down",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_any_arrangement_of_the_words_the_rules_read_drafts_without_an_error(tokens):
    result = draft(" ".join(tokens), date(2026, 2, 7), "t")
    for claim in result.claims.to_dicts():
        assert claim["period_start"] is None or claim["period_start"] <= claim["period_end"]
        assert claim["claimed_value"] is None or math.isfinite(claim["claimed_value"])
