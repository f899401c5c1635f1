"""Great Expectations suites on every raw table, run as blocking Dagster asset checks.

Each raw table gets up to five checks built from its entry in `raw_tables.py`: schema and types, unique
keys, value ranges, no future dates (all ERROR: a failure blocks the assets downstream of the table), and
no gaps beyond its market's calendar (WARN).

What they read: in a run narrowed to some days (a close, `liqmart backfill`), the row-by-row expectations
validate those days' rows of a yearly table, the rows that run loaded, and the gaps from its first day on; the
whole-table invariants (the columns and types, at least one row, no key twice) are counted in SQL over the
whole table whatever the run. A run over whole tables (`liqmart run`, the automation sensor after an inbox
file, the UI) validates every row. Each result says which rows it validated (`scope`, `rows_validated`).
"""

from datetime import date

import dagster as dg

from orchestration import settings
from orchestration.lib.expectations.raw import (  # noqa: F401  (check_names: the tests read it here too)
    SEVERITY,
    check_names,
    describe_check,
    duplicate_keys,
    expectations_for,
    gap_frame,
    schema_frame,
    table_facts,
    utc_day,
)
from orchestration.lib.expected import expected_note
from orchestration.lib.gx_runner import GreatExpectations, run_expectations, to_check_result
from orchestration.lib.raw_tables import RAW_TABLES, RawTable
from orchestration.lib.resources import SourceModes
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import FIRST_DAY, run_window


def build_raw_check(table: RawTable) -> dg.AssetChecksDefinition:
    key = dg.AssetKey(table.key)

    @dg.multi_asset_check(
        name=f"raw_{table.name}_expectations",
        specs=[
            # Only an ERROR check blocks what is built downstream; a WARN check (a missing day is incomplete
            # data, not wrong data) is labelled as it behaves.
            dg.AssetCheckSpec(
                name,
                asset=key,
                blocking=name not in SEVERITY,
                description=describe_check(table, name),
                # A load that ran without its checks (an inbox file) is checked by the automation sensor.
                automation_condition=dg.AutomationCondition.eager(),
            )
            for name in check_names(table)
        ],
        pool=settings.WRITER_POOL,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse, sources: SourceModes, gx: GreatExpectations
    ):
        days = run_window(context) if table.yearly else None
        if days and table.history_floor and days[0] == date.fromisoformat(FIRST_DAY):
            days = (date.fromisoformat(table.history_floor), days[1])  # the first year holds the older history
        scope = f"{days[0]}..{days[1]}" if days else "whole table"
        where = f" where {utc_day(table)} between '{days[0]}' and '{days[1]}'" if days else ""
        with warehouse.get_connection() as conn:
            present = conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
                [table.name],
            ).fetchall()[0][0]
            if present:
                frames = {
                    "data": conn.sql(f"select * from raw.{table.name}{where}").df(),
                    "schema": schema_frame(conn, table),
                    "table": table_facts(conn, table),
                }
                if "calendar_gaps" in check_names(table):
                    frames["gaps"] = gap_frame(conn, table, since=days[0] if days else None)
                duplicates = duplicate_keys(conn, table) if frames["table"]["keys_more_than_once"][0] else None
        if not present:  # nothing to check is a failure of every check, never a pass nor a crash
            for name in check_names(table):
                yield dg.AssetCheckResult(
                    asset_key=key,
                    check_name=name,
                    passed=False,
                    severity=SEVERITY.get(name, dg.AssetCheckSeverity.ERROR),
                    metadata={"why": f"raw.{table.name} does not exist in {warehouse.database}"},
                )
            return
        outcome = run_expectations(
            f"raw_{table.name}", frames, expectations_for(table, settings.today_utc()), gx.context()
        )
        for name in check_names(table):
            extra = {"scope": scope, "rows_validated": len(frames["data"])}
            if name == "unique_keys" and duplicates:
                extra["keys_more_than_once"] = dg.MetadataValue.md(duplicates)
            if name == "calendar_gaps" and not outcome[name]["passed"]:
                gaps = frames["gaps"]
                worst = gaps[gaps["gap"] > gaps["allowed_gap"]].sort_values("gap", ascending=False).head(20)
                extra["gaps_beyond_calendar"] = dg.MetadataValue.md(worst.astype(str).to_markdown(index=False))
            severity = SEVERITY.get(name, dg.AssetCheckSeverity.ERROR)
            note = expected_note(name, sources, outcome[name]["passed"])
            yield to_check_result(key, name, outcome[name], severity, extra, note=note)

    return _check


raw_table_checks = [build_raw_check(t) for t in RAW_TABLES.values()]
