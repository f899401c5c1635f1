"""The drafting vocabularies, each a CSV beside this module (docs/claims.md renders them):

- subjects.csv: names and nicknames of series, held or not ("the greenback", "the long bond", the FTSE 100);
- verbs.csv: what a verb makes of a figure (a move between closes, a level reached, a close, a crossing);
- qualifiers.csv: the words before a figure that pick the wording rule or name an intraday extreme;
- date_phrases.csv: relative dates and periods ("last Thursday", "in two sessions", "since March");
- numbers.csv: figures and counts written in words ("half", "thirty");
- left_out.csv: numbers that are not market claims (an age, a time of day, a company's revenue) and why;
- tenor_words.csv: words that place bonds named without a tenor on the curve ("long-duration": the 30-year);
- clocks.csv: the words that name the writer's clock ("Beijing time") or the writer's night;
- quote_units.csv: currencies a price is quoted in that name the pair ("145 yen" is USD/JPY's level);
- rank_spans.csv: words after a rank that make it a rank of longer moves ("its worst week since 2022").

A new wording is a new row, not new code: the drafter reads only these tables.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict]:
    with (HERE / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _alternatives(pattern: str) -> re.Pattern:
    """A table's pattern as a case-insensitive regex on word boundaries."""
    return re.compile(rf"(?<![\w$])(?:{pattern})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Subject:
    regex: re.Pattern
    series: str  # may hold {tenor}
    kind: str  # price | yield | etf_flows | liquidations | issuance | unheld
    calendar: str  # crypto | ny | tokyo
    inverse: bool  # the name's value moves against the series (the yen against USD/JPY)
    name: str
    note: str


@dataclass(frozen=True)
class Verb:
    regex: re.Pattern
    role: str  # move | low | high | close | break_up | break_down | rebound
    direction: int
    note: str


@dataclass(frozen=True)
class Qualifier:
    regex: re.Pattern  # anchored at the end of the text before a figure
    wording_rule: str
    price_point: str
    note: str


@dataclass(frozen=True)
class QuoteUnit:
    regex: re.Pattern  # matched right after a figure
    series: str
    note: str


@dataclass(frozen=True)
class DatePhrase:
    regex: re.Pattern
    kind: str
    note: str


@cache
def _cashtag(pattern: str) -> re.Pattern:
    """A subject's pattern, also as a cashtag ('$BTC', '$MSTR'), as posts and threads name a ticker."""
    return re.compile(rf"(?:(?<![\w$])|(?<=\$)(?<!\w\$))(?:{pattern})(?![\w-])", re.IGNORECASE)


@cache
def subjects() -> tuple[Subject, ...]:
    return tuple(
        Subject(
            _cashtag(r["pattern"]),
            r["series"],
            r["kind"],
            r["calendar"],
            r["inverse"] == "1",
            r["name"],
            r["note"],
        )
        for r in _rows("subjects")
    )


@cache
def quote_units() -> tuple[QuoteUnit, ...]:
    return tuple(
        QuoteUnit(re.compile(rf"\s*(?:{r['pattern']})(?![\w-])", re.IGNORECASE), r["series"], r["note"])
        for r in _rows("quote_units")
    )


@cache
def verbs() -> tuple[Verb, ...]:
    return tuple(Verb(_alternatives(r["pattern"]), r["role"], int(r["direction"]), r["note"]) for r in _rows("verbs"))


@cache
def qualifiers() -> tuple[Qualifier, ...]:
    return tuple(
        Qualifier(
            re.compile(rf"(?<![\w])(?:{r['pattern']})\s*(?:of\s+|by\s+)?(?:a\s+|an\s+)?\S{{0,2}}$", re.IGNORECASE),
            r["wording_rule"],
            r["price_point"],
            r["note"],
        )
        for r in _rows("qualifiers")
    )


@cache
def date_phrases() -> tuple[DatePhrase, ...]:
    return tuple(DatePhrase(_alternatives(r["pattern"]), r["kind"], r["note"]) for r in _rows("date_phrases"))


@dataclass(frozen=True)
class ClockCue:
    regex: re.Pattern
    kind: str  # clock | night
    utc_offset: float | None
    note: str


@cache
def clock_cues() -> tuple[ClockCue, ...]:
    return tuple(
        ClockCue(
            re.compile(rf"(?<![\w$])(?:{r['pattern']})(?![\w-])", re.IGNORECASE),
            r["kind"],
            float(r["utc_offset"]) if r["utc_offset"] else None,
            r["note"],
        )
        for r in _rows("clocks")
    )


@cache
def tenor_words() -> tuple[tuple[re.Pattern, int, str], ...]:
    return tuple((_alternatives(r["pattern"]), int(r["tenor"]), r["note"]) for r in _rows("tenor_words"))


@cache
def number_words() -> dict[str, float]:
    return {r["word"]: float(r["value"]) for r in _rows("numbers")}


@cache
def rank_spans() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (re.compile(rf"\s+(?:{r['pattern']})(?![\w-])", re.IGNORECASE), r["span"]) for r in _rows("rank_spans")
    )


def rank_span(text: str, end: int) -> str | None:
    """The span of the moves a rank ranks when the words right after its rank word (ending at `end`) name one
    longer than a session ('its worst week', 'the largest weekly drop'); None for a session's."""
    return next((span for pattern, span in rank_spans() if pattern.match(text, end)), None)


@cache
def left_out_rules() -> tuple[tuple[re.Pattern, str, str], ...]:
    """(pattern, reason, scope): scope 'figure' when the words hold the figure ('9:30 a.m.'), 'after' when they
    follow it ('580,000 people'), 'near' when they sit in its clause ('revenue of $9.5 billion')."""
    return tuple((re.compile(r["pattern"], re.IGNORECASE), r["reason"], r["scope"]) for r in _rows("left_out"))


def number(text: str) -> float:
    """'30' or 'thirty' as a number."""
    text = text.lower()
    return number_words()[text] if text in number_words() else float(text)


TABLES = (
    "subjects",
    "verbs",
    "qualifiers",
    "date_phrases",
    "numbers",
    "left_out",
    "tenor_words",
    "clocks",
    "quote_units",
    "rank_spans",
)


def table(name: str) -> list[dict]:
    """A table's rows as written (for the docs and the tests)."""
    if name not in TABLES:
        raise KeyError(name)
    return _rows(name)


DOC_COLUMNS = {
    "subjects": ("pattern", "series", "kind", "inverse", "note"),
    "verbs": ("pattern", "role", "direction", "note"),
    "qualifiers": ("pattern", "wording_rule", "price_point", "note"),
    "date_phrases": ("pattern", "kind", "note"),
    "numbers": ("word", "value", "note"),
    "left_out": ("pattern", "reason", "scope"),
    "tenor_words": ("pattern", "tenor", "note"),
    "clocks": ("pattern", "kind", "utc_offset", "note"),
    "quote_units": ("pattern", "series", "note"),
    "rank_spans": ("pattern", "span", "note"),
}


def markdown(name: str) -> str:
    """A table as docs/claims.md shows it (a `|` inside a cell written as &#124;)."""
    columns = DOC_COLUMNS[name]

    def cell(column: str, value: str) -> str:
        value = (value or "").replace("|", "&#124;")
        return f"`{value}`" if column == "pattern" else value

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(c, row[c]) for c in columns) + " |" for row in table(name)]
    return "\n".join(lines)
