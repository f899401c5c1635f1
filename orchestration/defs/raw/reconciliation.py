"""Cross-source reconciliation and clock checks (WARN): two sources of one thing must agree, a 24/7 market's
close must meet its next open, and every panel asset must move with its class's reference on the same day.

Each check puts the worst dates and gaps in its metadata, so a warning says where to look.
"""

from __future__ import annotations

import dagster as dg
import polars as pl

from orchestration import settings
from orchestration.lib.warehouse import Warehouse

PRICES = dg.AssetKey(["raw", "prices"])
PANEL = dg.AssetKey(["intermediate", "int_panel_returns_aligned"])
# Each check runs with its table's load, and again whenever the table changed in a run that did not run it.
CHECK_WHEN_UPDATED = dg.AutomationCondition.eager()
# Each class's reference series: the asset the others in the class must move with on the same panel day.
CLASS_REFERENCE = {"crypto": "BTC", "precious_metal": "XAU", "equity_index": "IXIC", "fx": "DXY"}
# Two sources of the USD/JPY close, once aligned on the New York day: median and 95th-percentile gap allowed.
USDJPY_MEDIAN_GAP_PCT, USDJPY_P95_GAP_PCT = 0.25, 1.0
# A 24/7 market's close is its next open, up to the spread and a few seconds of trading.
CONTINUITY_MEDIAN_GAP_PCT = 0.1


def _table(frame: pl.DataFrame) -> dg.MetadataValue:
    return dg.MetadataValue.md(frame.to_pandas().to_markdown(index=False, floatfmt=".4g"))


def _prices(warehouse: Warehouse, assets: tuple[str, ...], columns: str = "date, asset_id, close") -> pl.DataFrame:
    with warehouse.get_connection() as conn:
        return conn.sql(f"select {columns} from raw.prices where asset_id in {assets}").pl()


def _quarterly_result(gaps: pl.DataFrame, limit_pct: float, by: list[str]) -> dg.AssetCheckResult:
    """WARN unless every quarter's median absolute gap is within the limit; the quarters and worst days shown."""
    if gaps.height == 0:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description="no day to compare",
            metadata={"days_compared": 0, "why": "no day to compare"},
        )
    by_quarter = (
        gaps.group_by(*by, pl.col("date").dt.truncate("1q").alias("quarter"))
        .agg(pl.len().alias("days"), pl.col("gap_pct").abs().median().alias("median_abs_gap_pct"))
        .sort(*by, "quarter")
    )
    broken = by_quarter.filter(pl.col("median_abs_gap_pct") > limit_pct)
    worst = gaps.sort(pl.col("gap_pct").abs(), descending=True).head(10)
    return dg.AssetCheckResult(
        passed=broken.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{broken.height} of {by_quarter.height} quarters have a median gap beyond {limit_pct}% "
        f"({gaps.height} days compared)",
        metadata={
            "days_compared": gaps.height,
            "quarters_beyond_limit": broken.height,
            "by_quarter": _table(by_quarter),
            "worst_days": _table(worst),
        },
    )


def lag_correlations(panel: pl.DataFrame) -> pl.DataFrame:
    """Per panel asset: correlation of its per-session returns with its class reference's at lags -1, 0, +1
    (lag +1: the reference's return of the next panel day)."""
    wide = panel.pivot(on="asset_id", index="date", values="log_return_per_session").sort("date")
    classes = dict(panel.select("asset_id", "asset_class").unique().iter_rows())
    rows = []
    for asset, cls in sorted(classes.items()):
        reference = CLASS_REFERENCE.get(cls)
        if reference is None or asset == reference or reference not in wide.columns:
            continue
        corr = {lag: wide.select(pl.corr(pl.col(asset), pl.col(reference).shift(-lag))).item() for lag in (-1, 0, 1)}
        rows.append(
            {
                "asset_id": asset,
                "reference": reference,
                "corr_lag_minus_1": corr[-1],
                "corr_lag_0": corr[0],
                "corr_lag_plus_1": corr[1],
                "best_at_lag_0": corr[0] > max(corr[-1], corr[1]),
            }
        )
    return pl.DataFrame(rows)


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
def returns_align_with_their_class_reference(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.get_connection() as conn:
        panel = conn.sql(
            "select date, asset_id, asset_class, log_return_per_session from intermediate.int_panel_returns_aligned"
        ).pl()
    table = lag_correlations(panel)
    late = table.filter(~pl.col("best_at_lag_0"))
    return dg.AssetCheckResult(
        passed=table.height > 0 and late.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "assets_checked": table.height,
            "misaligned": dg.MetadataValue.json(late["asset_id"].to_list()),
            "correlations": _table(table),
        },
    )


def source_gaps(prices: pl.DataFrame, asset: str, reference: str, next_stamp: bool = False) -> pl.DataFrame:
    """Per day held by both: one source's close against the reference source's, in percent. `next_stamp` takes
    the asset's next row as its value for a day (Yahoo's JPY=X, stamped a day behind New York)."""
    value = pl.col("close").shift(-1) if next_stamp else pl.col("close")
    series = prices.filter(pl.col("asset_id") == asset).sort("date").select("date", value.alias(asset))
    base = prices.filter(pl.col("asset_id") == reference).select("date", pl.col("close").alias(reference))
    return (
        base.join(series, on="date")
        .drop_nulls()
        .sort("date")
        .with_columns(((pl.col(asset) / pl.col(reference) - 1) * 100).alias("gap_pct"))
    )


@dg.asset_check(
    asset=PRICES,
    name="usdjpy_sources_reconcile",
    pool=settings.WRITER_POOL,
    automation_condition=CHECK_WHEN_UPDATED,
    description=f"USD/JPY from Yahoo (JPY=X, its next stamp) against the New York close (USDJPY_NY) "
    f"on the days both hold: median gap <= {USDJPY_MEDIAN_GAP_PCT}% overall and in every quarter, 95th percentile <= "
    f"{USDJPY_P95_GAP_PCT}%. WARN, with the worst days.",
)
def usdjpy_sources_reconcile(warehouse: Warehouse) -> dg.AssetCheckResult:
    gaps = source_gaps(_prices(warehouse, ("USDJPY", "USDJPY_NY")), "USDJPY", "USDJPY_NY", next_stamp=True)
    # Per quarter as well as overall: a source whose clock changes (JPY=X's did in 2010) breaks its quarters
    # even where a decade of aligned days keeps the overall median low.
    result = _quarterly_result(gaps, USDJPY_MEDIAN_GAP_PCT, by=[])
    if gaps.height == 0:
        return result
    absolute = gaps["gap_pct"].abs()
    median, p95 = float(absolute.median()), float(absolute.quantile(0.95))
    return dg.AssetCheckResult(
        passed=result.passed and median <= USDJPY_MEDIAN_GAP_PCT and p95 <= USDJPY_P95_GAP_PCT,
        severity=dg.AssetCheckSeverity.WARN,
        description=result.description,
        metadata={**result.metadata, "median_abs_gap_pct": median, "p95_abs_gap_pct": p95},
    )


def second_source_check(
    name: str, asset: str, reference: str, limit_pct: float, description: str, basis: bool = False
) -> dg.AssetChecksDefinition:
    """A second source of an asset's close against the reference source on the days both hold: WARN unless every
    quarter's median absolute gap is within `limit_pct` (the quarters and the worst days in the metadata).
    `basis` adds the median signed gap: a futures premium, reported rather than judged."""

    @dg.asset_check(
        asset=PRICES,
        name=name,
        pool=settings.WRITER_POOL,
        automation_condition=CHECK_WHEN_UPDATED,
        description=description,
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        gaps = source_gaps(_prices(warehouse, (asset, reference)), asset, reference)
        result = _quarterly_result(gaps, limit_pct, by=[])
        if basis and gaps.height:
            result = dg.AssetCheckResult(
                passed=result.passed,
                severity=result.severity,
                description=result.description,
                metadata={**result.metadata, "median_basis_pct": float(gaps["gap_pct"].median())},
            )
        return result

    return _check


# Two collections of the same BTC-USD close: within this on most days (the main file's partial days exceed it).
BTC_MEDIAN_GAP_PCT = 0.1
btc_sources_reconcile = second_source_check(
    "btc_sources_reconcile",
    "BTC",
    "BTC_FULLDAY",
    BTC_MEDIAN_GAP_PCT,
    f"BTC's close in the main file against the second source's full UTC-day close (BTC_FULLDAY): median gap per "
    f"quarter <= {BTC_MEDIAN_GAP_PCT}%. The panel uses the second source; this says where the main file's close is "
    f"a partial day. WARN.",
)


def continuity_gaps(prices: pl.DataFrame) -> pl.DataFrame:
    """Per 24/7 asset and day: the next day's open against this day's close, in percent."""
    return (
        prices.sort("asset_id", "date")
        .with_columns(
            pl.col("open").shift(-1).over("asset_id").alias("next_open"),
            pl.col("date").shift(-1).over("asset_id").alias("next_date"),
        )
        .filter((pl.col("next_date") - pl.col("date")).dt.total_days() == 1)
        .with_columns(((pl.col("next_open") / pl.col("close") - 1) * 100).alias("gap_pct"))
        .drop_nulls("gap_pct")
    )


@dg.asset_check(
    asset=PRICES,
    name="crypto_close_meets_next_open",
    pool=settings.WRITER_POOL,
    automation_condition=CHECK_WHEN_UPDATED,
    description=f"BTC and ETH trade around the clock, so a UTC day's close is the next day's open: the "
    f"median gap per asset and quarter must stay <= {CONTINUITY_MEDIAN_GAP_PCT}%. A larger "
    f"one means the source's close is not the day's close (a partial day). WARN, with the "
    f"quarters and days that break it.",
)
def crypto_close_meets_next_open(warehouse: Warehouse) -> dg.AssetCheckResult:
    prices = _prices(warehouse, ("BTC", "ETH"), "date, asset_id, open, close").drop_nulls("open")
    return _quarterly_result(continuity_gaps(prices), CONTINUITY_MEDIAN_GAP_PCT, by=["asset_id"])


# The Nasdaq Composite from Yahoo and from FRED are the same index close: within a hundredth of a percent.
NASDAQ_MEDIAN_GAP_PCT = 0.01
nasdaq_sources_reconcile = second_source_check(
    "nasdaq_sources_reconcile",
    "IXIC_YAHOO",
    "IXIC",
    NASDAQ_MEDIAN_GAP_PCT,
    f"The Nasdaq Composite close from Yahoo (IXIC_YAHOO, Sep 2025 - Mar 2026) against FRED's NASDAQCOM (IXIC, the "
    f"panel's source): median gap per quarter <= {NASDAQ_MEDIAN_GAP_PCT}%. WARN, with the worst days.",
)

# COMEX gold futures against the LBMA PM fix: the front-month basis (carry) plus the hours between the fix
# (15:00 London) and the settlement (13:30 New York). A median beyond this means misaligned days, not basis.
GOLD_MEDIAN_BASIS_PCT = 1.5
gold_fix_against_futures_basis = second_source_check(
    "gold_fix_against_futures_basis",
    "XAU_FUT",
    "XAU",
    GOLD_MEDIAN_BASIS_PCT,
    f"Gold: the COMEX front-month future (XAU_FUT, Yahoo GC=F) against the LBMA PM fix (XAU, the panel's source), "
    f"for the basis only: the futures premium per quarter (median, and the worst days) is reported, and the check "
    f"warns if a quarter's median absolute gap exceeds {GOLD_MEDIAN_BASIS_PCT}%, which a basis does not explain. "
    f"WARN.",
    basis=True,
)

# CoinMarketCap's ETH candles against Yahoo's ETH-USD (the same data resold, PROVENANCE: 1.3e-5 at most).
ETH_MEDIAN_GAP_PCT = 0.01
eth_sources_reconcile = second_source_check(
    "eth_sources_reconcile",
    "ETH_CMC",
    "ETH",
    ETH_MEDIAN_GAP_PCT,
    f"ETH's close from CoinMarketCap (ETH_CMC, the panel's source before 2017-11-09) against Yahoo's ETH-USD on "
    f"the days both hold: median gap per quarter <= {ETH_MEDIAN_GAP_PCT}%. WARN.",
)

# Spot XAG/USD (a broker's CFD at the New York day's end) against COMEX front-month silver (settled 13:25 New
# York): the futures basis plus the hours between; up to 0.7% in Jan 2024 (PROVENANCE).
SILVER_MEDIAN_BASIS_PCT = 1.5
silver_spot_against_futures_basis = second_source_check(
    "silver_spot_against_futures_basis",
    "XAG_SPOT",
    "XAG",
    SILVER_MEDIAN_BASIS_PCT,
    f"Silver: spot XAG/USD (XAG_SPOT, from 2013) against the COMEX front month (XAG, the panel's source) on the "
    f"days both hold: a quarter's median absolute gap beyond {SILVER_MEDIAN_BASIS_PCT}% is more than a basis. A "
    f"day one source lacks (the spot file's 2018-03-01..16 hole) is not compared. WARN.",
    basis=True,
)


INTRADAY = dg.AssetKey(["raw", "intraday_bars"])
# Each hourly series against its daily reference: (daily asset, day the bars are grouped by, median close gap
# allowed in %). BTC's full UTC-day close differs from Binance's USDT close by the USDT basis; the metals' spot
# CFD quotes differ from COMEX silver futures and the LBMA gold fix by the futures basis and the fix's time.
INTRADAY_REFERENCE = {
    "BTC": ("BTC_FULLDAY", "utc", 0.15),
    "XAG": ("XAG", "new_york", 2.0),
    "XAU": ("XAU", "new_york", 1.0),
}


def intraday_gaps(bars: pl.DataFrame, daily: pl.DataFrame) -> pl.DataFrame:
    """Per hourly series and day: the day's last hourly close, highest high and lowest low against the daily
    reference's close, high and low, in percent. Crypto days are UTC days; metals days are New York trading days
    (17:00 to 17:00 New York), the day a futures settlement or a fix belongs to."""
    rows = []
    for asset, (reference, clock, _) in INTRADAY_REFERENCE.items():
        series = bars.filter(pl.col("asset_id") == asset)
        if clock == "utc":
            day = pl.col("bar_start").dt.date()
        else:
            day = (pl.col("bar_start").dt.convert_time_zone("America/New_York") + pl.duration(hours=7)).dt.date()
        hourly = (
            series.with_columns(day.alias("date"))
            .sort("bar_start")
            .group_by("asset_id", "source", "date")
            .agg(
                pl.col("close").last().alias("hourly_close"),
                pl.col("high").max().alias("hourly_high"),
                pl.col("low").min().alias("hourly_low"),
                pl.len().alias("bars"),
            )
        )
        ref = daily.filter(pl.col("asset_id") == reference).select(
            "date", pl.lit(reference).alias("reference"), "close", "high", "low"
        )
        rows.append(
            hourly.join(ref, on="date").with_columns(
                ((pl.col("hourly_close") / pl.col("close") - 1) * 100).alias("gap_pct"),
                ((pl.col("hourly_high") / pl.col("high") - 1) * 100).alias("high_gap_pct"),
                ((pl.col("hourly_low") / pl.col("low") - 1) * 100).alias("low_gap_pct"),
            )
        )
    return pl.concat(rows).sort("asset_id", "source", "date") if rows else pl.DataFrame()


@dg.asset_check(
    asset=INTRADAY,
    name="hourly_bars_reconcile_with_daily_bars",
    pool=settings.WRITER_POOL,
    automation_condition=CHECK_WHEN_UPDATED,
    additional_deps=[PRICES],
    description="Each hourly series against its daily reference on the days both hold: the day's last "
    "hourly close, highest high and lowest low against the daily close, high and low. "
    "Median close gap per series: BTC (Binance, USDT) against the full UTC-day close "
    f"{INTRADAY_REFERENCE['BTC'][2]}%; silver (spot CFD, New York day) against COMEX "
    f"futures {INTRADAY_REFERENCE['XAG'][2]}%; gold against the LBMA PM fix "
    f"{INTRADAY_REFERENCE['XAU'][2]}% (the futures basis and the fix's time). WARN, with "
    "the worst days.",
)
def hourly_bars_reconcile_with_daily_bars(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.get_connection() as conn:
        loaded = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'prices'"
        ).fetchall()[0][0]
        if not loaded:
            # A UI backfill loads the unpartitioned raw tables in a run of their own, which may come before the
            # prices run: the check cannot compare yet, and says so rather than pass or crash the run.
            why = "raw.prices is not loaded yet: no daily reference to compare with (materialize raw/prices)"
            return dg.AssetCheckResult(
                passed=False, severity=dg.AssetCheckSeverity.WARN, description=why, metadata={"why": why}
            )
        bars = conn.sql("select bar_start, asset_id, source, high, low, close from raw.intraday_bars").pl()
        daily = conn.sql(
            "select date, asset_id, close, high, low from raw.prices where asset_id in "
            f"{tuple(r for r, _, _ in INTRADAY_REFERENCE.values())}"
        ).pl()
    gaps = intraday_gaps(bars, daily)
    if gaps.height == 0:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description="no day held by both the hourly and the daily series",
            metadata={"days_compared": 0, "why": "no day held by both"},
        )
    summary = (
        gaps.group_by("asset_id", "source", "reference")
        .agg(
            pl.len().alias("days"),
            pl.col("gap_pct").abs().median().alias("median_abs_close_gap_pct"),
            pl.col("gap_pct").abs().quantile(0.95).alias("p95_abs_close_gap_pct"),
            pl.col("high_gap_pct").abs().median().alias("median_abs_high_gap_pct"),
            pl.col("low_gap_pct").abs().median().alias("median_abs_low_gap_pct"),
        )
        .with_columns(
            pl.col("asset_id")
            .replace_strict({a: v[2] for a, v in INTRADAY_REFERENCE.items()}, return_dtype=pl.Float64)
            .alias("limit_pct")
        )
        .sort("asset_id", "source")
    )
    broken = summary.filter(pl.col("median_abs_close_gap_pct") > pl.col("limit_pct"))
    worst = (
        gaps.sort(pl.col("gap_pct").abs(), descending=True)
        .head(10)
        .select("date", "asset_id", "source", "reference", "hourly_close", "close", "gap_pct", "bars")
    )
    return dg.AssetCheckResult(
        passed=broken.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "days_compared": gaps.height,
            "series_beyond_limit": broken.height,
            "by_series": _table(summary),
            "worst_days": _table(worst),
        },
    )


reconciliation_checks = [
    returns_align_with_their_class_reference,
    usdjpy_sources_reconcile,
    btc_sources_reconcile,
    crypto_close_meets_next_open,
    hourly_bars_reconcile_with_daily_bars,
    nasdaq_sources_reconcile,
    gold_fix_against_futures_basis,
    eth_sources_reconcile,
    silver_spot_against_futures_basis,
]
