"""raw/crypto_liquidations: CoinGlass aggregated liquidation history, 4-hour bars per coin."""

from datetime import timedelta

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.left_out import LIQUIDATIONS, left_out
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.coinglass import parse_coinglass_liquidations

COINS = ["BTC", "ETH", "SOL", "XRP"]


def parse_liquidations(payloads: dict[str, bytes]) -> pl.DataFrame:
    return pl.concat(
        [
            parse_coinglass_liquidations(
                payloads[f"liquidations/coinglass/{c}.json"], c, f"liquidations/coinglass/{c}.json", today_utc()
            )
            for c in COINS
        ]
    )


def inputs(load: Load) -> Inputs:
    def name(coin: str) -> str:
        return f"liquidations/coinglass/{coin}.json"

    first, last = load.days
    return Inputs(
        bundled=Input(
            "bundled_snapshot", lambda: {name(c): load.snapshot.read_bytes(name(c)) for c in COINS}, parse_liquidations
        ),
        live=Input(
            "coinglass",
            lambda: {name(c): load.resources.coinglass.history_json(c, first - timedelta(days=1), last) for c in COINS},
            parse_liquidations,
        ),
    )


raw_crypto_liquidations = raw_asset(
    Family(
        "crypto_liquidations",
        inputs,
        live_resources=("coinglass",),
        about=" The bundled pull covers May-Nov 2025 only, for a limited exchange list (see PROVENANCE.md). "
        "Live: CoinGlass API v4 with COINGLASS_API_KEY; without a key the asset is skipped.",
        skip=lambda load: left_out(load.resources.sources, load.resources.coinglass).get(LIQUIDATIONS),
    )
)
