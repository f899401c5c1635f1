"""intermediate/int_cross_asset_measures: the polars step between the dbt panel and the stress marts."""

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.lib.warehouse import Warehouse
from transforms.stress import stress_measures

PANEL = dg.AssetKey(["intermediate", "int_panel_returns_aligned"])
RATES = dg.AssetKey(["intermediate", "int_rates_unioned"])  # 2-year UST and JGB: the carry gap


def measure_inputs(conn) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The aligned panel's per-session returns and the 2-year UST and JGB yields (the carry gap)."""
    # Per-session returns: a crypto Monday (three days) or a return after a closed market day is scaled
    # to one session, so that z-scores and the matrix measures compare like with like.
    panel = conn.sql(
        "select date, asset_id, asset_class, log_return_per_session from intermediate.int_panel_returns_aligned"
    ).pl()
    rates = conn.sql(
        "select date, curve, yield_pct from intermediate.int_rates_unioned "
        "where curve in ('UST', 'JGB') and tenor_years = 2"
    ).pl()
    return panel, rates


@dg.asset(
    key=["intermediate", "int_cross_asset_measures"],
    deps=[PANEL, RATES],
    group_name="intermediate",
    kinds={"polars", "duckdb"},
    pool=settings.WRITER_POOL,
    owners=["team:liquidity-mart"],
    automation_condition=dg.AutomationCondition.eager(),
    description="Rolling average pairwise correlation (60d), absorption ratio and turbulence (250d) on the "
    "aligned panel, class breadth of 2-sigma falls, carry-unwind score, the composite stress "
    "index and the regime. Matrix work in numpy/polars, vectorised over all windows.",
)
def int_cross_asset_measures(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.get_connection() as conn:
        measures = stress_measures(*measure_inputs(conn), "log_return_per_session")
        conn.register("_measures", measures.to_arrow())
        conn.execute("create or replace table intermediate.int_cross_asset_measures as select * from _measures")
        conn.unregister("_measures")
    last = measures.drop_nulls("stress_index").tail(1)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": measures.height,
            "first_date": str(measures["date"].min()),
            "last_date": str(measures["date"].max()),
            "panel_assets": measures["n_assets"][0],
            "days_liquidity_black_hole": int((measures["regime"] == "liquidity_black_hole").sum()),
            "latest_stress_index": float(last["stress_index"][0]) if last.height else None,
        }
    )
