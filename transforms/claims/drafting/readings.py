"""How a figure becomes a claim once its subject, verb, day and period are known: one method per kind of series
(a price, a yield, ETF flows, issuance, liquidations), mixed into the Drafter (draft.py).

Over 400 lines because it is one thing: how a figure is read, one short method per kind of series, all on the
Drafter's state for the sentence (its subjects, day, verb and qualifier) and the same helpers; split by kind, the
mixin would be in pieces that import each other."""

from __future__ import annotations

import re
from datetime import date, timedelta

from transforms.claims.drafting import dates as d
from transforms.claims.drafting.mentions import FROM_LOW, FROM_TO, RANK
from transforms.claims.drafting.tables import (
    qualifiers,
    rank_span,
)
from transforms.claims.drafting.text import (
    AMOUNT,
    MOVE_AMOUNT,
    SIGN_MARK,
    Figure,
    sign_of,
)
from transforms.claims.engine import DAILY_FLOWS

LEVEL_FIRST = re.compile(
    r"\b(?:for the first time|the first time|a record|record high|record low|never|last seen|last reached|not seen|"
    r"unseen)\b",
    re.I,
)


def own_words(pattern: re.Pattern, text: str, fig: Figure) -> re.Match | None:
    """Words after the figure that speak of it: no other amount (money, percent, basis points) stands between
    ('... below $75,000 on April 7, and ether below $1,400, the lowest since 2023' is ether's)."""
    found = pattern.search(text, fig.end)
    if found and not AMOUNT.search(text[fig.end : found.start()]):
        return found
    return None


# Another move's amount between a figure and rank words makes them that move's; a price level does not ('crashed
# 31.3% to settle at $78.29, the biggest one-day drop since 1980').
# a move named by its multiple ('doubled', 'quadrupled': numbers.csv)
MULTIPLES = ("doubled", "tripled", "quadrupled", "halved")
LEVEL_NEXT = re.compile(r"\s*(?:high\s+|low\s+)?(?:of\s+)?\$?\d")


def record_words(text: str, fig: Figure, down: bool) -> tuple[str, bool, bool] | None:
    """'a record $3,450', 'a record low of 0.54%' before a level, or ', a record' after it: (the words, whether the
    record is a low, whether the words say which side). A record named after the level alone is on the side the
    level was reached (`down`); one before it alone is a high ('closed at a record $3,450')."""
    before = RECORD_LEVEL.search(text[max(0, fig.start - 40) : fig.start])
    after = None if before else RECORD_AFTER.match(text, fig.end)
    found = before or after
    if found is None:
        return None
    side = (found.group("side") or "").lower()
    return found.group(0).strip(" ,"), side == "low" if side else down and after is not None, bool(side or after)


# A close verb that names where a session ended ('closed at', 'settled near', 'recovered to'), not where the price
# stood over a window ('held near', 'hovered around': the window's closes)
ENDING = re.compile(r"\b(?:clos|end|settl|finish|recover|bounc|par(?:ed|ing)|trimm|claw)", re.I)


def summed_days(period: d.Period | None, day: date, kinds: tuple[str, ...] | None = None) -> tuple[date, date]:
    """The first and last day a sum over the period covers (flows, liquidations): a span opens at the close before
    it, so its days start the day after; any other period (of `kinds`, when given) is its days; else the day."""
    if period is None or (kinds is not None and period.kind not in kinds):
        return day, day
    return (period.start + timedelta(days=1) if period.kind == "span" else period.start), period.end


def own_rank(text: str, fig: Figure) -> re.Match | None:
    """Rank words that speak of the figure's move: after it or before it with no other move's amount between
    ('plunged 17%, its worst day since 2008', 'its worst day since 1980, plunging 31%'). 'Jumped 20 bps to a record
    3.77%' ranks the level it names, not the change."""
    ranks = [m for m in RANK.finditer(text) if not LEVEL_RANK.match(text, m.start())]  # 'strongest level since'
    after = next((m for m in ranks if m.start() >= fig.end), None)
    if after and not MOVE_AMOUNT.search(text[fig.end : after.start()]) and not LEVEL_NEXT.match(text, after.end()):
        return after
    before = [m for m in ranks if m.end() <= fig.start and not MOVE_AMOUNT.search(text[m.end() : fig.start])]
    return before[-1] if before and not LEVEL_NEXT.match(text, before[-1].end()) else None


# with or without "for": 'the first time since 2022', 'for the first time in three years'
FIRST_TIME = re.compile(r"\bthe first time (?:since|in)\b", re.I)
LEVEL_RANK = re.compile(
    r"\b(?P<word>lowest|highest|weakest|strongest|softest|firmest)(?: (?:level|close|reading|point))? since\b", re.I
)
RECORD_LEVEL = re.compile(
    r"\b(?:a|an|its|their|the|fresh|new)\s+(?:(?:fresh|new)\s+)?(?:record|all-time)"
    r"(?:\s+(?:(?P<side>high|low)s?|close|closing high|closing level|peak))?(?:\s+(?:of|at|near))?"
    r"(?:\s+(?:about|around|roughly|nearly|almost|some|just (?:under|over|above|below)))?\s*$",  # 'of about $124,700'
    re.I,
)
# 'jumped 25 basis points to 4.2%, a record': the words after the level name it a record
RECORD_AFTER = re.compile(
    r"(?:\s+(?:an|per|a)\s+(?:ounce|barrel|dollar|share|coin))?(?:\s+on\s+\w+(?:\s+\d{1,2})?)?"
    r",\s+(?:a|an|its|their)\s+(?:(?:new|fresh)\s+)?(?:record|all-time)(?:\s+(?P<side>high|low)s?)?\b(?!\s+(?:of|for)\b)",
    re.I,
)
AT_CLOSE = re.compile(r"\s*(?:at|on|by) the (?:close|settle|settlement)\b", re.I)
OUTFLOW = re.compile(
    r"\b(?:out-?flows?|withdr[ae]w\w*|redemptions?|pulled|bled|net selling|net sold|leaving|left the|exited|"
    r"flowed out|flowing out)\b",
    re.I,
)
LIQUIDATION_SIDE = re.compile(
    r"\b(?:(?:leveraged )?(?:longs|shorts)|(?:long|short) (?:positions?|liquidations|traders|bets|sellers))\b", re.I
)
# 'touched $60,000, its lowest level since 2024', 'touched a record $5,500': which extreme the level was
TOUCH_SIDE = re.compile(
    r"\b(?:(?P<low>lowest|lows?|bottom(?:ed)?|trough|weakest|softest)"
    r"|(?P<high>highest|highs?|record|peak(?:ed)?|all-time|top(?:ped)?|strongest|firmest))\b",
    re.I,
)
BEYOND = re.compile(r"\bto (?:below|under|beneath|above|over)\s*\$?$")
# 'DXY: 97.63, up 0.7%', 'US 10-year: 4.22%': a level right after the label that opens a data-style line is where
# the series stood (its close, its yield) on the line's day.
LABEL = re.compile(r"^[^,;:!?]{1,60}:\s*$")
# '-16.1% w/w to $70,555': a signed move before the figure is the move it ends.
SIGNED_MOVE = re.compile(SIGN_MARK + r"\d[\d.,]*\s?(?:%|per ?cent)")


AT_EXTREME = re.compile(
    r"\bat (?:the|its|their|the session's|the day's) (?:intraday |session |daily )?(?P<side>lows?|highs?|worst|best|"
    r"lowest|highest)\b",
    re.IGNORECASE,
)


# No series the warehouse holds has traded near a million dollars (bitcoin's record is about $126,000): a dollar
# figure that large said of a price series is a sum of money.
MONEY_NOT_PRICE = 1e6


def labelled(text: str, fig: Figure, subject) -> bool:
    """The figure opens a labelled line whose label names its subject ('Gold: $4,948', 'DXY: 97.63')."""
    return bool(
        fig.sign == 0
        and LABEL.match(text[: fig.start])
        and subject.end <= fig.start
        and text[subject.start : subject.end] == subject.text
    )


def verb_or_sign(text: str, fig: Figure, verb, moves_in: str, notes: list[str]):
    """(verb, role, direction) of a figure: a sign written against a move's figure ('+0.6% w/w despite a 4.4%
    slide', '-4 bp') is its own direction, whatever verb is near; else the verb's role and direction."""
    if fig.sign and fig.unit == moves_in:
        notes.append(f"'{text[fig.start - 1]}{fig.text}' written with its sign: {'up' if fig.sign > 0 else 'down'}")
        return None, "move", fig.sign
    if verb:
        notes.append(f"verb '{verb[1].group(0)}' -> {verb[0].note} (verbs.csv)")
        return verb, verb[0].role, verb[0].direction
    return None, None, 0


class Readings:
    """The Drafter's figure readings; they use its `add`, `leave`, `calendar` and `_peak`."""

    def _price(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        text = s.text
        verb, role, direction = verb_or_sign(text, fig, verb, "fraction", notes)
        sign = -1 if subject.inverse else 1
        if fig.unit == "fraction":
            if fig.text.lower() in MULTIPLES:
                role, direction = "move", -1 if fig.text.lower() == "halved" else 1
            if role == "move_noun":
                role = "move"
            if self._peak and role in (None, "high", "low", "close"):
                # '44% below its peak' needs no verb; in '9% off its October 6 ATH of $124.7k' the high named after
                # the figure is the peak it is measured from, not the figure's move; 'closed at $182.40, 12% below its
                # May high' likewise
                role, direction = "move", -1
            if role in ("break_up", "break_down"):  # 'fell below $50,000, a 15% drop': the crossing is the move
                role = "move"
            if role not in ("move", "rebound", "low", "high") or not direction:
                self.leave(k, fig.text, "a percentage with no move named (verbs.csv)", text)
                return
            direction *= sign
            value = direction * abs(fig.value)
            if subject.inverse:
                # The yen up 12% is USD/JPY down 10.7% (1/1.12 - 1), not 12%: the figure is the inverse's move.
                value = round(1 / (1 - value) - 1, 6)
                notes.append(
                    f"{subject.name} moves against {subject.series}: a {-value / (1 + value):+.2%} move of "
                    f"{subject.name} is {value:+.2%} of {subject.series}"
                )
            if self._peak and direction < 0:
                measure, start, end = "drawdown_from_peak", day, day
                notes.append("'from its high' -> drawdown_from_peak: the price against the highest of its history")
            elif FROM_LOW.search(text) and direction > 0:  # 'rebounded 1%' alone is a plain move up
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
                start = period.start if period.kind == "span" else cal.on_or_before(period.start - timedelta(days=1))
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
            if history and (rank := own_rank(text, fig)):
                self._rank(k, s, row, notes, history, day, rank, "return_rank_in_sample")
            return
        before = text[max(0, fig.start - 16) : fig.start].lower()
        signed = None if verb else next(reversed(list(SIGNED_MOVE.finditer(text, 0, fig.start))), None)
        if signed:  # 'Bitcoin: -16.1% w/w to $70,555': the level the signed move ended at
            role, direction = "move", sign_of(signed)
        extreme = AT_EXTREME.search(text, 0, fig.start)
        if extreme and role in (None, "close", "trade") and not AMOUNT.search(text[extreme.end() : fig.start]):
            # 'At the session's low the March contract traded at $76.03': the level is the session's extreme
            low = extreme.group("side").lower() in ("low", "lows", "worst", "lowest")
            role, direction = ("low", -1) if low else ("high", 1)
            notes.append(f"'{extreme.group(0)}' -> the session's {'low' if low else 'high'}")
        touched = (
            role == "trade"
            and verb is not None
            and re.match(r"touch", verb[1].group(0), re.I)
            and not re.search(r"\d", text[verb[1].end() : fig.start])
        )
        side = TOUCH_SIDE.search(text) if touched else None
        if side:  # 'touched $60,000, its lowest level since 2024': the sentence says which extreme was touched
            low = side.group("low") is not None
            role, direction = ("low", -1) if low else ("high", 1)
            notes.append(f"'touched' with '{side.group(0)}' -> the window's {'low' if low else 'high'}")
        label = labelled(text, fig, subject)
        # An index's level has no dollar sign: 'closed at 16,200.08', 'fell 0.5% to 102.69'.
        level_words = (
            label
            or (verb is not None or signed is not None)
            and (
                re.search(r"\b(?:to|at|near|around|from)(?: about| around| nearly| roughly| some)?\s*$", before)
                or re.search(r"\bas (?:strong|weak|high|low) as\s*$", before)
                or (verb is not None and verb[0].role in ("break_up", "break_down", "close"))
                or touched
            )
        )  # 'the pair fell below 145': a level crossed needs no unit either
        if fig.unit != "usd" and not (fig.unit == "count" and level_words):
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of a price series", text)
            return
        if fig.unit == "usd" and fig.value >= MONEY_NOT_PRICE:
            # 'Strategy holds 713,502 BTC, bought for about $54 billion': a sum of money, not where a price stood
            self.leave(k, fig.text, "an amount of money (a cost, a value), not a price of the series", text)
            return
        if fig.unit == "count":
            row["unit"] = "points"
        clause = self.clause(text, fig)
        in_clause = text[clause[0] : fig.start]
        closing = re.search(r"\b(?:closed|settled|ended|finished)\b", in_clause, re.IGNORECASE)
        # 'fell 0.5% to 102.69': the end of a move between closes is a close; 'as much as 15% to $49,000' a low.
        move_to_close = signed is not None or (
            re.search(r"\d\s*(?:%|per ?cent)", in_clause)
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
            or label
            or (role is None and row["wording_rule"] == "about")
            or (closing and re.search(r"\bat\s*$", before))
            or (move_to_close and level_words)
        ):
            measure = "close_level"
            notes.append("a close: where the price stood at the end of the session (the end of a move between closes)")
            ends = verb is not None and re.search(r"\bthe (?:week|month|quarter|year)\b", verb[1].group(0), re.I)
            # 'finished at $3,800', 'recovered to 151': one session's close, whatever period the clause shares
            ends = ends or (verb is not None and ENDING.search(verb[1].group(0)))
            if (move_to_close and level_words or ends) and window_start != window_end:
                # 'ending the week near 97.6': the close of the period's last session
                # 'fell 16% over the week to $70,555': the close the move ended at, not the window's mean close
                window_start = window_end
        elif role in ("break_up", "break_down") or (BEYOND.search(before) and (direction or role in ("low", "high"))):
            # 'tumbled 15% to below $50,000', 'dropped to below $75,000': a move to beyond a level crossed it
            role = (
                role
                if role in ("break_up", "break_down")
                else {"low": "break_down", "high": "break_up"}.get(role)
                or ("break_down" if direction < 0 else "break_up")
            )
            if subject.inverse and text[subject.start : subject.end] == subject.text:
                # 'The yen weakened past 158 per dollar': the level is USD/JPY's, which rose through it.
                role = "break_up" if role == "break_down" else "break_down"
                notes.append(f"{subject.name} moves against {subject.series}: the level is crossed the other way")
            measure = "intraday_high" if role == "break_up" else "intraday_low"
            row["wording_rule"] = "broke_above" if role == "break_up" else "broke_below"
            notes.append("a level crossed: the extreme beyond it")
        elif role in ("low", "high") or (
            role in ("move", "move_noun") and re.search(r"\bto(?: about| around| nearly| roughly| some)?\s*$", before)
        ):
            measure = (
                "intraday_low"
                if (direction if role in ("move", "move_noun") else -1 if role == "low" else 1) * sign < 0
                else ("intraday_high")
            )
            if (
                verb
                and row["wording_rule"] == "plain"
                and re.search(r"touch|hit|once|plummeted to|plunged to", verb[1].group(0), re.I)
            ):
                row["wording_rule"] = "once_plummeted_to"
            if verb:
                row["claimed_text"] = text[verb[1].start() : fig.end] if fig.end - verb[1].start() <= 40 else fig.text
            notes.append("a level reached: the extreme traded in the window")
        elif re.search(r"\bat(?: about| around| roughly| nearly| some| close to)?\s*$", before) or (
            role == "trade" and (touched or re.search(r"\b(?:near|around)\s*$", before))
        ):
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
        ranked = own_words(LEVEL_RANK, text, fig)
        crossed = own_words(FIRST_TIME, text, fig) if measure in ("intraday_low", "intraday_high") else None
        # A window ('in early August') bounds the history at its first day: no close before it went beyond the level.
        if (ranked or crossed) and history and measure != "nearest_traded_price":
            # '...to 98.3 on Monday, its lowest level since March 2022': no close in that history before the day
            # was beyond the day's level. 'Fell below $70,000 for the first time since November 2024' likewise,
            # on closes (a low beyond it between closes is not seen).
            lowest = (
                ranked.group("word").lower() in ("lowest", "weakest", "softest")
                if ranked
                else measure == "intraday_low"
            )
            if ranked and subject.inverse:  # the yen's strongest level is USD/JPY's lowest
                lowest = not lowest
            ranked = ranked or crossed
            self.add(
                k,
                s,
                row
                | {
                    "measure": "min_close_before" if lowest else "max_close_before",
                    "claimed_value": fig.value,
                    "claimed_text": f"{ranked.group(0)} {history.history_from.year}",
                    "wording_rule": "below",
                    "claim_basis": "",
                    "period_start": history.history_from,
                    "period_end": window_start - timedelta(days=1),
                    "required_history_from": history.history_from,
                },
                notes + [f"'{ranked.group(0)}' with '{history.note}': no close in that history beyond {fig.text}"],
            )

        record = record_words(text, fig, down=measure == "intraday_low")
        low_record = record is not None and record[1]
        if (
            record
            and not (ranked or crossed)
            and measure in (("close_level", "intraday_low") if low_record else ("close_level", "intraday_high"))
            and not subject.inverse
        ):
            # 'closed at a record $3,450', 'hit a fresh all-time high of $126,000': no close before it was higher,
            # over the market's whole history (which may start before the warehouse's: a bound, never a proof)
            since = date(1900, 1, 1)
            self.add(
                k,
                s,
                row
                | {
                    "measure": "min_close_before" if low_record else "max_close_before",
                    "claimed_value": fig.value,
                    "claimed_text": f"{record[0]} {fig.text}",
                    "wording_rule": "below",
                    "claim_basis": "",
                    "period_start": since,
                    "period_end": window_start - timedelta(days=1),
                    "required_history_from": since,
                },
                notes
                + [
                    f"'{record[0]}' names the level a record: no earlier close "
                    f"{'below' if low_record else 'above'} {fig.text}"
                ],
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
        verb, role, direction = verb_or_sign(text, fig, verb, "bp", notes)
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
            if history and (rank := own_rank(text, fig)):
                self._rank(k, s, row, notes, history, day, rank)
            return
        if fig.unit != "fraction":
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of a yield", text)
            return
        before = text[max(0, fig.start - 40) : fig.start].lower()
        beyond = BEYOND.search(before[-12:])
        if beyond and role not in ("break_up", "break_down"):
            # 'surged 25 basis points to above 4%', 'fell to below 1%': a level crossed, whichever verb moved it
            role = "break_down" if re.search(r"below|under|beneath", beyond.group(0)) else "break_up"
            notes.append(f"'{beyond.group(0).strip()}' a level: crossed, the extreme beyond it")
        if role in ("break_up", "break_down"):
            rule = "broke_through" if role == "break_up" else "broke_below"
        elif (
            role in ("low", "high", "close")
            # 'jumped 20 bps to a record 3.765%', 'to a fresh 27-year high of 2.33%': the level reached
            or re.search(
                r"\b(?:to|at|of)(?: (?:a|an|its|the) (?:fresh |new )?(?:record|all-time|multi-year|[\w-]+-year)?"
                r"(?: high| low)?(?: of)?)?\s*$",
                before,
            )
            or labelled(text, fig, subject)
        ):
            rule = row["wording_rule"]
        else:
            self.leave(k, fig.text, "a yield in percent with no level named: a level or a change?", text)
            return
        if role in ("low", "high") and AT_CLOSE.match(text, fig.end):
            role = "close"  # 'fell to a record low of 0.54% at the close': where it closed
            notes.append("'at the close' after the level: the day's close")
        down = role in ("low", "break_down") or (direction or 0) < 0
        record = record_words(text, fig, down=down)
        record = record if record and record[2] else None  # 'to a record 3.765%' names no side of a yield
        if history is None and record:
            history = d.Period(day, day, "history", "the history on record", history_from=date(1900, 1, 1))
        basis = "intraday_level" if role in ("break_up", "break_down", "low", "high") else ""
        # 'dropped to 3.65%' is the session's low, 'jumped to 4.5%' its high: each bounded by the close on its side
        measure = {"low": "yield_low", "break_down": "yield_low", "high": "yield_high", "break_up": "yield_high"}
        level = fig.value * 100
        self.add(
            k,
            s,
            row
            | {
                "measure": measure.get(role, "yield_level"),
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
        ranked = own_words(LEVEL_RANK, text, fig)
        # A level's history needs words for a level ('the highest since', 'for the first time since', 'a record',
        # 'last seen in'); 'the largest weekly increase since 2001' ranks a change, not the level.
        if history and (ranked or own_words(LEVEL_FIRST, text, fig) or record):
            # 'fell to 3.88%, the lowest level since May 2023': the lowest; 'broke through 4% for the first time'
            # the highest.
            up = (
                ranked.group("word").lower() in ("highest", "strongest")
                if ranked
                else not record[1]
                if record
                else role not in ("break_down", "low")
            )
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

    def _rank(self, k, s, row, notes, history, day, rank: re.Match, measure="yield_change_rank"):
        """'The largest since 2008', 'never seen in 30 years': the day's move ranks first in that history."""
        if self.span_ranked(k, s, rank):
            return
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

    def span_ranked(self, k, s, rank: re.Match) -> bool:
        """A rank of moves longer than a session ('its worst week since 2022', rank_spans.csv) is left out, saying
        why: the ledger ranks one session's moves only, and the move itself is drafted on its own."""
        span = rank_span(s.text, rank.end())
        if span is None:
            return False
        words = re.match(r"\S+(?:\s+\S+)?", s.text[rank.start() :]).group(0).strip(".,;:")
        self.leave(
            k, words, f"a rank among moves over {span} (rank_spans.csv): the ledger ranks one session's moves", s.text
        )
        return True

    FLOW_SERIES = {
        "etf_btc": ("etf_btc", "etf_usd"),
        "etf_plus_treasury": ("etf_plus_treasury_btc", "etf_plus_treasury_usd"),
        "treasury": ("treasury_btc", None),
        "issuance_btc": ("issuance_btc", None),
        "strategy": ("strategy_btc", None),
    }

    def _flows(self, k, s, fig, subject, row, notes, period, day=None):
        whole_year = period is not None and period.year is not None
        series_btc, series_usd = self.FLOW_SERIES[subject.series]
        series = series_btc if fig.unit in ("btc", "count") else series_usd if fig.unit == "usd" else None
        if series is None:
            self.leave(k, fig.text, f"no measure reads a {fig.unit} figure of {subject.name}", s.text)
            return
        if not whole_year and series in DAILY_FLOWS and day is not None:
            # 'net outflows of $690 million on Thursday': the ETFs' daily flows, signed (an outflow is negative).
            # Strategy's purchases are dated by its filings: 'bought 22,305 BTC in the week to January 20'.
            out = OUTFLOW.search(s.text) if series in ("etf_btc", "etf_usd") else None
            start, end = summed_days(period, day, kinds=("span", "window"))
            self.add(
                k,
                s,
                row
                | {
                    "measure": "btc_flows",
                    "series": series,
                    "claimed_value": -abs(fig.value) if out else fig.value,
                    "period_start": start,
                    "period_end": end,
                },
                notes
                + [
                    (
                        f"US spot ETFs' net flows (Farside, the US session's day) from {start} to {end}"
                        if series in ("etf_btc", "etf_usd")
                        else f"Strategy's purchases by the filing's day, from {start} to {end}"
                        if series == "strategy_btc"
                        else f"the coins issued, a sum over the UTC days from {start} to {end}"
                    )
                    + (f"; '{out.group(0)}' -> negative" if out else "")
                ],
            )
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
        self._flows(k, s, fig, subject, row, notes, period, day)

    def _issuance(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        self._flows(k, s, fig, subject, row, notes, period, day)

    def _liquidations(self, k, s, fig, subject, verb, row, notes, period, history, cal, day):
        if fig.unit != "usd":
            self.leave(k, fig.text, "liquidations are held in dollars, not counts", s.text)
            return
        start, end = summed_days(period, day)
        # '..., of which long positions accounted for $1 billion': one side, named in the figure's own clause, or
        # right after it ('$2 billion in long positions were wiped out', '$1 billion of shorts')
        clause = self.clause(s.text, fig)
        side = LIQUIDATION_SIDE.search(s.text, clause[0], fig.start) or LIQUIDATION_SIDE.match(
            s.text, fig.end + len(re.match(r"\s*(?:in|of|worth of)?\s*", s.text[fig.end :]).group(0))
        )
        if side is None:
            # 'Longs were liquidated on Friday: $700m in all': the side the sentence named before the figure, when
            # it named one side only and no other amount stands between
            named = list(LIQUIDATION_SIDE.finditer(s.text, 0, fig.start))
            one_side = len({"long" in m.group(0).lower() for m in named}) == 1
            if named and one_side and not re.search(r"\$\s?\d", s.text[named[-1].end() : fig.start]):
                side = named[-1]
        # 'leveraged longs' is the long side too
        series = ("LONG" if "long" in side.group(0).lower() else "SHORT") if side else "ALL"
        self.add(
            k,
            s,
            row
            | {
                "measure": "liquidations_usd",
                "series": series,
                "claimed_value": fig.value,
                "period_start": start,
                "period_end": end,
            },
            notes
            + [
                f"'{side.group(0)}': the {series.lower()} side's liquidations over the UTC days"
                if side
                else "long plus short liquidations over the UTC days"
            ],
        )

    # --- a statement without a figure ---------------------------------------------------------------------------
