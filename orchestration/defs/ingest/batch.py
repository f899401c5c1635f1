"""What every raw asset does with its input: parse, land, load, describe; or quarantine and fail."""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.defs.raw_tables import RAW_TABLES, RawTable
from orchestration.defs.resources import LandingZone, Warehouse
from orchestration.defs.warehouse_io import load_batch, quarantine
from transforms.errors import SourceError

RAW_ASSET_ARGS = dict(group_name="raw", kinds={"polars", "duckdb", "great_expectations"}, pool=settings.WRITER_POOL,
                      owners=["team:liquidity-mart"])


def raw_asset_args(table: str, extra_description: str = "") -> dict:
    spec = RAW_TABLES[table]
    return dict(key=spec.key, description=f"{spec.description}{extra_description}", **RAW_ASSET_ARGS)


def ingest(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone, table: str,
           source: str, payloads: dict[str, bytes], parse: Callable[[dict[str, bytes]], pl.DataFrame]
           ) -> dg.MaterializeResult:
    """Parse the payloads, land the batch immutably, and upsert it into raw.<table> in one transaction.

    Bad input never reaches the table: the rejected rows are written to ops.quarantine and the asset
    fails with the source, file, row and rule in its message.
    """
    spec = RAW_TABLES[table]
    try:
        frame = parse(payloads)
    except SourceError as error:
        with warehouse.get_connection() as conn:
            kept = quarantine(conn, error, table, context.run_id)
        raise dg.Failure(description=str(error), metadata={
            "source": error.source, "file": error.file, "row": error.row if error.row is not None else "whole file",
            "rule": error.rule, "rows_quarantined": kept, "quarantine_table": "ops.quarantine"}) from error
    frame = frame.select(list(spec.columns))
    batch = landing.land(table, source, payloads, frame)
    with warehouse.get_connection() as conn:
        total = load_batch(conn, table, spec.keys, batch, table, source, sorted(payloads))
        described = describe_table(conn, spec)
    context.log.info(f"raw.{table}: batch {batch.batch_id[:12]} with {batch.rows} rows; table now {total} rows")
    return dg.MaterializeResult(metadata={
        **described, "batch_id": batch.batch_id, "batch_rows": batch.rows,
        "landing_path": dg.MetadataValue.path(str(batch.path)), "source": source,
        "files": dg.MetadataValue.json(sorted(payloads))})


def describe_table(conn, spec: RawTable) -> dict:
    """Row count, date range, column schema and a preview, for the asset's materialization page."""
    table = f"raw.{spec.name}"
    rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
    meta = {"dagster/row_count": rows, "table": table,
            "dagster/column_schema": dg.TableSchema(columns=[
                dg.TableColumn(name, dtype) for name, dtype in
                conn.execute("select column_name, data_type from information_schema.columns "
                             "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                             [spec.name]).fetchall()])}
    if spec.date_column:
        first, last = conn.execute(f"select min({spec.date_column}), max({spec.date_column}) from {table}").fetchone()
        meta["first_date"], meta["last_date"] = str(first), str(last)
    preview = conn.execute(f"select * exclude (_source, _batch_id, _ingested_at) from {table} "
                           f"order by {spec.date_column or spec.keys[0]} desc limit 5").df()
    meta["preview"] = dg.MetadataValue.md(preview.to_markdown(index=False))
    return meta
