"""`liqmart export`: every mart (and, asked, every raw table) as Parquet or CSV files, with a manifest.

Reads the published copy through a read-only connection (`orchestration.lib.warehouse.reading`), so it never
holds the live file's lock and waits politely while a copy is being swapped in. Each file is written under a
temporary name and renamed, the manifest last: a folder with a manifest holds a complete export.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from orchestration.lib import lake
from orchestration.lib.tables import table_date_column, table_span
from orchestration.lib.warehouse import file_sha256, published_path, reading, sql_path

FORMATS = ("parquet", "csv")
MANIFEST = "manifest.json"


def export(
    database: Path | str, target: Path, fmt: str = "parquet", schemas: tuple[str, ...] = ("marts",), progress=None
) -> dict:
    """Write every table of `schemas` to target/<schema>/<table>.<fmt>; returns the manifest (also written as
    target/manifest.json)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    target_lake = lake.configured()
    source = target_lake.describe() if target_lake else str(published_path(database))
    tables = []
    with reading(database) as conn:
        # An export names the exact warehouse it came from: the checksum of the copy being read, or on the lake
        # the snapshot it read, all of it in one transaction (one snapshot, whatever commits meanwhile).
        if target_lake:
            conn.execute("begin transaction")
            checksum = f"ducklake-snapshot-{lake.snapshot_id(conn)}"
        else:
            checksum = file_sha256(source)
        names = conn.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            f"({', '.join('?' for _ in schemas)}) and table_type = 'BASE TABLE' "
            "order by table_schema, table_name",
            list(schemas),
        ).fetchall()
        for schema, name in names:
            folder = target / schema
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"{name}.{fmt}"
            tmp = folder / f".{name}.{uuid.uuid4().hex}.tmp"
            options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true"
            conn.execute(f'copy (select * from "{schema}"."{name}") to \'{sql_path(tmp)}\' ({options})')
            os.replace(tmp, final)
            columns = conn.execute(
                "select column_name, data_type from information_schema.columns where "
                "table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            date_col = table_date_column(conn, schema, name)
            rows, first, last = table_span(conn, schema, name, date_col)
            tables.append(
                {
                    "table": f"{schema}.{name}",
                    "file": str(final.relative_to(target)),
                    "rows": rows,
                    "columns": [{"name": c, "type": t} for c, t in columns],
                    "date_column": date_col,
                    "first_date": first,
                    "last_date": last,
                }
            )
            if progress:
                progress(f"{schema}.{name}: {rows:,} rows")
    manifest = {
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "format": fmt,
        "warehouse": source,
        # What was read: the file's SHA-256, or the lake's snapshot (then there is no file to hash).
        "warehouse_version": checksum,
        "warehouse_sha256": None if target_lake else checksum,
        "tables": tables,
    }
    tmp = target / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp, target / MANIFEST)
    return manifest
