"""Claims without a figure: a move named for held series ("gold and silver were sold off that day"), several
series moving together, a whole class moving, and news after a session's close; mixed into the Drafter."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from transforms.claims.drafting import dates as d
from transforms.claims.drafting.mentions import DAY_KINDS, HEDGE, MOVE_IN, RANK, TOGETHER, WHEN, WHOLE
from transforms.claims.drafting.tables import (
    verbs,
)
from transforms.claims.drafting.text import (
    Sentence,
)


class Moves:
    """The Drafter's figureless claims; they use its `add`, `calendar` and `day_for`."""

    def directional(self, k, s: Sentence, named, used, written, phrases, day_phrase, figs) -> None:
        text = s.text
        # A move with no figure needs a time the text gave: a day or a period, in the sentence or carried from an
        # earlier one.
        dated = bool(written or day_phrase) or self.ctx.day is not None or any(p[0] != "history" for p in phrases)
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
        rank = RANK.search(text)
        if history and rank:
            # 'the most devastating single-day crash in silver since 1980': the day's move ranks first.
            if self.span_ranked(k, s, rank):
                return
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
                        "claimed_text": f"{rank.group(0)} since {since.history_from.year}",
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
                        f"'{rank.group(0)}' with '{history[4]}' -> the day's move ranks first in that history",
                        f"day: {day}",
                    ],
                )
            return
        moves = self.whole_classes(k, s, moves, written, day_phrase)
        for m, verb, match in moves:
            cal = self.calendar(m)
            day, day_note = self.day_for(text, None, written, day_phrase, m, at=match.start())
            day = cal.on_or_before(day)
            period = next(
                (
                    d.period_for(kind, g, day, cal, self.ctx.month, self.published)
                    for kind, g, *_ in phrases
                    if kind not in DAY_KINDS and kind not in ("history", "rolling_24h")
                ),
                None,
            )
            direction = verb.direction * (-1 if m.inverse else 1)
            if period and period.kind == "window":
                # 'ether slipped over that month': the move over the month, from the last close before it
                period = replace(period, start=cal.on_or_before(period.start - timedelta(days=1)), kind="span")
            if period and period.kind == "span" and period.start < self.published <= period.end:
                period = replace(period, end=cal.on_or_before(self.published - timedelta(days=1)))
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

    def turns(self, k, s: Sentence, named, used) -> bool:
        """'When the US stock market and gold and silver prices reversed, cryptocurrencies were also sold off':
        the follower's trend turned after the leaders' did. Each pair is a peak_lag_days claim (the follower's
        highest close after the leader's) over the cycle the article tells: from the earliest peak it named for
        these series (else a year back) to the last session before publication, its present. The sentence's
        moves are that ordering, not one day's falls, so it gives no per-day claims (True)."""
        text = s.text
        turn = next(
            (x for v in verbs() if v.role == "turn" and v.direction < 0 for x in [v.regex.search(text)] if x), None
        )
        if turn is None or not WHEN.search(text) or HEDGE.search(text):
            return False
        comma = text.find(",", turn.end())
        if comma < 0:
            return False
        held = [m for i, m in enumerate(named) if i not in used and m.kind == "price" and not m.inverse]
        leaders = [m for m in held if m.end <= turn.start()]
        follow_verb = next(
            (x for v in verbs() if v.role == "move" and v.direction < 0 for x in [v.regex.search(text, comma)] if x),
            None,
        )
        followers = [m for m in held if comma < m.start and follow_verb and m.end <= follow_verb.start()]
        if not leaders or not followers:
            return False
        series = {m.series for m in leaders + followers}
        peaks = [r["period_start"] for r in self.rows if r["series"] in series and r["measure"] == "intraday_high"]
        cals = [self.calendar(m) for m in leaders + followers]
        end = min(cal.on_or_before(self.published - timedelta(days=1)) for cal in cals)
        start = min(peaks) if peaks else end - timedelta(days=365)
        start_note = (
            f"the earliest peak the article named for these series ({start})"
            if peaks
            else "a year back (no peak named for these series earlier in the article)"
        )
        pairs = {(f.series, lead.series): (f, lead) for f in followers for lead in leaders if f.series != lead.series}
        for f, lead in pairs.values():
            self.add(
                k,
                s,
                {
                    "quote": text,
                    "subject": f"{f.name} turned after {lead.name}",
                    "series": f"{f.series}|{lead.series}",
                    "measure": "peak_lag_days",
                    "claimed_text": f"{follow_verb.group(0)} after {lead.text} {turn.group(0)}",
                    "claimed_value": 0.0,
                    "wording_rule": "rose",
                    "unit": "days",
                    "claim_basis": "",
                    "period_start": start,
                    "period_end": end,
                },
                [
                    f"'{WHEN.search(text).group(0).strip()} ... {turn.group(0)}' (verbs.csv: turn) -> "
                    f"{f.series} ('{f.text}') peaked after {lead.series} ('{lead.text}'): a positive lag",
                    f"window from {start_note} to {end}, the last session before publication",
                ],
            )
        return True

    def news_after_close(self, k, s: Sentence, named, written, day_phrase) -> None:
        """'After the market closed on February 4th, AMD delivered its earnings report': news after session D's
        close moves the next session's open, so the largest opening gap around it is one session after D. The
        claim checks the article's dating of the news (gap_session_offset, window D to 3 sessions after)."""
        found = (v.regex.search(s.text) for v in verbs() if v.role == "report")
        report = next((m for m in found if m), None)
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
