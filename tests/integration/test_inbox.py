"""`liqmart import` and the inbox sensor on a real warehouse: accepted files load, refused ones change nothing."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.definitions import defs
from orchestration.defs.inbox.inbox_import import inbox_root, inbox_sensor
from orchestration.lib.resources import build_resources
from tests.shared_warehouse import copy_of_folder

GOOD = (
    "date,asset_id,open,high,low,close,adj_close,volume\n"
    "2026-04-06,AMD,10,11,9,10.5,,1000\n2026-04-07,AMD,10.5,12,10,11.5,,\n"
)
BAD = GOOD.replace("10.5,,1000", "-10.5,,1000")


@pytest.fixture
def warehouse(loaded_q1, tmp_path, monkeypatch) -> Path:
    path = copy_of_folder(loaded_q1, tmp_path)
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(path))
    return path


def fingerprint(warehouse: Path) -> tuple:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select count(*), sum(hash(columns(* exclude (_ingested_at)))) from raw.prices").fetchall()[
            0
        ]


def liqmart(*args, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "liqmart"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
    )


def test_import_loads_a_good_file(warehouse, tmp_path):
    before = fingerprint(warehouse)
    (tmp_path / "mine.csv").write_text(GOOD)
    run = liqmart("import", str(tmp_path / "mine.csv"), "--family", "prices", warehouse=warehouse)
    assert run.returncode == 0, run.stderr
    assert "loaded 2 rows" in run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select date, close, _source from raw.prices where _source = 'inbox' order by date"
        ).fetchall()
    assert [(str(d), c, s) for d, c, s in rows] == [("2026-04-06", 10.5, "inbox"), ("2026-04-07", 11.5, "inbox")]
    assert fingerprint(warehouse)[0] == before[0] + 2


@pytest.mark.parametrize(
    "content, rule",
    [
        ("<html><body>502 Bad Gateway</body></html>", "HTML"),
        ("", "file must not be empty"),
        (GOOD.replace("volume", "vol"), "required column 'volume' missing"),
        (GOOD.replace("2026-04-07", "2026-13-45"), "row 3: rule 'date (YYYY-MM-DD) must parse"),
        (BAD, "row 2: rule 'close must be > 0'"),
        (GOOD + "2026-04-07,AMD,1,1,1,1,,\n", "rule 'key (asset_id, date) must be unique'"),
    ],
)
def test_import_refuses_bad_files_and_changes_nothing(warehouse, tmp_path, content, rule, monkeypatch, capsys):
    # `liqmart import` in this process (its entry point, main): the good file above runs it as a process of its own.
    from orchestration.commands.cli import main

    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    before = fingerprint(warehouse)
    (tmp_path / "mine.csv").write_text(content)
    assert main(["import", str(tmp_path / "mine.csv"), "--family", "prices"]) != 0
    stderr = capsys.readouterr().err
    assert "mine.csv" in stderr and rule in stderr, stderr
    assert fingerprint(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as conn:  # the rejected rows are kept
        assert conn.execute("select count(*) from ops.quarantine where file = 'mine.csv'").fetchall()[0][0] >= 1


def test_a_file_read_in_chunks_and_refused_in_its_last_one_lands_nothing(warehouse, tmp_path, monkeypatch):
    """Chunks already handed to the landing batch are discarded when a later chunk breaks a rule."""
    from orchestration.defs.inbox.inbox_import import import_file
    from orchestration.lib.batch import Refused
    from transforms.parsers import inbox as parser

    monkeypatch.setattr(parser, "CHUNK_ROWS", 1)
    (tmp_path / "mine.csv").write_text(GOOD + "2026-04-08,AMD,11,12,10,-1,,\n")
    resources = build_resources()
    landing = Path(resources["landing"].root) / "prices"
    batches = sorted(landing.iterdir())
    before = fingerprint(warehouse)
    with pytest.raises(Refused) as info:
        import_file(resources["warehouse"], resources["landing"], tmp_path / "mine.csv", "prices", "test-run")
    assert info.value.error.row == 4 and info.value.error.rule == "close must be > 0"
    assert sorted(landing.iterdir()) == batches, "no batch and no temporary file left in the landing zone"
    assert fingerprint(warehouse) == before
    # The same file, fixed, loads all three rows through the same chunked path.
    (tmp_path / "mine.csv").write_text(GOOD + "2026-04-08,AMD,11,12,10,11,,\n")
    meta = import_file(resources["warehouse"], resources["landing"], tmp_path / "mine.csv", "prices", "test-run")
    assert meta["batch_rows"] == 3 and fingerprint(warehouse)[0] == before[0] + 3


def test_a_refused_file_is_a_run_in_the_tick_list_that_keeps_its_rows_in_quarantine(warehouse):
    root = inbox_root(warehouse)
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "bad.csv").write_text(BAD)
    before = fingerprint(warehouse)
    with dg.DagsterInstance.ephemeral() as instance:
        result = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs))
    (request,) = result.run_requests
    assert request.job_name == "inbox_refusal_job"
    assert "bad.csv, row 2: rule 'close must be > 0'" in request.tags["inbox/refused"]
    assert fingerprint(warehouse) == before  # the sensor opened nothing
    done = defs.resolve_job_def("inbox_refusal_job").execute_in_process(
        run_config=request.run_config, resources=build_resources(warehouse)
    )
    assert done.success
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select count(distinct row_number), count(*) from ops.quarantine "
            "where file = 'bad.csv' and family = 'prices'"
        ).fetchall()[0]
    assert rows[0] == 1 and rows[1] >= 1  # BAD's one row with a negative close, each rule it broke
    assert fingerprint(warehouse)[0] == before[0]  # raw tables untouched


def test_sensor_rejects_bad_files_and_loads_good_ones(warehouse):
    root = inbox_root(warehouse)
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "bad.csv").write_text(BAD)
    (root / "prices" / "good.csv").write_text(GOOD)
    before = fingerprint(warehouse)
    with dg.DagsterInstance.ephemeral() as instance:
        requests = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests
    # The refused file is moved aside with its reason, before any run and without opening the warehouse.
    assert not (root / "prices" / "bad.csv").exists()
    reason = (root / "rejected" / "bad.csv.reason.txt").read_text()
    assert "bad.csv, row 2: rule 'close must be > 0'" in reason
    assert fingerprint(warehouse) == before
    assert [(r.job_name, r.tags["inbox/file"]) for r in requests] == [
        ("inbox_refusal_job", "bad.csv"),
        ("inbox_import_job", "good.csv"),
    ]
    job = defs.resolve_job_def("inbox_import_job")
    result = job.execute_in_process(
        run_config=requests[1].run_config, resources=build_resources(warehouse), raise_on_error=False
    )
    assert result.success
    assert (root / "loaded" / "good.csv").exists() and not (root / "prices" / "good.csv").exists()
    assert fingerprint(warehouse)[0] == before[0] + 2
    materialized = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
    assert materialized == ["raw/prices"]


def test_a_fresh_file_makes_its_source_fresh_and_old_data_stays_stale(warehouse):
    from datetime import timedelta

    from orchestration.defs.automation.schedules import freshness_checks

    prices_check = next(
        c for c in freshness_checks if any(k.asset_key == dg.AssetKey(["raw", "prices"]) for k in c.check_keys)
    )
    yesterday = settings.today_utc() - timedelta(days=1)
    root = inbox_root(warehouse)
    (root / "prices").mkdir(parents=True)
    with dg.DagsterInstance.ephemeral() as instance:

        def freshness() -> bool:
            result = dg.materialize(
                [*defs.assets, prices_check],
                resources=build_resources(warehouse),
                instance=instance,
                selection=dg.AssetSelection.checks(prices_check),
                raise_on_error=False,
            )
            return result.get_asset_check_evaluations()[0].passed

        old = GOOD.replace("2026-04-07", "2026-04-03")
        (root / "prices" / "old.csv").write_text(old)
        job = defs.resolve_job_def("inbox_import_job")
        for request in inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests:
            assert job.execute_in_process(
                run_config=request.run_config, resources=build_resources(warehouse), instance=instance
            ).success
        assert not freshness()  # the newest price in the warehouse is months old
        (root / "prices" / "new.csv").write_text(GOOD.replace("2026-04-07", str(yesterday)))
        for request in inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests:
            assert job.execute_in_process(
                run_config=request.run_config, resources=build_resources(warehouse), instance=instance
            ).success
        assert freshness()


def test_a_transient_failure_keeps_the_file_and_the_next_tick_retries_it(warehouse, monkeypatch):
    """A lock held past LIQMART_LOCK_TIMEOUT says nothing about the file: it stays, and gets a new run key."""
    from orchestration.lib.warehouse import LOCK_TIMEOUT_ENV
    from tests.e2e.test_warehouse_access import hold_lock

    root = inbox_root(warehouse)
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "good.csv").write_text(GOOD)
    job = defs.resolve_job_def("inbox_import_job")
    with dg.DagsterInstance.ephemeral() as instance:
        first = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests
        holder = hold_lock(warehouse, 60)
        monkeypatch.setenv(LOCK_TIMEOUT_ENV, "1")
        try:
            failed = job.execute_in_process(
                run_config=first[0].run_config,
                resources=build_resources(warehouse),
                instance=instance,
                tags=first[0].tags,
                raise_on_error=False,
            )
        finally:
            holder.kill()
            holder.wait()
        assert not failed.success
        assert (root / "prices" / "good.csv").exists() and not (root / "rejected").exists()
        monkeypatch.delenv(LOCK_TIMEOUT_ENV)
        second = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests
        assert [r.tags["inbox/attempt"] for r in first + second] == ["1", "2"]
        assert first[0].run_key != second[0].run_key
        assert job.execute_in_process(
            run_config=second[0].run_config,
            resources=build_resources(warehouse),
            instance=instance,
            tags=second[0].tags,
        ).success
    assert (root / "loaded" / "good.csv").exists()


PRICES = dg.AssetKey(["raw", "prices"])


@pytest.mark.slow
def test_a_loaded_inbox_file_is_checked_and_reaches_the_marts(built, tmp_path, monkeypatch):
    """The inbox run loads raw/prices alone; the automation sensor then runs the table's checks on the imported
    rows and rebuilds what is built from it, and the marts hold the new rows."""
    import shutil

    from tests.integration.materialize import remember_built, run_automation

    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(built[0], warehouse)
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    root = inbox_root(warehouse)
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "late.csv").write_text(
        GOOD.replace("2026-04-06", "2026-09-14").replace("2026-04-07", "2026-09-15")
    )
    resources = build_resources(warehouse)
    with dg.DagsterInstance.ephemeral() as instance:
        remember_built(instance)
        _, _, cursor = run_automation(instance, resources)
        request = inbox_sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests[0]
        loaded = defs.resolve_job_def("inbox_import_job").execute_in_process(
            run_config=request.run_config, resources=resources, instance=instance, tags=request.tags
        )
        assert loaded.success
        # A yearly table's load is recorded as the year it touched.
        assert [m.partition for m in loaded.asset_materializations_for_node("load_inbox_file")] == ["2026"]
        requested, rebuilt, _ = run_automation(instance, resources, cursor)
        assert {dg.AssetKey(["marts", "fct_asset_daily"]), dg.AssetKey(["report", "crash_report"])} <= requested
        assert rebuilt.success
        # Every check on raw/prices but its freshness (a sensor of its own) ran on the imported rows.
        on_prices = {k for k in defs.resolve_asset_graph().asset_check_keys if k.asset_key == PRICES}
        evaluated = {e.asset_check_key for e in rebuilt.get_asset_check_evaluations()}
        assert {k for k in on_prices if k.name != "freshness_check"} <= evaluated
        assert len(on_prices) > 5
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select date, close from marts.fct_asset_daily where asset_id = 'AMD' "
            "and date >= '2026-09-14' order by date"
        ).fetchall()
    assert [(str(d), c) for d, c in rows] == [("2026-09-14", 10.5), ("2026-09-15", 11.5)]
