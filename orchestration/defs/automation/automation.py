"""The automation sensor: everything downstream of the raw tables is built when its inputs change.

Each dbt model (through the translator), the polars measures, the claims ledger, the report and the checks on
tables that another run may change carry `AutomationCondition.eager()`: requested once any input was updated,
never while an input is missing or still being built, and not again until it has run. This sensor evaluates
those conditions and launches the runs; they queue in the writer pool like every other writing run.
"""

import dagster as dg

liquidity_automation = dg.AutomationConditionSensorDefinition(
    "liquidity_automation",
    target=dg.AssetSelection.all(include_sources=False),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Builds what the raw tables, seeds and claim files feed once they changed: the marts, the "
    "measures, the claims ledger, the report and their checks (each asset's automation condition).",
)
