"""What a sentence names: the subjects of subjects.csv found in it (Mention), its day and period phrases, the
patterns the drafter reads words with, and the writer's clock (clocks.csv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from transforms.claims.drafting.tables import (
    clock_cues,
    date_phrases,
    number,
    subjects,
    tenor_words,
)

PRONOUN = re.compile(
    r"\b(?:it|its|the stock|the shares|the price|prices|the metal|the coin|the token|the index|the yield|"
    r"yields|the currency|the pair|the company's stock|the stock price|the (?:[\w-]+ )?contracts?)\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    # '(?-i:may)': the modal is lower case; 'May' is the month ('on May 5' is no hedge).
    # A modal with no verb after it ('as funds sold what they could.') hedges nothing.
    r"\b(?:(?:could|would|might|(?-i:may)|will|should)(?!\s*(?:[.,;:!?)]|$))|if|expects?|expected|forecasts?|"
    r"predicts?|projected|targets?|aims?|plans?|hopes?|according to (?:\w+ )?estimates)\b",
    re.IGNORECASE,
)
WHOLE = re.compile(r"\b(?:the entire|the whole|entire|whole|every|all(?: of)?(?: the)?)\s+$", re.IGNORECASE)
FROM_TO = re.compile(
    r"\bfrom (?:about |around |nearly |roughly )?\$(?P<a>\d[\d,]*(?:\.\d+)?) "
    r"to (?:about |around |nearly |roughly |below |under )?"
    r"\$(?P<b>\d[\d,]*(?:\.\d+)?)(?![\d,]*\s*(?:billion|million|trillion|bn|mn|k)\b)",
    re.IGNORECASE,
)
APPOSITIVE = re.compile(r"\s*,\s*(?:the|a|an)\b[^,;.]*$", re.IGNORECASE)
RELATIVE_AFTER = re.compile(r"\s*,?\s*(?:which|that|whose)\b", re.IGNORECASE)
# What a move is measured against, or what another series beat or trailed ('Ether outperformed bitcoin'): no subject.
AGAINST = re.compile(
    r"\b(?:against|versus|vs\.?|(?:out|under)perform(?:ed|ing|s)?|outpac(?:ed|ing|es)|lagg(?:ed|ing)|trail(?:ed|ing))\s+$",
    re.IGNORECASE,
)
# 'When stocks reversed, crypto was sold off': a clause that sets one trend's turn before another's.
WHEN = re.compile(r"^\W*(?:when|after|once|as soon as|as)\b", re.IGNORECASE)
TOGETHER = re.compile(
    r"\b(?:all|simultaneously|at the same time|together|in tandem|collective(?:ly)?|in unison)\b", re.I
)
# 'down 44% from its peak', 'off its October 6 ATH': the high may carry a date, a year or a word before it.
PEAK_NOUN = r"(?:[a-z]+\.? \d{1,2} |[a-z-]+ |\d{4} )?(?:all-time high|high|peak|record|ath)s?\b"
FROM_PEAK = re.compile(rf"\b(?:from|since|below|off) (?:its|the|their) {PEAK_NOUN}", re.IGNORECASE)
FROM_LOW = re.compile(r"\bfrom (?:its|the|their) (?:[a-z-]+ |\d{4} )?lows?\b", re.IGNORECASE)
RANK = re.compile(
    r"\b(?:largest|biggest|worst|sharpest|steepest|heaviest|best|strongest|most devastating|deepest|first|never seen|"
    r"not seen|unseen|record|last seen|last reached|last hit)\b",
    re.IGNORECASE,
)
MOVE_IN = re.compile(
    r"\b(?:the |a )?(?P<move>surge|rally|jump|rise|plunge|slump|crash|fall|drop|decline|sell-off|selloff|slide) in\b",
    re.IGNORECASE,
)


YIELD_AFTER_BOND = re.compile(r"(?:'s)?\s+yields?\b", re.IGNORECASE)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    series: str
    kind: str
    calendar: str
    inverse: bool
    name: str
    note: str


def mentions(text: str) -> list[Mention]:
    """Every subject named in the text, the longest name winning where two overlap."""
    found = []
    for subject in subjects():
        for match in subject.regex.finditer(text):
            tenor = match.groupdict().get("tenor") or match.groupdict().get("tenor2")
            series = subject.series.format(tenor=int(number(tenor))) if tenor else subject.series
            name = subject.name.format(tenor=int(number(tenor))) if tenor else subject.name
            note = subject.note
            hint = None
            if subject.kind == "yield" and not tenor and "without a tenor" in note:
                hint = next((h for h in tenor_words() if h[0].search(text)), None)
            if hint:
                curve = series.split(":")[0]
                series, name = f"{curve}:{hint[1]}", f"{curve} {hint[1]}-year yield"
                note = f"{hint[2]} (tenor_words.csv: '{hint[0].search(text).group(0)}')"
            end, said = match.end(), match.group(0)
            # 'Japan's 30-year bond yield', 'the long bond's yield': a bond named before its yield is the yield,
            # whichever pattern named the bond.
            named_yield = YIELD_AFTER_BOND.match(text, end) if subject.kind == "yield" else None
            if named_yield:
                end, said = named_yield.end(), said + named_yield.group(0)
            bond_price = subject.kind == "yield" and not re.search(r"yield", said, re.IGNORECASE)
            found.append(
                Mention(
                    match.start(),
                    end,
                    said,
                    series,
                    subject.kind,
                    subject.calendar,
                    subject.inverse or bond_price,
                    name,
                    note + ("; a bond's price moves against its yield" if bond_price else ""),
                )
            )

    # Where names overlap, the longest wins wherever it starts, an article before a name counting as its own ('The
    # Nasdaq 100': the Nasdaq-100, not 'The Nasdaq', whichever pattern spells the article).
    spans = {}
    for i, m in enumerate(found):
        article = re.search(r"\bthe\s+$", text[max(0, m.start - 4) : m.start], re.IGNORECASE)
        spans[i] = (m.start - len(article.group(0)) if article else m.start), m.end
    chosen: list[int] = []
    for i in sorted(spans, key=lambda i: (spans[i][0] - spans[i][1], found[i].start)):
        if all(spans[i][1] <= spans[c][0] or spans[c][1] <= spans[i][0] for c in chosen):
            chosen.append(i)
    kept: list[Mention] = []
    for m in sorted((found[i] for i in chosen), key=lambda m: m.start):
        # 'The yen strengthened against the dollar': what a move is measured against is not a subject, unless a
        # relative clause of its own says how it moved ('underperforming the Nasdaq, which rose 1%').
        if AGAINST.search(text, max(0, m.start - 16), m.start) and not RELATIVE_AFTER.match(text, m.end):
            continue
        # 'Shares of Strategy, the largest corporate holder of bitcoin, fell 17%': a name inside an appositive
        # describes the subject before it; it is not the subject.
        if kept and APPOSITIVE.match(text, kept[-1].end, m.start) and re.match(r"[^,;.]{0,40},", text[m.end :]):
            continue
        kept.append(m)
    # A class of several series ('precious metals': XAG;XAU) is one mention per series, the first leading.
    return [
        Mention(m.start, m.end, m.text, series, m.kind, m.calendar, m.inverse, m.name, m.note)
        for m in kept
        for series in m.series.split(";")
    ]


def phrases_in(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, dict, int, int, str]]:
    out = []
    for phrase in date_phrases():
        for match in phrase.regex.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append(match.span())
            out.append((phrase.kind, match.groupdict(), match.start(), match.end(), match.group(0)))
    out.sort(key=lambda p: p[2])
    # 'Bitcoin slid 12% in March 2026, while ether shed a fifth over the same month': the month named before it
    named = None
    for i, (kind, groups, start, end, said) in enumerate(out):
        if groups.get("month"):
            named = {"month": groups["month"], "year": groups.get("year")}
        elif kind == "in_month" and named:
            out[i] = (kind, {**groups, **named}, start, end, said)
    return out


DAY_KINDS = {
    "yesterday",
    "today",
    "weekday",
    "last_weekday",
    "that_day",
    "previous_session",
    "next_session",
    "ago",
    "earlier",
    "month_last",
}


@dataclass(frozen=True)
class Clock:
    """The writer's clock: hours east of UTC, and why (--clock, or words in the text: clocks.csv)."""

    utc_offset: float
    note: str


def writer_clock(text: str, given: str | None, published: date) -> Clock | None:
    """The clock given (an IANA zone such as Asia/Shanghai, or UTC+8), else the first clock the text names."""
    if given:
        match = re.fullmatch(r"(?:utc|gmt)?\s*([+-]\d{1,2}(?:\.\d+)?)", given.strip(), re.IGNORECASE)
        if match:
            return Clock(float(match.group(1)), f"--clock {given}")
        try:
            zone = ZoneInfo(given)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"--clock {given!r}: not a time zone (write Asia/Shanghai, America/New_York or UTC+8)"
            ) from None
        offset = datetime(published.year, published.month, published.day, 12, tzinfo=zone).utcoffset()
        return Clock(offset.total_seconds() / 3600, f"--clock {given}")
    found = [
        (m.start(), -len(m.group(0)), cue)
        for cue in clock_cues()
        if cue.kind == "clock"
        for m in cue.regex.finditer(text)
    ]
    if not found:
        return None
    _, _, cue = min(found, key=lambda f: f[:2])
    return Clock(cue.utc_offset, f"{cue.note} (clocks.csv)")
