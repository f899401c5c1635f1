"""What a sentence's clauses and units say of a figure's time and series, beside its words: a relative clause
keeps its own time ('Gold, which had hit a record on April 3, also fell'), a leading after-clause's date is the
earlier event's ('After falling 5% on Monday, ...'), a joined clause shares the time before it, a word of sequence
counts on from the day before it ('before giving back 31% in two sessions', 'by Thursday'), and the currency a
price is quoted in names the pair ('the dollar slid to 145 yen', quote_units.csv)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from transforms.claims.drafting import dates as d
from transforms.claims.drafting.mentions import Mention, phrases_in
from transforms.claims.drafting.tables import quote_units, subjects, verbs
from transforms.claims.drafting.text import Figure

# ', which had hit a record on April 3,': a clause about the subject with a time of its own. Its dates are not the
# rest of the sentence's, and a figure inside it takes no date from outside it. A comma inside a number ('$88,000')
# has no space after it, so it does not end the clause.
# A concessive clause likewise: 'SOX: +0.6% w/w despite a 4.4% slide on Wednesday' (the week's move is not
# Wednesday's), 'Despite Thursday's 17% drop, AMD is up 5% this week'.
RELATIVE = re.compile(r",\s+(?:which|who)\b.*?(?=,\s|;|$)|\b(?:despite|in spite of)\b.*?(?=,\s|;|$)", re.IGNORECASE)


# 'After falling 5% on Monday, bitcoin rebounded 3%', 'After Trump announced tariffs on April 2, stocks fell for two
# consecutive days': the date in a leading after-clause is the earlier event's.
AFTER_EVENT = re.compile(r"\W*(?:just |shortly |soon |days |hours |a day |weeks )?after\b.*?(?=,\s)", re.IGNORECASE)
STREAK = re.compile(r"consecutive|straight|successive", re.IGNORECASE)


# A clause joined on ('..., while the yen strengthened 3%'): with no time of its own it shares the one before it.
JOINED = re.compile(r"[,;]\s+(?:while|whereas|and|as|but|with)\b", re.IGNORECASE)
# A word of sequence: what follows it came after the day named before it.
SEQUENCE = re.compile(r"\b(?:before|then|only to|followed by|subsequently|later)\b", re.IGNORECASE)
BY_DAY = re.compile(r"\bby\s+(?:the\s+close\s+(?:on|of)\s+|(?:last\s+)?)?$", re.IGNORECASE)


@lru_cache(maxsize=8)
def relative_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in RELATIVE.finditer(text))


def relative_of(text: str, at: int) -> tuple[int, int] | None:
    """The relative clause holding position `at`, or None for the sentence's main clauses."""
    return next((span for span in relative_spans(text) if span[0] <= at < span[1]), None)


def after_event(text: str, at: int, where: int, day: date, why: str, cal: d.Calendar) -> tuple[date, str]:
    """A date inside a leading after-clause, for a move outside it: the move came after the event. After a
    move ('After falling 5% on Monday, ...') it is the next session's; a streak ('for two consecutive days')
    ends that many sessions after the event's day. An event alone ('After the Fed's decision on Wednesday')
    keeps its day: the move may be the same session's."""
    event = AFTER_EVENT.match(text)
    if not event or not event.start() <= where < event.end() or event.start() <= at < event.end():
        return day, why
    streak = next(
        (p for p in phrases_in(text, []) if p[0] == "n_sessions" and STREAK.search(p[4]) and p[2] >= event.end()),
        None,
    )
    in_event = text[event.start() : event.end()]
    moved = any(v.role in ("move", "move_noun") and v.regex.search(in_event) for v in verbs())
    if streak is None and not (moved or re.search(r"\d\s*(?:%|per ?cent)", in_event)):
        return day, why
    n = int(d.number(streak[1]["n"])) if streak else 1
    event_day = day
    for _ in range(n):
        day = cal.after(day)
    said = f"'{streak[4]}' after it" if streak else "the move named after it"
    return day, f"{why}; the date is the after-clause's event ({event_day}): {said} -> {day}"


def undated_aside(text: str, fig: Figure, written, phrases) -> str | None:
    """'Bitcoin, which had traded near $88,000 before the announcement, dropped ...': a figure in a relative
    clause with no date or period of its own belongs to a time the sentence does not give."""
    own = relative_of(text, fig.start)
    if own is None or any(own[0] <= at < own[1] for at in [w[1] for w in written] + [p[2] for p in phrases]):
        return None
    if re.match(r"(?:despite|in spite of)\b", text[own[0] :], re.IGNORECASE):
        return "in a concessive clause ('despite ...') with no date of its own: its time is not the sentence's"
    return "in a relative clause ('which ...') with no date of its own: its time is not the sentence's"


def quoted_in(text: str, fig: Figure, subject: Mention | None) -> Mention | None:
    """'The dollar slid to 145 yen': the currency the figure is quoted in names the pair (quote_units.csv),
    unless the subject is that pair already (the yen itself, which moves against it)."""
    for unit in quote_units():
        match = unit.regex.match(text, fig.end)
        if not match:
            continue
        start = match.end() - len(match.group(0).lstrip())
        # 'The US dollar slid to 100 yen': the yen that names the unit is not the subject either.
        if subject is None or subject.series != unit.series or start <= subject.start < match.end():
            pair = next(x for x in subjects() if x.series == unit.series and not x.inverse)
            note = f"{pair.note}; the figure is quoted in {text[start : match.end()]}: {unit.note}"
            return Mention(start, match.end(), text[start : match.end()], pair.series, pair.kind, pair.calendar,
                           False, pair.name, note)  # fmt: skip
    return subject


def counts_on(text: str, fig: Figure, written, day_phrase) -> bool:
    """'climbed to a record on January 29 before giving back 31% in two sessions': a span of sessions after a word
    of sequence that follows the day named is counted on from that day, not back from it."""
    dates = [w[2] for w in written if w[2] <= fig.start] + [p[3] for p in day_phrase if p[3] <= fig.start]
    return bool(dates) and SEQUENCE.search(text, max(dates), fig.start) is not None


def by_day_span(
    text: str, fig: Figure, written, day_phrase, cal: d.Calendar, day: date, published: date, context: date | None
) -> d.Period | None:
    """'Sank to 3.65% on Monday, before rebounding 25 basis points by Thursday': a move 'by' a day, after an earlier
    day the sentence names and a word of sequence, runs from that day's close to this one's."""
    dates = [(w[1], w[2], w[0]) for w in written] + [
        (p[2], p[3], d.day_of(p[0], p[1], published, context, cal)) for p in day_phrase
    ]
    own = [x for x in dates if x[0] >= fig.end and BY_DAY.search(text[max(0, x[0] - 24) : x[0]])]
    if not own or cal.on_or_before(own[0][2]) != day:
        return None
    earlier = [x for x in dates if x[1] <= fig.start and x[2] is not None and cal.on_or_before(x[2]) < day]
    # 'and was up 3% by Friday' may count from before Monday; 'before rebounding ... by Thursday' counts on
    if not earlier or not SEQUENCE.search(text, earlier[-1][1], fig.start):
        return None
    start = cal.on_or_before(earlier[-1][2])
    return d.Period(start, day, "span", f"from {start} (named before it) to {day}: a move 'by' that day")


def move_between(fig: Figure, figs: list[Figure], at: int) -> bool:
    """A level's period is not one named after a move figure that follows the level: that period is the move's
    ('steadied around $67k after shedding a fifth since the start of February')."""
    return fig.unit not in ("fraction", "bp") and any(
        g.unit in ("fraction", "bp") and fig.end <= g.start and g.end <= at for g in figs
    )
