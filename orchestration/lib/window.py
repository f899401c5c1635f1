"""Yearly partitions of the time-series raw tables, and the exact days a run loads.

A partition is a UTC calendar year from 2024, the first year the sources were collected day by day, to the
current year; the first partition also holds the history before it (from 2000, or a table's own
`history_floor`: the rates from 1962), which the bundle holds year after year and no source revises. Dagster
records one materialization (and, before the run, one planned event) per partition per asset in its sqlite
event log, about 20 ms each on this machine: a partition per year of history cost every full run about 6 s of
bookkeeping (27 partitions per table instead of 3), for a grid in the *Partitions* tab that says when a run
touched a year, not whether its data is complete (the `calendar_gaps` check says that). Daily partitions cost
minutes (docs/operations.md, "Why years").

A run covers whole years unless its tags narrow it to days: the close schedules ask for the year of their
market day and narrow the run to that one day; `liqmart backfill --start --end` asks for the years it touches
and narrows to its days. So a scheduled refresh still loads exactly one market day. A range of years runs as
one run (`BackfillPolicy.single_run`): the source is asked once, and the batch replaces exactly the window's
days. Each materialization's metadata says which days were loaded (`window_start`, `window_end`).
"""

import warnings
from datetime import date, datetime, timedelta, timezone

import dagster as dg
import polars as pl

from orchestration import settings

# `backfill_policy` is marked beta; single-run backfills are what the dagster-dbt docs recommend for ranges.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

# The bundled history starts in 2000 (data/snapshot/build_snapshot.py HISTORY_FLOOR): the COMEX futures' and the
# OFR FSI's first year. A day before it is outside every table but the rates (their `history_floor`).
FIRST_DAY = "2000-01-01"
# The first partition: the year the collected files start day by day (the bundle's PROVENANCE); it holds the
# history before it too.
FIRST_PARTITION_DAY = date(2024, 1, 1)
YEARLY = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start=str(FIRST_PARTITION_DAY.year), fmt="%Y", timezone="UTC", end_offset=1
)
PARTITIONED = dict(partitions_def=YEARLY, backfill_policy=dg.BackfillPolicy.single_run())
WINDOW_PAYLOAD = "window"  # the window is part of a batch's input: the same file cut to another week is another batch

# Run tags that narrow a run to days inside its partitions (set by the schedules and `liqmart backfill`).
WINDOW_START_TAG = "liquidity/window_start"
WINDOW_END_TAG = "liquidity/window_end"


def partition_key_for(day: date | str) -> str:
    """The key of the partition holding a day: the first partition for any day of the history before it."""
    day = max(date.fromisoformat(day) if isinstance(day, str) else day, FIRST_PARTITION_DAY)
    return YEARLY.get_partition_key_for_timestamp(
        datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()
    )


def window(context: dg.AssetExecutionContext, history_floor: str | None = None) -> tuple[date, date]:
    """First and last day (inclusive) this run loads: its partitions' years (the first one from FIRST_DAY),
    narrowed by the window tags. A run that starts at FIRST_DAY loads a table's older history too, from its
    `history_floor`."""
    start, end = context.partition_time_window  # end is the exclusive midnight after the last year
    first, last = start.date(), (end - timedelta(days=1)).date()
    if first == FIRST_PARTITION_DAY:
        first = date.fromisoformat(FIRST_DAY)
    held = (first, last)
    tags = context.run.tags
    if WINDOW_START_TAG in tags:
        first = max(first, date.fromisoformat(tags[WINDOW_START_TAG]))
    if WINDOW_END_TAG in tags:
        last = min(last, date.fromisoformat(tags[WINDOW_END_TAG]))
    if history_floor and first == date.fromisoformat(FIRST_DAY):
        first = date.fromisoformat(history_floor)
    if first > last:
        raise dg.Failure(
            f"the run's window {tags.get(WINDOW_START_TAG)}..{tags.get(WINDOW_END_TAG)} lies outside "
            f"its partitions' days {held[0]}..{held[1]}"
        )
    return first, last


def run_window(context) -> tuple[date, date] | None:
    """The days the run was narrowed to by its window tags (a close, a backfill), or None: a run over whole tables
    (the automation sensor's, the UI's) or a check called directly."""
    try:
        tags = context.run.tags
    except dg.DagsterError:  # invoked directly, outside a run
        return None
    if WINDOW_START_TAG not in tags or WINDOW_END_TAG not in tags:
        return None
    return date.fromisoformat(tags[WINDOW_START_TAG]), date.fromisoformat(tags[WINDOW_END_TAG])


def within(frame: pl.DataFrame, column: str, days: tuple[date, date]) -> pl.DataFrame:
    day = pl.col(column).cast(pl.Date) if frame.schema[column] == pl.Date else pl.col(column).dt.date()
    return frame.filter(day.is_between(days[0], days[1]))


def day_tags(start: str, end: str | None = None) -> dict[str, str]:
    """Tags narrowing a run to the days start..end (the run's partitions must hold them)."""
    return {WINDOW_START_TAG: start, WINDOW_END_TAG: end or start}


def range_tags(start: str = FIRST_DAY, end: str | None = None) -> dict[str, str]:
    """Run tags that make one run load the days start..end (the whole history by default): the years that hold
    them as one partition range, narrowed to those days."""
    end = end or settings.today_utc().isoformat()
    return {
        "dagster/asset_partition_range_start": partition_key_for(start),
        "dagster/asset_partition_range_end": partition_key_for(end),
        **day_tags(start, end),
    }
