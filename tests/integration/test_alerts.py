"""Alerts end to end against real receivers on 127.0.0.1: an HTTP server that records what it is sent (the
webhook) and an SMTP server (aiosmtpd). Each event is sent once; a receiver that is down is retried, recorded as
failed, and never fails the run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from aiosmtpd.controller import Controller

from orchestration import settings
from orchestration.lib.alerts import run_alerts
from orchestration.lib.warehouse import writing
from tests.integration.materialize import materialize
from tests.shared_warehouse import CUT_DAY, copy_of_built

LIQMART = str(Path(sys.executable).parent / "liqmart")
TODAY = date(2026, 12, 6)


class Webhook:
    """An HTTP receiver on 127.0.0.1 recording each JSON body posted to it."""

    def __init__(self):
        self.posts: list[dict] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Mailbox:
    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler API
        self.messages.append(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def receivers(monkeypatch):
    hook, box = Webhook(), Mailbox()
    port = free_port()  # aiosmtpd's controller checks its own port once started: it needs a real one
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "LIQMART_ALERT_WEBHOOK_URL": hook.url,
        "LIQMART_ALERT_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "LIQMART_ALERT_EMAIL_TO": "desk@example.org",
        "LIQMART_ALERT_BACKOFF_S": "0.01",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield hook, box, env
    controller.stop()
    hook.close()


def alerts(conn_path: Path, today: date = TODAY, bundled: bool = True, failed=()):
    with writing(conn_path) as conn:
        return run_alerts(conn, today, bundled, conn_path.parent / "inbox", failed, sleep=lambda s: None)


@pytest.mark.slow
def test_a_day_that_crosses_the_alarm_sends_one_alert_and_a_second_run_none(built_to_cut, tmp_path, receivers, egress):
    hook, box, env = receivers
    assert CUT_DAY == "2026-02-04" and built_to_cut[1].success  # the warehouse up to the day before the crossing
    warehouse = copy_of_built(built_to_cut, tmp_path)
    first, _ = alerts(warehouse, date(2026, 2, 4))  # the first evaluation records what it sees, alerts nothing
    assert not [e for e in first.events if not e.expected] and hook.posts == []
    # Behind a proxy that records what would leave the machine: the whole refresh (raw loads, dbt, the checks, the
    # ledger, the alerts) sends nothing but the alerts, and those to the desk's own receivers here.
    home = str(tmp_path / "home")
    run_env = {**os.environ, **env, **egress.env, settings.WAREHOUSE_ENV: str(warehouse), "DAGSTER_HOME": home}
    # The days' closes as the close schedules load them: prices and both curves (the index reads the rates too).
    families = ["--family", "prices", "--family", "ust_yields", "--family", "jgb_yields"]
    backfill = [LIQMART, "backfill", "--start", "2026-02-05", "--end", "2026-02-06", *families]
    done = subprocess.run(backfill, env=run_env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    stress = [p for p in hook.posts if "crossed its alarm" in p["text"]]
    assert len(stress) == 1 and "2026-02-05" in stress[0]["text"] and "percentile" in stress[0]["text"]
    assert "/assets/marts/mart_liquidity_stress_daily" in stress[0]["text"]
    assert sum(b"crossed its alarm" in m for m in box.messages) == 1
    assert egress.requests == []
    # Evaluated again on the same days (a second run, which reloads nothing new, evaluates them alike): nothing
    # sent twice, nothing about history. (This was a second whole backfill: the rules see the same tables.)
    again, _ = alerts(warehouse, date(2026, 2, 6))
    assert not [e for e in again.events if e.rule.name == "stress_alarm"]
    assert len([p for p in hook.posts if "crossed its alarm" in p["text"]]) == 1  # nothing about history
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute("select channel, delivered from ops.alerts where rule = 'stress_alarm'").fetchall()
    assert sorted(rows) == [("email", True), ("webhook", True)]


@pytest.mark.slow
def test_a_corrected_price_that_flips_a_verdict_sends_one_alert(built, tmp_path, receivers, monkeypatch):
    hook, _, _ = receivers
    copy = copy_of_built(built, tmp_path)
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(copy))
    alerts(copy)  # records every claim's verdict
    assert not [p for p in hook.posts if "verdict changed" in p["text"]]
    with duckdb.connect(str(copy), read_only=True) as conn:
        (prev,) = conn.execute("select close from raw.prices where asset_id = 'AMD' and date = '2026-02-03'").fetchone()
        row = conn.execute(
            "select open, high, low, close, volume from raw.prices where asset_id = 'AMD' and date = '2026-02-04'"
        ).fetchone()
    corrected = round(prev * 0.90, 2)  # a fall of 10%, not 17%: "AMD plummeted 17%" no longer holds
    fixed = tmp_path / "amd_correction.csv"
    fixed.write_text(
        "date,asset_id,open,high,low,close,adj_close,volume\n"
        f"2026-02-04,AMD,{row[0]},{max(row[1], corrected)},{min(row[2], corrected)},{corrected},,{row[4]}\n"
    )
    from orchestration.commands.cli import main

    assert main(["import", str(fixed), "--family", "prices"]) == 0
    assert materialize(copy, selection=dg.AssetSelection.all() - dg.AssetSelection.groups("raw")).success
    alerts(copy)
    changed = [p for p in hook.posts if "verdict changed" in p["text"]]
    assert changed and all("AMD" in p["text"] or "17%" in p["text"] for p in changed), changed
    assert any("confirmed -> contradicted" in p["text"] for p in changed)
    count = len(changed)
    alerts(copy)  # once per change
    assert len([p for p in hook.posts if "verdict changed" in p["text"]]) == count


def test_a_stale_source_sends_one_alert_and_the_bundled_snapshots_staleness_is_not_sent(built, tmp_path, receivers):
    hook, _, _ = receivers
    copy = copy_of_built(built, tmp_path)
    bundled, _ = alerts(copy, bundled=True)  # a full run on the bundled data: nothing sent
    expected = [e for e in bundled.events if e.rule.name == "stale_source"]
    assert expected and all(e.expected for e in expected) and hook.posts == []
    assert alerts(copy, bundled=True)[0].events == []  # and not recorded again
    live = copy_of_built(built, tmp_path / "live")
    first, outcomes = alerts(live, bundled=False)  # live sources: each stale one is sent, once
    stale = [e for e in first.events if e.rule.name == "stale_source"]
    assert stale and len(hook.posts) == len(stale)
    assert all(o.delivered for i, e in enumerate(first.events) for o in outcomes[i] if e.rule.name == "stale_source")
    assert alerts(live, bundled=False)[0].events == []


def test_a_receiver_that_is_down_is_retried_recorded_and_never_fails_the_run(built, tmp_path, monkeypatch):
    copy = copy_of_built(built, tmp_path)
    monkeypatch.setenv("LIQMART_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}/hook")  # nobody listens
    monkeypatch.setenv("LIQMART_ALERT_BACKOFF_S", "0.01")
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(copy))
    with duckdb.connect(str(copy)) as conn:  # the rule last saw 2026-02-04, armed: the crash's 5th crosses
        conn.execute("create schema if not exists ops")
        conn.execute("create table ops.alert_state (rule varchar, key varchar, value varchar, updated_at timestamptz)")
        conn.execute(
            "insert into ops.alert_state values ('stress_alarm', 'last_day', '2026-02-04', now()), "
            "('stress_alarm', 'armed', 'true', now())"
        )
    from orchestration.defs.alerts.alerts import alerts_job
    from orchestration.lib.resources import build_resources

    resources = build_resources(copy)
    result = alerts_job.execute_in_process(
        resources={"warehouse": resources["warehouse"], "sources": resources["sources"]}
    )
    assert result.success
    with duckdb.connect(str(copy), read_only=True) as conn:
        rows = conn.execute(
            "select delivered, attempts, detail from ops.alerts where rule = 'stress_alarm' and key = '2026-02-05'"
        ).fetchall()
    assert rows == [(False, 3, rows[0][2])] and "Connection refused" in rows[0][2]
    from orchestration.commands.alerts import cmd_alerts_list

    class Args:
        limit = 10

    assert cmd_alerts_list(Args()) == 0


def test_alerts_test_says_what_happened_on_each_channel(receivers, capsys):
    from orchestration.commands.cli import main

    hook, box, _ = receivers
    assert main(["alerts", "test"]) == 0
    out = capsys.readouterr().out
    assert "webhook: delivered" in out and "email: delivered" in out
    assert len(hook.posts) == 1 and len(box.messages) == 1
