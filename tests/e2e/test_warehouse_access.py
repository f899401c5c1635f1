"""Writers wait for each other, readers read the published copy, and a corrupt warehouse is rebuilt from the
landing zone: real processes, a real DuckDB file, the real `liqmart` command."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lib.warehouse import LOCK_TIMEOUT_ENV, published_path
from tests.shared_warehouse import copy_of_folder

LIQMART = str(Path(sys.executable).parent / "liqmart")
HEADER = "date,asset_id,open,high,low,close,adj_close,volume\n"


def user_file(folder: Path, n: int) -> Path:
    """Two rows of a declared asset on days the bundled Q1 load does not hold; each n its own days."""
    path = folder / f"mine{n}.csv"
    path.write_text(
        HEADER + f"2026-09-{2 * n + 1:02d},AMD,10,30,9,{10 + n},,1000\n2026-09-{2 * n + 2:02d},AMD,10,30,9,{11 + n},,\n"
    )
    return path


def liqmart(*args, warehouse: Path, env: dict | None = None, **kwargs):
    return subprocess.Popen(
        [LIQMART, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse), **(env or {})},
        **kwargs,
    )


def hold_lock(warehouse: Path, seconds: float) -> subprocess.Popen:
    """Another process with a write connection open on the file, as a forgotten notebook would hold it: for
    `seconds`, or until a line (or the end) reaches its stdin."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, select, sys; c = duckdb.connect({str(warehouse)!r}); "
            f"print('held', flush=True); select.select([sys.stdin], [], [], {seconds})",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def raw_prices(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("select * exclude (_ingested_at) from raw.prices order by asset_id, date").fetchall()


@pytest.fixture
def warehouse(loaded_q1, tmp_path) -> Path:
    return copy_of_folder(loaded_q1, tmp_path)


def test_a_writer_waits_for_the_lock_and_then_loads(warehouse, tmp_path):
    # The holder lets go once the import says it waits, however long the import takes to start (a fixed hold
    # was shorter than that start on a loaded machine: the import then never waited).
    holder = hold_lock(warehouse, 120)
    run = liqmart("import", str(user_file(tmp_path, 1)), "--family", "prices", warehouse=warehouse)
    seen = []
    while line := run.stderr.readline():
        seen.append(line)
        if "waiting for the warehouse" in line:
            break
    holder.stdin.close()
    err = "".join(seen) + run.stderr.read()
    out = run.stdout.read()
    run.wait(timeout=120)
    assert holder.poll() is not None  # the import finished only after the holder let go
    assert run.returncode == 0, err
    assert "loaded 2 rows" in out
    assert f"waiting for the warehouse {warehouse}: it is locked by PID {holder.pid}" in err
    assert "Traceback" not in err


def test_past_the_limit_a_writer_names_the_holder_and_exits_without_a_traceback(warehouse, tmp_path):
    holder = hold_lock(warehouse, 30)
    try:
        run = liqmart(
            "import",
            str(user_file(tmp_path, 1)),
            "--family",
            "prices",
            warehouse=warehouse,
            env={LOCK_TIMEOUT_ENV: "2"},
        )
        out, err = run.communicate(timeout=120)
    finally:
        holder.kill()
    assert run.returncode == 75
    assert f"still locked by PID {holder.pid}" in err and "Traceback" not in err, err


def test_ten_imports_at_once_all_load(warehouse, tmp_path):
    before = len(raw_prices(warehouse))
    runs = [
        liqmart("import", str(user_file(tmp_path, n)), "--family", "prices", warehouse=warehouse) for n in range(10)
    ]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0] * 10, [err[-600:] for code, err in results if code][:2]
    rows = raw_prices(warehouse)
    assert len(rows) == before + 20
    assert sorted(r[0] for r in rows if r[-2] == "inbox") == sorted(
        __import__("datetime").date(2026, 9, d) for d in range(1, 21)
    )


def scheduled_run(warehouse: str) -> None:
    """The us_close_schedule's run request for 2026-02-05, its raw/prices step, in this process (a writer
    launched by a schedule, as the daemon would launch it)."""

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.lib.resources import build_resources
    from tests.integration.materialize import us_close_request

    resources = build_resources(Path(warehouse))
    request = us_close_request(resources)
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("us_close_job").execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            tags=request.tags,
            asset_selection=[dg.AssetKey(["raw", "prices"])],
        )  # resources: the definitions' own (env: warehouse)
    assert result.success


def inbox_run(warehouse: str) -> None:
    """The inbox sensor's tick and the run it requests, in this process (a writer launched by a sensor)."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.inbox.inbox_import import inbox_sensor
    from orchestration.lib.resources import build_resources

    with dg.DagsterInstance.ephemeral() as instance:
        requests = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests
        assert len(requests) == 1, requests
        result = defs.resolve_job_def("inbox_import_job").execute_in_process(
            run_config=requests[0].run_config, resources=build_resources(Path(warehouse)), instance=instance
        )
    assert result.success


def in_process(function, warehouse: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from tests.e2e.test_warehouse_access import {function.__name__}; {function.__name__}({str(warehouse)!r})",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=settings.PROJECT_ROOT,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
    )


def test_readers_of_the_published_copy_never_fail_nor_see_half_a_batch(warehouse, tmp_path):
    """A reader polls the published copy (as a notebook would) while CLI imports, a backfill, a scheduled run
    and an inbox run write."""
    from orchestration.defs.inbox.inbox_import import inbox_root

    inbox = inbox_root(warehouse) / "prices"
    inbox.mkdir(parents=True)
    user_file(tmp_path, 3).rename(inbox / "dropped.csv")
    published = published_path(warehouse)
    assert published.exists()
    seen, failures, stop = [], [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                with duckdb.connect(str(published), read_only=True) as conn:
                    seen.append(conn.execute("select count(*) from raw.prices where _source = 'inbox'").fetchone()[0])
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(error))
            time.sleep(0.05)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        writers = [
            liqmart("import", str(user_file(tmp_path, n)), "--family", "prices", warehouse=warehouse) for n in range(3)
        ]
        writers.append(
            liqmart(
                "backfill",
                "--start",
                "2026-02-02",
                "--end",
                "2026-02-06",
                "--family",
                "prices",
                "--raw-only",
                warehouse=warehouse,
                env={"DAGSTER_HOME": str(tmp_path / "home")},
            )
        )
        writers += [in_process(scheduled_run, warehouse), in_process(inbox_run, warehouse)]
        codes = [(w.wait(timeout=300), w.stderr.read()[-2000:]) for w in writers]
    finally:
        stop.set()
        reader.join()
    assert [c for c, _ in codes] == [0] * 6, codes
    assert not failures, failures[:3]
    assert len(seen) > 20
    # A batch is two rows, published whole: a reader sees an even count of inbox rows, never an odd one.
    assert set(seen) <= {0, 2, 4, 6, 8} and seen[-1] == 8 and seen == sorted(seen)


def test_a_corrupt_warehouse_is_named_and_rebuilt_from_the_landing_zone(warehouse, tmp_path):
    run = liqmart("import", str(user_file(tmp_path, 1)), "--family", "prices", warehouse=warehouse)
    assert run.wait(timeout=120) == 0, run.stderr.read()
    expected = raw_prices(warehouse)
    size = warehouse.stat().st_size
    with open(warehouse, "r+b") as handle:  # a torn write: the file ends early
        handle.truncate(size // 3)
    corrupt_bytes = warehouse.read_bytes()

    run = liqmart("import", str(user_file(tmp_path, 2)), "--family", "prices", warehouse=warehouse)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1 and "Traceback" not in err
    assert f"the warehouse file {warehouse} is unreadable" in err and "liqmart rebuild" in err

    run = liqmart("rebuild", "--raw-only", warehouse=warehouse, env={"DAGSTER_HOME": str(tmp_path / "home")})
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    # The file moved aside (its WAL, when DuckDB left one, moves beside it under the same name plus .wal).
    aside = [
        p
        for p in warehouse.parent.iterdir()
        if p.name.startswith("liquidity.duckdb.corrupt-") and not p.name.endswith(".wal")
    ]
    assert len(aside) == 1 and aside[0].read_bytes() == corrupt_bytes  # moved aside, never overwritten
    rebuilt = raw_prices(warehouse)
    # Every row is back, the first import's included; the refused-by-corruption second import was journaled
    # (it had passed validation) and is loaded by the replay too.
    assert set(expected) <= set(rebuilt)
    assert {r[0].isoformat() for r in rebuilt if r[-2] == "inbox"} == {
        "2026-09-03",
        "2026-09-04",
        "2026-09-05",
        "2026-09-06",
    }
    assert raw_prices(published_path(warehouse)) == rebuilt


def test_rebuild_with_no_journal_says_so(tmp_path):
    run = liqmart(
        "rebuild", warehouse=tmp_path / "wh" / "liquidity.duckdb", env={"DAGSTER_HOME": str(tmp_path / "home")}
    )
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1 and "journal" in err and "nothing to rebuild from" in err and "Traceback" not in err


def test_summary_reads_the_published_copy_while_a_writer_holds_the_live_file(warehouse):
    holder = hold_lock(warehouse, 20)
    try:
        run = liqmart("summary", warehouse=warehouse)
        out, err = run.communicate(timeout=60)
    finally:
        holder.kill()
    assert run.returncode == 0, err
    assert "raw.prices" in out and str(published_path(warehouse)) in out
