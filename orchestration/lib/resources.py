"""The code location's resources: the stores (orchestration/lib/landing.py), dbt, where each family reads from,
and one resource per live service."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lib.dbt_runner import dbt_resource
from orchestration.lib.gx_runner import GreatExpectations
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.sources.coinbase import CoinbaseSource
from orchestration.lib.sources.coinglass import CoinGlassSource
from orchestration.lib.sources.farside import FarsideSource
from orchestration.lib.sources.fred import FredSource
from orchestration.lib.sources.mempool import MempoolSource
from orchestration.lib.sources.mof import MofSource
from orchestration.lib.sources.yahoo import YahooSource
from orchestration.lib.warehouse import Warehouse

SOURCE_MODES = ("bundled", "live")


class SourceModes(dg.ConfigurableResource):
    """Where each time-series family reads from: `bundled` (the snapshot shipped with the code, the default)
    or `live` (the public service, through its resource). Set with LIQMART_SOURCE_<FAMILY>=live."""

    prices: str = "bundled"
    ust_yields: str = "bundled"
    jgb_yields: str = "bundled"
    btc_etf_flows: str = "bundled"
    btc_issuance: str = "bundled"
    crypto_liquidations: str = "bundled"
    stress_indices: str = "bundled"

    def live(self, family: str) -> bool:
        mode = getattr(self, family)
        if mode not in SOURCE_MODES:
            raise ValueError(
                f"source mode for {family} must be one of {', '.join(SOURCE_MODES)}, got {mode!r} "
                f"(LIQMART_SOURCE_{family.upper()})"
            )
        return mode == "live"

    @classmethod
    def from_env(cls) -> "SourceModes":
        return cls(
            **{
                family: os.environ.get(f"LIQMART_SOURCE_{family.upper()}", "bundled").strip().lower()
                for family in cls.model_fields
            }
        )


SERVICES = {
    "fred": FredSource,
    "mof": MofSource,
    "yahoo": YahooSource,
    "coinbase": CoinbaseSource,
    "farside": FarsideSource,
    "coinglass": CoinGlassSource,
    "mempool": MempoolSource,
}


def service_url_env(service: str) -> str:
    return f"LIQMART_{service.upper()}_URL"


def live_sources() -> dict:
    """One resource per public service, at its real address unless LIQMART_<SERVICE>_URL names another (a
    mirror or a caching proxy a desk runs; the daemon's tests point it at 127.0.0.1)."""
    resources = {}
    for service, source in SERVICES.items():
        url = os.environ.get(service_url_env(service), "").strip()
        resources[service] = source(base_url=url) if url else source()
    return resources


def build_resources(warehouse: Path | None = None, snapshot: Path | None = None) -> dict:
    """Resources from settings; tests pass a temporary warehouse (its landing zone goes beside it)."""
    warehouse = settings.checked_warehouse_path(warehouse) if warehouse else settings.warehouse_path()
    return {
        "dbt": dbt_resource(),
        "warehouse": Warehouse(database=str(warehouse)),
        "landing": LandingZone(root=str(warehouse.parent / "landing")),
        "snapshot": SnapshotFiles(root=str(snapshot or settings.SNAPSHOT_DIR)),
        "sources": SourceModes.from_env(),
        "gx": GreatExpectations(),
        **live_sources(),
    }
