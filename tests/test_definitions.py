"""The code location loads and its graph is what users rely on."""

from datetime import datetime

import dagster as dg
import pytest

from orchestration import settings
from orchestration.definitions import defs
from orchestration.lib.raw_tables import RAW_TABLES


def test_every_raw_table_has_an_asset_with_blocking_checks():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {f"raw/{name}" for name in RAW_TABLES} <= keys
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for name in RAW_TABLES:
        assert (f"raw/{name}", "schema_and_types") in checks
        assert (f"raw/{name}", "unique_keys") in checks


def test_raw_assets_are_in_the_single_writer_pool_and_described():
    for name in RAW_TABLES:
        asset = defs.resolve_assets_def(dg.AssetKey(["raw", name]))
        spec = next(iter(asset.specs))
        assert asset.op.pool == settings.WRITER_POOL
        assert spec.group_name == "raw" and spec.description and {"polars", "duckdb"} <= set(spec.kinds)


def test_definitions_import_does_not_open_the_warehouse(tmp_path):
    # Importing the code location must not create or lock the DuckDB file (the webserver imports it often): a
    # fresh process imports and validates the definitions with the warehouse pointed at a folder of its own.
    import os
    import subprocess
    import sys

    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dagster as dg; from orchestration.definitions import defs; "
            "dg.Definitions.validate_loadable(defs); print(len(defs.resolve_asset_graph().get_all_asset_keys()))",
        ],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_ROOT,
        timeout=300,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) > 30
    # Loading it warns of nothing: every process that loads it (the code server, each run worker) would repeat it.
    assert "Warning" not in done.stderr, done.stderr[-2000:]
    assert not warehouse.parent.exists(), "importing the definitions created the warehouse folder"


def test_lineage_runs_from_raw_through_dbt_and_polars_to_the_marts():
    graph = defs.resolve_asset_graph()
    selection = dg.AssetSelection.keys("marts/mart_liquidity_stress_daily").upstream().resolve(graph)
    names = {k.to_user_string() for k in selection}
    assert {
        "raw/prices",
        "raw/jgb_yields",
        "staging/stg_raw__prices",
        "intermediate/int_panel_returns_aligned",
        "intermediate/int_cross_asset_measures",
        "marts/fct_liquidations_daily",
    } <= names
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert (
        "marts/mart_liquidity_stress_daily",
        "accepted_values_mart_liquidity_stress_daily_regime__calm__stressed__liquidity_black_hole",
    ) in checks


def test_every_asset_is_described_grouped_owned_and_kinded():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        if node.is_external:
            continue
        assert node.description, f"{name} has no description"
        assert node.group_name and node.group_name != "default", f"{name} has no group"
        assert node.owners, f"{name} has no owner"
        assert node.kinds, f"{name} has no kind"
    kinds = {k for key in graph.get_all_asset_keys() for k in graph.get(key).kinds}
    assert {"polars", "duckdb", "dbt", "great_expectations"} <= kinds


def test_schedules_refresh_each_market_after_its_close_and_automation_builds_the_rest():
    from orchestration.defs.automation.schedules import CLOSES

    graph = defs.resolve_asset_graph()
    crons = {s.job_name: s.cron_schedule for s in defs.schedules}
    assert crons == {"crypto_close_job": "30 0 * * *", "us_close_job": "0 22 * * 1-5", "jgb_close_job": "0 7 * * 1-5"}
    assert all(s.execution_timezone == "UTC" for s in defs.schedules)
    for name, _, families, _ in CLOSES:
        selected = {k.to_user_string() for k in defs.resolve_job_def(name).asset_layer.executable_asset_keys}
        assert selected == {f"raw/{f}" for f in families}  # raw only: no hand-built "and downstream" job
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert ("raw/jgb_yields", "freshness_check") in checks
    assert {s.name for s in defs.sensors} == {
        "inbox_sensor",
        "liquidity_automation",
        "raw_freshness_sensor",
        "article_inbox_sensor",
        "alerts_after_success",
        "alerts_after_failure",
    }
    # Everything built from the raw tables carries a condition the automation sensor evaluates; the raw tables
    # themselves load on their schedules (or by hand), so none of them waits on a condition.
    for key in graph.materializable_asset_keys:
        condition = graph.get(key).automation_condition
        if key.path[0] in ("raw", "reference"):
            assert condition is None or key == dg.AssetKey(["raw", "claims"]), key
        else:
            assert condition is not None and condition.get_label() == "eager", key
    sensor = defs.get_sensor_def("liquidity_automation")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    # A raw table's checks also follow its loads (an inbox file is loaded without them).
    raw_checks = [k for k in graph.asset_check_keys if k.asset_key.path[0] == "raw" and k.name != "freshness_check"]
    assert raw_checks and all(graph.get_check_spec(k).automation_condition is not None for k in raw_checks)


def test_time_series_raw_tables_are_yearly_partitioned_from_2024_with_single_run_backfills():
    from orchestration.lib.window import YEARLY

    partitioned = {a.key.to_user_string(): a for a in defs.assets if getattr(a, "partitions_def", None) == YEARLY}
    assert set(partitioned) == {
        "raw/prices",
        "raw/ust_yields",
        "raw/jgb_yields",
        "raw/btc_etf_flows",
        "raw/btc_issuance",
        "raw/crypto_liquidations",
        "raw/stress_indices",
    }
    assert YEARLY.get_first_partition_key() == "2024"
    assert all(a.backfill_policy == dg.BackfillPolicy.single_run() for a in partitioned.values())
    for name in ("crypto_close_job", "us_close_job", "jgb_close_job"):
        assert defs.resolve_job_def(name).partitions_def == YEARLY


@pytest.mark.parametrize(
    "schedule, tick, day",
    [
        ("crypto_close_schedule", datetime(2026, 2, 6, 0, 30), "2026-02-05"),  # the UTC day that just ended
        ("us_close_schedule", datetime(2026, 2, 5, 22, 0), "2026-02-05"),  # today's US close
        ("jgb_close_schedule", datetime(2026, 2, 5, 7, 0), "2026-02-04"),  # MOF publishes the next morning
    ],
)
def test_each_close_schedule_requests_its_market_day(schedule, tick, day):
    from orchestration.lib.resources import SourceModes, build_resources

    live = SourceModes(**{family: "live" for family in SourceModes.model_fields if family != "crypto_liquidations"})
    with dg.build_schedule_context(
        scheduled_execution_time=tick,
        resources={**build_resources(), "sources": live},
        repository_def=defs.get_repository_def(),
    ) as context:
        request = defs.get_schedule_def(schedule).evaluate_tick(context).run_requests[0]
    # The year's partition, narrowed by tags to the one market day.
    assert request.partition_key == day[:4] and request.asset_selection is None
    assert request.tags["liquidity/window_start"] == request.tags["liquidity/window_end"] == day


@pytest.mark.parametrize("schedule", ["crypto_close_schedule", "us_close_schedule", "jgb_close_schedule"])
def test_a_close_schedule_on_the_bundled_snapshot_skips_and_says_why(schedule):
    from orchestration.lib.resources import build_resources

    with dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 12, 1, 22, 0),
        resources=build_resources(),
        repository_def=defs.get_repository_def(),
    ) as context:
        data = defs.get_schedule_def(schedule).evaluate_tick(context)
    assert not data.run_requests and "reads the bundled snapshot" in data.skip_message
    assert "LIQMART_SOURCE_" in data.skip_message


def test_schedules_run_by_default_only_for_live_families(monkeypatch):
    from orchestration.defs.automation import schedules

    assert all(s.default_status == dg.DefaultScheduleStatus.STOPPED for s in schedules.schedules)
    monkeypatch.setenv("LIQMART_SOURCE_JGB_YIELDS", "live")
    status = {s.name: s.default_status for s in schedules.close_schedules()}
    assert status == {
        "crypto_close_schedule": dg.DefaultScheduleStatus.STOPPED,
        "us_close_schedule": dg.DefaultScheduleStatus.STOPPED,
        "jgb_close_schedule": dg.DefaultScheduleStatus.RUNNING,
    }


def test_the_static_declarations_match_the_registry():
    """SourceModes' fields are what the UI shows; they must be the registry's live families, no more, no less."""
    from orchestration.defs.automation.schedules import CLOSE_TIMES, CLOSES, MAX_AGE
    from orchestration.defs.inbox.inbox_import import FAMILIES
    from orchestration.lib.raw_tables import RAW_TABLES
    from orchestration.lib.resources import SourceModes

    assert set(SourceModes.model_fields) == {t.name for t in RAW_TABLES.values() if t.live}
    assert FAMILIES == [t.name for t in RAW_TABLES.values() if t.inbox]
    assert MAX_AGE == {t.name: t.max_age for t in RAW_TABLES.values() if t.max_age}
    assert all(close in CLOSE_TIMES for t in RAW_TABLES.values() for close in t.closes)
    from orchestration.defs.automation.schedules import jobs

    for (job, _, families, _), definition in zip(CLOSES, jobs, strict=True):
        selected = {k.to_user_string() for k in definition.selection.resolve(defs.resolve_asset_graph())}
        assert definition.name == job
        assert {k for k in selected if k.startswith("raw/")} == {f"raw/{f}" for f in families}, job
    # Every family with a live source refreshes on a close and has a freshness check.
    assert all(t.closes and t.max_age for t in RAW_TABLES.values() if t.live)


def test_a_raw_check_is_labelled_blocking_only_when_it_blocks():
    # calendar_gaps warns (a missing day is incomplete data); its label must not say it blocks.
    graph = defs.resolve_asset_graph()
    specs = {(k.asset_key.to_user_string(), k.name): graph.get_check_spec(k) for k in graph.asset_check_keys}
    assert specs[("raw/prices", "calendar_gaps")].blocking is False
    assert specs[("raw/prices", "unique_keys")].blocking is True
