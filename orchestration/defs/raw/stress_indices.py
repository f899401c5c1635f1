"""raw/stress_indices: the published stress measures our own index is compared with."""

from datetime import timedelta

import dagster as dg
import polars as pl

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.fred import FredSource
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import window, within
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

    def parse(p: dict[str, bytes]):
        return within(parse_stress(p), "date", days)

    def fred_files(read) -> dict[str, bytes]:
        # The OFR index has no live service here: its bundled file goes with FRED's series either way.
        return {
            OFR_FILE: snapshot.read_bytes(OFR_FILE),
            **{f"stress_indices/fred/{s}.csv": read(s) for s in FRED_SERIES},
        }

    return ingest(
        context,
        warehouse,
        landing,
        "stress_indices",
        bundled=Input(
            "bundled_snapshot", lambda: fred_files(lambda s: snapshot.read_bytes(f"stress_indices/fred/{s}.csv")), parse
        ),
        live=Input(
            "fred+bundled_ofr", lambda: fred_files(lambda s: fred.series_csv(s, days[0] - LOOKBACK, days[1])), parse
        ),
        sources=sources,
        days=days,
    )
