"""Draft a claim file from an article's plain text: every numeric market statement, sentence by sentence.

For each figure of each sentence the drafter finds the series it is about (subjects.csv, or the subject of an
earlier sentence when the sentence says "it" or "the stock"), the verb that says what the figure is (verbs.csv),
the words before it that set the wording rule (qualifiers.csv), and the day or period it belongs to
(date_phrases.csv and written dates, resolved against the publication date and the series' own calendar). It
writes the claim file's columns with `draft_note` saying why each field was chosen. A figure that is not a market
claim (an age, a time of day, a company's revenue, a forecast) is listed as left out with its reason. A sentence
that names held series and a move with no figure ("gold, silver and the yen were sold off that day") gives a
claim of direction; "all ... simultaneously" gives one claim that the named series moved on a common session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from transforms.claims.drafting import dates as d
from transforms.claims.drafting.tables import (
    clock_cues,
    date_phrases,
    left_out_rules,
    number,
    qualifiers,
    subjects,
    tenor_words,
    verbs,
)
from transforms.claims.drafting.text import (
    Figure,
    Sentence,
    explicit_dates,
    figures,
    publication_date,
    quoted_spans,
    sentences,
    without_date_line,
)
from transforms.claims.files import COLUMNS

PRONOUN = re.compile(
    r"\b(?:it|its|the stock|the shares|the price|prices|the metal|the coin|the token|the index|the yield|"
    r"yields|the currency|the pair|the company's stock|the stock price)\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(?:could|would|might|may|if|expects?|expected|forecasts?|predicts?|projected|will|should|targets?|"
    r"aims?|plans?|hopes?|according to (?:\w+ )?estimates)\b",
    re.IGNORECASE,
)
WHOLE = re.compile(r"\b(?:the entire|the whole|entire|whole|every|all(?: of)?(?: the)?)\s+$", re.IGNORECASE)
FROM_TO = re.compile(
    r"\bfrom (?:about |around |nearly |roughly )?\$(?P<a>\d[\d,]*(?:\.\d+)?) "
    r"to (?:about |around |nearly |roughly |below |under )?"
    r"\$(?P<b>\d[\d,]*(?:\.\d+)?)(?![\d,]*\s*(?:billion|million|trillion|bn|mn|k)\b)",
    re.IGNORECASE,
)
TOGETHER = re.compile(
    r"\b(?:all|simultaneously|at the same time|together|in tandem|collective(?:ly)?|in unison)\b", re.I
)
FROM_PEAK = re.compile(
    r"\bfrom (?:its|the|their) (?:previous |prior |record |all-time |recent |peak |october )?(?:high|peak|record)s?\b|"
    r"\bbelow (?:its|the|their) (?:previous |record |all-time )?(?:peak|high|record)\b|\boff (?:its|the) highs?\b",
    re.IGNORECASE,
)
FROM_LOW = re.compile(r"\bfrom (?:its|the|their) (?:recent |session |intraday )?lows?\b", re.IGNORECASE)
RANK = re.compile(
    r"\b(?:largest|biggest|worst|sharpest|steepest|heaviest|best|strongest|most devastating|deepest|first|never seen|"
    r"not seen|unseen|record)\b",
    re.IGNORECASE,
)
MOVE_IN = re.compile(
    r"\b(?:the |a )?(?P<move>surge|rally|jump|rise|plunge|slump|crash|fall|drop|decline|sell-off|selloff|slide) in\b",
    re.IGNORECASE,
)
DRAFT_COLUMNS = ("article", *COLUMNS, "draft_note")
LEFT_OUT_SCHEMA = {"sentence": pl.Int32, "figure": pl.String, "reason": pl.String, "quote": pl.String}


class NoPublicationDate(ValueError):
    """Relative dates cannot be resolved: the draft asks for the date and writes nothing."""


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


@dataclass
class Draft:
    article: str
    published: date
    published_from: str
    claims: pl.DataFrame
    left_out: pl.DataFrame
    text: str = ""  # the article as drafted, for the report's annotated page


def mentions(text: str) -> list[Mention]:
    """Every subject named in the text, the longest name winning where two overlap."""
    found = []
    for subject in subjects():
        for match in subject.regex.finditer(text):
            tenor = match.groupdict().get("tenor") or match.groupdict().get("tenor2")
            series = subject.series.format(tenor=int(number(tenor))) if tenor else subject.series
            name = subject.name.format(tenor=int(number(tenor))) if tenor else subject.name
            note = subject.note
            hint = next((h for h in tenor_words() if h[0].search(text)), None)
            if subject.kind == "yield" and not tenor and "without a tenor" in note and hint:
                curve = series.split(":")[0]
                series, name = f"{curve}:{hint[1]}", f"{curve} {hint[1]}-year yield"
                note = f"{hint[2]} (tenor_words.csv: '{hint[0].search(text).group(0)}')"
            bond_price = subject.kind == "yield" and not re.search(r"yield", match.group(0), re.IGNORECASE)
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(0),
                    series,
                    subject.kind,
                    subject.calendar,
                    subject.inverse or bond_price,
                    name,
                    note + ("; a bond's price moves against its yield" if bond_price else ""),
                )
            )
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    # A class of several series ('precious metals': XAG;XAU) is one mention per series, the first leading.
    return [
        Mention(m.start, m.end, m.text, series, m.kind, m.calendar, m.inverse, m.name, m.note)
        for m in kept
        for series in m.series.split(";")
    ]


def _phrases(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, dict, int, int, str]]:
    out = []
    for phrase in date_phrases():
        for match in phrase.regex.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append(match.span())
            out.append((phrase.kind, match.groupdict(), match.start(), match.end(), match.group(0)))
    return sorted(out, key=lambda p: p[2])


DAY_KINDS = {"yesterday", "today", "weekday", "last_weekday", "that_day", "previous_session", "next_session"}


@dataclass
class Context:
    day: date | None = None
    day_note: str = ""
    subject: Mention | None = None
    month: tuple[int, int] | None = None
    section: str = ""
    after_close: bool = False  # the day was an event after the close: undated moves are the next session's


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


class Drafter:
    def __init__(self, published: date, article: str, sessions: d.Sessions | None, clock: Clock | None = None):
        self.published, self.article, self.sessions = published, article, sessions or (lambda series: None)
        self.clock = clock
        self.timed: set[date] = set()  # writer's dates named with a time of day (a night, after the close)
        self.rows: list[dict] = []
        self.left: list[dict] = []
        self.ctx = Context()
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
        phrases = _phrases(text, taken)
        # 'Thursday, April 3' is one date: the weekday beside a written date is part of it.
        day_phrase = [p for p in phrases if p[0] in DAY_KINDS and not any(abs(w[1] - p[3]) <= 3 for w in written)]
        named = [self.with_curve(m) for m in mentions(text)]
        figs = figures(text)
        used: set[int] = set()
        for fig in figs:
            reason = self.left_out_reason(text, fig, written, phrases)
            if reason:
                self.leave(k, fig.text, reason, text)
                # The series it would have been about says no more in this sentence than the left-out figure.
                owner = self.subject_for(text, fig, named)
                if owner in named and not reason.startswith(("part of", "a year")):
                    used.add(named.index(owner))
                continue
            subject = self.subject_for(text, fig, named)
            if subject is None:
                self.leave(k, fig.text, "no market series is named for it (subjects.csv)", text)
                continue
            if subject in named:
                used.add(named.index(subject))
            self.claim_figure(k, s, fig, subject, written, phrases, day_phrase)
        self.directional(k, s, named, used, written, phrases, day_phrase, figs)
        if "after_close" in timed_cues and written:
            self.news_after_close(k, s, named, written, day_phrase)
        # What the next sentence inherits: its day, its month, its subject.
        if written or day_phrase:
            day, note = self.day_for(text, None, written, day_phrase, named[0] if named else None, writer=True)
            self.ctx.day, self.ctx.day_note = day, note
            self.ctx.after_close = False
        self.ctx.after_close = self.ctx.after_close or "after_close" in timed_cues
        for _, groups, *_ in phrases:
            if groups.get("month"):
                self.ctx.month = d.latest_month(groups["month"], self.ctx.day or self.published)
        if written:
            self.ctx.month = (written[-1][0].year, written[-1][0].month)
        held = [m for m in named if m.kind != "unheld"]
        if held:
            self.ctx.subject = held[-1]

    def with_curve(self, m: Mention) -> Mention:
        """A tenor named without its country takes the country of the last yield named ('?:40' after JGBs)."""
        if not m.series.startswith("?:"):
            return m
        last = self.ctx.subject.series if self.ctx.subject and self.ctx.subject.kind == "yield" else "UST:"
        curve = last.split(":")[0] if not last.startswith("?") else "UST"
        m.series = f"{curve}:{m.series[2:]}"
        m.name = f"{curve} {m.name}"
        return m

    def leave(self, k: int, figure: str, reason: str, quote: str) -> None:
        self.left.append({"sentence": k + 1, "figure": figure, "reason": reason, "quote": quote})

    def left_out_reason(self, text: str, fig: Figure, written, phrases) -> str | None:
        for _, a, b, what in written:
            if fig.start < b and a < fig.end:
                return f"part of a date ('{what}')"
        for _, _, a, b, what in phrases:
            if fig.start < b and a < fig.end:
                return f"part of a period ('{what}')"
        for m in mentions(text):
            if m.start <= fig.start and fig.end <= m.end:  # '500' of 'the S&P 500', '10' of 'the 10-year'
                return f"part of a name ('{m.text}')"
        if fig.unit == "count" and 1900 <= fig.value <= 2100 and float(fig.value).is_integer() and "," not in fig.text:
            return "a year"
        clause = self.clause(text, fig)
        for pattern, reason, scope in left_out_rules():
            for match in pattern.finditer(text):
                if scope == "figure" and match.start() < fig.end and fig.start < match.end():
                    return reason
                if scope == "after" and 0 <= match.start() - fig.end <= 12:
                    return reason
                if scope == "near" and clause[0] <= match.start() < clause[1]:
                    return reason
        if any(a <= fig.start < b for a, b in quoted_spans(text)):
            return "inside a quotation: someone's words, not a figure the article reports"
        if HEDGE.search(text[clause[0] : clause[1]]):
            return "a forecast, a plan or a conditional: not a reported market figure"
        if fig.unit == "count" and not re.search(r"\b(?:to|at)\s*$", text[max(0, fig.start - 6) : fig.start]):
            return "a bare number with no unit: not read as a market figure"
        return None

    @staticmethod
    def clause(text: str, fig: Figure) -> tuple[int, int]:
        """The span of the clause holding the figure: between the nearest commas, semicolons or dashes."""
        cuts = [m.start() for m in re.finditer(r"[,;:—–]|\s-\s|\band\b|\bbut\b|\bwhile\b", text)]
        start = max((c for c in cuts if c < fig.start), default=0)
        end = min((c for c in cuts if c >= fig.end), default=len(text))
        return start, end

    def subject_for(self, text: str, fig: Figure, named: list[Mention]) -> Mention | None:
        clause = self.clause(text, fig)
        if fig.unit == "usd":  # '$1 billion of crypto positions were liquidated': the liquidations, not crypto
            liquidations = [m for m in named if m.kind == "liquidations" and clause[0] <= m.start < clause[1] + 40]
            if liquidations:
                return liquidations[0]
        before = [m for m in named if m.end <= fig.start]
        clause_start = max((m.end() for m in re.finditer(r"[;]|\. ", text[: fig.start])), default=0)
        close = [m for m in before if m.start >= clause_start]
        if close:
            return close[-1]
        pronoun = [p for p in PRONOUN.finditer(text[: fig.start])]
        if pronoun and self.ctx.subject and not before:
            return self.ctx.subject
        if before:
            return before[-1]
        after = [m for m in named if m.start >= fig.end]
        if after:
            return after[0]
        if PRONOUN.search(text) and self.ctx.subject:
            return self.ctx.subject
        return None

    def same_clause(self, text: str, fig: Figure, phrase) -> bool:
        a, b = sorted((fig.end, phrase[2])) if phrase[2] >= fig.end else (phrase[3], fig.start)
        if re.search(r"\d\s*(?:%|percent|basis point|bps?\b)", text[a:b]):
            return False  # another figure stands between them: the phrase is that one's
        return not re.search(r"[;]|,\s+(?:and|but|while)\b|\band has\b|\band (?:then )?(?:fell|rose)\b", text[a:b])

    def day_for(
        self, text, fig: Figure | None, written, day_phrase, subject: Mention | None, writer: bool = False
    ) -> tuple[date, str]:
        """The day a figure belongs to: the written date or day phrase nearest to it in the sentence (one in its
        clause first), a relative one resolved against the sentence's written date or the earlier sentences' day;
        else the day carried from an earlier sentence; else the publication day."""
        cal = self.calendar(subject) if subject else d.Calendar("ny")
        session = (lambda day: self.market(day, cal)) if subject and not writer else (lambda day: (day, ""))
        phrases = day_phrase if isinstance(day_phrase, list) else ([day_phrase] if day_phrase else [])
        candidates = [("written", w[1], w) for w in written] + [("phrase", p[2], p) for p in phrases]
        if candidates:
            at = fig.start if fig else 0
            clause = self.clause(text, fig) if fig else (0, len(text))
            kind, _, item = min(candidates, key=lambda c: (not clause[0] <= c[1] < clause[1], abs(c[1] - at)))
            if kind == "written":
                day, why = session(item[0])
                return day, f"'{item[3]}' in the sentence{why}"
            phrase_kind, groups, _, _, what = item
            context, against = (
                (written[0][0], f"'{written[0][3]}' in the sentence")
                if written
                else (
                    self.ctx.day,
                    f"the day of an earlier sentence ({self.ctx.day})",
                )
            )
            if context is not None and phrase_kind in ("previous_session", "next_session", "that_day"):
                context = session(context)[0]
            day = d.day_of(phrase_kind, groups, self.published, context, cal)
            if day is not None:
                relative = phrase_kind in ("previous_session", "next_session", "that_day")
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

    # --- a figure ----------------------------------------------------------------------------------------------

    def verb_for(self, text: str, fig: Figure, subject: Mention, here: bool):
        start = subject.end if here and subject.end <= fig.start else 0
        best = None
        for verb in verbs():
            for match in verb.regex.finditer(text, start, fig.start):
                if (
                    best is None
                    or match.end() > best[1].end()
                    or (match.end() == best[1].end() and match.start() < best[1].start())
                ):
                    best = (verb, match)
        if best is None:  # a noun after the figure: 'a 16% drop', '17% lower'
            for verb in verbs():
                match = verb.regex.search(text, fig.end, min(len(text), fig.end + 25))
                if match and (best is None or match.start() < best[1].start()):
                    best = (verb, match)
        return best

    def claim_figure(self, k, s: Sentence, fig: Figure, subject: Mention, written, phrases, day_phrase) -> None:
        text = s.text
        cal = self.calendar(subject)
        day, day_note = self.day_for(text, fig, written, day_phrase, subject)
        day = cal.on_or_before(day)
        here = text[subject.start : subject.end] == subject.text
        verb = self.verb_for(text, fig, subject, here)
        prefix = text[max(0, fig.start - 40) : fig.start]
        qualifier = next((q for q in qualifiers() if q.wording_rule and q.regex.search(prefix)), None)
        intraday = next((q for q in qualifiers() if q.price_point and q.regex.search(prefix)), None)
        clause = self.clause(text, fig)
        own = [p for p in phrases if p[0] not in DAY_KINDS and p[0] != "history" and self.same_clause(text, fig, p)]
        nearest = min(own, key=lambda p: abs(p[2] - fig.end), default=None)
        period = d.period_for(nearest[0], nearest[1], day, cal, self.ctx.month) if nearest else None
        histories = [p for p in phrases if p[0] == "history"]
        history_phrase = min(histories, key=lambda p: abs(p[2] - fig.end), default=None)
        history = d.period_for("history", history_phrase[1], day, cal, None) if history_phrase else None
        if nearest:
            notes_period = f"period '{nearest[4]}' -> {period.note if period else 'none'} (date_phrases.csv)"
        peak_words = FROM_PEAK.search(text, fig.end, clause[1])
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
        if intraday:
            basis = "intraday"
            claimed_text = f"{intraday.regex.search(prefix).group(0).strip()} {fig.text}"
            notes.append("the words name an intraday extreme (qualifiers.csv)")
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
        if fig.text.lower() in ("half", "a third", "a quarter", "two-thirds", "doubled", "tripled"):
            row["stated_precision"] = 0.1 if fig.text.lower() == "half" else 0.05
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

    def _price(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        text = s.text
        role, direction = (verb[0].role, verb[0].direction) if verb else (None, 0)
        if verb:
            notes.append(f"verb '{verb[1].group(0)}' -> {verb[0].note} (verbs.csv)")
        sign = -1 if subject.inverse else 1
        if fig.unit == "fraction":
            if fig.text.lower() in ("doubled", "tripled"):
                role, direction = "move", 1
            if role == "move_noun":
                role = "move"
            if self._peak and role is None:  # '44% below its peak': a drawdown needs no verb
                role, direction = "move", -1
            if role not in ("move", "rebound", "low", "high") or not direction:
                self.leave(k, fig.text, "a percentage with no move named (verbs.csv)", text)
                return
            direction *= sign
            if subject.inverse:
                notes.append(f"{subject.name} moves against {subject.series}: the direction is flipped")
            value = direction * abs(fig.value)
            if self._peak and direction < 0:
                measure, start, end = "drawdown_from_peak", day, day
                notes.append("'from its high' -> drawdown_from_peak: the price against the highest of its history")
            elif role == "rebound" or (FROM_LOW.search(text) and direction > 0):
                start = period.start if period else day - timedelta(days=30)
                measure, end = "period_rise_from_trough", day
                notes.append("'rebounded from its low' -> the lowest price in the window to the highest after it")
            elif self.levels_move(text, fig, value) and not (period and period.kind in ("span", "window")):
                measure, start, end = ("intraday_fall" if value < 0 else "intraday_rise"), day, day
                notes.append(
                    "the figure is the move between the two levels the sentence gives ('from $A to $B'), inside "
                    f"one session -> {measure}: the session's {'high to its low' if value < 0 else 'low to its high'}"
                )
            elif period and period.kind == "rolling_24h":
                measure, start, end = "rolling_24h_change", period.start, period.end
                row["claim_basis"] = "rolling_24h"
                notes.append("'24 hours' -> the largest move over any 24 hours of hourly bars")
            elif period and period.kind in ("span", "window"):
                start = period.start if period.kind == "span" else cal.before(period.start)
                measure, end = "period_change", period.end
                notes.append(f"period: {period.note} -> period_change, close to close")
            else:
                measure, start, end = "return_1d", day, day
                notes.append("one session, close to its previous close (a plain move is close to close)")
            self.add(
                k,
                s,
                row | {"measure": measure, "claimed_value": value, "period_start": start, "period_end": end},
                notes,
            )
            if history and RANK.search(text):
                self._rank(k, s, row, notes, history, day, "return_rank_in_sample")
            return
        before = text[max(0, fig.start - 6) : fig.start].lower()
        # An index's level has no dollar sign: 'closed at 16,200.08', 'fell 0.5% to 102.69'.
        level_words = re.search(r"\b(?:to|at)\s*$", before) and verb is not None
        if fig.unit != "usd" and not (fig.unit == "count" and level_words):
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of a price series", text)
            return
        if fig.unit == "count":
            row["unit"] = "points"
        clause = self.clause(text, fig)
        in_clause = text[clause[0] : fig.start]
        closing = re.search(r"\b(?:closed|settled|ended|finished)\b", in_clause, re.IGNORECASE)
        # 'fell 0.5% to 102.69': the end of a move between closes is a close; 'as much as 15% to $49,000' a low.
        move_to_close = (
            re.search(r"\d\s*(?:%|percent)", in_clause)
            and not any(q.regex.search(in_clause[-60:] + " ") for q in qualifiers() if q.price_point)
            and not re.search(r"as (?:much|low|high) as|at one point|briefly|intraday", in_clause, re.IGNORECASE)
        )
        window_start, window_end = (period.start, period.end) if period and period.kind != "rolling_24h" else (day, day)
        if re.search(r"\bfrom\s*$", before) and role in ("move", "move_noun", "low", "high") and direction:
            measure = "intraday_high" if direction * sign < 0 else "intraday_low"
            window_start = cal.before(window_start)
            notes.append("'from $X' of a move: the extreme the move started from, the session before and the day")
        elif (
            role == "close"
            or (role is None and row["wording_rule"] == "about")
            or (closing and re.search(r"\bat\s*$", before))
            or (move_to_close and level_words)
        ):
            measure = "close_level"
            notes.append("a close: where the price stood at the end of the session (the end of a move between closes)")
        elif role in ("low", "high") or (role in ("move", "move_noun") and re.search(r"\bto\s*$", before)):
            measure = (
                "intraday_low"
                if (direction if role == "move" else -1 if role == "low" else 1) * sign < 0
                else ("intraday_high")
            )
            if row["wording_rule"] == "plain" and re.search(
                r"touch|hit|once|plummeted to|plunged to", verb[1].group(0), re.I
            ):
                row["wording_rule"] = "once_plummeted_to"
            row["claimed_text"] = text[verb[1].start() : fig.end] if fig.end - verb[1].start() <= 40 else fig.text
            notes.append("a level reached: the extreme traded in the window")
        elif role in ("break_up", "break_down"):
            measure = "intraday_high" if role == "break_up" else "intraday_low"
            row["wording_rule"] = "broke_above" if role == "break_up" else "broke_below"
            notes.append("a level crossed: the extreme beyond it")
        elif re.search(r"\bat\s*$", before):
            measure, row["wording_rule"] = "nearest_traded_price", "traded_at"
            notes.append("'at $X': the price traded through that level in the window")
        else:
            self.leave(k, fig.text, "a price with no move or level named (verbs.csv)", text)
            return
        self.add(
            k,
            s,
            row
            | {"measure": measure, "claimed_value": fig.value, "period_start": window_start, "period_end": window_end},
            notes,
        )

    @staticmethod
    def levels_move(text: str, fig: Figure, value: float) -> bool:
        """'From $120 to $78, a drop of 35%': the percentage is the move between the two levels when it rounds to
        it (half a unit of its last digit)."""
        pair = FROM_TO.search(text)
        if pair is None or pair.end() > fig.start + 200:
            return False
        a, b = (float(pair.group(g).replace(",", "")) for g in ("a", "b"))
        if a <= 0:
            return False
        half = 0.5 * 10 ** -len(fig.text.split(".")[1].rstrip("%").strip()) / 100 if "." in fig.text else 0.005
        return abs((b / a - 1) - value) <= half + 1e-12

    def _yield(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        text = s.text
        role, direction = (verb[0].role, verb[0].direction) if verb else (None, 0)
        if verb:
            notes.append(f"verb '{verb[1].group(0)}' -> {verb[0].note} (verbs.csv)")
        start, end = (period.start, period.end) if period and period.kind == "span" else (day, day)
        if fig.unit == "bp":
            if not direction:
                self.leave(k, fig.text, "basis points with no move named (verbs.csv)", text)
                return
            self.add(
                k,
                s,
                row
                | {
                    "measure": "yield_change_bp",
                    "claimed_value": direction * abs(fig.value),
                    "period_start": start,
                    "period_end": end,
                    "unit": "bp",
                },
                notes + ["basis points between end-of-day yields"],
            )
            if history and RANK.search(text):
                self._rank(k, s, row, notes, history, day)
            return
        if fig.unit != "fraction":
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of a yield", text)
            return
        before = text[max(0, fig.start - 12) : fig.start].lower()
        if role in ("break_up", "break_down"):
            rule = "broke_through" if role == "break_up" else "broke_below"
        elif role in ("low", "high", "close") or re.search(r"\b(?:to|at|of)\s*$", before):
            rule = row["wording_rule"]
        else:
            self.leave(k, fig.text, "a yield in percent with no level named: a level or a change?", text)
            return
        basis = "intraday_level" if role in ("break_up", "break_down", "low", "high") else ""
        level = fig.value * 100
        self.add(
            k,
            s,
            row
            | {
                "measure": "yield_level",
                "claimed_value": level,
                "claimed_text": f"{fig.text}",
                "wording_rule": rule,
                "claim_basis": basis,
                "unit": "pct",
                "period_start": day,
                "period_end": day,
            },
            notes + ["a yield level on the day"],
        )
        if history and RANK.search(text):
            up = role != "break_down"
            self.add(
                k,
                s,
                row
                | {
                    "measure": "max_yield_before" if up else "min_yield_before",
                    "claimed_value": level,
                    "claimed_text": f"the first time since {history.history_from.year}",
                    "wording_rule": "below",
                    "unit": "pct",
                    "claim_basis": "",
                    "period_start": history.history_from,
                    "period_end": day - timedelta(days=1),
                    "required_history_from": history.history_from,
                },
                notes + [f"'{history.note}': never beyond {fig.text} in that history before the day"],
            )

    def _rank(self, k, s, row, notes, history, day, measure="yield_change_rank"):
        """'The largest since 2008', 'never seen in 30 years': the day's move ranks first in that history."""
        self.add(
            k,
            s,
            row
            | {
                "measure": measure,
                "claimed_value": 1.0,
                "claimed_text": f"the largest since {history.history_from.year}",
                "wording_rule": "exactly",
                "unit": "rank",
                "period_start": day,
                "period_end": day,
                "required_history_from": history.history_from,
            },
            notes + [f"'{history.note}' with a superlative -> the day's move ranks first in that history"],
        )

    FLOW_SERIES = {
        "etf_btc": ("etf_btc", "etf_usd"),
        "etf_plus_treasury": ("etf_plus_treasury_btc", "etf_plus_treasury_usd"),
        "treasury": ("treasury_btc", None),
        "issuance_btc": ("issuance_btc", None),
    }

    def _flows(self, k, s, fig, subject, row, notes, period):
        whole_year = period is not None and period.year is not None
        series_btc, series_usd = self.FLOW_SERIES[subject.series]
        series = series_btc if fig.unit in ("btc", "count") else series_usd if fig.unit == "usd" else None
        if series is None:
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of {subject.name}", s.text)
            return
        if not whole_year:
            self.add(
                k,
                s,
                row
                | {
                    "measure": "none",
                    "claimed_value": fig.value,
                    "unverifiable_reason": f"{subject.name} are judged over whole calendar years only",
                },
                notes,
            )
            return
        year = period.year
        self.add(
            k,
            s,
            row
            | {
                "measure": "btc_flows",
                "series": series,
                "claimed_value": fig.value,
                "period_start": date(year, 1, 1),
                "period_end": date(year, 12, 31),
            },
            notes + [f"{year}: a sum over the calendar year"],
        )

    def _etf_flows(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        self._flows(k, s, fig, subject, row, notes, period)

    def _issuance(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        self._flows(k, s, fig, subject, row, notes, period)

    def _liquidations(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        if fig.unit != "usd":
            self.leave(k, fig.text, "liquidations are held in dollars, not counts", s.text)
            return
        start, end = (period.start, period.end) if period else (day, day)
        self.add(
            k,
            s,
            row
            | {
                "measure": "liquidations_usd",
                "series": "ALL",
                "claimed_value": fig.value,
                "period_start": start,
                "period_end": end,
            },
            notes + ["long plus short liquidations over the UTC days"],
        )

    # --- a statement without a figure ---------------------------------------------------------------------------

    def directional(self, k, s: Sentence, named, used, written, phrases, day_phrase, figs) -> None:
        text = s.text
        # A move with no figure needs a day the text gave: in the sentence or carried from an earlier one.
        dated = bool(written or day_phrase) or self.ctx.day is not None or any(p[0] == "in_year" for p in phrases)
        free = [m for i, m in enumerate(named) if i not in used and m.kind in ("price", "yield")]
        if not free or HEDGE.search(text) or not dated:
            return
        moves = []
        for m in free:
            # 'the surge in gold and silver prices': a move named before the series, then the verb after it.
            noun = MOVE_IN.search(text, 0, m.start)
            if noun and not re.search(r"[.;]", text[noun.end() : m.start]) and m.start - noun.end() < 40:
                verb = next(v for v in verbs() if v.role == "move_noun" and v.regex.fullmatch(noun.group("move")))
                moves.append((m, verb, noun))
                continue
            after = [(v, x) for v in verbs() if v.role == "move" for x in v.regex.finditer(text, m.end)]
            if after:
                verb, match = min(after, key=lambda t: t[1].start())
                moves.append((m, verb, match))
        history = next((p for p in phrases if p[0] == "history"), None)
        if history and RANK.search(text):
            # 'the most devastating single-day crash in silver since 1980': the day's move ranks first.
            for m, _, _ in moves[:1]:
                cal = self.calendar(m)
                day = cal.on_or_before(self.day_for(text, None, written, day_phrase, m)[0])
                since = d.period_for("history", history[1], day, cal, None)
                measure = "yield_change_rank" if m.kind == "yield" else "return_rank_in_sample"
                self.add(
                    k,
                    s,
                    {
                        "quote": text,
                        "subject": m.name,
                        "series": m.series,
                        "measure": measure,
                        "claimed_text": f"{RANK.search(text).group(0)} since {since.history_from.year}",
                        "claimed_value": 1.0,
                        "wording_rule": "exactly",
                        "unit": "rank",
                        "claim_basis": "",
                        "period_start": day,
                        "period_end": day,
                        "required_history_from": since.history_from,
                    },
                    [
                        f"subject '{m.text}' -> {m.series}",
                        f"'{RANK.search(text).group(0)}' with '{history[4]}' -> the "
                        "day's move ranks first in that history",
                        f"day: {day}",
                    ],
                )
            return
        moves = self.whole_classes(k, s, moves, written, day_phrase)
        for m, verb, match in moves:
            cal = self.calendar(m)
            day, day_note = self.day_for(text, None, written, day_phrase, m)
            day = cal.on_or_before(day)
            period = next(
                (
                    d.period_for(kind, g, day, cal, self.ctx.month)
                    for kind, g, *_ in phrases
                    if kind not in DAY_KINDS and kind not in ("history", "rolling_24h")
                ),
                None,
            )
            direction = verb.direction * (-1 if m.inverse else 1)
            start, end = (period.start, period.end) if period and period.kind == "span" else (day, day)
            measure = "yield_change_bp" if m.kind == "yield" else "return_1d" if start == end else "period_change"
            self.add(
                k,
                s,
                {
                    "quote": text,
                    "subject": m.name,
                    "series": m.series,
                    "measure": measure,
                    "claimed_text": match.group(0),
                    "claimed_value": 0.0,
                    "wording_rule": "fell" if direction < 0 else "rose",
                    "unit": "bp" if m.kind == "yield" else "fraction",
                    "claim_basis": "",
                    "period_start": start,
                    "period_end": end,
                },
                [
                    f"subject '{m.text}' -> {m.series} ({m.note})",
                    f"verb '{match.group(0)}' with no figure -> a "
                    f"move {'down' if direction < 0 else 'up'} of any size"
                    + (" (flipped: it moves against the series)" if m.inverse else ""),
                    f"day: {day} ({day_note})",
                ],
            )
        together = [m for m, *_ in moves if m.kind == "price" and not m.inverse]
        series = list(dict.fromkeys(m.series for m in together))
        if len(series) >= 2 and TOGETHER.search(text):
            direction = moves[0][1].direction
            day = max(
                self.calendar(m).on_or_before(self.day_for(text, None, written, day_phrase, m)[0]) for m in together
            )
            self.add(
                k,
                s,
                {
                    "quote": text,
                    "subject": " and ".join(m.name for m in together),
                    "series": "|".join(series),
                    "measure": "sessions_all_down" if direction < 0 else "sessions_all_up",
                    "claimed_text": TOGETHER.search(text).group(0),
                    "claimed_value": 1.0,
                    "wording_rule": "at_least",
                    "unit": "sessions",
                    "claim_basis": "",
                    "period_start": day,
                    "period_end": day,
                },
                [
                    f"'{TOGETHER.search(text).group(0)}' with {len(series)} series -> they moved on a common session",
                    f"series: {', '.join(series)}",
                ],
            )

    def news_after_close(self, k, s: Sentence, named, written, day_phrase) -> None:
        """'After the market closed on February 4th, AMD delivered its earnings report': news after session D's
        close moves the next session's open, so the largest opening gap around it is one session after D. The
        claim checks the article's dating of the news (gap_session_offset, window D to 3 sessions after)."""
        report = next((v.regex.search(s.text) for v in verbs() if v.role == "report" and v.regex.search(s.text)), None)
        company = next((m for m in named if m.kind == "price" and m.calendar == "ny" and "|" not in m.series), None)
        if report is None or company is None:
            return
        cal = self.calendar(company)
        day, day_note = self.day_for(s.text, None, written, day_phrase, company)
        end = cal.after(cal.after(cal.after(day)))
        self.add(
            k,
            s,
            {
                "quote": s.text,
                "subject": company.name,
                "series": company.series,
                "measure": "gap_session_offset",
                "claimed_text": report.group(0),
                "claimed_value": 1.0,
                "wording_rule": "exactly",
                "unit": "sessions",
                "claim_basis": "",
                "period_start": day,
                "period_end": end,
            },
            [
                f"subject '{company.text}' -> {company.series}",
                f"'{report.group(0)}' after the close of {day} -> the largest opening gap is the next session's "
                "(verbs.csv: report)",
                f"day: {day} ({day_note}); window to {end}, three sessions after",
            ],
        )

    def whole_classes(self, k, s: Sentence, moves, written, day_phrase):
        """'The entire chip industry was dragged down': a class of several series named whole is one claim, that
        every member the warehouse holds moved that way on the day (share_down_1d or share_up_1d at 1); the
        moves of the other subjects are returned for the per-series rows."""
        text, rest, groups = s.text, [], {}
        for move in moves:
            groups.setdefault((move[0].start, move[0].end), []).append(move)
        for (start, _), group in groups.items():
            whole = WHOLE.search(text[max(0, start - 16) : start]) if len(group) > 1 else None
            if whole is None:
                rest.extend(group)
                continue
            m, verb, match = group[0]
            direction = verb.direction * (-1 if m.inverse else 1)
            day, day_note = self.day_for(text, None, written, day_phrase, m)
            series = [g[0].series for g in group]
            self.add(
                k,
                s,
                {
                    "quote": text,
                    "subject": m.name,
                    "series": "|".join(series),
                    "measure": "share_down_1d" if direction < 0 else "share_up_1d",
                    "claimed_text": f"{whole.group(0).strip()} {m.text} {match.group(0)}",
                    "claimed_value": 1.0,
                    "wording_rule": "at_least",
                    "unit": "fraction",
                    "claim_basis": "",
                    "period_start": day,
                    "period_end": day,
                },
                [
                    f"'{whole.group(0).strip()} {m.text}' -> every member held: {', '.join(series)} ({m.note})",
                    f"verb '{match.group(0)}' -> each {'fell' if direction < 0 else 'rose'} on the day",
                    f"day: {day} ({day_note})",
                ],
            )
        return rest

    # --- output -------------------------------------------------------------------------------------------------

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
