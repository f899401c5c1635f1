"""`kill -9` in the middle of an import or a run: every table is at its old state or its new one, and the next
command works (no stale lock, no run left STARTED holding the queue or the writer pool)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from tests.shared_warehouse import copy_of_folder

LIQMART = str(Path(sys.executable).parent / "liqmart")
ROWS = 150_000


def big_file(path: Path) -> Path:
    """150,000 valid rows of one declared asset, one a day from 1600 on: an import that takes a while."""
    import polars as pl

    days = pl.date_range(pl.date(1600, 1, 1), pl.date(1600, 1, 1) + pl.duration(days=ROWS - 1), eager=True)
    pl.DataFrame(
        {
            "date": days,
            "asset_id": "AMD",
            "open": 10.0,
            "high": 11.0,
            "low": 9.0,
            "close": 10.5,
            "adj_close": None,
            "volume": 1000.0,
        }
    ).write_csv(path)
    return path


def state(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = conn.execute("select schema_name, table_name from duckdb_tables() order by all").fetchall()
        return {f"{s}.{t}": conn.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}


def start(*args, warehouse: Path, home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [LIQMART, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse), "DAGSTER_HOME": str(home)},
    )


@pytest.mark.parametrize("after_s", [1.0, 2.5, 4.0, 6.0])
def test_an_import_killed_at_any_moment_loads_all_or_nothing(loaded_q1, tmp_path, after_s):
    warehouse = copy_of_folder(loaded_q1, tmp_path)
    before = state(warehouse)
    source = big_file(tmp_path / "big.csv")
    run = start("import", str(source), "--family", "prices", warehouse=warehouse, home=tmp_path / "home")
    time.sleep(after_s)
    run.send_signal(signal.SIGKILL)
    run.wait()
    after = state(warehouse)  # opens: no stale lock, the WAL replays or is dropped
    assert after["raw.prices"] in (before["raw.prices"], before["raw.prices"] + ROWS)
    assert after["ops.batches"] - before["ops.batches"] == (after["raw.prices"] - before["raw.prices"]) // ROWS
    # The next command works and loads the file whole.
    again = start("import", str(source), "--family", "prices", warehouse=warehouse, home=tmp_path / "home")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert state(warehouse)["raw.prices"] == before["raw.prices"] + ROWS


def test_a_killed_run_is_marked_failed_and_the_next_run_is_not_blocked(built, tmp_path):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(built[0], warehouse)
    home = tmp_path / "home"
    before = state(warehouse)
    run = start("backfill", "--start", "2026-02-02", "--end", "2026-02-06", warehouse=warehouse, home=home)
    # Kill it once its steps are under way (it holds the writer pool's one slot by then).
    # Open the instance only once the command has created its storage (its log file appears after that).
    deadline = time.monotonic() + 60
    while not list((warehouse.parent / "logs").glob("backfill-*.log")) and time.monotonic() < deadline:
        time.sleep(0.2)
    with _instance(home) as instance:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs = instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            if runs and len(instance.get_records_for_run(runs[0].dagster_run.run_id).records) > 40:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the backfill never got under way")
        killed = runs[0].dagster_run.run_id
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert state(warehouse).keys() == before.keys()  # every table readable, none half-made or left behind

    # The next run takes the writer pool's slot the dead run held. Its raw loads are enough to show it: what the
    # marts are built from is the same either way (a whole backfill again cost the suite half a minute more).
    again = start(
        "backfill", "--start", "2026-02-02", "--end", "2026-02-06", "--raw-only", warehouse=warehouse, home=home
    )
    out, err = again.communicate(timeout=400)
    assert again.returncode == 0, err[-3000:]
    assert f"run {killed[:8]} was left unfinished by a process that is gone: marked failed" in err
    with _instance(home) as instance:
        assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.FAILURE
    after = state(warehouse)
    # The same days reloaded: the same tables (ops.batches records the new window's batches, and
    # ops.dbt_model_inputs which of them each incremental model has read; the backfill's alert rules record what
    # they saw in ops.alert_state and ops.alerts).
    records = ("ops.batches", "ops.dbt_model_inputs", "ops.alert_state", "ops.alerts")
    assert {t: n for t, n in after.items() if t not in records} == {t: n for t, n in before.items() if t not in records}


@contextmanager
def _instance(home: Path) -> Iterator[dg.DagsterInstance]:
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.get() as instance:
            yield instance
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = previous
