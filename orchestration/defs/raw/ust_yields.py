"""raw/ust_yields: US Treasury constant-maturity yields (2, 10, 30 years) from FRED."""

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import LOOKBACK, Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.fred import parse_fred_csv

UST_SERIES = {"DGS2": 2.0, "DGS10": 10.0, "DGS30": 30.0}


def parse_ust(payloads: dict[str, bytes]) -> pl.DataFrame:
    frames = [
        parse_fred_csv(payloads[f"rates/fred/{s}.csv"], s, f"rates/fred/{s}.csv", today_utc()) for s in UST_SERIES
    ]
    return (
        pl.concat(frames)
        .rename({"value": "yield_pct"})
        .with_columns(pl.col("series_id").replace_strict(UST_SERIES, return_dtype=pl.Float64).alias("tenor_years"))
    )


def inputs(load: Load) -> Inputs:
    first, last = load.days
    return Inputs(
        bundled=Input(
            "bundled_snapshot",
            lambda: {f"rates/fred/{s}.csv": load.snapshot.read_bytes(f"rates/fred/{s}.csv") for s in UST_SERIES},
            parse_ust,
        ),
        live=Input(
            "fred",
            lambda: {
                f"rates/fred/{s}.csv": load.resources.fred.series_csv(s, first - LOOKBACK, last) for s in UST_SERIES
            },
            parse_ust,
        ),
    )


raw_ust_yields = raw_asset(Family("ust_yields", inputs, live_resources=("fred",), about=" Live: FRED graph CSV."))
