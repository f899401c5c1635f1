"""Library code under the Dagster definitions: the raw-table registry, the stores (warehouse, landing zone,
snapshot), batch loading and quarantine, the time windows of partitioned runs, the GX runner, the HTTP
client, the in-process dbt runner and the UI's table metadata. orchestration/defs/ imports it; it imports
nothing from defs/ (import-linter, `make lint`)."""
