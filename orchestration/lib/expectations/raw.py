"""What the raw tables' Great Expectations suites expect, and the frames they read: built from each table's
entry in `raw_tables.py`. The Dagster checks that run them are in `defs/raw/expectations.py`; the benchmark runs
the same suites without Dagster."""

from datetime import datetime

import dagster as dg
import pandas as pd

from orchestration.lib.gx_runner import Expectation
from orchestration.lib.raw_tables import CALENDAR_MAX_GAP_DAYS, RawTable

CHECKS = {
    "schema_and_types": "Columns and DuckDB types match the table's contract.",
    "unique_keys": "Key columns are never null and each key appears once.",
    "value_ranges": "Values within sane bounds (prices > 0, yields -1..20 %, flows within bounds).",
    "no_future_dates": "No observation is dated after today (UTC).",
    "calendar_gaps": "No gap between observations longer than the market's calendar allows "
    "(WARN: a missing day is incomplete data, not wrong data, so it is shown but does not block).",
}
SEVERITY = {"calendar_gaps": dg.AssetCheckSeverity.WARN}


def describe_check(table: RawTable, name: str) -> str:
    """The check's description for this table: value_ranges names the table's own bounds."""
    if name != "value_ranges":
        return CHECKS[name]
    bounds = []
    for col, (low, high, strict_min) in table.ranges.items():
        parts = [
            f"{col} {'>' if strict_min else '>='} {low:g}" if low is not None else "",
            f"{col} <= {high:g}" if high is not None else "",
        ]
        bounds.append(" and ".join(p for p in parts if p))
    required = ", ".join(c for c in table.not_null if c not in table.keys)
    text = "; ".join(b for b in bounds if b) or "no bounds beyond the types"
    return f"Values within the table's bounds: {text}" + (f"; present: {required}" if required else "") + "."


def check_names(table: RawTable) -> list[str]:
    names = ["schema_and_types", "unique_keys", "value_ranges", "no_future_dates"]
    if table.calendar or table.bar_hours:
        names.append("calendar_gaps")
    return names


def expectations_for(table: RawTable, today) -> list[Expectation]:
    import great_expectations.expectations as gxe  # heavy: imported when a check runs, not when the UI loads

    exp = [
        Expectation(
            "schema_and_types",
            "data",
            gxe.ExpectTableColumnsToMatchSet(column_set=list(table.all_columns), exact_match=True),
        ),
        Expectation(
            "schema_and_types",
            "schema",
            gxe.ExpectColumnPairValuesToBeEqual(column_A="data_type", column_B="expected_type"),
        ),
        # Whole-table invariants, counted in SQL (table_facts): cheap at any size, so never scoped to a window.
        Expectation("schema_and_types", "table", gxe.ExpectColumnValuesToBeBetween(column="table_rows", min_value=1)),
        Expectation(
            "unique_keys", "table", gxe.ExpectColumnValuesToBeBetween(column="keys_more_than_once", max_value=0)
        ),
    ]
    for col in dict.fromkeys([*table.keys, *table.not_null]):
        check = "unique_keys" if col in table.keys else "value_ranges"
        exp.append(Expectation(check, "data", gxe.ExpectColumnValuesToNotBeNull(column=col)))
    for col, (low, high, strict_min) in table.ranges.items():
        exp.append(
            Expectation(
                "value_ranges",
                "data",
                gxe.ExpectColumnValuesToBeBetween(column=col, min_value=low, max_value=high, strict_min=strict_min),
            )
        )
    if table.date_column:
        limit = datetime.combine(today, datetime.max.time())
        if table.columns[table.date_column].startswith("TIMESTAMP"):
            limit = pd.Timestamp(limit, tz="UTC")
        exp.append(
            Expectation(
                "no_future_dates", "data", gxe.ExpectColumnValuesToBeBetween(column=table.date_column, max_value=limit)
            )
        )
    if "calendar_gaps" in check_names(table):
        exp.append(
            Expectation(
                "calendar_gaps",
                "gaps",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="allowed_gap", column_B="gap", or_equal=True),
            )
        )
    return exp


def utc_day(table: RawTable) -> str:
    """SQL for the UTC day of a row (a bar's start is a timestamp with a time zone)."""
    column = table.date_column
    return f"cast(timezone('UTC', {column}) as date)" if table.columns[column].startswith("TIMESTAMP") else column


def table_facts(conn, table: RawTable) -> pd.DataFrame:
    """One row: the whole table's row count and how many of its keys appear more than once."""
    keys = ", ".join(table.keys)
    return conn.sql(f"""
        select (select count(*) from raw.{table.name}) as table_rows,
               (select count(*) from (select {keys} from raw.{table.name} group by all having count(*) > 1))
                   as keys_more_than_once""").df()


def duplicate_keys(conn, table: RawTable) -> str:
    """The first keys that appear more than once, as a markdown table for the check's page."""
    keys = ", ".join(table.keys)
    found = conn.sql(f"""
        select {keys}, count(*) as copies from raw.{table.name} group by all having count(*) > 1
        order by copies desc, {keys} limit 20""").df()
    return found.astype(str).to_markdown(index=False)


def gap_frame(conn, table: RawTable, since=None) -> pd.DataFrame:
    """One row per observation after the first in its series (from `since` on): the gap since the previous one.
    A day loaded into the middle of a series changes its own gap and the next observation's, both on or after it."""
    group = table.calendar_by or "'all'"
    if table.bar_hours:
        gap = f"date_diff('hour', lag({table.date_column}) over w, {table.date_column})"
    else:
        gap = f"date_diff('day', lag({table.date_column}) over w, {table.date_column})"
    frame = conn.execute(f"""
        select {group}::varchar as series, {table.date_column} as observed_at, {gap} as gap
        from raw.{table.name}
        window w as (partition by {group} order by {table.date_column})
        qualify gap is not null{f" and {utc_day(table)} >= '{since}'" if since else ""}""").df()
    if table.bar_hours:
        frame["allowed_gap"] = table.bar_hours
    else:
        frame["allowed_gap"] = [CALENDAR_MAX_GAP_DAYS[table.calendar_for(s)] for s in frame["series"]]
    return frame


def schema_frame(conn, table: RawTable) -> pd.DataFrame:
    actual = dict(
        conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table.name],
        ).fetchall()
    )
    return pd.DataFrame(
        [
            {"column": c, "expected_type": t, "data_type": actual.get(c, "<missing>")}
            for c, t in table.all_columns.items()
        ]
    )
