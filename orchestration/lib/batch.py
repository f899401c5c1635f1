"""What every raw asset does with its input: parse, land, load, describe; or quarantine and fail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Protocol

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.lib.landing import LandedBatch, LandingZone
from orchestration.lib.raw_tables import RAW_TABLES, RawTable
from orchestration.lib.warehouse import Warehouse, load_batch, quarantine
from orchestration.lib.window import PARTITIONED, WINDOW_PAYLOAD
from transforms.errors import SourceError
from transforms.validation import conform

RAW_ASSET_ARGS = dict(
    group_name="raw",
    kinds={"polars", "duckdb", "great_expectations"},
    pool=settings.WRITER_POOL,
    owners=["team:liquidity-mart"],
)


# Said where UI users look: Dagster's "Materialize all" on a selection with partitioned assets is a backfill.
HOW_TO_LOAD = (
    " To load everything in one run: `liqmart run` (make run), or in the UI Materialize all, All partitions, "
    "Launch backfill: the years load in one run (a single-run backfill policy), then what is built from them."
)


def raw_asset_args(table: str, extra_description: str = "") -> dict:
    spec = RAW_TABLES[table]
    return dict(
        key=spec.key,
        description=f"{spec.description}{extra_description}{HOW_TO_LOAD}",
        **RAW_ASSET_ARGS,
        **(PARTITIONED if spec.yearly else {}),
    )


class Refused(Exception):
    """A batch refused for bad input; its rejected rows are already in ops.quarantine."""

    def __init__(self, error: SourceError, kept: int):
        super().__init__(str(error))
        self.error, self.kept = error, kept


Payloads = dict[str, bytes] | Callable[[], dict[str, bytes]]


def load_payloads(
    warehouse: Warehouse,
    landing: LandingZone,
    table: str,
    source: str,
    payloads: Payloads,
    parse: Callable[[dict[str, bytes]], pl.DataFrame],
    run_id: str,
) -> dict:
    """Read the payloads (a function is called here, so a failed fetch is this load's failure), parse them, land
    the batch immutably, and upsert it into raw.<table> in one transaction.

    Bad input never reaches the table: the rejected rows go to ops.quarantine and `Refused` is raised with
    the source, file, row and rule. Returns the materialization metadata of the table after the load.
    """
    spec = RAW_TABLES[table]
    try:
        if callable(payloads):
            payloads = payloads()
        # The table's own rules hold for every source: a parser's output is checked again here, so no parser
        # can let a non-finite number, an impossible bar or a stray identifier through.
        frame = conform(
            source,
            batch_name(payloads),
            parse(payloads),
            list(spec.columns),
            spec.rules(settings.today_utc()),
            spec.keys,
        )
    except SourceError as error:
        refuse(warehouse, error, table, run_id)
    return load_landed(
        warehouse, landing, table, source, landing.land(table, source, payloads, frame), sorted(payloads)
    )


def refuse(warehouse: Warehouse, error: SourceError, table: str, run_id: str):
    """Keep the rejected rows in ops.quarantine and raise `Refused`; the table is not touched."""
    with warehouse.get_connection() as conn:
        kept = quarantine(conn, error, table, run_id)
    raise Refused(error, kept) from error


def load_landed(
    warehouse: Warehouse, landing: LandingZone, table: str, source: str, batch: LandedBatch, files: list[str]
) -> dict:
    """Journal a landed batch, upsert it into raw.<table> in one transaction, and describe the table."""
    spec = RAW_TABLES[table]
    landing.record(batch, table, source, files)
    with warehouse.get_connection() as conn:
        total = load_batch(conn, table, spec.keys, batch, table, source, files)
        described = describe_table(conn, spec)
    return {
        **described,
        "batch_id": batch.batch_id,
        "batch_rows": batch.rows,
        "table_rows": total,
        "landing_path": dg.MetadataValue.path(str(batch.path)),
        "source": source,
        "files": dg.MetadataValue.json(files),
    }


def batch_name(payloads: dict[str, bytes]) -> str:
    """How an error names a batch: its one file, or its files."""
    files = sorted(name for name in payloads if name != WINDOW_PAYLOAD)
    return (
        files[0]
        if len(files) == 1
        else f"batch of {len(files)} files ({', '.join(files[:3])}{', ...' * (len(files) > 3)})"
    )


@dataclass(frozen=True)
class Input:
    """Where a raw asset's files come from and how they are parsed: the bundled snapshot, or a live service.

    `files` is called inside the load, so a failed fetch (or a missing snapshot file) is the asset's failure
    and nothing is written; `source` is recorded with the batch (`_source`, the journal, the metadata)."""

    source: str
    files: Callable[[], dict[str, bytes]]
    parse: Callable[[dict[str, bytes]], pl.DataFrame]


class Modes(Protocol):
    """Which families read live (SourceModes in orchestration/lib/resources.py)."""

    def live(self, family: str) -> bool: ...


def ingest(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    table: str,
    bundled: Input,
    live: Input | None = None,
    sources: Modes | None = None,
    days: tuple[date, date] | None = None,
) -> dg.MaterializeResult:
    """Every raw asset's body, bundled or live: choose the input (`live` when the family's source mode says
    so), load it with `load_payloads`, and fail the asset with the reason as metadata if the batch is refused.

    `days`: the days a partitioned asset loads (a partition is a year; a scheduled day or a backfill's range
    loads fewer). They are an input too (a new window is a new batch), and are recorded as the
    materialization's `window_start` and `window_end`."""
    chosen = live if live is not None and sources is not None and sources.live(table) else bundled
    files = chosen.files if days is None else (lambda: {**chosen.files(), WINDOW_PAYLOAD: str(days).encode()})
    try:
        metadata = load_payloads(warehouse, landing, table, chosen.source, files, chosen.parse, context.run_id)
    except Refused as refused:
        error = refused.error
        raise dg.Failure(
            description=str(error),
            metadata={
                "source": error.source,
                "file": error.file,
                "row": error.row if error.row is not None else "whole file",
                "rule": error.rule,
                "rows_quarantined": refused.kept,
                "quarantine_table": "ops.quarantine",
            },
        ) from error
    if days is not None:
        metadata.update(window_start=str(days[0]), window_end=str(days[1]))
    context.log.info(
        f"raw.{table}: batch {metadata['batch_id'][:12]} with {metadata['batch_rows']} rows from {chosen.source}; "
        f"table now {metadata['table_rows']} rows"
    )
    return dg.MaterializeResult(metadata=metadata)


def describe_table(conn, spec: RawTable) -> dict:
    """Row count, date range, column schema and a preview, for the asset's materialization page."""
    from orchestration.lib.table_metadata import column_descriptions  # the manifest, read when a load is described

    table = f"raw.{spec.name}"
    docs = column_descriptions().get(("raw", spec.name), {})
    rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
    meta = {
        "dagster/row_count": rows,
        "table": table,
        "dagster/column_schema": dg.TableSchema(
            columns=[
                dg.TableColumn(name, dtype, description=docs.get(name) or None)
                for name, dtype in conn.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [spec.name],
                ).fetchall()
            ]
        ),
    }
    if spec.date_column:
        first, last = conn.execute(f"select min({spec.date_column}), max({spec.date_column}) from {table}").fetchone()
        meta["first_date"], meta["last_date"] = str(first), str(last)
        if spec.observed_filter:
            last = conn.execute(f"select max({spec.date_column}) from {table} where {spec.observed_filter}").fetchall()[
                0
            ][0]
        if last is not None:
            # Freshness checks read this: a source is as fresh as its newest observation, not its load time.
            newest = last if isinstance(last, datetime) else datetime.combine(last, time(23, 59, 59))
            meta["dagster/last_updated_timestamp"] = dg.MetadataValue.timestamp(
                newest if newest.tzinfo else newest.replace(tzinfo=timezone.utc)
            )
    preview = conn.execute(
        f"select * exclude (_source, _batch_id, _ingested_at) from {table} "
        f"order by {spec.date_column or spec.keys[0]} desc limit 5"
    ).df()
    meta["preview"] = dg.MetadataValue.md(preview.to_markdown(index=False))
    return meta
