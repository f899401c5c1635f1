"""No look-ahead: the whole pipeline on the raw data cut at a date gives, up to that date, the full run's rows.

A file of its own so that pytest-xdist can build the cut warehouse on one worker while the other builds the full
one (`--dist loadfile`); the cut warehouse is asked for first for the same reason.
"""

import duckdb
import polars as pl


def frame(warehouse, sql) -> pl.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.sql(sql).pl()


def differences(full: pl.DataFrame, cut: pl.DataFrame) -> list:
    """Per differing column: its first three differing days and values in each run (equal heights)."""
    out = []
    for col in full.columns:
        differ = full[col].ne_missing(cut[col])
        if differ.any():
            out.append(
                (
                    col,
                    full.filter(differ)["date"].to_list()[:3],
                    full.filter(differ)[col].to_list()[:3],
                    cut.filter(differ)[col].to_list()[:3],
                )
            )
    return out


def test_the_stress_marts_know_nothing_of_the_future(built_to_cut, built):
    # The whole pipeline on the raw data cut at a date must give, up to that date, the rows of the full run.
    from tests.shared_warehouse import CUT_DAY as cut

    truncated, run = built_to_cut
    warehouse, full_run = built
    assert run.success and full_run.success
    for mart in ("mart_liquidity_stress_daily", "mart_stress_comparison"):
        full = frame(warehouse, f"select * from marts.{mart} where date <= '{cut}' order by date")
        cut_run = frame(truncated, f"select * from marts.{mart} order by date")
        assert cut_run.height == full.height > 200, mart
        assert cut_run.equals(full), (mart, differences(full, cut_run))
