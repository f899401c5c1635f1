"""What `make run` prints: every table with rows and date range, then the checks that passed and failed."""

from __future__ import annotations

import duckdb

from orchestration.defs.raw_tables import RAW_TABLES


def table_rows(database: str) -> list[tuple[str, int, str, str]]:
    with duckdb.connect(database, read_only=True) as conn:
        tables = conn.execute("select table_schema, table_name from information_schema.tables "
                              "where table_schema in ('raw', 'ops', 'staging', 'intermediate', 'marts') "
                              "order by table_schema, table_name").fetchall()
        out = []
        for schema, name in tables:
            rows = conn.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            spec = RAW_TABLES.get(name) if schema == "raw" else None
            date_col = spec.date_column if spec else _date_column(conn, schema, name)
            first = last = ""
            if date_col and rows:
                first, last = (str(v) for v in conn.execute(
                    f'select min({date_col}), max({date_col}) from "{schema}"."{name}"').fetchone())
            out.append((f"{schema}.{name}", rows, first, last))
        return out


def _date_column(conn, schema: str, name: str) -> str | None:
    row = conn.execute("select column_name from information_schema.columns where table_schema = ? and "
                       "table_name = ? and column_name in ('date', 'event_date', 'bar_start') limit 1",
                       [schema, name]).fetchone()
    return row[0] if row else None


def format_summary(database: str, check_results: list[tuple[str, str, bool, str]]) -> str:
    """check_results: (asset, check, passed, severity)."""
    lines = [f"Warehouse: {database}", "", f"{'table':40} {'rows':>9}  {'first':<26} {'last':<26}"]
    for table, rows, first, last in table_rows(database):
        lines.append(f"{table:40} {rows:>9}  {first[:25]:<26} {last[:25]:<26}")
    passed = [c for c in check_results if c[2]]
    failed = [c for c in check_results if not c[2]]
    lines += ["", f"Checks: {len(passed)} passed, {len(failed)} failed"]
    lines += [f"  FAILED ({severity}) {asset} :: {check}" for asset, check, _, severity in failed]
    return "\n".join(lines)
