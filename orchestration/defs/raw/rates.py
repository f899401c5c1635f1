"""raw/ust_yields (FRED) and raw/jgb_yields (Ministry of Finance jgbcm)."""

from datetime import timedelta

import dagster as dg
import polars as pl

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.fred import FredSource
from orchestration.lib.sources.mof import MofSource
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import window, within
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


@dg.asset(**raw_asset_args("ust_yields", " Live: FRED graph CSV."))
def raw_ust_yields(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    fred: FredSource,
) -> dg.MaterializeResult:
    days = window(context)

    def parse(p: dict[str, bytes]):
        return within(parse_ust(p), "date", days)

    return ingest(
        context,
        warehouse,
        landing,
        "ust_yields",
        bundled=Input(
            "bundled_snapshot",
            lambda: {f"rates/fred/{s}.csv": snapshot.read_bytes(f"rates/fred/{s}.csv") for s in UST_SERIES},
            parse,
        ),
        live=Input(
            "fred",
            lambda: {f"rates/fred/{s}.csv": fred.series_csv(s, days[0] - LOOKBACK, days[1]) for s in UST_SERIES},
            parse,
        ),
        sources=sources,
        days=days,
    )


@dg.asset(**raw_asset_args("jgb_yields", " Live: MOF jgbcm_all.csv and jgbcm.csv."))
def raw_jgb_yields(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    mof: MofSource,
) -> dg.MaterializeResult:
    days = window(context)

    def parse(p: dict[str, bytes]):
        return within(parse_jgb(p), "date", days)

    return ingest(
        context,
        warehouse,
        landing,
        "jgb_yields",
        bundled=Input("bundled_snapshot", lambda: {JGB_FILE: snapshot.read_bytes(JGB_FILE)}, parse),
        live=Input("mof", mof.jgbcm, parse),
        sources=sources,
        days=days,
    )
