"""raw/prices: daily prices for the asset panel, one file per asset in its source's own format."""


import io

import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.errors import SourceError
from transforms.parsers.yahoo import parse_close_csv, parse_yahoo_csv

MANIFEST = "prices/manifest.csv"


def parse_prices(payloads: dict[str, bytes], manifest: pl.DataFrame) -> pl.DataFrame:
    """Each manifest row names an asset, its file and the file's format."""
    today = today_utc()
    frames = []
    for entry in manifest.iter_rows(named=True):
        name = f"prices/{entry['file']}"
        text = payloads[name].decode("utf-8-sig")
        if entry["format"] == "yahoo_csv":
            frames.append(parse_yahoo_csv(text, entry["asset_id"], name, today))
        elif entry["format"] == "fred_csv":
            frames.append(parse_close_csv(text, entry["asset_id"], name, today, "fred", "observation_date",
                                          entry["source_symbol"]))
        elif entry["format"] == "lbma_csv":
            frames.append(parse_close_csv(text, entry["asset_id"], name, today, "lbma"))
        else:
            raise SourceError("snapshot", MANIFEST, f"format must be one of yahoo_csv, fred_csv, lbma_csv",
                              detail=f"{entry['asset_id']}: {entry['format']!r}")
    return pl.concat(frames)


@dg.asset(**raw_asset_args("prices", " Sources per asset in orchestration/snapshot/prices/manifest.csv."))
def raw_prices(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
               snapshot: SnapshotFiles) -> dg.MaterializeResult:
    manifest = pl.read_csv(io.BytesIO(snapshot.read_bytes(MANIFEST)), infer_schema_length=0)
    payloads = {MANIFEST: snapshot.read_bytes(MANIFEST),
                **{f"prices/{f}": snapshot.read_bytes(f"prices/{f}") for f in manifest["file"]}}
    return ingest(context, warehouse, landing, "prices", "bundled_snapshot", payloads,
                  lambda p: parse_prices(p, manifest))
