"""Alert rules (orchestration/alerts.yaml), evaluated once per event against the warehouse and what was alerted
before, and recorded in the warehouse: `ops.alerts` (what fired, when, to whom, delivered or not) and
`ops.alert_state` (what each rule last saw: the last day evaluated, whether a crossing is armed, each claim's
verdict, each source's freshness).

Once per event: a crossing fires when the measure reaches its threshold while armed, and re-arms only below its
reset level; a verdict fires when it differs from the one recorded; a source when it turns stale. The first
evaluation of a rule records what it sees and fires nothing about the past; after it, only days newer than the
last one evaluated can fire, so a rebuild or a backfill of old days never alerts about history. On the bundled
snapshot a source's staleness is expected: recorded once as such, never sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from orchestration import settings
from orchestration.lib.alerts.delivery import Outcome, configured, send, ui_link
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.tables import table_exists

RULES_FILE = settings.PROJECT_ROOT / "orchestration" / "alerts.yaml"
KINDS = ("stress_crossing", "verdict_change", "stale_source", "error_check", "inbox_refusal")

DDL = """
create schema if not exists ops;
create table if not exists ops.alert_state (rule varchar, key varchar, value varchar, updated_at timestamptz);
create table if not exists ops.alerts (
    alert_id varchar, rule varchar, key varchar, fired_at timestamptz, subject varchar, message varchar,
    link varchar, channel varchar, delivered boolean, attempts integer, detail varchar
);
"""


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    description: str
    channels: tuple[str, ...]
    measure: str | None = None
    threshold: float | None = None
    reset: float | None = None


@dataclass
class Event:
    rule: Rule
    key: str
    subject: str
    message: str
    link: str
    expected: str | None = None  # why it is recorded and not sent (the bundled snapshot's own staleness)


@dataclass
class Evaluation:
    events: list[Event] = field(default_factory=list)
    state: dict[tuple[str, str], str] = field(default_factory=dict)  # (rule, key) -> value, to write back


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    raw = yaml.safe_load(path.read_text())
    rules = []
    for entry in raw.get("rules", []):
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{path}: rule {entry.get('name')!r}: kind must be one of {', '.join(KINDS)}")
        if entry["kind"] == "stress_crossing" and not entry.get("reset", 0) < entry.get("threshold", 0):
            raise ValueError(f"{path}: rule {entry['name']!r}: the reset level must be below the threshold")
        rules.append(
            Rule(
                entry["name"],
                entry["kind"],
                entry.get("description", ""),
                tuple(entry.get("channels", [])),
                entry.get("measure"),
                entry.get("threshold"),
                entry.get("reset"),
            )
        )
    return rules


def read_state(conn) -> dict[tuple[str, str], str]:
    conn.execute(DDL)
    return {(r, k): v for r, k, v in conn.execute("select rule, key, value from ops.alert_state").fetchall()}


def stress_crossing(conn, rule: Rule, state: dict, out: Evaluation) -> None:
    if not table_exists(conn, "marts.mart_stress_comparison"):
        return
    rows = conn.execute(
        f"select date, {rule.measure}, stress_index from marts.mart_stress_comparison "
        f"where {rule.measure} is not null order by date"
    ).fetchall()
    if not rows:
        return
    last = state.get((rule.name, "last_day"))
    armed = state.get((rule.name, "armed"), "true") == "true"
    if last is None:  # the first evaluation: no alert about history
        armed = rows[-1][1] < rule.reset
    else:
        for day, pct, level in [r for r in rows if r[0] > date.fromisoformat(last)]:
            if armed and pct >= rule.threshold:
                out.events.append(
                    Event(
                        rule,
                        str(day),
                        f"Liquidity stress crossed its alarm on {day}",
                        f"Liquidity stress reached the {pct:.0%} point-in-time percentile on {day} (index "
                        f"{level:+.2f}; alarm at {rule.threshold:.0%}, re-armed below {rule.reset:.0%}).",
                        ui_link("/assets/marts/mart_liquidity_stress_daily"),
                    )
                )
                armed = False
            elif not armed and pct < rule.reset:
                armed = True
    newest = max(rows[-1][0], date.fromisoformat(last)) if last else rows[-1][0]
    out.state[(rule.name, "last_day")] = str(newest)
    out.state[(rule.name, "armed")] = "true" if armed else "false"


def verdict_change(conn, rule: Rule, state: dict, out: Evaluation) -> None:
    if not table_exists(conn, "marts.mart_claims"):
        return
    rows = conn.execute(
        "select claim_id, article, quote, verdict, observed_value, observed_basis from marts.mart_claims"
    ).fetchall()
    for claim_id, article, quote, verdict, value, basis in rows:
        before = state.get((rule.name, claim_id))
        if before is not None and before != verdict:
            shown = f"{value:.6g}" if value is not None else "no value"
            out.events.append(
                Event(
                    rule,
                    claim_id,
                    f"[{article}] a verdict changed: {before} -> {verdict}",
                    f'"{quote}" was {before}, now {verdict} (the data: {shown}'
                    + (f", {basis}" if basis else "")
                    + ").",
                    ui_link("/assets/marts/mart_claims?view=checks"),
                )
            )
        out.state[(rule.name, claim_id)] = verdict


def stale_source(conn, rule: Rule, state: dict, out: Evaluation, today: date, bundled: bool) -> None:
    for table in RAW_TABLES.values():
        if table.max_age is None or not table.date_column or not table_exists(conn, f"raw.{table.name}"):
            continue
        where = f"where {table.observed_filter}" if table.observed_filter else ""
        newest = conn.execute(
            f"select max(cast({table.date_column} as date)) from raw.{table.name} {where}"
        ).fetchone()[0]
        if newest is None:
            continue
        stale = (today - newest) > table.max_age
        before = state.get((rule.name, table.name))
        if stale and before != "stale":
            out.events.append(
                Event(
                    rule,
                    table.name,
                    f"raw.{table.name} is stale",
                    f"raw.{table.name}'s newest observation is {newest}, {(today - newest).days} days old; its "
                    f"freshness policy allows {table.max_age.days} days.",
                    ui_link(f"/assets/raw/{table.name}?view=checks"),
                    expected="the bundled snapshot is fixed: its newest day only ages" if bundled else None,
                )
            )
        out.state[(rule.name, table.name)] = "stale" if stale else "fresh"


def error_check(rule: Rule, state: dict, out: Evaluation, failed_checks: list[tuple[str, str, str, str]]) -> None:
    """failed_checks: (run id, asset, check, description) of ERROR-severity checks that failed."""
    for run_id, asset, check, description in failed_checks:
        key = f"{run_id}:{asset}:{check}"
        if (rule.name, key) in state:
            continue
        out.events.append(
            Event(
                rule,
                key,
                f"check failed: {asset} :: {check}",
                f"The ERROR-severity check {check} on {asset} failed in run {run_id[:8]}: {description}",
                ui_link(f"/runs/{run_id}"),
            )
        )
        out.state[(rule.name, key)] = "alerted"


def inbox_refusal(rule: Rule, state: dict, out: Evaluation, inbox: Path) -> None:
    for reason in sorted(inbox.glob("**/rejected/*.reason.txt")):
        key = f"{reason.relative_to(inbox)}:{int(reason.stat().st_mtime)}"
        if (rule.name, key) in state:
            continue
        name = reason.name.removesuffix(".reason.txt")
        out.events.append(
            Event(
                rule,
                key,
                f"the inbox refused {name}",
                f"{reason.parent.relative_to(inbox)}/{name}: {reason.read_text().strip()[:400]}",
                ui_link("/overview/automation"),
            )
        )
        out.state[(rule.name, key)] = "alerted"


def evaluate(
    conn,
    rules: list[Rule],
    today: date,
    bundled: bool,
    inbox: Path,
    failed_checks: list[tuple[str, str, str, str]] = (),
) -> Evaluation:
    state = read_state(conn)
    out = Evaluation()
    for rule in rules:
        if rule.kind == "stress_crossing":
            stress_crossing(conn, rule, state, out)
        elif rule.kind == "verdict_change":
            verdict_change(conn, rule, state, out)
        elif rule.kind == "stale_source":
            stale_source(conn, rule, state, out, today, bundled)
        elif rule.kind == "error_check":
            error_check(rule, state, out, list(failed_checks))
        else:
            inbox_refusal(rule, state, out, inbox)
    return out


def deliver(event: Event, sleep=None) -> list[Outcome]:
    """Every channel the rule names and the environment configures; none configured: recorded, not sent."""
    if event.expected:
        return [Outcome("none", False, 0, f"expected, not sent: {event.expected}")]
    channels = configured()
    chosen = [c for c in event.rule.channels if c in channels]
    if not chosen:
        return [Outcome("none", False, 0, "no channel configured (LIQMART_ALERT_WEBHOOK_URL, LIQMART_ALERT_SMTP_URL)")]
    text = f"{event.message}\n{event.link}"
    kwargs = {"sleep": sleep} if sleep else {}
    return [send(c, channels[c], event.subject, text, **kwargs) for c in chosen]


def record(conn, evaluation: Evaluation, outcomes: dict[int, list[Outcome]]) -> int:
    """Write what fired and the rules' state in one transaction; the number of alert rows written."""
    now = datetime.now(timezone.utc)
    rows = [
        (
            uuid.uuid4().hex[:16],
            e.rule.name,
            e.key,
            now,
            e.subject,
            e.message,
            e.link,
            o.channel,
            o.delivered,
            o.attempts,
            o.detail,
        )
        for i, e in enumerate(evaluation.events)
        for o in outcomes[i]
    ]
    conn.execute("begin")
    conn.execute(DDL)
    if rows:
        conn.executemany("insert into ops.alerts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for (rule, key), value in evaluation.state.items():
        conn.execute("delete from ops.alert_state where rule = ? and key = ?", [rule, key])
        conn.execute("insert into ops.alert_state values (?, ?, ?, ?)", [rule, key, value, now])
    conn.execute("commit")
    return len(rows)
