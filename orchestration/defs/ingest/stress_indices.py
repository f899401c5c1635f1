"""raw/stress_indices: the published stress measures our own index is compared with."""


import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv

FRED_SERIES = ["STLFSI4", "VIXCLS", "BAMLH0A0HYM2"]
OFR_FILE = "stress_indices/ofr/fsi.csv"


def parse_stress(payloads: dict[str, bytes]) -> pl.DataFrame:
    today = today_utc()
    fred = [parse_fred_csv(payloads[f"stress_indices/fred/{s}.csv"].decode("utf-8-sig"), s,
                           f"stress_indices/fred/{s}.csv", today) for s in FRED_SERIES]
    # OFR's CSV is `Date, OFR FSI, <components>`; the headline is the column we compare.
    ofr = parse_fred_csv(payloads[OFR_FILE].decode("utf-8-sig"),
                         "OFR FSI", OFR_FILE, today, source="ofr")
    return (pl.concat([*fred, ofr.with_columns(pl.lit("OFR_FSI").alias("series_id"))])
            .rename({"series_id": "index_id"}).select("date", "index_id", "value"))


@dg.asset(**raw_asset_args("stress_indices"))
def raw_stress_indices(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                       snapshot: SnapshotFiles) -> dg.MaterializeResult:
    payloads = {f"stress_indices/fred/{s}.csv": snapshot.read_bytes(f"stress_indices/fred/{s}.csv")
                for s in FRED_SERIES}
    payloads[OFR_FILE] = snapshot.read_bytes(OFR_FILE)
    return ingest(context, warehouse, landing, "stress_indices", "bundled_snapshot", payloads, parse_stress)
