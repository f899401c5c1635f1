"""The cross-asset measures on the aligned panel, computed with polars and numpy (transforms/stress.py): rolling
average pairwise correlation (60 days), absorption ratio and turbulence (250 days), class breadth of 2-sigma
falls, the carry-unwind score, the composite stress index and the regime.

A dbt Python model (dbt-duckdb runs it in dbt's process, on its DuckDB connection), so the marts that read the
measures are in the same dbt graph and build: no Dagster step between two dbt selections. The computation is a
pure function of the two frames, tested directly (tests/unit/test_measures.py), including that it knows
nothing of the future.
"""

from transforms.stress import stress_measures


def model(dbt, session):
    dbt.config(materialized="table")
    # Per-session returns: a crypto Monday (three days) or a return after a closed market day is scaled to one
    # session, so that z-scores and the matrix measures compare like with like.
    panel = dbt.ref("int_panel_returns_aligned").select("date, asset_id, asset_class, log_return_per_session").pl()
    # The 2-year UST and JGB yields: the carry gap.
    rates = (
        dbt.ref("int_rates_unioned")
        .filter("curve in ('UST', 'JGB') and tenor_years = 2")
        .select("date, curve, yield_pct")
        .pl()
    )
    return stress_measures(panel, rates, "log_return_per_session").to_arrow()
