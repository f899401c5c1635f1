"""Compare every table of two warehouses (raw, staging, intermediate, marts): rows equal as multisets,
column by column in order, so a refactor that renames a column but keeps every value shows as "renamed", not
as a difference. Load bookkeeping (batch ids, load times) is left out. Used before and after a change that
must not change the data: `python benchmarks/compare_warehouses.py OLD.duckdb NEW.duckdb`; exits 1 if any
table differs. Both files are copied first, so neither is locked."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

SCHEMAS = ("raw", "staging", "intermediate", "marts")
# A raw row's load bookkeeping: which batch brought it and when; another build has other batches.
LOAD_COLUMNS = ("_batch_id", "_ingested_at")


def columns(conn, db: str, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "select column_name from information_schema.columns where table_catalog = ? and table_schema = ? "
            "and table_name = ? order by ordinal_position",
            [db, schema, table],
        ).fetchall()
    ]


def compare(old: Path, new: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        conn = duckdb.connect()
        for alias, path in (("o", old), ("n", new)):
            copy = Path(tmp) / f"{alias}.duckdb"
            shutil.copyfile(path, copy)
            conn.execute(f"attach '{copy}' as {alias} (read_only)")
        listing = (
            "select table_schema, table_name from information_schema.tables where table_catalog = ? "
            f"and table_schema in {SCHEMAS}"
        )
        before = set(conn.execute(listing, ["o"]).fetchall())
        after = set(conn.execute(listing, ["n"]).fetchall())
        differing = len(before ^ after)
        for schema, table in sorted(before ^ after):
            print(f"DIFF {schema}.{table}: only in {'old' if (schema, table) in before else 'new'}")
        for schema, table in sorted(before & after):
            oc, nc = ([c for c in columns(conn, db, schema, table) if c not in LOAD_COLUMNS] for db in ("o", "n"))
            if len(oc) != len(nc):
                print(f"DIFF {schema}.{table}: {len(oc)} columns before, {len(nc)} after")
                differing += 1
                continue
            old_cols, new_cols = ", ".join(f'"{c}"' for c in oc), ", ".join(f'"{c}"' for c in nc)
            gone, added = (
                conn.execute(
                    f"select count(*) from (select {a} from {x}.{schema}.{table} "
                    f"except all select {b} from {y}.{schema}.{table})"
                ).fetchall()[0][0]
                for a, x, b, y in ((old_cols, "o", new_cols, "n"), (new_cols, "n", old_cols, "o"))
            )
            rows = conn.execute(f"select count(*) from n.{schema}.{table}").fetchall()[0][0]
            renamed = ", ".join(f"{a} -> {b}" for a, b in zip(oc, nc, strict=True) if a != b)
            same = gone == added == 0
            differing += not same
            print(
                f"{'same' if same else 'DIFF'} {schema}.{table}: {rows} rows"
                + ("" if same else f", {gone} gone, {added} added")
                + (f" (renamed {renamed})" if renamed else "")
            )
        print(f"{len(before & after)} tables compared, {differing} differ")
        return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(compare(Path(sys.argv[1]), Path(sys.argv[2])))
