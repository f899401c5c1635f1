"""Daily partitions of the time-series raw tables, and the date window a run covers.

A partition is a UTC calendar day from 2024-01-01 to today (today included, so that the US-close run at
22:00 UTC can load today's close). A range of days runs as one run (`BackfillPolicy.single_run`): the
source is asked once for the whole range where it allows it, and the batch replaces exactly those days.
"""

import warnings
from datetime import date, timedelta

import dagster as dg
import polars as pl

from orchestration import settings

# `backfill_policy` is marked beta; single-run backfills are what the dagster-dbt docs recommend for ranges.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

FIRST_DAY = "2024-01-01"
DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")
PARTITIONED = dict(partitions_def=DAILY, backfill_policy=dg.BackfillPolicy.single_run())
WINDOW_PAYLOAD = "window"  # the window is part of a batch's input: the same file cut to another week is another batch


def window(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """First and last day (inclusive) of the partitions this run materializes."""
    start, end = context.partition_time_window  # end is the exclusive midnight after the last day
    return start.date(), (end - timedelta(days=1)).date()


def within(frame: pl.DataFrame, column: str, days: tuple[date, date]) -> pl.DataFrame:
    day = pl.col(column).cast(pl.Date) if frame.schema[column] == pl.Date else pl.col(column).dt.date()
    return frame.filter(day.is_between(days[0], days[1]))


def range_tags(start: str = FIRST_DAY, end: str | None = None) -> dict[str, str]:
    """Run tags that make one run cover the partitions start..end (the whole history by default)."""
    return {"dagster/asset_partition_range_start": start,
            "dagster/asset_partition_range_end": end or settings.today_utc().isoformat()}
