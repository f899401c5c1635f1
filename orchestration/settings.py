"""Paths and settings in one place. Every default works on a fresh clone; environment variables override."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_DIR = PROJECT_ROOT / "data" / "snapshot"
DBT_PROJECT_DIR = PROJECT_ROOT / "transforms" / "dbt"

# The crash the project asks about, Jan 29 - Feb 6 2026 (US sessions): one definition for the summary, the
# report and the UI's previews (dbt's models state their own windows beside their claims).
CRASH_WINDOW = ("2026-01-29", "2026-02-06")

WAREHOUSE_ENV = "LIQUIDITY_WAREHOUSE"
WRITER_POOL = "duckdb_warehouse"  # every op that writes (or reads) the DuckDB file; limit 1


def checked_warehouse_path(path: Path | str) -> Path:
    """The warehouse file at any path and name, but for the quote characters dbt-duckdb cannot put in the
    catalog name it derives from the file's stem (its catalog queries break on `'`)."""
    path = Path(path).resolve()
    if any(quote in path.stem for quote in "'\""):
        raise ValueError(
            f"{WAREHOUSE_ENV}={path}: the warehouse file's name must not contain a quote (' or \"): "
            f"dbt-duckdb names the database after it and cannot quote it; rename the file"
        )
    return path


def warehouse_path() -> Path:
    return checked_warehouse_path(os.environ.get(WAREHOUSE_ENV) or PROJECT_ROOT / "warehouse" / "liquidity.duckdb")


# A Postgres URL for Dagster's run, event-log and schedule storage; a new Dagster home set up while it is set
# stores there (orchestration/dagster.postgres.yaml), otherwise in sqlite under the home.
DAGSTER_PG_ENV = "DAGSTER_PG_URL"


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / "warehouse" / "dagster_home").resolve()


TODAY_ENV = "LIQMART_TODAY"


def today_utc() -> date:
    """Today's UTC date. LIQMART_TODAY (YYYY-MM-DD) pins it: the test session sets it once, so that a suite that
    crosses midnight compares warehouses built on one day, not a warehouse of yesterday with one of today."""
    pinned = os.environ.get(TODAY_ENV)
    return date.fromisoformat(pinned) if pinned else datetime.now(timezone.utc).date()


def report_path(warehouse: Path | str | None = None) -> Path:
    """The crash report lives beside the warehouse it is drawn from: <warehouse dir>/report/index.html."""
    return Path(warehouse or warehouse_path()).resolve().parent / "report" / "index.html"
