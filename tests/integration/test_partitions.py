"""Monthly partitions, one market day per scheduled refresh, and dbt parsed once.

A close schedule's run request (its year, narrowed by tags to the market day), executed on a built warehouse,
loads that day only and rebuilds what depends on it; the in-process dbt never re-parses the project.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.definitions import defs
from orchestration.lib.dbt_runner import manifest_problem
from orchestration.lib.resources import build_resources
from tests.integration.materialize import remember_built, run_automation, us_close_request


def query(warehouse: Path, sql: str) -> list:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.slow
def test_a_scheduled_refresh_loads_one_market_day_and_automation_rebuilds_downstream(built, tmp_path, monkeypatch):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built[0], warehouse)
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    day = "2026-02-05"
    with duckdb.connect(str(warehouse)) as conn:  # so the test sees the runs put back exactly this day
        conn.execute("delete from raw.prices where date = ?", [day])
        conn.execute("delete from marts.fct_asset_daily where date = ?", [day])
        expected = conn.execute("select count(*) from raw.prices where date = ?", [day]).fetchall()[0][0]
    assert expected == 0
    resources = build_resources(warehouse)
    request = us_close_request(resources)
    job = defs.resolve_job_def("us_close_job")
    with dg.DagsterInstance.ephemeral() as instance:
        remember_built(instance)
        idle, _, cursor = run_automation(instance, resources)
        assert idle == set()  # nothing changed since the warehouse was built: the first tick requests nothing
        result = job.execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            tags=request.tags,
            resources=resources,
            raise_on_error=False,
        )
        assert result.success
        prices = result.asset_materializations_for_node("raw__prices")
        assert [m.partition for m in prices] == ["2026"]
        meta = prices[0].metadata
        assert (meta["window_start"].value, meta["window_end"].value) == (day, day)
        # The batch held that one day: one row per asset traded that day, every one of them dated `day`.
        landed = query(
            warehouse, f"select count(*), min(date), max(date) from read_parquet('{meta['landing_path'].value}')"
        )[0]
        assert landed[0] == meta["batch_rows"].value > 0 and str(landed[1]) == str(landed[2]) == day
        assert query(warehouse, f"select count(*) from raw.prices where date = '{day}'")[0][0] == landed[0]
        # The close job loaded the US close's raw tables alone; the automation sensor's next tick asks for what
        # is built from them (nothing fed only by another close), and its run rebuilds the marts and the report.
        requested, rebuilt, cursor = run_automation(instance, resources, cursor)
        graph = defs.resolve_asset_graph()
        loaded = job.asset_layer.executable_asset_keys
        assert dg.AssetKey(["raw", "prices"]) in loaded
        downstream = dg.AssetSelection.assets(*loaded).downstream(include_self=False).resolve(graph)
        assets = {k for k in requested if isinstance(k, dg.AssetKey)}
        assert assets and assets <= downstream
        # ...with the checks that read what changed (a reconcile check on another table reads raw/prices too).
        reconcile = dg.AssetCheckKey(dg.AssetKey(["raw", "intraday_bars"]), "hourly_bars_reconcile_with_daily_bars")
        assert reconcile in requested
        assert {dg.AssetKey(["marts", "fct_asset_daily"]), dg.AssetKey(["report", "crash_report"])} <= requested
        assert dg.AssetKey(["staging", "stg_raw__jgb_yields"]) not in requested  # Tokyo's close feeds it
        assert rebuilt.success
        assert run_automation(instance, resources, cursor)[0] == set()  # and then it rests
    assert query(warehouse, f"select count(*) from marts.fct_asset_daily where date = '{day}'")[0][0] == landed[0]


@pytest.mark.slow
def test_dbt_runs_off_path_and_offline_at_any_file_name_reuses_its_parse_and_a_subset_skips_other_tests(
    tmp_path, monkeypatch, egress
):
    # `dbt` is off PATH (the resource runs the one beside this Python); nothing leaves the machine (dagster-dbt's
    # `dbt --version` probe, which asks pypi.org for dbt's latest release, is answered by liqmart-dbt); the
    # warehouse is not named
    # liquidity.duckdb; the second build on the same warehouse re-uses dbt's partial parse in its target folder.
    # The first build is what a UI backfill's first downstream run does: dim_asset alone, before fct_asset_daily
    # exists. dbt's default indirect selection would run the fct_asset_daily -> dim_asset relationships test and
    # fail on the missing table; the subset runs only the tests whose models it builds. (That was a test of its
    # own, building the same subset on another empty warehouse.)
    from tests.integration.materialize import materialize

    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    for key, value in egress.env.items():
        monkeypatch.setenv(key, value)
    warehouse = tmp_path / "any" / "the desk warehouse-2026.duckdb"
    selection = 'key:"reference/asset_reference" or key:"marts/dim_asset"'
    log = warehouse.parent / "logs" / "dbt" / "dbt.log"
    for build in (1, 2):
        result = materialize(warehouse, selection=selection, raise_on_error=False)
        assert result.success, [e.event_specific_data.error.message for e in result.all_events if e.is_step_failure]
        assert query(warehouse, "select count(*) from marts.dim_asset")[0][0] > 0
        assert not query(warehouse, "select * from information_schema.tables where table_name = 'fct_asset_daily'")
        full_parses = log.read_text().count("Unable to do partial parsing")
        assert full_parses == 1, f"build {build}: {full_parses} full parses"  # the first, for the new profile
    assert egress.requests == []


def test_a_warehouse_name_dbt_cannot_quote_is_refused_with_the_rule(tmp_path):
    with pytest.raises(ValueError, match="must not contain a quote"):
        build_resources(tmp_path / "my desk's.duckdb")


def test_a_stale_or_missing_manifest_is_refused_but_a_changed_seed_is_not(tmp_path):
    project = tmp_path / "dbt"
    shutil.copytree(settings.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("logs", "dbt_packages"))
    assert manifest_problem(project) is None
    model = next((project / "models").rglob("*.sql"))
    future = (project / "target" / "manifest.json").stat().st_mtime + 60
    os.utime(model, (future, future))
    assert manifest_problem(project) == f"{model.relative_to(project)} changed after the project was parsed"
    os.utime(model, (future - 120, future - 120))
    # A data file is no part of the asset graph: a changed seed never stops a run (dbt re-reads it).
    seed = next((project / "seeds").rglob("*.csv"))
    os.utime(seed, (future, future))
    assert manifest_problem(project) is None
    (project / "target" / "manifest.json").unlink()
    assert "manifest.json missing" in manifest_problem(project)
