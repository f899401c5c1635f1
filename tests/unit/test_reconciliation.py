"""The reconciliation arithmetic (transforms/reconciliation.py) on frames built here, and the table of pairs the
checks are declared from."""

import csv
from datetime import date, datetime, timedelta, timezone

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration import settings as project
from orchestration.defs.raw.reconciliation import CLASS_REFERENCE, PAIRS, reconciliation_checks
from orchestration.lib.expected import EXPECTED_ON_SNAPSHOT, expected_note
from orchestration.lib.resources import SourceModes
from transforms.reconciliation import (
    continuity_gaps,
    intraday_gaps,
    lag_correlations,
    quarterly_gaps,
    source_gaps,
)

DAYS = [date(2024, 1, 1) + timedelta(days=i) for i in range(400)]


def closes(asset: str, values) -> pl.DataFrame:
    return pl.DataFrame({"date": DAYS[: len(values)], "asset_id": asset, "close": values})


@settings(max_examples=30, deadline=None)
@given(offset=st.floats(-0.05, 0.05), n=st.integers(5, 400))
def test_a_constant_premium_is_a_constant_gap_on_every_shared_day(offset, n):
    base = [100.0 + i % 17 for i in range(n)]
    prices = pl.concat([closes("REF", base), closes("B", [v * (1 + offset) for v in base])[: n - 2]])
    gaps = source_gaps(prices, "B", "REF")
    assert gaps.height == n - 2  # a day one source lacks is not compared
    assert (gaps["gap_pct"] - offset * 100).abs().max() < 1e-9


def test_the_next_stamp_reads_a_source_a_day_behind():
    base = [100.0 + i for i in range(10)]
    late = [None] + base[:-1]  # stamped a day behind: day i holds day i-1's close
    prices = pl.concat([closes("REF", base), closes("LATE", late)])
    assert source_gaps(prices, "LATE", "REF", next_stamp=True)["gap_pct"].abs().max() < 1e-12
    assert source_gaps(prices, "LATE", "REF")["gap_pct"].abs().min() > 0.5


@settings(max_examples=30, deadline=None)
@given(limit=st.floats(0.01, 2.0), bad=st.sets(st.integers(0, 3), max_size=4))
def test_the_broken_quarters_are_exactly_those_whose_median_is_beyond_the_limit(limit, bad):
    rows = []
    for quarter in range(4):
        start = date(2024, 3 * quarter + 1, 1)
        gap = limit * (2 if quarter in bad else 0.5)
        rows += [{"date": start + timedelta(days=d), "gap_pct": gap * (-1) ** d} for d in range(20)]
    by_quarter, broken = quarterly_gaps(pl.DataFrame(rows), limit, [])
    assert by_quarter.height == 4
    assert {d.month for d in broken["quarter"]} == {3 * q + 1 for q in bad}


def test_a_close_that_meets_the_next_open_has_no_gap_and_a_missing_day_is_not_compared():
    opens = [100.0, 101.0, 102.0, 103.0]
    prices = pl.DataFrame(
        {
            "date": [DAYS[0], DAYS[1], DAYS[2], DAYS[4]],
            "asset_id": "BTC",
            "open": opens,
            "close": [101.0, 102.0, 99.0, 104.0],
        }
    )
    gaps = continuity_gaps(prices)
    assert gaps["date"].to_list() == [DAYS[0], DAYS[1]] and gaps["gap_pct"].abs().max() < 1e-12


def test_hourly_bars_built_from_their_daily_bar_meet_it():
    start = datetime(2024, 1, 2, tzinfo=timezone.utc)
    bars = pl.DataFrame(
        {
            "bar_start": [start + timedelta(hours=h) for h in range(24)],
            "asset_id": "BTC",
            "source": "binance",
            "high": [100.0 + h for h in range(24)],
            "low": [90.0 - h for h in range(24)],
            "close": [95.0 + h / 10 for h in range(24)],
        }
    )
    daily = pl.DataFrame(
        {"date": [date(2024, 1, 2)], "asset_id": "REF", "close": [97.3], "high": [123.0], "low": [67.0]}
    )
    gaps = intraday_gaps(bars, daily, {"BTC": ("REF", "utc")})
    assert gaps.height == 1
    assert max(abs(gaps[c][0]) for c in ("gap_pct", "high_gap_pct", "low_gap_pct")) < 1e-9


def test_a_series_a_day_late_against_its_class_reference_is_caught():
    import random

    rng = random.Random(7)
    ref = [rng.gauss(0, 1) for _ in DAYS]
    panel = pl.concat(
        [
            pl.DataFrame({"date": DAYS, "asset_id": "DXY", "asset_class": "fx", "log_return_per_session": ref}),
            pl.DataFrame(
                {"date": DAYS, "asset_id": "LATE", "asset_class": "fx", "log_return_per_session": [0.0] + ref[:-1]}
            ),
            pl.DataFrame(
                {"date": DAYS, "asset_id": "SAME", "asset_class": "fx", "log_return_per_session": [v * 2 for v in ref]}
            ),
        ]
    )
    table = {r["asset_id"]: r["best_at_lag_0"] for r in lag_correlations(panel, CLASS_REFERENCE).iter_rows(named=True)}
    assert table == {"LATE": False, "SAME": True}


def test_every_pair_names_held_assets_and_every_check_is_declared_once():
    with (project.PROJECT_ROOT / "transforms" / "dbt" / "seeds" / "asset_reference.csv").open() as f:
        held = {r["asset_id"] for r in csv.DictReader(f)}
    for check, rows in PAIRS.items():
        assert len({r["kind"] for r in rows}) == 1, check
        for row in rows:
            assert row["asset"] in held and (not row["reference"] or row["reference"] in held), row
            assert row["limit_pct"] > 0
    declared = [k.name for c in reconciliation_checks for k in c.check_keys]
    assert sorted(declared) == sorted([*PAIRS, "returns_align_with_their_class_reference"])


def test_a_failure_the_snapshot_is_known_for_says_so_only_on_the_snapshot():
    for check in EXPECTED_ON_SNAPSHOT:
        assert expected_note(check, SourceModes(), passed=False).startswith("WARN as expected on the bundled")
        assert expected_note(check, SourceModes(), passed=True) == ""
        assert expected_note(check, SourceModes(prices="live"), passed=False) == ""
    assert expected_note("usdjpy_sources_reconcile", SourceModes(), passed=False) == ""
