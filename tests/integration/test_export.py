"""`liqmart export`: every mart as files, read back equal to the warehouse row for row, without a lock."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import settings
from orchestration.lib.warehouse import published_path

LIQMART = str(Path(sys.executable).parent / "liqmart")


def export(warehouse: Path, target: Path, *args: str) -> dict:
    done = subprocess.run(
        [LIQMART, "export", "--to", str(target), *args],
        capture_output=True,
        text=True,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"manifest: {target / 'manifest.json'}" in done.stdout
    return json.loads((target / "manifest.json").read_text())


def marts(warehouse: Path) -> list[str]:
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as conn:
        return [
            f"marts.{n}"
            for (n,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_mart_is_exported_and_reads_back_row_for_row(built, tmp_path, fmt):
    warehouse, result = built
    assert result.success
    manifest = export(warehouse, tmp_path / "out", "--format", fmt)
    assert [t["table"] for t in manifest["tables"]] == marts(warehouse) and len(manifest["tables"]) >= 8
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as conn:
        for table in manifest["tables"]:
            path = tmp_path / "out" / table["file"]
            columns = {c["name"]: c["type"] for c in table["columns"]}
            reader = (
                f"read_parquet('{path}')"
                if fmt == "parquet"
                else f"read_csv('{path}', header = true, columns = {columns!r})"
            )
            # Row for row, both ways: a multiset difference, so a duplicated or missing row counts.
            for first, second in ((table["table"], reader), (reader, table["table"])):
                diff = conn.execute(
                    f"select count(*) from (select * from {first} except all select * from {second})"
                ).fetchone()[0]
                assert diff == 0, f"{table['table']}: {diff} rows of {first} missing from {second}"
            assert conn.execute(f"select count(*) from {reader}").fetchone()[0] == table["rows"]
            if fmt == "parquet":  # the file keeps the table's column order
                assert [c["name"] for c in table["columns"]] == list(pl.read_parquet_schema(path))
    assert manifest["warehouse_sha256"] and manifest["format"] == fmt
    daily = next(t for t in manifest["tables"] if t["table"] == "marts.fct_asset_daily")
    assert daily["date_column"] == "date" and daily["first_date"] <= "2024-01-02" and daily["last_date"] >= "2026-02-06"


def test_raw_tables_too_when_asked_and_polars_reads_them(built, tmp_path):
    warehouse, _ = built
    manifest = export(warehouse, tmp_path / "out", "--raw")
    raw = {t["table"]: t for t in manifest["tables"] if t["table"].startswith("raw.")}
    assert "raw.prices" in raw
    frame = pl.read_parquet(tmp_path / "out" / raw["raw.prices"]["file"])
    assert frame.height == raw["raw.prices"]["rows"] > 0


def test_export_runs_while_a_writer_holds_the_live_file(built, tmp_path):
    """The export reads the published copy: a process holding the live file's write lock does not stop it."""
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    published = published_path(warehouse)
    published.parent.mkdir(parents=True)
    import shutil

    shutil.copy(built[0], warehouse)
    shutil.copy(published_path(built[0]), published)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); print('held', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        manifest = export(warehouse, tmp_path / "out")
        assert len(manifest["tables"]) >= 8
    finally:
        holder.kill()
        holder.wait()
