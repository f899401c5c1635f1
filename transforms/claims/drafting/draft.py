"""Draft a claim file from an article's plain text: every numeric market statement, sentence by sentence.

For each figure of each sentence the drafter finds the series it is about (subjects.csv, or the subject of an
earlier sentence when the sentence says "it" or "the stock"), the verb that says what the figure is (verbs.csv),
the words before it that set the wording rule (qualifiers.csv), and the day or period it belongs to
(date_phrases.csv and written dates, resolved against the publication date and the series' own calendar). It
writes the claim file's columns with `draft_note` saying why each field was chosen. A figure that is not a market
claim (an age, a time of day, a company's revenue, a forecast) is listed as left out with its reason. A sentence
that names held series and a move with no figure ("gold, silver and the yen were sold off that day") gives a
claim of direction; "all ... simultaneously" gives one claim that the named series moved on a common session.

The Drafter's sentence loop (this module) is one thing: it reads a sentence's subjects, day, verb, qualifier and
period in the order each depends on the last. A figure's reading by kind of series is readings.py, the claims
without a figure moves.py, what a sentence names mentions.py, what its clauses and units say of time and series
clauses.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from transforms.claims.drafting import clauses
from transforms.claims.drafting import dates as d
from transforms.claims.drafting.mentions import (
    DAY_KINDS,
    FROM_LOW,
    FROM_PEAK,
    HEDGE,
    PEAK_NOUN,
    PRONOUN,
    RANK,
    Clock,
    Mention,
    mentions,
    phrases_in,
    writer_clock,
)
from transforms.claims.drafting.moves import Moves
from transforms.claims.drafting.readings import LABEL, MULTIPLES, Readings
from transforms.claims.drafting.tables import (
    clock_cues,
    left_out_rules,
    qualifiers,
    verbs,
)
from transforms.claims.drafting.text import (
    MOVE_AMOUNT,
    Figure,
    Sentence,
    elided_units,
    explicit_dates,
    figures,
    publication_date,
    quoted_spans,
    sentences,
    tables_as_lines,
    unwrap,
    without_date_line,
)
from transforms.claims.files import COLUMNS

DRAFT_COLUMNS = ("article", *COLUMNS, "draft_note")
LEFT_OUT_SCHEMA = {"sentence": pl.Int32, "figure": pl.String, "reason": pl.String, "quote": pl.String}
__all__ = ["NoPublicationDate", "Draft", "draft", "mentions", "writer_clock", "Mention"]


FROM_TIME_TO = re.compile(r"\bfrom\b[^.;]{1,60}?(?P<to>\bto\b)[^.;,]{1,60}", re.IGNORECASE)
# 'fell 12% between Wednesday and Friday': as 'from Wednesday to Friday', close to close
BETWEEN_TIMES = re.compile(r"\bbetween\b[^.;]{1,60}?(?P<to>\band\b)[^.;,]{1,60}", re.IGNORECASE)
# A cause or an event beside the figure ('after Nvidia's earnings failed to lift sentiment'); 'since its earnings
# report' is the figure's own period, so 'since' is not one.
SUBORDINATE = re.compile(r"\b(?:after|because|as|when|while|following|amid|despite)\b", re.IGNORECASE)
# 'its biggest one-day gain since July': a month after a move's rank is that rank's history
MOVE_SINCE = re.compile(r"\b(?:largest|biggest|worst|sharpest|steepest|heaviest|best|deepest)\b[\w\s-]{0,30}$", re.I)
LEVEL_SINCE = re.compile(
    r"\b(?:(?:lowest|highest|weakest|strongest|softest|firmest)(?: (?:level|close|reading|point))?|the first time) $",
    re.I,
)
PRESENT = re.compile(r"\b(?:has|have|is|are|now)\b", re.IGNORECASE)
PEAK_PRONOUN = re.compile(
    r"\s+(?:below|off|under|beneath)\s+(?:it|that(?:\s+(?:level|mark|peak|high|record))?)\b", re.I
)
PEAK_TO = re.compile(r"\s+to\s+(?:[a-z]+\s+){0,2}", re.IGNORECASE)
DEICTIC = re.compile(r"\b(?:past|last)\b", re.IGNORECASE)
INTRADAY_AFTER = re.compile(
    r"\b(?:at one point|intraday|during the (?:session|day)|in intraday trading|"
    r"at (?:its|the) (?:lows?|highs?|worst))\b",
    re.IGNORECASE,
)


# A sentence's names and clause cuts are read once per sentence, not once per figure: a sentence of 2,000 figures
# took 70 s when each figure re-read them.
@lru_cache(maxsize=8)
def name_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start, m.end, m.text) for m in mentions(text))


@lru_cache(maxsize=8)
def clause_cuts(text: str) -> tuple[int, ...]:
    # 'up 0.6% on the week despite a 4.4% slide on Wednesday': each figure keeps its own day and period.
    return tuple(
        m.start() for m in re.finditer(r"[,;:—–]|\s-\s|\band\b|\bbut\b|\bwhile\b|\bdespite\b|\bin spite of\b", text)
    )


# A sentence's clauses and cuts, read once per sentence rather than once per figure: a pasted table drafted as one
# sentence of thousands of figures stays linear.
@lru_cache(maxsize=256)
def hedged(clause: str) -> bool:
    return HEDGE.search(clause) is not None


@lru_cache(maxsize=8)
def sentence_cuts(text: str) -> tuple[int, ...]:
    """Where each semicolon or full stop inside the text ends."""
    return tuple(m.end() for m in re.finditer(r"[;]|\. ", text))


WORD_RUNS_ON = re.compile(r"\w\w")


@lru_cache(maxsize=8)
def first_pronoun_end(text: str) -> int | None:
    first = PRONOUN.search(text)
    return first.end() if first else None


def pronoun_before(text: str, position: int) -> bool:
    """Whether a pronoun ends by `position`: the text's first one, unless only the cut at `position` (a word
    running on into the figure) could end one there."""
    first = first_pronoun_end(text)
    if first is not None and first <= position:
        return True
    if 0 < position < len(text) and WORD_RUNS_ON.match(text, position - 1):
        return PRONOUN.search(text, 0, position) is not None
    return False


@lru_cache(maxsize=8)
def left_out_spans(text: str) -> tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]:
    return tuple(
        (reason, scope, tuple(m.span() for m in pattern.finditer(text))) for pattern, reason, scope in left_out_rules()
    )


# Items of a list: 'Micron, AMD and SanDisk', '9.5%, 17.3% and 16%'.
LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)")


def sharing(text: str, fig: Figure, named: list[Mention], owner: Mention | None) -> list[Mention]:
    """The series listed with the figure's subject that the figure is also about: 'Micron and AMD each lost more
    than 5%', 'gold and silver both rose 2%' (a list joined by commas or 'and', then 'each', 'both' or 'all' before
    the figure). None without those words: 'Micron and AMD, which lost 5%' is AMD's alone."""
    if owner is None or owner not in named or not re.search(r"\b(?:each|both|all)\b", text[owner.end : fig.start]):
        return []
    listed, at = [], named.index(owner)
    while at > 0 and LIST_JOIN.fullmatch(text[named[at - 1].end : named[at].start]):
        at -= 1
        listed.append(named[at])
    return [m for m in reversed(listed) if m.series != owner.series]


# 'Silver? Down 31% in one session.', '2/ Up 5% on the week.': a sentence that opens on its move leaves its subject
# to the sentence before.
ELLIPTIC = re.compile(r"^\W*(?:\d+/\s*)?(?:(?:down|up|lower|higher|off)\b|[-+\u2212]\s?\$?\d)", re.IGNORECASE)
YEAR_ALONE = re.compile(r"(?<![\d,.$])(?:19[5-9]\d|20\d\d)(?![\d,.]\d|%|\s?(?:bitcoin|btc|coins))")


# '..., bringing its holdings to 720,737 coins', 'for a total of 720,737 BTC': a figure of what is held after it
HOLDINGS = re.compile(
    r"\b(?:holdings?|holds|holding|stash|stack|treasury|reserves?|total)\b[\w\s]{0,20}?\b(?:to|of|at|now)\s+"
    r"(?:about |around |roughly |nearly |some |over |more than |just over |almost )?$",
    re.IGNORECASE,
)
BUYING = re.compile(
    r"\b(?:bought|buys|buying|added|adds|adding|acquired|acquires|acquiring|purchased|purchases|purchasing|"
    r"scooped up|snapped up)\b",
    re.IGNORECASE,
)
# 'The company bought 22,305 BTC': the company named before, for the coins it counts (its price is 'the stock').
COMPANY = re.compile(r"\b(?:the company|the firm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Purchases:
    series_of: tuple[str, ...]  # the price series whose company's coin counts are its purchases
    fields: dict


STRATEGY_PURCHASES = _Purchases(
    ("MSTR",),
    {
        "series": "strategy",
        "kind": "etf_flows",
        "calendar": "crypto",
        "name": "Strategy's bitcoin purchases",
        "note": "8-K filings: the coins bought, on the filing's day",
    },  # fmt: skip
)


def respectively(text: str, figs: list[Figure], named: list[Mention]) -> dict[int, Mention]:
    """'Micron, AMD and SanDisk fell 9.5%, 17.3% and 16% respectively': the n figures listed before 'respectively'
    belong, in order, to the n series listed before the first of them. Keyed by the figure's start; empty when the
    sentence has no such pair of lists of one length."""
    said = re.search(r"\brespectively\b", text, re.IGNORECASE)
    if not said:
        return {}

    def a_list(items) -> bool:
        return all(LIST_JOIN.fullmatch(text[a.end : b.start]) for a, b in zip(items, items[1:], strict=False))

    listed = [f for f in figs if f.end <= said.start() and f.unit in ("fraction", "bp", "usd", "btc")]
    if len(listed) < 2 or not a_list(listed):
        return {}
    before = [m for m in named if m.end <= listed[0].start]
    series = before[-len(listed) :]
    if len(before) > len(series) and LIST_JOIN.fullmatch(text[before[-len(series) - 1].end : series[0].start]):
        return {}  # a longer list of series than of figures: no order pairs them
    if len(series) != len(listed) or not a_list(series):
        return {}
    return {f.start: m for f, m in zip(listed, series, strict=True)}


class NoPublicationDate(ValueError):
    """Relative dates cannot be resolved: the draft asks for the date and writes nothing."""


# Day phrases that count from another day of the text, not from the publication date (date_phrases.csv kinds).
RELATIVE_PHRASES = ("previous_session", "next_session", "that_day", "earlier")


@dataclass
class Draft:
    article: str
    published: date
    published_from: str
    claims: pl.DataFrame
    left_out: pl.DataFrame
    text: str = ""  # the article as drafted, for the report's annotated page


@dataclass
class Context:
    day: date | None = None
    day_note: str = ""
    subject: Mention | None = None
    month: tuple[int, int] | None = None
    section: str = ""
    year: int | None = None  # the last calendar year a sentence named on its own ('For most of 2025')
    after_close: bool = False  # the day was an event after the close: undated moves are the next session's
    period: tuple | None = None  # the last period phrase a figure was read over, and the day it ended on


class Drafter(Readings, Moves):
    def __init__(self, published: date, article: str, sessions: d.Sessions | None, clock: Clock | None = None):
        self.published, self.article, self.sessions = published, article, sessions or (lambda series: None)
        self.clock = clock
        self.timed: set[date] = set()  # writer's dates named with a time of day (a night, after the close)
        self.rows: list[dict] = []
        self._figs: list[Figure] = []  # the figures of the sentence being read
        self.left: list[dict] = []
        self.ctx = Context()
        self._before_list: tuple[date | None, str, bool] = (None, "", False)  # the day the text before a list carried
        self._calendars: dict[str, d.Calendar] = {}

    def calendar(self, mention: Mention) -> d.Calendar:
        key = mention.series
        if key not in self._calendars:
            self._calendars[key] = d.Calendar(mention.calendar or "ny", self.sessions(mention.series))
        return self._calendars[key]

    def market(self, day: date, cal: d.Calendar | None) -> tuple[date, str]:
        """The series' session for a writer's date. A date named with a time of day (the writer's night, an event
        after the close) is on the writer's clock: from Asia, the New York session that closed during that night
        is the day before. A date that only names a session's move is the market's own."""
        if cal is None:
            return day, ""
        lag = d.writer_lag(cal.kind, self.clock.utc_offset) if self.clock and day in self.timed else 0
        if not lag:
            return cal.on_or_before(day), ""
        session = cal.on_or_before(day - timedelta(days=lag))
        return session, (
            f"; on the writer's clock (UTC{self.clock.utc_offset:+g}: {self.clock.note}) {day} is a time of day "
            f"after the close of the {cal.kind} session of {session}"
        )

    # --- one sentence ------------------------------------------------------------------------------------------

    def sentence(self, k: int, s: Sentence) -> None:
        text = s.text
        self._flow_period: tuple[d.Period, tuple] | None = None
        if s.item == 1:
            # A list item stands alone: it inherits the day of the text before the list ('On Thursday:' then
            # items), never a day a sibling item named ('- Silver: -31% on January 30.' then '- Gold: +3% w/w.').
            self.ctx.day, self.ctx.day_note, self.ctx.after_close = self._before_list
        if len(text) < 80 and not re.search(r"[.!?:]$", text) and not figures(text):
            self.ctx.section = text  # a heading: its subject is the next sentences' "it"
            held = [m for m in mentions(text) if m.kind != "unheld"]
            if held:
                self.ctx.subject = held[0]
            return
        written = explicit_dates(text, self.published)
        # A night or an event after the close is a time of day: its date is on the writer's clock (clocks.csv).
        timed_cues = {cue.kind for cue in clock_cues() if cue.kind != "clock" and cue.regex.search(text)}
        if timed_cues and (written or self.ctx.day):
            self.timed.update([w[0] for w in written] if written else [self.ctx.day])
        taken = [(a, b) for _, a, b, _ in written]
        phrases = phrases_in(text, taken)
        # 'Thursday, April 3' is one date: the weekday beside a written date is part of it.
        day_phrase = [p for p in phrases if p[0] in DAY_KINDS and not any(abs(w[1] - p[3]) <= 3 for w in written)]
        figs = elided_units(text, figures(text))
        self._figs = figs
        # '1,142 bitcoin' is a quantity: the coin in its unit is not a subject of the sentence.
        counted = [(f.start, f.end) for f in figs if f.unit == "btc"]
        named: list[Mention] = []
        for m in mentions(text):
            # '164,000 new bitcoins': a coin counted is no subject, but new coins name the issuance
            if m.kind == "issuance" or not any(a <= m.start < b for a, b in counted):
                named.append(self.with_curve(m, named))
        used: set[int] = set()
        paired = respectively(text, figs, named)
        for fig in figs:
            reason = self.left_out_reason(text, fig, written, phrases) or clauses.undated_aside(
                text, fig, written, phrases
            )
            if reason:
                self.leave(k, fig.text, reason, text)
                # The series it would have been about says no more in this sentence than the left-out figure.
                owner = self.subject_for(text, fig, named)
                if owner in named and not reason.startswith(("part of", "a year")):
                    used.add(named.index(owner))
                continue
            owner = paired.get(fig.start) or self.subject_for(text, fig, named)
            subject = clauses.quoted_in(text, fig, owner)
            if subject is None:
                self.leave(k, fig.text, "no market series is named for it (subjects.csv)", text)
                continue
            # The figure says all the sentence says of its subject, and of the pair it is quoted in.
            used.update(i for i, m in enumerate(named) if m is owner or m.series == subject.series)
            self.claim_figure(k, s, fig, subject, written, phrases, day_phrase)
            for other in sharing(text, fig, named, owner):  # 'Micron and AMD each lost more than 5%'
                used.add(named.index(other))
                self.claim_figure(k, s, fig, other, written, phrases, day_phrase)
        if not self.turns(k, s, named, used):
            self.directional(k, s, named, used, written, phrases, day_phrase, figs)
        if "after_close" in timed_cues and written:
            self.news_after_close(k, s, named, written, day_phrase)
        # What the next sentence inherits: its day, its month, its subject.
        if written or day_phrase:
            day, note = self.day_for(text, None, written, day_phrase, named[0] if named else None, writer=True)
            self.ctx.day, self.ctx.day_note = day, note
            self.ctx.after_close = False
        self.ctx.after_close = self.ctx.after_close or "after_close" in timed_cues
        for kind, groups, start, *_ in phrases:
            # 'its softest level since March' names a history, not the month the text goes on about ('Since
            # January, silver ...' does)
            ranks = any(r.search(text[max(0, start - 40) : start]) for r in (LEVEL_SINCE, MOVE_SINCE))
            if groups.get("month") and not (kind == "since_month" and ranks):
                self.ctx.month = d.nearest_month(groups["month"], self.ctx.day or self.published, self.published)
        if written:
            self.ctx.month = (written[-1][0].year, written[-1][0].month)
        in_dates = [(a, b) for _, a, b, _ in written]
        years = [m for m in YEAR_ALONE.finditer(text) if not any(a <= m.start() < b for a, b in in_dates)]
        if years:
            self.ctx.year = int(years[-1].group(0))
        held = [m for m in named if m.kind != "unheld"]
        if held:
            self.ctx.subject = held[-1]
        if not s.item:
            self._before_list = (self.ctx.day, self.ctx.day_note, self.ctx.after_close)

    def with_curve(self, m: Mention, earlier: list[Mention]) -> Mention:
        """A tenor named without its country takes the country of the last yield named before it, in the sentence
        ('JGB yields tumbled, with the 10-year yield ...') or an earlier one ('?:40' after JGBs)."""
        if not m.series.startswith("?:"):
            return m
        here = [x for x in earlier if x.kind == "yield" and not x.series.startswith("?")]
        before = here[-1] if here else self.ctx.subject
        last = before.series if before and before.kind == "yield" else "UST:"
        curve = last.split(":")[0] if not last.startswith("?") else "UST"
        m.series = f"{curve}:{m.series[2:]}"
        m.name = f"{curve} {m.name}"
        return m

    def from_to_span(self, text, fig: Figure, written, phrases, cal: d.Calendar) -> d.Period | None:
        """'The yen rose from 161 at the beginning of July to 142 on August 5, an increase of more than 10%': a
        percentage outside the two ends is the move between the times they name."""
        pair = FROM_TIME_TO.search(text) or BETWEEN_TIMES.search(text)
        before = [w for w in written if w[2] <= fig.start]
        if pair is None and len(before) >= 2 and not re.search(r"\d", text[before[-1][2] : fig.start]):
            # 'After bottoming at $64 on February 6, it climbed back above $90 by February 27, a gain of over 40%':
            # a figure after two dates, with nothing between, is the move from the first to the last.
            start, end = cal.on_or_before(before[0][0]), cal.on_or_before(before[-1][0])
            if start < end:
                return d.Period(start, end, "span", f"from {start} to {end}: the two dates before the figure")
        if pair is None or pair.start("to") <= fig.end <= pair.end():
            return None

        def when(lo: int, hi: int, first: bool, before: date | None = None) -> date | None:
            for w in written:
                if lo <= w[1] < hi:
                    return cal.on_or_before(w[0])
            for kind, groups, a, _, _ in phrases:
                if lo <= a < hi and kind not in ("history",):
                    if kind == "weekday" and before is not None:
                        # 'from Monday to Tuesday' written on a Monday: the Monday before that Tuesday
                        return cal.on_or_before(d.weekday_on_or_before(before, groups["weekday"], strictly=True))
                    day = d.day_of(kind, groups, self.published, self.ctx.day, cal)
                    if day is not None:
                        return cal.on_or_before(day)
                    p = d.period_for(kind, groups, self.published, cal, self.ctx.month)
                    if p is not None:
                        return p.start if first else p.end
            return None

        end = when(pair.start("to"), pair.end(), False)
        start = when(pair.start(), pair.start("to"), True, before=end)
        if start is None or end is None or end <= start:
            return None
        return d.Period(start, end, "span", f"from {start} to {end}: the two times 'from ... to ...' names")

    def leave(self, k: int, figure: str, reason: str, quote: str) -> None:
        self.left.append({"sentence": k + 1, "figure": figure, "reason": reason, "quote": quote})

    def left_out_reason(self, text: str, fig: Figure, written, phrases) -> str | None:
        for _, a, b, what in written:
            if fig.start < b and a < fig.end:
                return f"part of a date ('{what}')"
        for _, _, a, b, what in phrases:
            if fig.start < b and a < fig.end:
                return f"part of a period ('{what}')"
        for start, end, name in name_spans(text):
            if start <= fig.start and fig.end <= end:  # '500' of 'the S&P 500', '10' of 'the 10-year'
                return f"part of a name ('{name}')"
        if fig.unit == "count" and 1900 <= fig.value <= 2100 and float(fig.value).is_integer() and "," not in fig.text:
            return "a year"
        clause = self.clause(text, fig)
        # 'closed 2.2% lower on Thursday after Nvidia's earnings failed to lift sentiment': a subordinate clause after
        # the figure speaks of something else; its words do not make the figure a company's.
        cause = SUBORDINATE.search(text, fig.end, clause[1])
        near = (clause[0], cause.start() if cause else clause[1])
        for reason, scope, spans in left_out_spans(text):
            for start, end in spans:
                if scope == "figure" and start < fig.end and fig.start < end:
                    return reason
                # 'after' names what a bare number counts ('3,000 traders'): a figure with a unit ('6 basis points
                # as traders priced in ...') is no count of them.
                if scope == "after" and fig.unit == "count" and 0 <= start - fig.end <= 12:
                    return reason
                if scope == "near" and near[0] <= start < near[1]:
                    return reason
        if any(a <= fig.start < b for a, b in quoted_spans(text)):
            return "inside a quotation: someone's words, not a figure the article reports"
        if hedged(text[clause[0] : clause[1]]):
            return "a forecast, a plan or a conditional: not a reported market figure"
        level = re.search(
            r"\b(?:to|at|near|around|below|above|under|beneath|past|beyond|through|from|touched|touching|touches)\s*$"
            r"|\bas (?:strong|weak|high|low) as\s*$",  # 'rallied to as strong as 141.7'
            text[max(0, fig.start - 16) : fig.start],
            re.IGNORECASE,
        )
        # 'Friday close 23,031': a close (verbs.csv) right before it
        ahead = len(text[: fig.start].rstrip())
        level = level or any(
            v.role == "close" and any(m.end() == ahead for m in v.regex.finditer(text, max(0, ahead - 60), ahead))
            for v in verbs()
        )
        # 'DXY: 97.63, up 0.7%': the figure that opens a labelled line is the labelled series' level
        level = level or LABEL.match(text[: fig.start])
        if fig.unit == "count" and not level:  # 'fell to 102.69', 'the pair fell below 145': a level in points
            return "a bare number with no unit: not read as a market figure"
        return None

    @staticmethod
    def clause(text: str, fig: Figure) -> tuple[int, int]:
        """The span of the clause holding the figure: between the nearest commas, semicolons or dashes."""
        cuts = clause_cuts(text)
        start = max((c for c in cuts if c < fig.start), default=0)
        end = min((c for c in cuts if c >= fig.end), default=len(text))
        return start, end

    def subject_for(self, text: str, fig: Figure, named: list[Mention]) -> Mention | None:
        clause = self.clause(text, fig)
        if fig.unit == "usd":  # '$1 billion of crypto positions were liquidated': the liquidations, not crypto
            # ... unless a price is named between them ('... wiped out as bitcoin slipped under $80,000')
            liquidations = [
                m
                for m in named
                if m.kind == "liquidations"
                and clause[0] <= m.start < clause[1] + 40
                and not any(p.kind == "price" and m.end <= p.start and p.end <= fig.start for p in named)
            ]
            if liquidations:
                return liquidations[0]
        # '... gaining 6% versus 2.5% for the largest token': a figure 'for' a series is that series'.
        owner = next(
            (m for m in named if m.start >= fig.end and re.fullmatch(r"\s+for\s+", text[fig.end : m.start])), None
        )
        if owner:
            return owner
        # '13,500 coins miners created': the flow named right after the coins counted is theirs
        right_after = next(
            (
                m
                for m in named
                if fig.unit == "btc"
                and m.kind in ("issuance", "etf_flows")
                and m.start >= fig.end
                and re.fullmatch(r"\s*(?:new\s+)?(?:coins|bitcoins?|btc)?\s*", text[fig.end : m.start], re.I)
            ),
            None,
        )
        if right_after:
            return right_after
        before = [m for m in named if m.end <= fig.start]
        clause_start = max((end for end in sentence_cuts(text) if end <= fig.start), default=0)
        close = [m for m in before if m.start >= clause_start]
        if close:
            return close[-1]
        if (
            fig.unit == "btc"
            and not before
            and self.ctx.subject is not None
            and self.ctx.subject.series in STRATEGY_PURCHASES.series_of
            and COMPANY.search(text, 0, fig.start)
        ):
            return self.ctx.subject
        pronoun = pronoun_before(text, fig.start)
        if pronoun and self.ctx.subject and not before:
            return self.ctx.subject
        if before:
            return before[-1]
        after = [m for m in named if m.start >= fig.end]
        if after:
            return after[0]
        if (first_pronoun_end(text) is not None or ELLIPTIC.match(text)) and self.ctx.subject:
            return self.ctx.subject
        return None

    def same_clause(self, text: str, fig: Figure, phrase) -> bool:
        a, b = sorted((fig.end, phrase[2])) if phrase[2] >= fig.end else (phrase[3], fig.start)
        between = text[a:b]
        # 'climbed 8 basis points to 4.95% over the past week': the level the move reached is part of the move.
        between = re.sub(r"\bto (?:about |around |nearly )?\$?\d[\d,.]*\s*(?:%|per ?cent)?", "", between)
        if MOVE_AMOUNT.search(between):
            return False  # another figure stands between them: the phrase is that one's
        return not re.search(
            r"[;]|,\s+(?:and|but|while|even as|as|even though|although|whereas|after|before|when|having|\w+ing)\b|"
            r"\band has\b|\bdespite\b|\bin spite of\b|"
            r"\band (?:then )?(?:fell|rose)\b",
            text[a:b],
        )

    def day_for(
        self,
        text,
        fig: Figure | None,
        written,
        day_phrase,
        subject: Mention | None,
        writer: bool = False,
        at: int | None = None,
    ) -> tuple[date, str]:
        """The day a figure (or the move named at `at`) belongs to: the written date or day phrase nearest to it in
        the sentence (one in its clause first), a relative one resolved against the sentence's written date or the
        earlier sentences' day; else the day carried from an earlier sentence; else the publication day."""
        cal = self.calendar(subject) if subject else d.Calendar("ny")
        session = (lambda day: self.market(day, cal)) if subject and not writer else (lambda day: (day, ""))
        phrases = day_phrase if isinstance(day_phrase, list) else ([day_phrase] if day_phrase else [])
        candidates = [("written", w[1], w) for w in written] + [("phrase", p[2], p) for p in phrases]
        at = fig.start if fig else at
        if at is not None:  # a date in a relative clause is that clause's; one outside it is not its figure's
            own = clauses.relative_of(text, at)
            candidates = [c for c in candidates if clauses.relative_of(text, c[1]) == own]
        if candidates:
            clause = self.clause(text, fig) if fig else (0, len(text))
            kind, where, item = min(
                candidates, key=lambda c: (not clause[0] <= c[1] < clause[1], abs(c[1] - (at or 0)))
            )
            if kind == "written":
                day, why = session(item[0])
                if not writer and at is not None:
                    day, why = clauses.after_event(text, at, where, day, why, cal)
                return day, f"'{item[3]}' in the sentence{why}"
            phrase_kind, groups, _, _, what = item
            context, against = (
                (written[0][0], f"'{written[0][3]}' in the sentence")
                if written
                else self.phrase_anchor(phrases, where, cal)
                or (
                    (self.ctx.day, f"the day of an earlier sentence ({self.ctx.day})")
                    if self.ctx.day is not None
                    else (self.published, f"the publication date {self.published}")
                )
            )
            if context is not None and phrase_kind in RELATIVE_PHRASES and phrase_kind != "earlier":
                # 'a week earlier' counts calendar days from the date as written, not from its session
                context = session(context)[0]
            day = d.day_of(phrase_kind, groups, self.published, context, cal)
            if day is not None:
                relative = phrase_kind in RELATIVE_PHRASES
                day, why = (day, "") if relative else session(day)
                return day, f"'{what}' ({phrase_kind.replace('_', ' ')}) against " + (
                    against if relative else f"the publication date {self.published}"
                ) + why
        if self.ctx.day is not None:
            day, why = session(self.ctx.day)
            note = f"no date in the sentence: the day of an earlier sentence ({self.ctx.day_note}){why}"
            if self.ctx.after_close and subject and not writer:
                day = cal.after(day)
                note += f"; the earlier sentence's event came after the close: the next session, {day}"
            return day, note
        day, why = session(self.published)
        return day, f"no date in the text before it: the publication date {self.published}{why}"

    def phrase_anchor(self, phrases: list, before: int, cal: d.Calendar) -> tuple[date, str] | None:
        """The day a relative phrase ('a day earlier', 'the next session') counts from when the sentence writes no
        date: the nearest day phrase of its own before it ('on Friday ..., a day earlier'), resolved against the
        publication date; None when it has none."""
        own = [p for p in phrases if p[0] not in RELATIVE_PHRASES and p[2] < before]
        for kind, groups, _, _, what in reversed(own):
            day = d.day_of(kind, groups, self.published, self.ctx.day, cal)
            if day is not None:
                return day, f"'{what}' in the sentence ({day})"
        return None

    # --- a figure ----------------------------------------------------------------------------------------------

    def verb_for(self, text: str, fig: Figure, subject: Mention, here: bool):
        # 'despite Thursday's 17% drop', 'a 16% drop': a move noun right after the figure is the figure's own word,
        # whatever verb the sentence used before it ('have doubled since 2024 despite ...').
        after = fig.end + len(text[fig.end :]) - len(text[fig.end :].lstrip())
        for verb in verbs():
            if verb.role == "move_noun" and (own := verb.regex.match(text, after)):
                return verb, own
        start = subject.end if here and subject.end <= fig.start else 0
        best = None
        for verb in verbs():
            if verb.role == "turn":  # a trend's turn orders peaks; it never reads a figure
                continue
            for match in verb.regex.finditer(text, start, fig.start):
                if (
                    best is None
                    or match.end() > best[1].end()
                    or (match.end() == best[1].end() and match.start() < best[1].start())
                ):
                    best = (verb, match)
        if best is None:  # a noun after the figure: 'a 16% drop', '17% lower'
            for verb in verbs():
                if verb.role == "turn":
                    continue
                match = verb.regex.search(text, fig.end, min(len(text), fig.end + 25))
                if match and (best is None or match.start() < best[1].start()):
                    best = (verb, match)
        return best

    def claim_figure(self, k, s: Sentence, fig: Figure, subject: Mention, written, phrases, day_phrase) -> None:
        text = s.text
        if fig.unit == "btc" and subject.series in STRATEGY_PURCHASES.series_of:
            # 'Strategy bought 22,305 BTC', 'the company added 855 BTC': coins a company buys are its purchases;
            # the coins it holds ('holds 713,502 BTC') are no flow the ledger sums
            if not BUYING.search(text, 0, fig.start) or HOLDINGS.search(text[max(0, fig.start - 60) : fig.start]):
                self.leave(k, fig.text, "coins a company holds, not a purchase: no series sums holdings", text)
                return
            subject = replace(subject, **STRATEGY_PURCHASES.fields)
        cal = self.calendar(subject)
        peak_after = FROM_PEAK.search(text, fig.end) or FROM_LOW.search(text, fig.end)
        if peak_after:  # 'fallen 45% from its all-time high of $126,000 set on Oct. 6': that date is the peak's
            written = [w for w in written if w[1] < peak_after.start()]
        day, day_note = self.day_for(text, fig, written, day_phrase, subject)
        if peak_after and not written and not day_phrase and PRESENT.search(text, 0, fig.start):
            day = cal.on_or_before(self.published - timedelta(days=1))
            day_note = f"'{PRESENT.search(text, 0, fig.start).group(0)}' is the writer's now: {day}, before publication"
        day = cal.on_or_before(day)
        here = text[subject.start : subject.end] == subject.text
        verb = self.verb_for(text, fig, subject, here)
        prefix = text[max(0, fig.start - 40) : fig.start]
        qualifier = next((q for q in qualifiers() if q.wording_rule and q.regex.search(prefix)), None)
        intraday = next((q for q in qualifiers() if q.price_point and q.regex.search(prefix)), None)
        clause = self.clause(text, fig)
        # 'its strongest level since January', 'its biggest gain since July': a month after a rank is the rank's
        # history, not a period
        rank_of = MOVE_SINCE if fig.unit in ("fraction", "bp") else LEVEL_SINCE
        level_since = next(
            (p for p in phrases if p[0] == "since_month" and rank_of.search(text[max(0, p[2] - 40) : p[2]])), None
        )
        # ... and any rank's month is no period of another figure ('slid 12%, its sharpest decline since June, and
        # finished at $3,800': June bounds the rank, not the close)
        periods = [
            p
            for p in phrases
            if p[0] not in DAY_KINDS
            and p[0] != "history"
            and not (
                p[0] == "since_month"
                and any(r.search(text[max(0, p[2] - 40) : p[2]]) for r in (LEVEL_SINCE, MOVE_SINCE))
            )
        ]
        own = [
            p
            for p in periods
            if self.same_clause(text, fig, p)
            # 'Gold, which set a record in January, ended February 12% below it': January is the clause's
            and clauses.relative_of(text, p[2]) == clauses.relative_of(text, fig.start)
            # 'steadied around $67k after shedding a fifth since the start of February': the move's period
            and not clauses.move_between(fig, self._figs, p[2])
            # 'up 2% after last week's carnage': a possessive after the figure names an event, not its period
            and not (p[2] >= fig.end and re.match(r"['’]s\b", text[p[3] : p[3] + 3]))
        ]
        # '... to 142 on August 5', 'slipped 1.5% on Monday': the date beside it is its own
        if any(
            0 <= at - fig.end <= 5 and not re.search(r"[,;:]", text[fig.end : at])
            for at in [w[1] for w in written] + [p[2] for p in day_phrase]
        ):
            own = [p for p in own if 0 <= p[2] - fig.end <= 5]
        # A date of the figure's own clause ('after the index closed down 2.4% on Friday'), not another clause's.
        dated_here = any(self.same_clause(text, fig, (None, None, w[1], w[2])) for w in written) or any(
            self.same_clause(text, fig, p) for p in day_phrase
        )
        nearest = min(own, key=lambda p: abs(p[2] - fig.end), default=None)
        if nearest is None and not dated_here:
            # 'In the past week, bitcoin fell 25%, and ether 30%': a leading period scopes the sentence
            nearest = next((p for p in periods if not text[: p[2]].strip()), None)
            # 'The ten-year yield rose 12 bp the following week, while the yen strengthened 3%': a clause joined
            # on with no time of its own shares the period of the clause before it
            joined = [
                p
                for p in periods
                if p[3] <= fig.start
                and clauses.JOINED.search(text, p[3], fig.start)
                and not any(p[3] <= w[1] < fig.start for w in written)
            ]
            nearest = nearest or (joined[-1] if joined else None)
        # 'is up 55% year to date' (the present): to the writer's now; 'lost a quarter this month' keeps its day
        to_date = (
            nearest
            and nearest[0] in ("year_to_date", "month_to_date")
            and not written
            and not day_phrase
            and PRESENT.search(text, clause[0], fig.start)
        )
        if nearest and not dated_here and (DEICTIC.search(nearest[4]) or to_date):
            # 'over the past week' with no date of its own is counted back from the writer's now, the last session
            # complete before publication, not from the day an earlier sentence spoke of.
            day = cal.on_or_before(self.published - timedelta(days=1))
            day_note = f"'{nearest[4]}' counts back from {day}, the last session before publication"
        # 'Last week' is the writer's last week, whatever day the sentence speaks of.
        anchor = self.published if nearest and nearest[0] in ("last_week", "last_month", "last_year") else day
        if nearest and nearest[0] == "same_period":
            # 'Ether dropped 35% over the same stretch': the period an earlier figure was read over
            if self.ctx.period is None:
                nearest = None
            else:
                (kind, groups, *_, said), anchor = self.ctx.period
                nearest = (kind, groups, nearest[2], nearest[3], f"{nearest[4]}: {said}")
        if nearest and nearest[0] in ("n_sessions", "n_days") and clauses.counts_on(text, fig, written, day_phrase):
            nearest = (nearest[0], {**nearest[1], "forward": "after"}, *nearest[2:])
        period = d.period_for(nearest[0], nearest[1], anchor, cal, self.ctx.month, self.published) if nearest else None
        if (
            period
            and nearest[0] in ("week_of", "next_week", "next_month", "month_of", "year_of", "half_of_year")
            and period.end >= self.published
        ):
            # 'ending the week' of a week not over at publication: up to the last session before it
            period = replace(period, end=cal.on_or_before(self.published - timedelta(days=1)))
        if fig.unit == "fraction" and (period is None or period.kind == "session"):
            period = self.from_to_span(text, fig, written, phrases, cal) or period
        if fig.unit in ("fraction", "bp") and period is None:
            period = clauses.by_day_span(text, fig, written, day_phrase, cal, day, self.published, self.ctx.day)
        if fig.unit == "fraction" and period is None:
            # 'has risen 50% since 2024', 'more than doubled since 2024': a move since a year named alone runs from the
            # last close before that year, unless a rank or a level points back to it ('its worst day since 2008',
            # 'the lowest since 2024': that year bounds a rank's history) or a day named nearer is the move's own
            # ('despite Thursday's 17% drop').
            days_near = [abs(w[1] - fig.end) for w in written] + [abs(p[2] - fig.end) for p in day_phrase]
            since = next(
                (
                    p
                    for p in phrases
                    if p[0] == "history"
                    and p[1].get("year")
                    and not p[1].get("hmonth")
                    and p[4].lower().startswith("since")
                    and self.same_clause(text, fig, p)
                    and abs(p[2] - fig.end) < min(days_near, default=len(text) + 1)
                    and not RANK.search(text, max(0, p[2] - 40), p[2])
                    and not re.search(
                        r"\b(?:lowest|highest|weakest|strongest|level|seen)\b", text[max(0, p[2] - 40) : p[2]]
                    )
                ),
                None,
            )
            if since:
                first = date(int(since[1]["year"]), 1, 1)
                base = cal.on_or_before(first - timedelta(days=1))
                period = d.Period(base, day, "span", f"from the last close before {first}")
                notes_period = f"'{since[4]}' of a move -> {period.note} to {day}"
                nearest = since
        histories = [p for p in phrases if p[0] == "history"]
        # the history of the figure's own clause first ('..., and gold's 9% slide was the largest in a decade')
        history_phrase = min(
            histories, key=lambda p: (not self.same_clause(text, fig, p), abs(p[2] - fig.end)), default=None
        )
        history = d.period_for("history", history_phrase[1], day, cal, None) if history_phrase else None
        if history is None and level_since is not None:  # the rank's history: from the month after the one named
            year, _ = d.latest_month(level_since[1]["month"], day)
            history = d.period_for("history", {"year": str(year), "hmonth": level_since[1]["month"]}, day, cal, None)
        if nearest:
            notes_period = f"period '{nearest[4]}' -> {period.note if period else 'none'} (date_phrases.csv)"
        if (
            nearest
            and nearest[0] in ("one_year", "year_to_date")
            and re.fullmatch(r"(?:over|for|in|during) the year", nearest[4], re.I)
            and self.ctx.year
            and self.ctx.year < self.published.year
        ):
            # 'For most of 2025 ... ETFs absorbed 177,000 BTC over the year': the year the text is about
            period = d.period_for("in_year", {"year": str(self.ctx.year)}, day, cal, None)
            notes_period = f"'{nearest[4]}' after {self.ctx.year} was named -> {period.note}"
        if period and nearest and period.kind in ("span", "window"):
            self.ctx.period = (nearest, anchor)
        flows = subject.kind in ("etf_flows", "issuance")
        if flows and period is None and not dated_here and self._flow_period is not None:
            # 'ETFs absorbed 177,000 BTC over the year, and corporate treasuries another 388k': one period
            period, nearest = self._flow_period
            notes_period = f"the period of the sentence's earlier flows: '{nearest[4]}' -> {period.note}"
        elif flows and period is not None and nearest:
            self._flow_period = (period, nearest)
        peak_words = FROM_PEAK.search(text, fig.end, clause[1])
        before_peak = list(FROM_PEAK.finditer(text, clause[0], fig.start))
        if peak_words is None and before_peak and PEAK_TO.fullmatch(text, before_peak[-1].end(), fig.start):
            peak_words = before_peak[-1]  # 'extending its drop from the July peak to more than 13%'
        back = PEAK_PRONOUN.match(text, fig.end)
        if peak_words is None and back and re.search(rf"\b{PEAK_NOUN}", text[: fig.start], re.IGNORECASE):
            peak_words = back  # 'set an all-time high of $5,595 in January, ended February 12% below it'
        notes = [
            f"subject '{subject.text}' -> {subject.series} ({subject.name}; {subject.note})"
            if here
            else f"subject carried from an earlier sentence: {subject.series} ({subject.name})",
            f"day: {day} ({day_note}; snapped to the series' session on or before it)",
        ]
        if nearest:
            notes.append(notes_period)
        rule = qualifier.wording_rule if qualifier else "plain"
        if qualifier:
            notes.append(f"qualifier before the figure -> {rule} (qualifiers.csv: {qualifier.note})")
        claimed_text = (prefix[qualifier.regex.search(prefix).start() :].strip() + " " if qualifier else "") + fig.text
        claimed_text = claimed_text.replace("  ", " ").strip()
        basis = ""
        marker = INTRADAY_AFTER.search(text, fig.end, clause[1]) if fig.unit == "fraction" else None
        if intraday:
            basis = "intraday"
            claimed_text = f"{intraday.regex.search(prefix).group(0).strip()} {fig.text}"
            notes.append("the words name an intraday extreme (qualifiers.csv)")
        elif marker:  # 'sinking over 20% at one point': the words after the figure name the extreme
            basis = "intraday"
            claimed_text = f"{claimed_text} {marker.group(0)}"
            notes.append(f"'{marker.group(0)}' after the figure names an intraday extreme")
        lead = re.search(r"(?:spot|comex|front-month|cash)\s+$", text[max(0, subject.start - 14) : subject.start], re.I)
        row = {
            "quote": text,
            # The words that name it ('Gold futures', 'spot gold') fix a basis (basis_words.csv): kept as written.
            "subject": ((lead.group(0) if lead and here else "") + (subject.text if here else subject.name)).strip(),
            "series": subject.series,
            "claimed_text": claimed_text,
            "wording_rule": rule,
            "claim_basis": basis,
            "unit": fig.unit,
            "stated_precision": fig.half_width,
            "period_start": day,
            "period_end": day,
        }
        if fig.half_width is not None:
            row["wording_rule"] = "range"
        if fig.text.lower() in MULTIPLES + ("half", "a third", "a quarter", "two-thirds"):
            row["stated_precision"] = 0.1 if fig.text.lower() in ("half", "halved") else 0.05
        if subject.kind == "unheld":
            sign = verb[0].direction if verb and verb[0].role in ("move", "move_noun") and fig.unit == "fraction" else 1
            self.add(
                k,
                s,
                row
                | {
                    "measure": "none",
                    "claimed_value": sign * fig.value,
                    "unverifiable_reason": (
                        f"the warehouse holds no series for {subject.name}: a well-known series that is not in the data"
                    ),
                },
                notes + [f"{subject.name} is not held (subjects.csv)"],
            )
            return
        handler = getattr(self, f"_{subject.kind}")
        self._peak = peak_words
        handler(k, s, fig, subject, verb, row, notes, period, history, cal, day)

    def add(self, k: int, s: Sentence, row: dict, notes: list[str]) -> None:
        n = len(self.rows) + 1
        slug = re.sub(r"[^a-z0-9]+", "_", row["series"].lower()).strip("_") or "none"
        if isinstance(row.get("claimed_value"), float):
            row["claimed_value"] = round(row["claimed_value"], 12)  # '19.7%' is -0.197, not -0.19699999999999998
        self.rows.append(
            {
                "article": self.article,
                "claim_id": f"{self.article}_{n:02d}_{slug}"[:80],
                "section": self.ctx.section,
                "interpretation": f"drafted from sentence {k + 1}",
                "unverifiable_reason": "",
                "required_history_from": None,
                **row,
                "draft_note": "; ".join(notes),
            }
        )


def draft(
    text: str, published: date | None = None, article: str = "article", sessions=None, clock: str | None = None
) -> Draft:
    """The claim file and the left-out figures of `text`. NoPublicationDate when neither `published` nor the
    text gives the date its relative dates need."""
    if "\x00" in text:
        raise ValueError("the text holds binary data (NUL bytes): not an article")
    # Tables as the labelled lines they stand for, then hard-wrapped prose as one line per paragraph: the text the
    # sentences and the quotes read
    text = unwrap(tables_as_lines(text))
    source = "given (--published)"
    if published is None:
        found = publication_date(text)
        if found is None:
            raise NoPublicationDate(
                "no publication date: pass --published YYYY-MM-DD, or start the text with a line such as "
                "'Published 2026-02-07' or a dateline ('NEW YORK, February 7, 2026 -')"
            )
        published, source = found[0], f"the text: '{found[1]}'"
    drafter = Drafter(published, article, sessions, writer_clock(text, clock, published))
    for k, s in enumerate(sentences(without_date_line(text))):
        drafter.sentence(k, s)
    claims = pl.DataFrame(
        [{c: r.get(c) for c in DRAFT_COLUMNS} for r in drafter.rows],
        schema={
            c: pl.Date
            if c in ("period_start", "period_end", "required_history_from")
            else pl.Float64
            if c in ("claimed_value", "stated_precision")
            else pl.String
            for c in DRAFT_COLUMNS
        },
    )
    return Draft(article, published, source, claims, pl.DataFrame(drafter.left, schema=LEFT_OUT_SCHEMA), text)
