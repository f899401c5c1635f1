"""Monthly partitions of the time-series raw tables, and the exact days a run loads.

A partition is a UTC calendar month from 2024-01 to the current month. Dagster records one materialization
(and, before the run, one planned event) per partition per asset in its sqlite event log, about 30 ms each on
this machine: daily partitions cost ~3.5 min of bookkeeping for a 15 s load of the history, monthly ones a few
seconds (measured in the README, "Partitions").

A run covers whole months unless its tags narrow it to days: the close schedules ask for the month of their
market day and narrow the run to that one day; `liqmart backfill --start --end` asks for the months it touches
and narrows to its days. So a scheduled refresh still loads exactly one market day. A range of months runs as
one run (`BackfillPolicy.single_run`): the source is asked once, and the batch replaces exactly the window's
days. Each materialization's metadata says which days were loaded (`window_start`, `window_end`).
"""

import warnings
from datetime import date, timedelta

import dagster as dg
import polars as pl

from orchestration import settings

# `backfill_policy` is marked beta; single-run backfills are what the dagster-dbt docs recommend for ranges.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

FIRST_DAY = "2024-01-01"
MONTHLY = dg.MonthlyPartitionsDefinition(start_date=FIRST_DAY[:7], end_offset=1, timezone="UTC", fmt="%Y-%m")
PARTITIONED = dict(partitions_def=MONTHLY, backfill_policy=dg.BackfillPolicy.single_run())
WINDOW_PAYLOAD = "window"  # the window is part of a batch's input: the same file cut to another week is another batch

# Run tags that narrow a run to days inside its partitions (set by the schedules and `liqmart backfill`).
WINDOW_START_TAG = "liquidity/window_start"
WINDOW_END_TAG = "liquidity/window_end"


def month_key(day: date | str) -> str:
    return (date.fromisoformat(day) if isinstance(day, str) else day).strftime("%Y-%m")


def window(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """First and last day (inclusive) this run loads: its partitions' months, narrowed by the window tags."""
    start, end = context.partition_time_window  # end is the exclusive midnight after the last month
    first, last = start.date(), (end - timedelta(days=1)).date()
    tags = context.run.tags
    if WINDOW_START_TAG in tags:
        first = max(first, date.fromisoformat(tags[WINDOW_START_TAG]))
    if WINDOW_END_TAG in tags:
        last = min(last, date.fromisoformat(tags[WINDOW_END_TAG]))
    if first > last:
        raise dg.Failure(f"the run's window {tags.get(WINDOW_START_TAG)}..{tags.get(WINDOW_END_TAG)} lies outside "
                         f"its partitions {start.date()}..{(end - timedelta(days=1)).date()}")
    return first, last


def within(frame: pl.DataFrame, column: str, days: tuple[date, date]) -> pl.DataFrame:
    day = pl.col(column).cast(pl.Date) if frame.schema[column] == pl.Date else pl.col(column).dt.date()
    return frame.filter(day.is_between(days[0], days[1]))


def day_tags(start: str, end: str | None = None) -> dict[str, str]:
    """Tags narrowing a run to the days start..end (the run's partitions must hold them)."""
    return {WINDOW_START_TAG: start, WINDOW_END_TAG: end or start}


def range_tags(start: str = FIRST_DAY, end: str | None = None) -> dict[str, str]:
    """Run tags that make one run load the days start..end (the whole history by default): the months that hold
    them as one partition range, narrowed to those days."""
    end = end or settings.today_utc().isoformat()
    return {"dagster/asset_partition_range_start": month_key(start),
            "dagster/asset_partition_range_end": month_key(end), **day_tags(start, end)}
