"""Claims without a figure: a move named for held series ("gold and silver were sold off that day"), several
series moving together, a whole class moving, and news after a session's close; mixed into the Drafter."""

from __future__ import annotations

import re

from transforms.claims.drafting import dates as d
from transforms.claims.drafting.mentions import DAY_KINDS, HEDGE, MOVE_IN, RANK, TOGETHER, WHOLE
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
