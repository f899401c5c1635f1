"""`dg`, as Dagster's docs teach it: `dg check defs`, `dg list defs`, `dg launch`, on the one Definitions object,
without re-parsing dbt (no `dbt` on PATH)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.definitions import defs

DG = str(Path(sys.executable).parent / "dg")


def run_dg(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    # A PATH without the venv: nothing may need the `dbt` executable (the manifest was parsed at install time).
    return subprocess.run(
        [DG, *args],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_ROOT,
        timeout=timeout,
        env={**os.environ, "PATH": "/usr/bin:/bin", **(env or {})},
    )


@pytest.mark.slow
def test_dg_check_defs_loads_the_definitions():
    manifest = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    parsed_at = manifest.stat().st_mtime
    done = run_dg("check", "defs")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "All definitions loaded successfully" in done.stdout + done.stderr
    assert manifest.stat().st_mtime == parsed_at, "dg re-parsed the dbt project"


@pytest.mark.slow
def test_dg_list_defs_lists_what_the_definitions_hold():
    done = run_dg("list", "defs", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    listed = json.loads(done.stdout)
    keys = {a["asset_key"] for a in listed["assets"]}
    assert keys == {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw/prices", "marts/fct_asset_daily", "marts/mart_claims", "report/crash_report"} <= keys
    assert {s["name"] for s in listed["schedules"]} >= {"us_close_schedule", "crypto_close_schedule"}


@pytest.mark.slow
def test_dg_launch_materializes_an_asset_in_the_warehouse(built, tmp_path):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built[0], warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from marts.dim_asset")
    home = tmp_path / "home"
    home.mkdir()
    done = run_dg(
        "launch", "--assets", "marts/dim_asset", env={settings.WAREHOUSE_ENV: str(warehouse), "DAGSTER_HOME": str(home)}
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select count(*) from marts.dim_asset").fetchone()[0] > 10
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_run_records()
        assert [r.dagster_run.status for r in runs] == [dg.DagsterRunStatus.SUCCESS]
