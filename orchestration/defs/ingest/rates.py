"""raw/ust_yields (FRED) and raw/jgb_yields (Ministry of Finance jgbcm)."""


import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv
from transforms.parsers.mof import parse_mof_jgbcm

UST_SERIES = {"DGS2": 2.0, "DGS10": 10.0, "DGS30": 30.0}
JGB_FILE = "rates/mof/jgbcm_all.csv"


def parse_ust(payloads: dict[str, bytes]) -> pl.DataFrame:
    frames = [parse_fred_csv(payloads[f"rates/fred/{s}.csv"].decode("utf-8-sig"), s, f"rates/fred/{s}.csv",
                             today_utc()) for s in UST_SERIES]
    return (pl.concat(frames).rename({"value": "yield_pct"})
            .with_columns(pl.col("series_id").replace_strict(UST_SERIES, return_dtype=pl.Float64)
                          .alias("tenor_years")))


@dg.asset(**raw_asset_args("ust_yields"))
def raw_ust_yields(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                   snapshot: SnapshotFiles) -> dg.MaterializeResult:
    payloads = {f"rates/fred/{s}.csv": snapshot.read_bytes(f"rates/fred/{s}.csv") for s in UST_SERIES}
    return ingest(context, warehouse, landing, "ust_yields", "bundled_snapshot", payloads, parse_ust)


@dg.asset(**raw_asset_args("jgb_yields"))
def raw_jgb_yields(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                   snapshot: SnapshotFiles) -> dg.MaterializeResult:
    payloads = {JGB_FILE: snapshot.read_bytes(JGB_FILE)}
    return ingest(context, warehouse, landing, "jgb_yields", "bundled_snapshot", payloads,
                  lambda p: parse_mof_jgbcm(p[JGB_FILE], JGB_FILE, today_utc()))
