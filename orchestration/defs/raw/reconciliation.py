"""Cross-source reconciliation and clock checks (WARN): two sources of one thing must agree, a 24/7 market's
close must meet its next open, an hourly series must meet its daily reference, and every panel asset must move
with its class's reference on the same day.

The pairs and their limits are one table, `source_pairs.csv` (a check per `check`, its rows its pairs); the
arithmetic is `transforms/reconciliation.py`. Each check puts the worst dates and gaps in its metadata, so a
warning says where to look, and a failure the bundled snapshot is known to produce says so in its description.
"""

import csv
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.lib.expected import expected_note
from orchestration.lib.resources import SourceModes
from orchestration.lib.warehouse import Warehouse
from transforms.reconciliation import (
    continuity_gaps,
    intraday_gaps,
    intraday_summary,
    lag_correlations,
    quarterly_gaps,
    source_gaps,
    worst_days,
)

PRICES = dg.AssetKey(["raw", "prices"])
INTRADAY = dg.AssetKey(["raw", "intraday_bars"])
PANEL = dg.AssetKey(["intermediate", "int_panel_returns_aligned"])
# Each check runs with its table's load, and again whenever the table changed in a run that did not run it.
CHECK_WHEN_UPDATED = dg.AutomationCondition.eager()
# Each class's reference series: the asset the others in the class must move with on the same panel day.
CLASS_REFERENCE = {"crypto": "BTC", "precious_metal": "XAU", "equity_index": "IXIC", "fx": "DXY"}


def _pairs() -> dict[str, list[dict]]:
    with (Path(__file__).parent / "source_pairs.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    checks: dict[str, list[dict]] = {}
    for row in rows:
        row["limit_pct"] = float(row["limit_pct"])
        row["p95_limit_pct"] = float(row["p95_limit_pct"]) if row["p95_limit_pct"] else None
        checks.setdefault(row["check"], []).append(row)
    return checks


PAIRS = _pairs()


def _table(frame: pl.DataFrame) -> dg.MetadataValue:
    return dg.MetadataValue.md(frame.to_pandas().to_markdown(index=False, floatfmt=".4g"))


def _prices(warehouse: Warehouse, assets: tuple[str, ...], columns: str = "date, asset_id, close") -> pl.DataFrame:
    with warehouse.get_connection() as conn:
        return conn.sql(f"select {columns} from raw.prices where asset_id in {assets}").pl()


def _result(check: str, sources: SourceModes, passed: bool, description: str, metadata: dict) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.WARN,
        description=expected_note(check, sources, passed) + description,
        metadata=metadata,
    )


def quarterly(gaps: pl.DataFrame, limit_pct: float, by: list[str]) -> tuple[bool, str, dict]:
    """(passed, description, metadata): passed unless a quarter's median absolute gap is beyond the limit; the
    quarters and the worst days shown."""
    if gaps.height == 0:
        return False, "no day to compare", {"days_compared": 0, "why": "no day to compare"}
    by_quarter, broken = quarterly_gaps(gaps, limit_pct, by)
    return (
        broken.height == 0,
        f"{broken.height} of {by_quarter.height} quarters have a median gap beyond {limit_pct}% "
        f"({gaps.height} days compared)",
        {
            "days_compared": gaps.height,
            "quarters_beyond_limit": broken.height,
            "by_quarter": _table(by_quarter),
            "worst_days": _table(worst_days(gaps)),
        },
    )


def second_source_check(check: str, rows: list[dict]) -> dg.AssetChecksDefinition:
    """A second source of an asset's close against the reference source on the days both hold: WARN unless every
    quarter's median absolute gap is within the limit (and the 95th percentile, where the table sets one). A
    basis pair also reports the median signed gap: a futures premium, reported rather than judged."""
    pair = rows[0]

    @dg.asset_check(
        asset=PRICES,
        name=check,
        pool=settings.WRITER_POOL,
        automation_condition=CHECK_WHEN_UPDATED,
        description=pair["description"].format(**pair),
    )
    def _check(warehouse: Warehouse, sources: SourceModes) -> dg.AssetCheckResult:
        asset, reference = pair["asset"], pair["reference"]
        gaps = source_gaps(
            _prices(warehouse, (asset, reference)), asset, reference, next_stamp=pair["next_stamp"] == "1"
        )
        passed, description, metadata = quarterly(gaps, pair["limit_pct"], by=[])
        if gaps.height == 0:
            return _result(check, sources, passed, description, metadata)
        absolute = gaps["gap_pct"].abs()
        extra = {"median_abs_gap_pct": float(absolute.median()), "p95_abs_gap_pct": float(absolute.quantile(0.95))}
        if pair["p95_limit_pct"] is not None:  # the whole span too: its median and its 95th percentile
            passed = passed and extra["median_abs_gap_pct"] <= pair["limit_pct"]
            passed = passed and extra["p95_abs_gap_pct"] <= pair["p95_limit_pct"]
        if pair["basis"] == "1":
            extra["median_basis_pct"] = float(gaps["gap_pct"].median())
        return _result(check, sources, passed, description, {**metadata, **extra})

    return _check


def continuity_check(check: str, rows: list[dict]) -> dg.AssetChecksDefinition:
    limit = rows[0]["limit_pct"]

    @dg.asset_check(
        asset=PRICES,
        name=check,
        pool=settings.WRITER_POOL,
        automation_condition=CHECK_WHEN_UPDATED,
        description=rows[0]["description"].format(**rows[0]),
    )
    def _check(warehouse: Warehouse, sources: SourceModes) -> dg.AssetCheckResult:
        assets = tuple(r["asset"] for r in rows)
        prices = _prices(warehouse, assets, "date, asset_id, open, close").drop_nulls("open")
        return _result(check, sources, *quarterly(continuity_gaps(prices), limit, by=["asset_id"]))

    return _check


def intraday_check(check: str, rows: list[dict]) -> dg.AssetChecksDefinition:
    references = {r["asset"]: (r["reference"], r["clock"]) for r in rows}
    limits = {r["asset"]: r["limit_pct"] for r in rows}

    @dg.asset_check(
        asset=INTRADAY,
        name=check,
        pool=settings.WRITER_POOL,
        automation_condition=CHECK_WHEN_UPDATED,
        additional_deps=[PRICES],
        description=rows[0]["description"] + " Limits: " + ", ".join(f"{a} {v}%" for a, v in limits.items()) + ".",
    )
    def _check(warehouse: Warehouse, sources: SourceModes) -> dg.AssetCheckResult:
        with warehouse.get_connection() as conn:
            loaded = conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'prices'"
            ).fetchall()[0][0]
            if not loaded:
                # A UI backfill loads the unpartitioned raw tables in a run of their own, which may come before the
                # prices run: the check cannot compare yet, and says so rather than pass or crash the run.
                why = "raw.prices is not loaded yet: no daily reference to compare with (materialize raw/prices)"
                return _result(check, sources, False, why, {"why": why})
            bars = conn.sql("select bar_start, asset_id, source, high, low, close from raw.intraday_bars").pl()
            daily = conn.sql(
                "select date, asset_id, close, high, low from raw.prices where asset_id in "
                f"{tuple(r for r, _ in references.values())}"
            ).pl()
        gaps = intraday_gaps(bars, daily, references)
        if gaps.height == 0:
            why = "no day held by both the hourly and the daily series"
            return _result(check, sources, False, why, {"days_compared": 0, "why": why})
        summary = intraday_summary(gaps, limits)
        broken = summary.filter(pl.col("median_abs_close_gap_pct") > pl.col("limit_pct"))
        worst = worst_days(gaps).select(
            "date", "asset_id", "source", "reference", "hourly_close", "close", "gap_pct", "bars"
        )
        return _result(
            check,
            sources,
            broken.height == 0,
            f"{broken.height} of {summary.height} hourly series beyond their limit ({gaps.height} days compared)",
            {
                "days_compared": gaps.height,
                "series_beyond_limit": broken.height,
                "by_series": _table(summary),
                "worst_days": _table(worst),
            },
        )

    return _check


@dg.asset_check(
    asset=PANEL,
    name="returns_align_with_their_class_reference",
    pool=settings.WRITER_POOL,
    automation_condition=CHECK_WHEN_UPDATED,
    description="Each panel asset's returns correlate best with its class reference (crypto: BTC, "
    "metals: gold, equity indices: Nasdaq Composite, FX: dollar index) on the same panel "
    "day, not the day before or after: a series stamped a day late (as Yahoo's JPY=X is) "
    "fails here. WARN.",
)
def returns_align_with_their_class_reference(warehouse: Warehouse, sources: SourceModes) -> dg.AssetCheckResult:
    with warehouse.get_connection() as conn:
        panel = conn.sql(
            "select date, asset_id, asset_class, log_return_per_session from intermediate.int_panel_returns_aligned"
        ).pl()
    table = lag_correlations(panel, CLASS_REFERENCE)
    late = table.filter(~pl.col("best_at_lag_0"))
    return _result(
        "returns_align_with_their_class_reference",
        sources,
        table.height > 0 and late.height == 0,
        f"{late.height} of {table.height} assets move best with their class reference on another day",
        {
            "assets_checked": table.height,
            "misaligned": dg.MetadataValue.json(late["asset_id"].to_list()),
            "correlations": _table(table),
        },
    )


FACTORIES = {"second_source": second_source_check, "continuity": continuity_check, "intraday": intraday_check}
reconciliation_checks = [returns_align_with_their_class_reference] + [
    FACTORIES[rows[0]["kind"]](check, rows) for check, rows in PAIRS.items()
]
