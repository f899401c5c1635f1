"""Describing any warehouse table the same way everywhere: which column dates its rows."""

from __future__ import annotations

# Every time series names its date column `date` from staging on (raw tables too). The others are a table's
# own kind of date: an intraday bar's start, a margin change's announcement, an event's day.
DATE_COLUMNS = ("date", "bar_start", "announced_on", "event_date")


def table_exists(conn, table: str) -> bool:
    """Whether `schema.name` is a table or view of the warehouse."""
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema || '.' || table_name = ?", [table]
        ).fetchone()[0]
    )


def date_column_of(columns: list[str]) -> str | None:
    """The column that dates a table's rows, from its column names."""
    return next((c for c in DATE_COLUMNS if c in columns), None)


def table_date_column(conn, schema: str, name: str) -> str | None:
    """The date column of a table in the warehouse."""
    names = [
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    ]
    return date_column_of(names)


def table_span(conn, schema: str, name: str, date_col: str | None) -> tuple[int, str | None, str | None]:
    """A table's row count and the first and last value of its date column (None without one or without rows)."""
    rows = conn.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
    if not date_col or not rows:
        return rows, None, None
    first, last = conn.execute(f'select min({date_col}), max({date_col}) from "{schema}"."{name}"').fetchone()
    return rows, str(first), str(last)
