"""Writers and readers on the `lake` deployment against real servers (Postgres catalog, SeaweedFS S3, loopback):
two writers at once lose nothing; readers read while a writer commits and never see half a batch; a writer
killed with SIGKILL, or cut off by a Postgres restart, leaves the table at its old state or its new one; raw
families load in parallel on the lake. Each test has a lake of its own on the worker's servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from orchestration import settings
from orchestration.lib import lake
from tests.e2e.test_crashes import ROWS, big_file
from tests.lake_servers import created, environment, liqmart, row_count


def test_two_writers_at_once_both_finish_and_lose_nothing(lake_servers, tmp_path):
    env = lake_servers.environ("two_writers")
    files = [big_file(tmp_path / "big.csv")]
    # A second file of the 150,000 days before, so the two imports write different rows of the same table.
    second = pl.read_csv(files[0], try_parse_dates=True).with_columns(pl.col("date").dt.offset_by(f"-{ROWS}d"))
    second.write_csv(tmp_path / "big2.csv")
    files.append(tmp_path / "big2.csv")
    runs = [
        liqmart("import", str(f), "--family", "prices", env=env, work=tmp_path / f"w{i}" / "x.duckdb",
                home=tmp_path / f"home{i}")
        for i, f in enumerate(files)
    ]  # fmt: skip
    outcomes = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], "\n\n".join(err[-2500:] for _, err in outcomes)
    assert row_count(env, "raw.prices") == 2 * ROWS
    assert row_count(env, "ops.batches") == 2


def test_a_reader_of_a_lake_never_written_is_told_to_run_first(lake_servers):
    with environment(lake_servers.environ("never_written")):
        with pytest.raises(lake.LakeMissing, match="no lake yet at DuckLake .*Run `liqmart run`"):
            lake.connect(lake.configured(), read_only=True)


def test_an_analyst_reads_the_lake_while_a_run_writes(lake_servers, tmp_path):
    env = created(lake_servers.environ("reader"))
    source = big_file(tmp_path / "big.csv")
    seen: list[int] = []
    stop = threading.Event()

    def analyst() -> None:
        with environment(env):
            conn = lake.connect(lake.configured(), read_only=True)
        try:
            while not stop.is_set():
                conn.execute("select 1").fetchall()
                seen.append(row_count(env, "raw.prices"))
                time.sleep(0.2)
        finally:
            conn.close()

    reader = threading.Thread(target=analyst)
    reader.start()
    try:
        run = liqmart("import", str(source), "--family", "prices", env=env, work=tmp_path / "w" / "x.duckdb",
                      home=tmp_path / "home")  # fmt: skip
        _, err = run.communicate(timeout=600)
    finally:
        stop.set()
        reader.join(timeout=60)
    assert run.returncode == 0, err[-2000:]
    # The reader never blocked the writer and only ever saw the table before the import or after it whole.
    assert seen and set(seen) <= {0, ROWS}
    assert row_count(env, "raw.prices") == ROWS


@pytest.mark.parametrize("after_s", [2.0, 5.0])
def test_a_writer_killed_mid_import_leaves_all_or_nothing(lake_servers, tmp_path, after_s):
    env = created(lake_servers.environ(f"killed_{int(after_s)}"))
    source = big_file(tmp_path / "big.csv")
    work, home = tmp_path / "w" / "x.duckdb", tmp_path / "home"
    run = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    time.sleep(after_s)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert row_count(env, "raw.prices") in (0, ROWS)
    again = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-2000:]
    assert row_count(env, "raw.prices") == ROWS
    assert row_count(env, "ops.batches") == 1


def test_a_postgres_restart_mid_import_loses_nothing_and_the_next_run_succeeds(lake_servers, tmp_path):
    env = created(lake_servers.environ("pg_restart"))
    source = big_file(tmp_path / "big.csv")
    work, home = tmp_path / "w" / "x.duckdb", tmp_path / "home"
    run = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    time.sleep(3.0)
    assert run.poll() is None, "the import ended before the restart: the test would prove nothing"
    # Down for 5 s from the import's third second: through its start, its landing and its commit to the lake.
    lake_servers.restart_postgres(down_s=5.0)
    run.communicate(timeout=600)  # it may finish or fail, but never half-write
    assert row_count(env, "raw.prices") in (0, ROWS)
    again = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-2000:]
    assert row_count(env, "raw.prices") == ROWS


def test_families_ingest_in_parallel_on_the_lake(lake_servers, tmp_path):
    """Three raw families in one run of the multiprocess executor (the daemon's and the CLI's default): on the
    lake their steps overlap, where the file's one-slot writer pool runs them one after another."""
    import dagster as dg

    from orchestration.lib.launch import prepare_dagster_home

    env = created(lake_servers.environ("parallel"))
    home, work = tmp_path / "home", tmp_path / "w" / "liquidity.duckdb"
    run_env = {**os.environ, **env, "DAGSTER_HOME": str(home), settings.WAREHOUSE_ENV: str(work)}
    with environment({k: run_env[k] for k in ("DAGSTER_HOME", settings.WAREHOUSE_ENV, *env)}):
        prepare_dagster_home()
    assert "default_limit: 4" in (home / "dagster.yaml").read_text()
    # Three families with two check steps each: raw/prices' eight reconciliations would add eight more steps,
    # a process each, to what is a test of the loads' overlap.
    families = ["stress_indices", "jgb_yields", "ust_yields"]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
         "--select", " or ".join(f'key:"raw/{f}"' for f in families), "--partition-range", "2025...2026"],
        cwd=settings.PROJECT_ROOT, env=run_env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    with environment({"DAGSTER_HOME": str(home)}), dg.DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        spans: dict[str, list[float]] = {}
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event and event.step_key and event.event_type_value in ("STEP_START", "STEP_SUCCESS"):
                spans.setdefault(event.step_key, []).append(record.timestamp)
    loads = sorted(tuple(spans[f"raw__{f}"]) for f in families)
    assert len(loads) == 3, spans
    assert any(later[0] < earlier[1] for earlier, later in zip(loads, loads[1:], strict=False)), loads
    assert all(row_count(env, f"raw.{f}") > 0 for f in families)
