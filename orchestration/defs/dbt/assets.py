"""The dbt project as Dagster assets: staging -> intermediate -> marts, with dbt tests as asset checks.

One selection, the whole project: the polars cross-asset measures are a dbt Python model
(intermediate/int_cross_asset_measures.py), so dbt builds them between the panel and the stress marts.
Lineage is one graph: dbt sources `raw.*` are the raw assets' keys.
"""

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from orchestration import settings
from orchestration.lib import lake
from orchestration.lib.dbt_runner import build, dbt_project
from orchestration.lib.table_metadata import describe_model
from orchestration.lib.warehouse import Warehouse, connect_waiting


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "marts"

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id) or {}
        if props.get("resource_type") in ("model", "seed"):
            # Assets are named after the table they produce: <schema>/<table>.
            # The dbt docs site (`make docs`) renders the same descriptions with lineage and every column.
            docs = f"dbt docs: warehouse/docs/index.html#!/{props['resource_type']}/{unique_id} (`make docs`)"
            spec = spec.replace_attributes(
                key=dg.AssetKey([props["schema"], props["name"]]),
                owners=["team:liquidity-mart"],
                description=f"{spec.description or ''}\n\n{docs}".strip(),
            )
        if props.get("resource_type") == "model":
            # Built whenever an input changed (the raw tables on their close schedules, the inbox), by the
            # automation sensor (defs/automation/automation.py), never by a hand-made job. Seeds are inputs.
            spec = spec.replace_attributes(automation_condition=dg.AutomationCondition.eager())
        kinds = {"duckdb"}
        if props.get("language") == "python":
            kinds.add("polars")  # a dbt Python model computing with polars and numpy
        return spec.merge_attributes(kinds=kinds)


TRANSLATOR = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(dg.Config):
    """How the run builds the dbt models."""

    full_refresh: bool = Field(
        default=False,
        description="Rebuild the incremental models whole (`dbt build --full-refresh`) instead of refreshing the "
        "days their inputs changed since their last build. `liqmart run` always does.",
    )


def _run_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, full_refresh: bool = False):
    # dbt's profile reads LIQUIDITY_WAREHOUSE; refuse to build into a different file than the resource's.
    target = os.environ.get(settings.WAREHOUSE_ENV)
    if not target or Path(target).resolve() != Path(warehouse.database).resolve():
        raise dg.Failure(
            f"dbt would write to {target!r} but the warehouse resource is {warehouse.database!r}: "
            f"set {settings.WAREHOUSE_ENV} to the warehouse path"
        )
    # dbt runs in its own process and DuckDB takes one writer: wait here (with the warehouse's lock timeout and
    # its messages) until no other process holds the file, then hand it to dbt. Writing runs share one pool, so
    # no other run of this instance takes the file in between.
    Path(warehouse.database).parent.mkdir(parents=True, exist_ok=True)
    if lake.configured() is None:  # the lake has no file lock: its writers commit side by side
        connect_waiting(warehouse.database, say=context.log.warning).close()
    # A failed build still reports what it did materialize before the error is raised.
    events, error = [], None
    try:
        events.extend(build(context, dbt, warehouse.database, TRANSLATOR, full_refresh=full_refresh))
    except Exception as exc:  # noqa: BLE001 - re-raised below, after the finished models are reported
        error = exc
    with warehouse.get_connection() as conn:
        described = []
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                event = event.with_metadata({**event.metadata, **describe_model(conn, *key.path)})
            described.append(event)
    yield from described
    if error is not None:
        raise error


# No `project=`: dagster-dbt would keep the DbtProject object in every asset's metadata, which the UI shows as
# "(unserializable)"; the dbt resource already knows the project.
@dbt_assets(
    manifest=dbt_project().manifest_path,
    dagster_dbt_translator=TRANSLATOR,
    pool=settings.WRITER_POOL,
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, config: DbtBuildConfig):
    yield from _run_dbt(context, dbt, warehouse, config.full_refresh)
