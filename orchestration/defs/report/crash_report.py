"""report/crash_report: the self-contained HTML report drawn from the marts, rebuilt whenever they change."""

from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lib.report.build import SECTIONS, write_report
from orchestration.lib.warehouse import Warehouse

MARTS = [
    "dim_asset",
    "fct_asset_daily",
    "fct_rates_daily",
    "fct_btc_flows_daily",
    "mart_liquidity_stress_daily",
    "mart_stress_comparison",
    "mart_stress_episode_evaluation",
    "mart_claims",
]


@dg.asset(
    key=["report", "crash_report"],
    deps=[dg.AssetKey(["marts", m]) for m in MARTS],
    group_name="report",
    kinds={"plotly", "html"},
    pool=settings.WRITER_POOL,
    owners=["team:liquidity-mart"],
    automation_condition=dg.AutomationCondition.eager(),
    description="warehouse/report/index.html: cross-asset drawdowns, the daily-return heatmap, the stress "
    "index with its regimes and components, JGB yields with USDJPY, ETF flows against BTC, 2025 "
    "supply absorption, the liquidity black-hole days with what moved first, and the claims "
    "ledger. Self-contained: plotly.js is inlined, nothing loads from the network.",
)
def crash_report(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    target = write_report(warehouse.database, settings.report_path(warehouse.database))
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "size_kb": round(Path(target).stat().st_size / 1024),
            "charts": dg.MetadataValue.json(SECTIONS),
            "open": dg.MetadataValue.url(Path(target).as_uri()),
        }
    )
