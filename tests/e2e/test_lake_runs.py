"""Whole runs on the `lake` deployment cut off in the middle, and the services on the lake, against real servers
(Postgres catalog, SeaweedFS S3, loopback): a `liqmart run` killed with SIGKILL and then one cut off by a
Postgres restart lose nothing, and the next run rebuilds every table to equal the embedded run; `make serve`'s
daemon loads an inbox file into the lake.
"""

from __future__ import annotations

import signal
import time

from tests.lake_servers import created, differences, liqmart, row_count


def test_runs_killed_or_cut_off_mid_pipeline_lose_nothing_and_the_next_run_rebuilds_it_all(
    lake_servers, built, tmp_path
):
    """Two interruptions on one lake, one after the other, each 20 s into a `liqmart run` (past the raw tables,
    into dbt's build or the checks): SIGKILL, then a Postgres restart under the second run. The third run
    succeeds and every table equals the embedded run's. (Before, each interruption had a test and a lake of its
    own; merged, the suite runs one full pipeline fewer.)"""
    env = created(lake_servers.environ("interrupted_runs"))
    work, home = tmp_path / "w" / "liquidity.duckdb", tmp_path / "home"
    interruptions = {
        "SIGKILL": lambda run: run.send_signal(signal.SIGKILL),
        "a Postgres restart": lambda run: lake_servers.restart_postgres(),
    }
    for how, interrupt in interruptions.items():
        run = liqmart("run", env=env, work=work, home=home)
        time.sleep(20)
        assert run.poll() is None, f"the run finished before {how}: the test would prove nothing"
        interrupt(run)
        run.communicate(timeout=600)
    last = liqmart("run", env=env, work=work, home=home)
    out, err = last.communicate(timeout=600)
    assert last.returncode == 0, (out[-1500:], err[-3000:])
    assert not list(work.parent.rglob("*.duckdb"))
    assert differences(env, built[0]) == []


def test_make_serve_on_the_lake_loads_an_inbox_file_through_the_daemon(lake_servers, tmp_path):
    """The services on the lake: the webserver and the daemon on a Postgres instance (a database beside the
    catalogs), the daemon's run loading a dropped file into the lake, and no DuckDB file anywhere."""
    import psycopg2

    from tests.e2e.test_serve import serve_and_load_an_inbox_file
    from tests.integration.test_inbox import GOOD
    from tests.postgres_server import dagster_url

    env = created(lake_servers.environ("served"))
    admin = psycopg2.connect(lake_servers.catalog("postgres"))
    admin.autocommit = True
    admin.cursor().execute("create database dagster")
    admin.close()
    serve_and_load_an_inbox_file(tmp_path, dagster_url(lake_servers.catalog("dagster")), env)
    assert row_count(env, "raw.prices") == len(GOOD.strip().splitlines()) - 1
    assert not list(tmp_path.rglob("*.duckdb"))
