"""`liqmart alerts test | list`, and the alerts a command's own run raises.

`test` sends one test message through every configured channel and says what happened; `list` shows what fired,
when, to whom and whether it was delivered (ops.alerts, from the published copy). `liqmart run`, `backfill`,
`import` and `rebuild` evaluate the rules after their run, as the alert sensors do after the daemon's runs.
"""

from __future__ import annotations

import sys

from orchestration import settings


def evaluate_after(command: str, bundled: bool, result=None) -> None:
    """The alert rules after a command's run, on the live warehouse; one line on stderr when something fired.
    `result`: the run's ExecuteInProcessResult, whose failed ERROR-severity checks are alerted."""
    from orchestration.lib.alerts import run_alerts
    from orchestration.lib.warehouse import writing

    live = settings.warehouse_path()
    if not live.exists():
        return
    failed = [
        (result.run_id, e.asset_key.to_user_string(), e.check_name, e.description or "")
        for e in (result.get_asset_check_evaluations() if result is not None else [])
        if not e.passed and e.severity.value == "ERROR"
    ]
    with writing(live) as conn:
        evaluation, outcomes = run_alerts(conn, settings.today_utc(), bundled, live.resolve().parent / "inbox", failed)
    fired = [e for e in evaluation.events if not e.expected]
    sent = [o for i, e in enumerate(evaluation.events) if not e.expected for o in outcomes[i] if o.delivered]
    expected = len(evaluation.events) - len(fired)
    if fired or expected:
        print(
            f"liqmart {command}: {len(fired)} alert(s), {len(sent)} message(s) delivered"
            + (f"; {expected} recorded as expected on the bundled snapshot, not sent" if expected else "")
            + " (`liqmart alerts list`)",
            file=sys.stderr,
        )


def cmd_alerts_test(args) -> int:
    from orchestration.lib.alerts.delivery import configured, send, ui_link

    channels = configured()
    if not channels:
        print(
            "liqmart alerts test: no channel configured: set LIQMART_ALERT_WEBHOOK_URL, or LIQMART_ALERT_SMTP_URL "
            "and LIQMART_ALERT_EMAIL_TO (docs/alerts.md). Alerts are still recorded in ops.alerts."
        )
        return 1
    failed = 0
    for channel, target in channels.items():
        outcome = send(channel, target, "test alert", f"A test message from Liquidity Mart.\n{ui_link('/')}")
        failed += not outcome.delivered
        state = "delivered" if outcome.delivered else "FAILED"
        print(f"{channel}: {state} after {outcome.attempts} attempt(s): {outcome.detail}")
    return 1 if failed else 0


def cmd_alerts_list(args) -> int:
    from orchestration.lib.warehouse import reading

    with reading(settings.warehouse_path()) as conn:
        present = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'ops' and table_name = 'alerts'"
        ).fetchone()[0]
        rows = (
            conn.execute(
                "select fired_at, rule, subject, channel, delivered, attempts, detail from ops.alerts "
                "order by fired_at desc, rule limit ?",
                [args.limit],
            ).fetchall()
            if present
            else []
        )
    if not rows:
        print("no alerts recorded")
        return 0
    for fired, rule, subject, channel, delivered, attempts, detail in rows:
        state = "delivered" if delivered else "not delivered"
        print(
            f"{fired:%Y-%m-%d %H:%M} UTC  {rule:<16} {subject}  [{channel}: {state}, {attempts} attempt(s): {detail}]"
        )
    return 0


def add_parser(sub) -> None:
    alerts = sub.add_parser("alerts", help="the desk's alerts: send a test, list what fired").add_subparsers(
        dest="alerts_command", required=True
    )
    alerts.add_parser("test", help="send one test message through every configured channel").set_defaults(
        func=cmd_alerts_test
    )
    listing = alerts.add_parser("list", help="what fired, when, to whom, delivered or not (ops.alerts)")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=cmd_alerts_list)
