"""raw/crypto_liquidations: CoinGlass aggregated liquidation history, 4-hour bars per coin."""


import dagster as dg
import polars as pl

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.parsers.coinglass import parse_coinglass_liquidations

COINS = ["BTC", "ETH", "SOL", "XRP"]


def parse_liquidations(payloads: dict[str, bytes]) -> pl.DataFrame:
    return pl.concat([parse_coinglass_liquidations(payloads[f"liquidations/coinglass/{c}.json"].decode("utf-8"), c,
                                                   f"liquidations/coinglass/{c}.json", today_utc()) for c in COINS])


@dg.asset(**raw_asset_args("crypto_liquidations", " The bundled pull covers May-Nov 2025 only, for a limited "
                                                   "exchange list (see PROVENANCE.md)."))
def raw_crypto_liquidations(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                            snapshot: SnapshotFiles) -> dg.MaterializeResult:
    payloads = {f"liquidations/coinglass/{c}.json": snapshot.read_bytes(f"liquidations/coinglass/{c}.json")
                for c in COINS}
    return ingest(context, warehouse, landing, "crypto_liquidations", "bundled_snapshot", payloads,
                  parse_liquidations)
