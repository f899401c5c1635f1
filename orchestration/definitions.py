"""The one Dagster code location: every asset, check, job, schedule, sensor and resource, assembled here."""

import dagster as dg

from orchestration.defs import claims, crash_report, cross_asset_measures, full_load, inbox, ingest, schedules
from orchestration.defs.checks.claim_expectations import claim_checks
from orchestration.defs.checks.raw_expectations import raw_table_checks
from orchestration.defs.checks.reconciliation import reconciliation_checks
from orchestration.defs.dbt import dbt_models, dbt_stress_marts
from orchestration.defs.resources import build_resources

# Every raw asset in defs/ingest/, one module per source family: a new family's module needs no line here.
raw_assets = dg.load_assets_from_package_module(ingest)

defs = dg.Definitions(
    assets=[
        *raw_assets,
        dbt_models,
        cross_asset_measures.int_cross_asset_measures,
        dbt_stress_marts,
        claims.raw_claims,
        claims.claims_ledger,
        crash_report.crash_report,
    ],
    asset_checks=[*raw_table_checks, claim_checks, *reconciliation_checks, *schedules.freshness_checks],
    jobs=[full_load.full_load_job, inbox.inbox_import_job, inbox.rebuild_after_inbox_job, *schedules.jobs],
    schedules=schedules.schedules,
    sensors=[inbox.inbox_sensor, inbox.rebuild_after_inbox, schedules.freshness_sensor],
    resources=build_resources(),
    # One process runs a whole materialization: DuckDB takes one writer, and on two cores a subprocess per op
    # costs more than it saves.
    executor=dg.in_process_executor,
)
