"""Incremental marts: a refresh gives exactly the tables a full rebuild gives on the same data.

On a copy of the built warehouse, files are imported with `liqmart import` and the dbt models then built in a
Dagster run, as the automation sensor does after a load, the incremental facts refreshing only from the first
day the batch touches: a new day, a late correction of a day inside the lookback, and a correction of a day long
before it. After each, a copy of the warehouse is rebuilt whole (`dbt run --full-refresh`) and every mart is
compared row by row with the refreshed one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lib.dbt_runner import dbt_executable, dbt_manifest_json
from tests.integration.materialize import materialize
from tests.integration.test_inbox import liqmart

# A whole pipeline or a process of its own per test: `make test` runs them, `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

INCREMENTAL = [
    "fct_asset_daily",
    "fct_rates_daily",
    "fct_btc_flows_daily",
    "int_panel_returns_aligned",
    "int_cross_asset_measures",
    "mart_liquidity_stress_daily",
]
HEADER = {
    "prices": "date,asset_id,open,high,low,close,adj_close,volume",
    "jgb_yields": "date,tenor_years,yield_pct",
    "btc_etf_flows": "date,issuer,net_flow_usd_m",
}


def import_rows(warehouse: Path, family: str, rows: list[str], folder: Path) -> None:
    file = folder / f"{family}-{len(list(folder.iterdir()))}.csv"
    file.write_text("\n".join([HEADER[family], *rows]) + "\n")
    done = liqmart("import", str(file), "--family", family, warehouse=warehouse)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]


def refresh(warehouse: Path) -> None:
    """What the automation sensor runs after a load: the dbt models, in a Dagster run (dagster-dbt's `dbt build`)."""
    assert materialize(warehouse, selection='kind:"dbt"').success


def dbt_build(warehouse: Path, target: Path, *args: str, command: str = "build") -> None:
    """`dbt build` (or another dbt command) by hand, as an analyst runs it, against one warehouse."""
    done = subprocess.run(
        [dbt_executable(), command, *args, "--profiles-dir", ".", "--target-path", str(target)],
        cwd=settings.DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def rebuilt_whole(warehouse: Path, folder: Path) -> Path:
    """A copy of the warehouse with every dbt model rebuilt from scratch (`dbt run`: the reference needs the
    models' rows, not their tests, which the refresh's own build ran)."""
    copy = folder / "full" / warehouse.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse, copy)
    dbt_build(copy, folder / "target", "--full-refresh", command="run")
    return copy


# DuckDB's windowed sums and deviations add a frame's values in an order that depends on where the frame lies in
# its partition, and polars' rolling means and deviations accumulate from the first row they read; a refresh reads
# a shorter history than a full build, so a few results differ in the last bits. The error is relative to the
# operands' size: a difference of two means near zero (the absorption ratio's shift) keeps an absolute error of
# order 1e-15 however small it is, so doubles agree within 1e-12 of their size or of 1, whichever is larger.
RELATIVE_TOLERANCE = 1e-12
# Tables compared by key with the tolerance although they are not incremental: they are computed from the doubles
# of an incremental model (the point-in-time percentiles of the stress index).
KEYED = {"mart_stress_comparison": ["date"]}


def unique_key(table: str) -> list[str]:
    key = dbt_manifest_json()["nodes"][f"model.liquidity_mart.{table}"]["config"]["unique_key"]
    return [key] if isinstance(key, str) else key


def same_rows(conn, a: str, b: str, table: str) -> str:
    """SQL counting the rows of `a` and `b` that do not match: by the table's key and every column (doubles within
    the tolerance) for an incremental model; as multisets of exact rows for the rest."""
    if table not in INCREMENTAL and table not in KEYED:
        one_way = "select count(*) from (from {} except all from {})"
        return f"select ({one_way.format(a, b)}) + ({one_way.format(b, a)})"
    keys = KEYED.get(table) or unique_key(table)
    types = dict(conn.sql(f"select column_name, column_type from (describe {a})").fetchall())
    equal = [
        f"(x.{c} = y.{c} or (x.{c} is null and y.{c} is null) or abs(x.{c} - y.{c}) <= "
        f"{RELATIVE_TOLERANCE} * greatest(abs(x.{c}), abs(y.{c}), 1.0))"
        if types[c] == "DOUBLE"
        else f"x.{c} is not distinct from y.{c}"
        for c in types
        if c not in keys
    ]
    on = " and ".join(f"x.{k} = y.{k}" for k in keys)
    return (
        f"select count(*) from (select *, true as present from {a}) x full join (select *, true as present from {b}) y "
        f"on {on} where x.present is null or y.present is null or not ({' and '.join(equal)})"
    )


def differences(refreshed: Path, full: Path) -> dict[str, int]:
    """Per table built by dbt (the marts and the intermediate tables): the rows that differ between the refreshed
    warehouse and the full rebuild."""
    found = {}
    with duckdb.connect() as conn:
        conn.execute(f"attach '{refreshed}' as refreshed (read_only)")
        conn.execute(f"attach '{full}' as full_build (read_only)")
        tables = [
            (r[0], r[1])
            for r in conn.sql(
                "select table_schema, table_name from information_schema.tables where table_catalog = 'refreshed' "
                "and table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE' order by all"
            ).fetchall()
        ]
        assert set(INCREMENTAL) <= {table for _, table in tables}
        for schema, table in tables:
            sql = same_rows(conn, f"refreshed.{schema}.{table}", f"full_build.{schema}.{table}", table)
            found[table] = conn.sql(sql).fetchone()[0]
    return found


class Marked:
    """One row of fct_asset_daily given an impossible volatility: a refresh that rewrites the row loses the mark,
    one that leaves it alone keeps it. The original value goes back before any comparison."""

    MARK = 999.0

    def __init__(self, warehouse: Path, asset_id: str, day: str):
        self.warehouse, self.where = warehouse, f"asset_id = '{asset_id}' and date = '{day}'"
        with duckdb.connect(str(warehouse)) as conn:
            self.original = conn.sql(
                f"select realized_vol_20d from marts.fct_asset_daily where {self.where}"
            ).fetchone()[0]
            assert self.original is not None
            conn.execute(f"update marts.fct_asset_daily set realized_vol_20d = ? where {self.where}", [self.MARK])

    def kept(self) -> bool:
        with duckdb.connect(str(self.warehouse)) as conn:
            value = conn.sql(f"select realized_vol_20d from marts.fct_asset_daily where {self.where}").fetchone()[0]
            conn.execute(f"update marts.fct_asset_daily set realized_vol_20d = ? where {self.where}", [self.original])
        return value == self.MARK


@pytest.fixture(scope="module")
def warehouse(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("incremental") / "wh" / "liquidity.duckdb"
    path.parent.mkdir(parents=True)
    shutil.copyfile(built[0], path)
    return path


def test_a_new_day_and_a_correction_inside_the_lookback_refresh_to_a_full_rebuild(warehouse, tmp_path):
    # BTC's next UTC day after the data ends, and ETH's close of two days before corrected.
    untouched, refreshed = Marked(warehouse, "XAU", "2026-06-01"), Marked(warehouse, "XAU", "2026-08-14")
    import_rows(
        warehouse,
        "prices",
        ["2026-08-22,BTC,114000,116000,113000,115500,,", "2026-08-19,ETH,4100,4400,4000,4321.5,,"],
        tmp_path,
    )
    refresh(warehouse)
    # Refreshed from the corrected day less a week (2026-08-12), every asset: not the history before it.
    assert untouched.kept() and not refreshed.kept()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.sql(
            "select close from marts.fct_asset_daily where asset_id = 'BTC' and date = '2026-08-22'"
        ).fetchone() == (115500.0,)
    found = differences(warehouse, rebuilt_whole(warehouse, tmp_path))
    assert found == dict.fromkeys(found, 0), found


def test_a_correction_long_before_the_lookback_reaches_every_later_day(warehouse, tmp_path):
    """Older than any lookback: the refresh starts from the corrected day, whatever its age."""
    import_rows(warehouse, "prices", ["2024-06-03,XAG,30,31.5,29.5,31.25,,"], tmp_path)
    import_rows(warehouse, "jgb_yields", ["2024-06-03,40.0,2.5"], tmp_path)
    import_rows(warehouse, "btc_etf_flows", ["2025-03-03,IBIT,-250.5"], tmp_path)
    refresh(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        peak = conn.sql(
            "select max(running_peak) from marts.fct_asset_daily where asset_id = 'XAG' and date >= '2024-06-03'"
        ).fetchone()[0]
    assert peak >= 31.25  # the corrected close reached the running peak after it
    found = differences(warehouse, rebuilt_whole(warehouse, tmp_path))
    assert found == dict.fromkeys(found, 0), found


def test_a_build_with_nothing_new_writes_nothing(warehouse, tmp_path):
    marked = Marked(warehouse, "BTC", "2026-08-21")
    dbt_build(warehouse, warehouse.parent / "dbt" / "target")
    assert marked.kept()
