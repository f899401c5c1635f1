"""The yearly partitions and the days a run loads (orchestration/lib/window.py): the first partition holds the
history before it, and window tags narrow any partition to days."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import dagster as dg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.lib.window import (
    FIRST_DAY,
    FIRST_PARTITION_DAY,
    YEARLY,
    day_tags,
    partition_key_for,
    window,
)

FIRST = FIRST_PARTITION_DAY.year


def run_of(first_year: int, last_year: int, tags: dict | None = None) -> SimpleNamespace:
    """What window() reads of an asset's context: the partitions' time window and the run's tags."""
    start = datetime(first_year, 1, 1, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=timezone.utc)
    return SimpleNamespace(partition_time_window=dg.TimeWindow(start, end), run=SimpleNamespace(tags=tags or {}))


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)))
def test_a_day_belongs_to_its_year_or_to_the_first_partition_before_it(day):
    key = partition_key_for(day)
    assert key == str(max(day.year, FIRST))
    assert partition_key_for(day.isoformat()) == key
    assert key in YEARLY.get_partition_keys(current_time=datetime(2030, 12, 31, tzinfo=timezone.utc))


def test_the_first_partition_holds_the_history_and_a_floor_reaches_further():
    assert window(run_of(FIRST, FIRST)) == (date.fromisoformat(FIRST_DAY), date(FIRST, 12, 31))
    assert window(run_of(FIRST, FIRST + 2)) == (date.fromisoformat(FIRST_DAY), date(FIRST + 2, 12, 31))
    assert window(run_of(FIRST, FIRST), "1962-01-01") == (date(1962, 1, 1), date(FIRST, 12, 31))
    # A later partition is its own year, whatever the table's floor.
    assert window(run_of(FIRST + 1, FIRST + 1), "1962-01-01") == (date(FIRST + 1, 1, 1), date(FIRST + 1, 12, 31))


@given(
    st.dates(min_value=date.fromisoformat(FIRST_DAY), max_value=date(FIRST + 2, 12, 31)),
    st.integers(min_value=0, max_value=40),
    st.booleans(),
)
def test_tags_narrow_any_partition_to_their_days(first, length, floored):
    last = min(first + timedelta(days=length), date(FIRST + 2, 12, 31))
    context = run_of(int(partition_key_for(first)), int(partition_key_for(last)), day_tags(str(first), str(last)))
    floor = "1962-01-01" if floored else None
    expected_first = date(1962, 1, 1) if floored and first == date.fromisoformat(FIRST_DAY) else first
    assert window(context, floor) == (expected_first, last)


def test_tags_outside_the_partitions_fail_the_run_naming_both():
    context = run_of(FIRST, FIRST, day_tags(f"{FIRST + 1}-03-02", f"{FIRST + 1}-03-03"))
    with pytest.raises(dg.Failure, match=rf"{FIRST + 1}-03-02\.\.{FIRST + 1}-03-03 lies outside its partitions' days"):
        window(context)
