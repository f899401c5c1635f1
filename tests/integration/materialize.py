"""Helpers: materialize the real code location's assets and checks into a temporary warehouse."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.definitions import defs
from orchestration.lib.resources import build_resources
from orchestration.lib.window import range_tags


def materialize(
    warehouse: Path,
    snapshot: Path | None = None,
    selection: str | dg.AssetSelection | None = None,
    raise_on_error: bool = True,
    days: tuple[str, str] | None = None,
    resources: dict | None = None,
    full_refresh: bool = False,
) -> dg.ExecuteInProcessResult:
    """`dagster.materialize` on every asset and check of the definitions, with temporary resources.

    The raw tables' daily partitions run as one range: the whole history unless `days` says otherwise.
    `full_refresh` rebuilds the incremental models whole, as `liqmart run` does.
    """
    graph_defs = [*defs.assets, *defs.asset_checks]
    # dbt's profile reads the warehouse path from the environment: set for the run, restored after it.
    previous = os.environ.get(settings.WAREHOUSE_ENV)
    os.environ[settings.WAREHOUSE_ENV] = str(warehouse)
    try:
        with dg.DagsterInstance.ephemeral() as instance:
            return dg.materialize(
                graph_defs,
                resources={**build_resources(warehouse, snapshot), **(resources or {})},
                instance=instance,
                selection=selection,
                raise_on_error=raise_on_error,
                tags=range_tags(*days) if days else range_tags(),
                run_config={"ops": {"dbt_models": {"config": {"full_refresh": True}}}} if full_refresh else None,
            )
    finally:
        if previous is None:
            os.environ.pop(settings.WAREHOUSE_ENV, None)
        else:
            os.environ[settings.WAREHOUSE_ENV] = previous


def us_close_request(resources: dict) -> dg.RunRequest:
    """The us_close_schedule's run request for 2026-02-05, its tick evaluated as if prices were live (on the
    bundled snapshot alone the tick skips, saying why); the run itself then reads the bundled files."""
    from datetime import datetime

    from orchestration.lib.resources import SourceModes

    with dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 2, 5, 22, 0),
        resources={**resources, "sources": SourceModes(prices="live")},
        repository_def=defs.get_repository_def(),
    ) as context:
        return defs.get_schedule_def("us_close_schedule").evaluate_tick(context).run_requests[0]


def remember_built(instance: dg.DagsterInstance) -> None:
    """Record in `instance` a materialization of every asset (each partition of a yearly one): what the
    instance that built a copied warehouse holds, so its automation conditions see no input missing."""
    graph = defs.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        partitions = graph.get(key).partitions_def
        for partition in partitions.get_partition_keys() if partitions else [None]:
            instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, partition=partition))


def run_automation(instance: dg.DagsterInstance, resources: dict, cursor=None):
    """One tick of the automation sensor, evaluated as the daemon would, and the run it requests executed here.
    Returns (the requested asset and check keys, the run's result or None, the cursor for the next tick)."""
    evaluation = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    requested = {r.key for r in evaluation.results if r.true_subset.size}
    assets = [k for k in requested if isinstance(k, dg.AssetKey)]
    checks = [k for k in requested if isinstance(k, dg.AssetCheckKey)]
    result = None
    if requested:
        result = dg.materialize(
            [*defs.assets, *defs.asset_checks],
            selection=dg.AssetSelection.assets(*assets) | dg.AssetSelection.checks(*checks),
            instance=instance,
            resources=resources,
            raise_on_error=False,
        )
    return requested, result, evaluation.cursor
