"""Relative dates against the publication date and each series' own market calendar.

A calendar is the list of a series' sessions (from the warehouse when there is one: its holidays are the days it
has no session). Without one, crypto trades every day and an exchange on weekdays. A day named for a series is
its last session on or before that day: "on Saturday" for a stock is Friday's session.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from transforms.claims.drafting.tables import number

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class Calendar:
    """The sessions of one series."""

    def __init__(self, kind: str, sessions: list[date] | None = None):
        self.kind = kind  # crypto | ny | tokyo
        self.sessions = sorted(sessions) if sessions else None

    def _is_session(self, day: date) -> bool:
        return self.kind == "crypto" or day.weekday() < 5

    def on_or_before(self, day: date) -> date:
        if self.sessions and self.sessions[0] <= day <= self.sessions[-1] + timedelta(days=7):
            return self.sessions[bisect.bisect_right(self.sessions, day) - 1]
        while not self._is_session(day):
            day -= timedelta(days=1)
        return day

    def before(self, day: date, n: int = 1) -> date:
        """The session n sessions before `day` (a session itself or not)."""
        day = self.on_or_before(day)
        for _ in range(n):
            day = self.on_or_before(day - timedelta(days=1))
        return day

    def after(self, day: date) -> date:
        if self.sessions and self.sessions[0] <= day < self.sessions[-1]:
            return self.sessions[bisect.bisect_right(self.sessions, day)]
        day += timedelta(days=1)
        while not self._is_session(day):
            day += timedelta(days=1)
        return day


Sessions = Callable[[str], list[date] | None]

# When each calendar's session ends, in hours after its date's midnight UTC (New York's 16:00 is 21:00 UTC in
# winter and 20:00 in summer; both fall on the next day east of UTC+4). A crypto day is the UTC day itself.
CLOSE_UTC_HOURS = {"ny": 20.0, "tokyo": 6.0, "london": 16.5}


def writer_lag(kind: str, utc_offset: float | None) -> int:
    """How many days a writer's date runs ahead of the session that closed on it: 1 for a New York session read
    from Asia (its close is the writer's next morning), 0 from New York or London. A crypto UTC day is the
    writer's date whenever the two overlap most (any clock within 12 hours of UTC)."""
    if utc_offset is None or kind not in CLOSE_UTC_HOURS:
        return 0
    return int((CLOSE_UTC_HOURS[kind] + utc_offset) // 24)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str  # session | span | window | rolling_24h | history
    note: str
    history_from: date | None = None
    year: int | None = None  # a whole calendar year ('in 2025')


def weekday_on_or_before(day: date, name: str, strictly: bool = False) -> date:
    target = WEEKDAYS.index(name.lower())
    back = (day.weekday() - target) % 7
    if strictly and back == 0:
        back = 7
    return day - timedelta(days=back)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return first, last


def months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or that month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    _, last = month_bounds(year, month + 1)
    return last.replace(day=min(day.day, last.day))


def latest_month(name: str, day: date, year: int | None = None) -> tuple[int, int]:
    """The latest (year, month) named `name` on or before `day`."""
    month = MONTHS.index(name.lower()) + 1
    if year is None:
        year = day.year if month <= day.month else day.year - 1
    return year, month


def nearest_month(name: str, anchor: date, published: date, year: int | None = None) -> tuple[int, int]:
    """The (year, month) named `name` nearest the day the text speaks of (`anchor`), among the months begun by
    publication. After a sentence on January 20, 'in February' is the February after it; after one on
    November 5, 'in October' is the October before it; with the anchor at publication, the latest such month.
    A tie goes to the month before the anchor; a year written beside the month is that year."""
    month = MONTHS.index(name.lower()) + 1
    if year is not None:
        return year, month
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        first, last = month_bounds(y, month)
        if first > published:
            continue
        distance = 0 if first <= anchor <= last else min(abs((first - anchor).days), abs((last - anchor).days))
        key = (distance, anchor < first)
        if best is None or key < best[0]:
            best = (key, (y, month))
    return best[1] if best else latest_month(name, published)


def day_of(kind: str, groups: dict, published: date, context: date | None, cal: Calendar) -> date | None:
    """The day a day-naming phrase points at, or None when the phrase names a period rather than a day."""
    if kind == "yesterday":
        return published - timedelta(days=1)
    if kind == "today":
        return published
    if kind == "weekday":
        return weekday_on_or_before(published, groups["weekday"])
    if kind == "last_weekday":
        return weekday_on_or_before(published, groups["weekday"], strictly=True)
    if kind == "that_day":
        return context
    if kind == "month_last":  # 'the dollar index ended February at 97.8'
        year, month = latest_month(groups["month"], published)
        return cal.on_or_before(month_bounds(year, month)[1])
    if kind == "ago":  # 'twenty years ago': counted back from the publication date
        n = 1 if groups["n"].lower() in ("a", "an") else int(number(groups["n"]))
        unit = groups["unit"].lower().rstrip("s")
        if unit in ("year", "month"):
            months = n * 12 if unit == "year" else n
            y, m = divmod(published.year * 12 + published.month - 1 - months, 12)
            return date(y, m + 1, min(published.day, 28))
        return published - timedelta(days=n * (7 if unit == "week" else 1))
    if kind == "earlier" and context is not None:  # 'a week earlier': counted back from the day spoken of
        n = 1 if groups["n"].lower() in ("a", "an") else int(number(groups["n"]))
        unit = groups["unit"].lower().rstrip("s")
        if unit in ("year", "month"):
            return months_back(context, n * 12 if unit == "year" else n)
        return context - timedelta(days=n * (7 if unit == "week" else 1))
    if kind == "previous_session" and context is not None:
        return cal.before(context)
    if kind == "next_session" and context is not None:
        return cal.after(context)
    return None


def period_for(
    kind: str,
    groups: dict,
    day: date,
    cal: Calendar,
    context_month: tuple[int, int] | None,
    published: date | None = None,
) -> Period | None:
    """The period a period-naming phrase gives, ending on the sentence's day (itself snapped to a session). A
    month named without its year is the one nearest that day among those begun by `published` (nearest_month)."""
    end = cal.on_or_before(day)
    published = published or day
    if kind == "rolling_24h":
        return Period(end - timedelta(days=1), end, "rolling_24h", "any 24 hours ending on the day")
    if kind == "one_session":
        return Period(end, end, "session", "one session")
    if kind in ("n_sessions", "n_days") and groups.get("forward"):
        # 'over the next three sessions', 'before giving back 31% in two sessions': counted on from the day's close
        n = int(number(groups["n"]))
        if kind == "n_days" and cal.kind == "crypto":
            last = max(end, min(end + timedelta(days=n), published - timedelta(days=1)))
            return Period(end, last, "span", f"{n} calendar days after {end} (crypto trades every day)")
        last = end
        for _ in range(n):
            last = cal.after(last)
        # no later than the last session before publication: the writer cannot have seen the ones after it
        last = max(end, min(last, cal.on_or_before(published - timedelta(days=1))))
        return Period(end, last, "span", f"{n} sessions after {end}")
    if kind in ("n_sessions", "n_days"):
        n = int(number(groups["n"]))
        if kind == "n_days" and cal.kind == "crypto":
            return Period(end - timedelta(days=n), end, "span", f"{n} calendar days (crypto trades every day)")
        return Period(cal.before(end, n), end, "span", f"{n} sessions ending {end}")
    if kind == "weekend":
        sunday = day - timedelta(days=(day.weekday() + 1) % 7)  # the Sunday on or before the day
        return Period(sunday - timedelta(days=2), sunday, "span", "the weekend: Friday's close to Sunday's")
    if kind == "n_units":
        n = int(number(groups.get("n") or groups["n2"]))
        unit = (groups.get("unit") or groups["unit2"]).lower()
        back = end - timedelta(days=7 * n) if unit == "weeks" else months_back(end, n * (12 if unit == "years" else 1))
        return Period(cal.on_or_before(back), end, "span", f"the {n} {unit} ending on the day")
    if kind == "one_week":
        return Period(cal.on_or_before(end - timedelta(days=7)), end, "span", "the week ending on the day")
    if kind == "one_month":
        return Period(cal.on_or_before(months_back(end, 1)), end, "span", "the month ending on the day")
    if kind == "one_year":
        start = end.replace(year=end.year - 1) if not (end.month == 2 and end.day == 29) else end - timedelta(days=365)
        return Period(cal.on_or_before(start), end, "span", "the year ending on the day")
    if kind == "since_month":
        year, month = latest_month(groups["month"], end)
        part = (groups.get("part") or groups.get("part2") or "").lower()
        first = date(year, month, 15 if part in ("mid", "middle") else 21 if part in ("late", "end") else 1)
        base = cal.on_or_before(first - timedelta(days=1))  # before() of a non-session steps back twice
        return Period(base, end, "span", f"from the last close before {first:%B} {first.day}")
    if kind == "since_weekday":
        named = weekday_on_or_before(end, groups["weekday"], strictly=True)
        base = cal.on_or_before(named) if groups.get("close") else cal.on_or_before(named - timedelta(days=1))
        what = f"{named:%A}'s close" if groups.get("close") else f"the last close before {named:%A}"
        return Period(base, end, "span", f"from {what} ({base}) to the day")
    if kind == "weekday_sessions":  # 'lost 11% across Thursday and Friday': both sessions, from the close before
        last = weekday_on_or_before(published, groups["weekday2"])
        first = weekday_on_or_before(last, groups["weekday"])
        base = cal.on_or_before(first - timedelta(days=1))
        return Period(
            base, cal.on_or_before(last), "span", f"{first:%A} and {last:%A}: from the last close before them"
        )
    if kind == "week_first_n":  # 'across the week's first two sessions'
        monday = end - timedelta(days=end.weekday())
        base = cal.on_or_before(monday - timedelta(days=1))
        last = base
        for _ in range(int(number(groups["n"]))):
            last = cal.after(last)
        return Period(base, last, "span", f"the first {groups['n']} sessions of the week of {monday}")
    if kind in ("week_of", "last_week", "next_week"):  # the calendar week of the day, the one before or after it
        monday = end - timedelta(days=end.weekday() + {"last_week": 7, "next_week": -7}.get(kind, 0))
        return Period(
            cal.on_or_before(monday - timedelta(days=1)),
            cal.on_or_before(monday + timedelta(days=6)),
            "span",
            f"the week of {monday}: from the last close before it to its last session",
        )
    if kind == "last_month":
        first = (end.replace(day=1) - timedelta(days=1)).replace(day=1)
        last = end.replace(day=1) - timedelta(days=1)
        return Period(cal.on_or_before(first - timedelta(days=1)), cal.on_or_before(last), "span", f"{first:%B %Y}")
    if kind in ("month_of", "year_of"):  # 'ended the month at $80': the calendar month (or year) of the day
        first = end.replace(day=1) if kind == "month_of" else date(end.year, 1, 1)
        last = month_bounds(end.year, end.month)[1] if kind == "month_of" else date(end.year, 12, 31)
        last = min(last, cal.on_or_before(published))
        what = f"{first:%B %Y}" if kind == "month_of" else f"{first.year}"
        return Period(cal.on_or_before(first - timedelta(days=1)), cal.on_or_before(last), "span", what)
    if kind == "next_month":  # 'the following month': the calendar month after the day's
        first = month_bounds(end.year + end.month // 12, end.month % 12 + 1)[0]
        last = min(month_bounds(first.year, first.month)[1], cal.on_or_before(published))
        return Period(cal.on_or_before(first - timedelta(days=1)), cal.on_or_before(last), "span", f"{first:%B %Y}")
    if kind == "last_year":
        year = end.year - 1
        return Period(
            cal.on_or_before(date(year - 1, 12, 31)), cal.on_or_before(date(year, 12, 31)), "span", f"{year}", year=year
        )
    if kind in ("year_to_date", "month_to_date"):
        first = date(end.year, 1, 1) if kind == "year_to_date" else end.replace(day=1)
        return Period(cal.on_or_before(first - timedelta(days=1)), end, "span", f"from the last close before {first}")
    if kind == "half_of_year":  # 'in the first half of 2025', 'the second half of the year'
        year = int(groups.get("year") or (context_month[0] if context_month else end.year))
        first, last = (
            (date(year, 1, 1), date(year, 6, 30))
            if groups["half"].lower() == "first"
            else (date(year, 7, 1), date(year, 12, 31))
        )
        last = min(last, cal.on_or_before(published))
        return Period(
            cal.on_or_before(first - timedelta(days=1)),
            cal.on_or_before(last),
            "span",
            f"the {groups['half'].lower()} half of {year}: {first} to {last}, from the last close before it",
        )
    if kind in ("month_start", "month_end", "in_month", "week_of_month", "half_of_month"):
        if groups.get("month"):
            year, month = nearest_month(
                groups["month"], end, published, int(groups["year"]) if groups.get("year") else None
            )
        elif context_month:
            year, month = context_month
        else:
            year, month = end.year, end.month
        first, last = month_bounds(year, month)
        # A month is whole, whatever day an earlier sentence spoke of; one not over at publication ('in February',
        # written on February 10) ends at the last session on or before it.
        last = min(last, cal.on_or_before(published))
        if kind == "week_of_month":
            # 'the first week of April': its 1st to 7th, 'the second' its 8th to 14th, 'the last' its final seven
            # days; a move over it runs from the last close before it to its last session
            nth = groups["nth"].lower()
            lo = {"first": 1, "second": 8, "third": 15, "fourth": 22}.get(nth, max(1, last.day - 6))
            begin, finish = first.replace(day=lo), min(last, first.replace(day=min(lo + 6, last.day)))
            return Period(
                cal.on_or_before(begin - timedelta(days=1)),
                cal.on_or_before(finish),
                "span",
                f"the {nth} week of {first:%B %Y}: {begin} to {finish}, from the last close before it",
            )
        if kind == "half_of_month":  # 'in the first half of the month': its 1st to 15th; the second: the rest
            begin = first if groups["half"].lower() == "first" else first.replace(day=16)
            finish = min(last, first.replace(day=15)) if groups["half"].lower() == "first" else last
            return Period(
                cal.on_or_before(begin - timedelta(days=1)),
                cal.on_or_before(finish),
                "span",
                f"the {groups['half'].lower()} half of {first:%B %Y}: {begin} to {finish}, from the close before it",
            )
        if kind == "month_start":
            s = cal.after(first - timedelta(days=1))
            return Period(s, s, "session", f"the first session of {first:%B %Y}")
        if kind == "month_end":
            e = cal.on_or_before(last)
            return Period(cal.on_or_before(e - timedelta(days=4)), e, "window", f"the last week of {first:%B %Y}")
        part = (groups.get("part") or "").lower()
        if part:  # 'in early July': a third of the month
            lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}[part]
            first, last = first.replace(day=lo), min(last, first.replace(day=min(hi, last.day)))
            return Period(first, last, "window", f"{part} {first:%B %Y}: {first} to {last}")
        return Period(first, last, "window", f"the sessions of {first:%B %Y}")
    if kind == "in_year":
        year = int(groups.get("year") or groups.get("year2") or groups.get("year3"))
        return Period(
            cal.on_or_before(date(year - 1, 12, 31)),
            cal.on_or_before(date(year, 12, 31)),
            "span",
            f"{year}: the last close of {year - 1} to the last close of {year}",
            year=year,
        )
    if kind == "history":
        if groups.get("year4"):  # 'a level last seen in 1999' is 'the highest since 1999'
            groups = {**groups, "year": groups["year4"]}
        if groups.get("year"):
            # "The worst day since 2008": the last worse day was in 2008, the reference the words point back to;
            # the claim is about the years after it. An instrument first issued that year ('since the maturity
            # was introduced in 2007') has no earlier history: its claim's history starts at its first session.
            year = int(groups["year"])
            start = date(year + 1, 1, 1)
            if groups.get("hmonth"):  # 'its lowest since March 2022': the month after the reference month
                month = MONTHS.index(groups["hmonth"].lower()) + 1
                start = date(year + month // 12, month % 12 + 1, 1)
            if cal.sessions and cal.sessions[0].year == year:
                start = cal.sessions[0]
        elif groups.get("years"):
            years = int(number(groups["years"]))
            start = end.replace(year=end.year - years) if not (end.month == 2 and end.day == 29) else end
        elif groups.get("months"):  # 'for the first time in five months'
            start = months_back(end, int(number(groups["months"])))
        elif groups.get("decades"):  # 'the largest in more than a decade'
            years = {"a decade": 10, "two decades": 20, "three decades": 30, "half a century": 50, "a century": 100}[
                groups["decades"].lower()
            ]
            start = end.replace(year=end.year - years) if not (end.month == 2 and end.day == 29) else end
        elif groups.get("decade"):
            start = date(1900 + int(groups["decade"]), 1, 1)
        elif groups.get("record"):
            # 'its worst session on record': the market's whole history, which may start before the warehouse's
            # (silver's record goes back to 1980): the judge takes a shorter history for a bound, never a proof
            start = date(1900, 1, 1)
        else:
            return None
        return Period(end, end, "history", f"the history from {start}", history_from=start)
    return None
