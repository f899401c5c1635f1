"""The cross-asset measures on the aligned panel, computed with polars and numpy (transforms/stress.py): rolling
average pairwise correlation (60 days), absorption ratio and turbulence (250 days), class breadth of 2-sigma
falls, the carry-unwind score, the composite stress index and the regime.

A dbt Python model (dbt-duckdb runs it in dbt's process, on its DuckDB connection), so the marts that read the
measures are in the same dbt graph and build: no Dagster step between two dbt selections. The computation is a
pure function of the two frames, tested directly (tests/unit/test_measures.py), including that it knows
nothing of the future and that the tail computed from `history_start` equals the whole history's.

Incremental: a refresh recomputes only the tail, from the first day its inputs changed since the last build
(int_cross_asset_measures_refresh), on the HISTORY_DAYS complete panel days before it; its record of what it read
is the post-hook in _intermediate__models.yml. `dbt build --full-refresh` rebuilds it whole.
"""

from datetime import timedelta

import polars as pl

from transforms.stress import history_start, stress_measures


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="date")
    # Per-session returns: a crypto Monday (three days) or a return after a closed market day is scaled to one
    # session, so that z-scores and the matrix measures compare like with like.
    panel = dbt.ref("int_panel_returns_aligned").select("date, asset_id, asset_class, log_return_per_session").pl()
    # The 2-year UST and JGB yields (the carry gap) and the curve points of the rates component.
    rates = (
        dbt.ref("int_rates_unioned")
        .filter("(curve = 'UST' and tenor_years in (2, 10, 30)) or (curve = 'JGB' and tenor_years in (2, 10))")
        .select("date, curve, tenor_years, yield_pct")
        .pl()
    )
    first_day = None
    if dbt.is_incremental:
        first_day = dbt.ref("int_cross_asset_measures_refresh").pl()["first_day"][0]
        if first_day is None:  # nothing new: no row to write
            return session.sql(f"select * from {dbt.this} where false")
        start = history_start(panel, first_day, "log_return_per_session")
        panel = panel.filter(pl.col("date") >= start)
        rates = rates.filter(pl.col("date") >= start - timedelta(days=14))  # a level as of each panel day
    measures = stress_measures(panel, rates, "log_return_per_session")
    if first_day is not None:
        measures = measures.filter(pl.col("date") >= first_day)
    return measures.to_arrow()
