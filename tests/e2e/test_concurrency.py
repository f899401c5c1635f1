"""Two runs launched at once against one warehouse both succeed: the writer pool serializes their steps."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.lib.launch import prepare_dagster_home


def test_two_runs_at_once_both_succeed(tmp_path, monkeypatch):
    home = tmp_path / "home"
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    prepare_dagster_home()  # as `make dev` and `liqmart` do: the instance's storage exists before any run
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        settings.WAREHOUSE_ENV: str(warehouse),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    dagster = str(Path(sys.executable).parent / "dagster")
    selections = ['key:"raw/prices" or key:"raw/jgb_yields"', 'key:"raw/prices" or key:"raw/ust_yields"']
    logs = [tmp_path / f"run{i}.log" for i in range(2)]
    runs = [
        subprocess.Popen(
            [
                dagster,
                "asset",
                "materialize",
                "-m",
                "orchestration.definitions",
                "--select",
                sel,
                # A range of yearly partitions in one run each (the raw assets' single-run backfill).
                "--partition-range",
                "2025...2026",
            ],
            cwd=settings.PROJECT_ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for sel, log in zip(selections, logs, strict=True)
    ]
    codes = [run.wait(timeout=300) for run in runs]
    texts = [log.read_text() for log in logs]
    assert codes == [0, 0], "\n".join(t[-2000:] for t in texts)
    assert all("RUN_SUCCESS" in t for t in texts)
    # They did overlap: at least one step waited for the other run's slot instead of failing on DuckDB's lock.
    assert any("blocked by limit for pool duckdb_warehouse" in t for t in texts)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        counts = conn.execute(
            "select (select count(*) from raw.prices), (select count(*) from raw.jgb_yields), "
            "(select count(*) from raw.ust_yields), (select count(*) from ops.batches)"
        ).fetchall()[0]
    # Every row is there: the same two selections run one after the other, in process, give the same tables.
    from tests.integration.materialize import materialize

    serial = tmp_path / "serial" / "liquidity.duckdb"
    for selection in selections:
        assert materialize(serial, selection=selection, days=("2025-01-01", settings.today_utc().isoformat())).success
    with duckdb.connect(str(serial), read_only=True) as conn:
        expected = conn.execute(
            "select (select count(*) from raw.prices), (select count(*) from raw.jgb_yields), "
            "(select count(*) from raw.ust_yields), (select count(*) from ops.batches)"
        ).fetchall()[0]
    assert counts[:3] == expected[:3] and all(c > 0 for c in counts[:3])
