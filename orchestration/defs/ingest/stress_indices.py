"""raw/stress_indices: the published stress measures our own index is compared with."""

from datetime import timedelta

import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.ingest.window import PARTITIONED, WINDOW_PAYLOAD, window, within
from orchestration.defs.resources import LandingZone, SnapshotFiles, SourceModes, Warehouse
from orchestration.defs.sources.fred import FredSource
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv

FRED_SERIES = ["STLFSI4", "VIXCLS", "BAMLH0A0HYM2"]
OFR_FILE = "stress_indices/ofr/fsi.csv"
LOOKBACK = timedelta(days=14)  # STLFSI4 is weekly: a short window still sees the last release


def parse_stress(payloads: dict[str, bytes]) -> pl.DataFrame:
    today = today_utc()
    fred = [
        parse_fred_csv(payloads[f"stress_indices/fred/{s}.csv"], s, f"stress_indices/fred/{s}.csv", today)
        for s in FRED_SERIES
    ]
    # OFR's CSV is `Date, OFR FSI, <components>`; the headline is the column we compare.
    ofr = parse_fred_csv(payloads[OFR_FILE], "OFR FSI", OFR_FILE, today, source="ofr")
    return (
        pl.concat([*fred, ofr.with_columns(pl.lit("OFR_FSI").alias("series_id"))])
        .rename({"series_id": "index_id"})
        .select("date", "index_id", "value")
    )


@dg.asset(
    **raw_asset_args(
        "stress_indices", " Live: the FRED series; the OFR FSI stays on the bundled file (no live connector yet)."
    ),
    **PARTITIONED,
)
def raw_stress_indices(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    fred: FredSource,
) -> dg.MaterializeResult:
    days = window(context)
    live = sources.live("stress_indices")
    bundled = {WINDOW_PAYLOAD: str(days).encode(), OFR_FILE: snapshot.read_bytes(OFR_FILE)}
    if live:

        def payloads() -> dict[str, bytes]:  # fetched inside the load, so a fetch failure is the asset's failure
            return {
                **bundled,
                **{
                    f"stress_indices/fred/{s}.csv": fred.series_csv(s, days[0] - LOOKBACK, days[1]) for s in FRED_SERIES
                },
            }

    else:
        payloads = {
            **bundled,
            **{
                f"stress_indices/fred/{s}.csv": snapshot.read_bytes(f"stress_indices/fred/{s}.csv") for s in FRED_SERIES
            },
        }
    return ingest(
        context,
        warehouse,
        landing,
        "stress_indices",
        "fred+bundled_ofr" if live else "bundled_snapshot",
        payloads,
        lambda p: within(parse_stress(p), "date", days),
        days=days,
    )
