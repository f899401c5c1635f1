"""raw/ust_yields (FRED) and raw/jgb_yields (Ministry of Finance jgbcm)."""

from datetime import timedelta

import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.ingest.window import PARTITIONED, WINDOW_PAYLOAD, window, within
from orchestration.defs.resources import LandingZone, SnapshotFiles, SourceModes, Warehouse
from orchestration.defs.sources.fred import FredSource
from orchestration.defs.sources.mof import MofSource
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv
from transforms.parsers.mof import parse_mof_jgbcm

UST_SERIES = {"DGS2": 2.0, "DGS10": 10.0, "DGS30": 30.0}
JGB_FILE = "rates/mof/jgbcm_all.csv"
LOOKBACK = timedelta(days=7)  # a one-day window on a holiday still gets a well-formed answer


def parse_ust(payloads: dict[str, bytes]) -> pl.DataFrame:
    frames = [
        parse_fred_csv(payloads[f"rates/fred/{s}.csv"], s, f"rates/fred/{s}.csv", today_utc()) for s in UST_SERIES
    ]
    return (
        pl.concat(frames)
        .rename({"value": "yield_pct"})
        .with_columns(pl.col("series_id").replace_strict(UST_SERIES, return_dtype=pl.Float64).alias("tenor_years"))
    )


def parse_jgb(payloads: dict[str, bytes]) -> pl.DataFrame:
    """The history file and, live, the current month's file; a day in both keeps the current month's value."""
    frames = [
        parse_mof_jgbcm(body, name, today_utc())
        for name, body in sorted(payloads.items())
        if name.startswith("rates/mof/")
    ]
    return pl.concat(frames).unique(["tenor_years", "date"], keep="last", maintain_order=True)


@dg.asset(**raw_asset_args("ust_yields", " Live: FRED graph CSV."), **PARTITIONED)
def raw_ust_yields(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    fred: FredSource,
) -> dg.MaterializeResult:
    days = window(context)
    if sources.live("ust_yields"):

        def payloads() -> dict[str, bytes]:  # fetched inside the load, so a fetch failure is the asset's failure
            return {
                WINDOW_PAYLOAD: str(days).encode(),
                **{f"rates/fred/{s}.csv": fred.series_csv(s, days[0] - LOOKBACK, days[1]) for s in UST_SERIES},
            }

    else:
        payloads = {
            WINDOW_PAYLOAD: str(days).encode(),
            **{f"rates/fred/{s}.csv": snapshot.read_bytes(f"rates/fred/{s}.csv") for s in UST_SERIES},
        }
    return ingest(
        context,
        warehouse,
        landing,
        "ust_yields",
        "fred" if sources.live("ust_yields") else "bundled_snapshot",
        payloads,
        lambda p: within(parse_ust(p), "date", days),
        days=days,
    )


@dg.asset(**raw_asset_args("jgb_yields", " Live: MOF jgbcm_all.csv and jgbcm.csv."), **PARTITIONED)
def raw_jgb_yields(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    mof: MofSource,
) -> dg.MaterializeResult:
    days = window(context)
    if sources.live("jgb_yields"):
        payloads = lambda: {WINDOW_PAYLOAD: str(days).encode(), **mof.jgbcm()}  # noqa: E731
    else:
        payloads = {WINDOW_PAYLOAD: str(days).encode(), JGB_FILE: snapshot.read_bytes(JGB_FILE)}
    return ingest(
        context,
        warehouse,
        landing,
        "jgb_yields",
        "mof" if sources.live("jgb_yields") else "bundled_snapshot",
        payloads,
        lambda p: within(parse_jgb(p), "date", days),
        days=days,
    )
