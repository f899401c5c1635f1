"""raw/stress_indices: the published stress measures our own index is compared with."""

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import LOOKBACK, Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv

FRED_SERIES = ["STLFSI4", "VIXCLS", "BAMLH0A0HYM2"]
OFR_FILE = "stress_indices/ofr/fsi.csv"
WEEKLY_LOOKBACK = 2 * LOOKBACK  # STLFSI4 is weekly: a short window still sees the last release


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


def inputs(load: Load) -> Inputs:
    def files(read) -> dict[str, bytes]:
        # The OFR index has no live service here: its bundled file goes with FRED's series either way.
        return {
            OFR_FILE: load.snapshot.read_bytes(OFR_FILE),
            **{f"stress_indices/fred/{s}.csv": read(s) for s in FRED_SERIES},
        }

    first, last = load.days
    return Inputs(
        bundled=Input(
            "bundled_snapshot",
            lambda: files(lambda s: load.snapshot.read_bytes(f"stress_indices/fred/{s}.csv")),
            parse_stress,
        ),
        live=Input(
            "fred+bundled_ofr",
            lambda: files(lambda s: load.resources.fred.series_csv(s, first - WEEKLY_LOOKBACK, last)),
            parse_stress,
        ),
    )


raw_stress_indices = raw_asset(
    Family(
        "stress_indices",
        inputs,
        live_resources=("fred",),
        about=" Live: the FRED series; the OFR FSI stays on the bundled file (no live connector yet).",
    )
)
