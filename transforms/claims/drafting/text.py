"""The text of an article as sentences and figures: pure functions over strings.

A figure is a number as written with its unit: a percentage, a dollar amount, basis points, a multiple, a count
of coins, a number written in words, or a bare number (a year, a day of the month, a count), which the drafter
then keeps as a claim or lists as left out with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

import dateparser

from transforms.claims.drafting.tables import number_words

# Abbreviations whose period ends no sentence.
ABBREVIATIONS = re.compile(
    r"\b(?:U\.S|U\.K|Inc|Corp|Co|Ltd|Mr|Mrs|Ms|Dr|St|vs|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"approx|est|No)\.$"
)
SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9$])")
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
MONTH_ABBR = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
MONTH = rf"(?:{MONTHS}|(?:{MONTH_ABBR})\.?)"
EXPLICIT_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b{MONTH}\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?![\d,.]*\s*(?:%|percent|bp|basis|billion|million))"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?",
    re.IGNORECASE,
)
PUBLISHED_LINE = re.compile(r"^\s*(?:published|posted|date|updated|dated)\s*[:\-–]?\s*(?P<when>.+?)\s*$", re.IGNORECASE)
# A full date with its year, and the time of day that may follow it ('10:42 a.m. ET').
FULL_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
)
# ... a time of day and the zone, in letters or words ('10:42 GMT', ', Beijing time', '(UTC+8)')
CLOCK_TIME = (
    r"(?:[\s,|·–-]+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
    r"(?:[\s,(]+(?:[a-z]+(?: [a-z]+)? time|utc\s?[+-]\s?\d{1,2}(?::?\d{2})?|[a-z]{2,4})\)?)?\s*$"
)
# A line that is a date and nothing else, perhaps after a place ('February 7, 2026', 'Sat 7 Feb 2026 10:42 GMT',
# '2026-02-07', 'Tokyo, January 21, 2026'): under a title, the day the article was published.
DATE_LINE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .'-]{{1,40}},\s*)?(?P<when>{FULL_DATE}|\d{{4}}-\d{{2}}-\d{{2}}))" + CLOCK_TIME, re.IGNORECASE
)
# A byline that ends with the date ('By our markets desk — August 6, 2024', 'Jane Doe | Aug. 6, 2024 10:42 ET').
BYLINE = re.compile(
    rf"^\s*(?:by\s+)?[A-Za-z][\w .,'&-]{{1,60}}?\s*[—–|·-]\s*(?:(?:updated|published|posted)\s*:?\s*)?"
    rf"(?P<when>{FULL_DATE}))" + CLOCK_TIME,
    re.IGNORECASE,
)
DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z .'-]{{1,40}},\s*(?P<when>{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\s+\d{{4}})"
    r"\s*(?:\([^)]*\))?\s*[-—–:]",
    re.IGNORECASE,
)
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}
MULT = r"(?:k|thousand|mn|million|bn|billion|tn|trillion|m|b|t)\b"
PERCENT = r"(?:%|\s?percent\b|\s?per cent\b)"
# In the order they are tried: a span taken by an earlier pattern is not read again.
FIGURE_PATTERNS = [
    (
        "usd_range",
        re.compile(
            rf"(?:US)?\$\s?(?P<a>{NUM})\s*(?P<ma>{MULT})?\s*(?:-|–|to|and)\s*\$?\s?(?P<b>{NUM})\s*(?P<mb>{MULT})?"
        ),
    ),
    ("pct_range", re.compile(rf"(?P<a>{NUM})\s*%?\s*(?:-|–|to)\s*(?P<b>{NUM}){PERCENT}", re.IGNORECASE)),
    # 'between 13% and 15%': a range too, with the percent sign on both ends
    ("pct_range", re.compile(rf"(?<=between )(?P<a>{NUM}){PERCENT}?\s*and\s*(?P<b>{NUM}){PERCENT}", re.IGNORECASE)),
    ("points", re.compile(rf"(?P<a>{NUM})\s?percentage points?\b", re.IGNORECASE)),
    ("pct", re.compile(rf"(?P<a>{NUM}){PERCENT}", re.IGNORECASE)),
    ("bp", re.compile(rf"(?P<a>{NUM})\s?(?:basis points?|bps?\b)", re.IGNORECASE)),
    ("usd", re.compile(rf"(?:US)?\$\s?(?P<a>{NUM})(?:\s?(?P<ma>{MULT}))?", re.IGNORECASE)),
    # '63,000 USD', '1.2 billion US dollars': the currency written after the number, as translated pieces do.
    (
        "usd",
        re.compile(rf"(?<![\w.$])(?P<a>{NUM})(?:\s?(?P<ma>{MULT}))?\s?(?:USD|US dollars|U\.S\. dollars)\b"),
    ),
    ("times", re.compile(rf"(?P<a>{NUM})\s?(?:times\b|x\b)", re.IGNORECASE)),
    (
        "btc",
        re.compile(rf"(?P<a>{NUM})\s*(?P<ma>{MULT})?\s+(?:new\s+)?(?:bitcoins?|btc)\b", re.IGNORECASE),
    ),
    # A fraction in words, not an ordinal or a part of the calendar: 'a third straight session', 'the first half
    # of the year', 'a quarter point' are no figures.
    (
        "word",
        re.compile(
            r"(?<!first )(?<!second )(?<!the )(?<!this )(?<!last )(?<!next )"
            r"\b(?P<w>half|a third|a quarter|a fifth|a tenth|two-thirds|three-quarters|doubled|tripled|quadrupled|"
            r"halved)\b"
            r"(?!\s+(?:straight|consecutive|successive|day|session|time|week|month|year|quarter|round|point|"
            r"percentage|an hour|hour))",
            re.IGNORECASE,
        ),
    ),
    ("number", re.compile(rf"(?<![\w.])(?P<a>{NUM})(?:\s?(?P<ma>{MULT}))?(?![\w%])", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    start: int  # offset in the article
    item: int = 0  # in a list: 1 for an item's first sentence, 2 for the ones after it; 0 outside a list


@dataclass(frozen=True)
class Figure:
    text: str  # as written: '17%', '$2.6 billion', '25 basis points'
    value: float  # fraction (for %), usd, bp, times, btc, or a bare number
    unit: str  # fraction | usd | bp | times | btc | count
    start: int
    end: int
    half_width: float | None = None  # a range's half-width (value is its midpoint)
    sign: int = 0  # written with its sign ('-16.1%', '+26.1%', '(−4 bp)'): its own direction; 0 when unsigned


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n(?=\s*[-*#>]|\s*\d+\.\s)", text) if p.strip()]


# A line that ends a sentence never runs on into the next one (a colon or a semicolon may end a wrapped line).
LINE_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]*\s*$")
# A line that stands on its own whatever its length: a heading, a list item or a quote starts one.
OWN_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*>]\s|\d+\.\s)")
# A hard-wrapped line fills the width; a headline, a byline or a dateline standing on its own is shorter.
WRAPPED_LINE_CHARS = 40


def is_date_line(line: str) -> bool:
    """A line that dates the article: 'Published: Feb. 7, 2026', a date alone, a byline ending with the date; the
    year makes it one."""
    line = line.strip("*_# ")
    published = PUBLISHED_LINE.match(line)
    return bool(
        DATE_LINE.match(line) or BYLINE.match(line) or (published and re.search(r"\d{4}", published.group("when")))
    )


LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")
TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def tables_as_lines(text: str) -> str:
    """A Markdown table as the labelled lines it stands for, one per row: its first cell, a colon, then each other
    cell after its column's header ('| Bitcoin | -16.1% | $70,555 |' under 'Asset | Weekly change | Friday close'
    is '- Bitcoin: Weekly change -16.1%, Friday close $70,555.'). Other text is left as it is."""
    lines, out, k = text.splitlines(), [], 0
    while k < len(lines):
        header = TABLE_ROW.match(lines[k])
        if header and k + 1 < len(lines) and TABLE_RULE.match(lines[k + 1]):
            names = [c.strip() for c in header.group("cells").split("|")]
            k += 2
            while k < len(lines) and (row := TABLE_ROW.match(lines[k])):
                cells = [c.strip() for c in row.group("cells").split("|")]
                said = [f"{name} {cell}".strip() for name, cell in zip(names[1:], cells[1:], strict=False) if cell]
                out.append(f"- {cells[0]}: {', '.join(said)}.")
                k += 1
            continue
        out.append(lines[k])
        k += 1
    return "\n".join(out)


def unwrap(text: str) -> str:
    """The text with hard-wrapped prose joined back into the lines it was cut from, blank lines kept: a line that
    does not end a sentence runs on into the next when it is as long as a wrapped line or the next line's first
    word would not have fitted on it, or when the next begins as no sentence does (lower case, a digit, a currency
    sign, punctuation). A heading or a date line ('Published ...', or a date alone) never runs on into the next
    line; nor does any line into a heading, a date line, or a line that starts a list item or a quote."""
    out: list[str] = []
    lines = text.splitlines()
    # The width the text was wrapped at, at least: a line was cut there when the next line's first word would not
    # have fitted on it ('... to under $105k on' / 'Friday, October 10, ...' at 45 columns), however short it is.
    width = max((len(line.rstrip()) for line in lines if not line.lstrip().startswith("#")), default=0)
    raw = ""
    for line in lines:
        previous = out[-1].strip() if out else ""
        first_word = line.split()[0] if line.split() else ""
        cut_here = bool(raw.strip()) and len(raw.rstrip()) + 1 + len(first_word) > width
        # 'rose 0.2% to 97.82 on February' / '5. Spot bitcoin ETFs ...': a number that opens a line is a list's
        # item only when it starts a list (1.) or follows an item; after full prose it is the wrapped text's.
        numbered = re.match(r"\s*(\d+)\.\s", line)
        wrapped_number = bool(numbered and numbered.group(1) != "1" and cut_here and not LIST_ITEM.match(raw))
        raw = line
        runs_on = (
            previous
            and line.strip()
            # '... said at 9:30 a.m.' / 'in New York.': a full stop before a word in lower case ends no sentence, in a
            # line or across two (sentences() never cuts there)
            and not (LINE_ENDS_SENTENCE.search(previous) and not re.match(r"\s*[a-z]", line))
            and not previous.startswith("#")
            and not is_date_line(previous)
            and not is_date_line(line)
            and (wrapped_number or not OWN_LINE.match(line))
        )
        if runs_on and (len(previous) >= WRAPPED_LINE_CHARS or cut_here or re.match(r"\s*[a-z0-9$€£%(,;]", line)):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def sentences(text: str) -> list[Sentence]:
    """Sentences in order, a heading or a line of its own being one too; Markdown marks are dropped. The text is
    `unwrap`ped first (draft() does it once, and keeps that text for the quotes)."""
    out, offset = [], 0
    for k, para in enumerate(paragraphs(text)):
        for line in para.splitlines():
            item = 1 if LIST_ITEM.match(line) else 0
            line = re.sub(r"^\s*(?:#{1,6}|[-*>]|\d+\.)\s+", "", line).replace("**", "").replace("__", "")
            pieces, begin = [], 0
            for match in SENTENCE_END.finditer(line):
                before = line[begin : match.start()].rstrip("\"'”’)")
                if ABBREVIATIONS.search(before):
                    continue
                pieces.append(line[begin : match.start() + len(match.group("close"))].strip())
                begin = match.end()
            pieces.append(line[begin:].strip())
            for piece in pieces:
                if piece:
                    # Found in the article as written: a joined line break is any whitespace there.
                    found = re.compile(r"\s+".join(map(re.escape, piece.split()))).search(text, offset)
                    at = found.start() if found else offset
                    out.append(Sentence(piece, k, at, item))
                    item = 2 if item else 0
                    offset = at
    return out


def _number(text: str) -> float:
    return float(text.replace(",", ""))


# A sign written against the number, as tables and data-style lists write a move ('Bitcoin: -16.1% w/w',
# 'AMD (−17%)'): the character before it is the start, a space or an opening mark, never a digit or a letter, so a
# range ('2-3%'), a hyphenated name ('S&P-500') or a dash between words ('fell – 3%') is no sign.
SIGN_MARK = r"(?:^|(?<=[\s(\[:;,/]))(?P<sign>[-+\u2212\u2013])"
SIGN = re.compile(SIGN_MARK + "$")
# An amount that is a move (a percentage, basis points) or any amount (a move or money): what stands between a
# figure and the words that would speak of it makes them another figure's.
MOVE_AMOUNT = re.compile(r"\d\s*(?:%|per ?cent|basis point|bps?\b)", re.IGNORECASE)
AMOUNT = re.compile(r"\$\s?\d|" + MOVE_AMOUNT.pattern, re.IGNORECASE)


def sign_of(found: re.Match | None) -> int:
    """+1 or -1 for a SIGN_MARK match, 0 for none."""
    return 0 if found is None else 1 if found.group("sign") == "+" else -1


def sign_before(sentence: str, start: int) -> int:
    return sign_of(SIGN.search(sentence[max(0, start - 2) : start]))


def figures(sentence: str) -> list[Figure]:
    taken: list[tuple[int, int]] = []
    out = []
    for unit, pattern in FIGURE_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            g = match.groupdict()
            written = match.group(0).strip()
            if unit == "word":
                value = number_words()[g["w"].lower()]
                figure = Figure(written, value, "fraction", match.start(), match.end())
            elif unit in ("usd_range", "pct_range"):
                scale = 0.01 if unit == "pct_range" else 1.0
                mb = MULTIPLIERS.get((g.get("mb") or "").lower(), 1.0)
                ma = MULTIPLIERS.get((g.get("ma") or "").lower(), mb)
                a, b = _number(g["a"]) * ma * scale, _number(g["b"]) * mb * scale
                # 'from $80,000 to $88,000' is a move between two levels, not a range ('$9.5 to $10.1 billion').
                if b <= a or re.search(r"\bfrom\s*$", sentence[max(0, match.start() - 8) : match.start()], re.I):
                    continue
                figure = Figure(
                    written, (a + b) / 2, "fraction" if unit == "pct_range" else "usd", *match.span(), (b - a) / 2
                )
            else:
                mult = MULTIPLIERS.get((g.get("ma") or "").lower(), 1.0)
                value = _number(g["a"]) * mult
                if unit == "number" and g.get("ma") and g["ma"].lower() in ("m", "b", "t"):
                    continue  # '5 m' is not a figure we read
                unit_of = {"pct": "fraction", "points": "bp", "number": "count"}.get(unit, unit)
                value = value / 100 if unit == "pct" else value * 100 if unit == "points" else value
                figure = Figure(written, value, unit_of, *match.span(), sign=sign_before(sentence, match.start()))
            taken.append((figure.start, figure.end))
            out.append(figure)
    return sorted(out, key=lambda f: f.start)


# '166,000 new coins', '388k': a count grouped in thousands or scaled ('k', 'million'), never a year or a day
SCALED_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?\s?(?:k|thousand|million|mn|m)$", re.I)
NEW_COINS = re.compile(r"\s+new coins\b", re.I)


def elided_units(sentence: str, found: list[Figure]) -> list[Figure]:
    """A count that leaves its unit to an earlier figure of the sentence ('ETFs absorbed 177,000 BTC, and corporate
    treasuries another 388k'), or that counts new coins ('166,000 new coins'), is in bitcoin."""
    out, coins = [], False
    for fig in found:
        coins = coins or fig.unit == "btc"
        if fig.unit == "count" and SCALED_COUNT.match(fig.text) and (coins or NEW_COINS.match(sentence, fig.end)):
            fig = replace(fig, unit="btc")
        out.append(fig)
    return out


QUOTED = re.compile(r"[\"“][^\"“”]{0,300}(?:[\"”]|$)")


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks: someone's words, not the article's figures."""
    return [m.span() for m in QUOTED.finditer(sentence)]


def explicit_dates(sentence: str, published: date) -> list[tuple[date, int, int, str]]:
    """Dates written out in the sentence: (date, start, end, text). A date without a year is the latest one on
    or before the publication date."""
    out = []
    for match in EXPLICIT_DATE.finditer(sentence):
        written = match.group(0)
        parsed = parse_date(written, published)
        if parsed is not None:
            out.append((parsed, match.start(), match.end(), written))
    return out


def parse_date(written: str, published: date) -> date | None:
    clean = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", written)
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    from datetime import datetime

    settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day, 23, 59)
    parsed = dateparser.parse(clean, languages=["en"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if not re.search(r"\d{4}", written) and day > published:
        day = day.replace(year=day.year - 1)
    return day


def without_date_line(text: str) -> str:
    """The text without its date lines ('Published ...', a date alone) and without the date of its dateline (the
    sentence after it is the article's). It looks where `publication_date` looks: the first three lines that
    hold anything."""
    lines = text.splitlines()
    for i in [k for k, line in enumerate(lines) if line.strip()][:3]:
        line = lines[i].strip("*_# ")
        if is_date_line(line):
            lines[i] = ""
        elif match := DATELINE.match(line):
            lines[i] = line[match.end() :]
    return "\n".join(lines)


def publication_date(text: str) -> tuple[date, str] | None:
    """The date the text states for itself: a first line such as 'Published 2026-02-07', or a dateline such as
    'NEW YORK, February 7, 2026 (Reuters) -'. A date without a year is not enough."""
    for line in [ln for ln in text.splitlines() if ln.strip()][:3]:
        for pattern in (PUBLISHED_LINE, DATE_LINE, BYLINE, DATELINE):
            match = pattern.match(line.strip("*_# "))
            if not match:
                continue
            when = match.group("when")
            if not re.search(r"\d{4}", when):
                continue
            parsed = dateparser.parse(
                re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", when), languages=["en"], settings={"STRICT_PARSING": True}
            )
            if parsed is not None:
                return parsed.date(), line.strip()
    return None
