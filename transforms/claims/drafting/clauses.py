"""What a sentence's clauses and units say of a figure's time and series, beside its words: a relative clause
keeps its own time ('Gold, which had hit a record on April 3, also fell'), a leading after-clause's date is the
earlier event's ('After falling 5% on Monday, ...'), and the currency a price is quoted in names the pair ('the
dollar slid to 145 yen', quote_units.csv)."""

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
