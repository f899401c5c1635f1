"""raw/cme_margin_changes and raw/market_events: curated reference tables, every row citing its source."""

import dagster as dg

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.warehouse import Warehouse
from transforms.parsers.curated import parse_curated_csv

MARGINS_FILE = "reference/cme_margin_changes.csv"
EVENTS_FILE = "reference/market_events.csv"


def curated(snapshot: SnapshotFiles, table: str, file: str, **columns) -> Input:
    """A curated CSV from the snapshot: the registry's key and required columns, typed as `columns` say."""
    spec = RAW_TABLES[table]
    return Input(
        "curated",
        lambda: {file: snapshot.read_bytes(file)},
        lambda p: parse_curated_csv(
            p[file], file, required=[c for c in spec.not_null if c != "source"], keys=spec.keys, **columns
        ),
    )


def curated_asset(table: str, file: str, **columns) -> dg.AssetsDefinition:
    @dg.asset(**raw_asset_args(table))
    def _asset(
        context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone, snapshot: SnapshotFiles
    ) -> dg.MaterializeResult:
        return ingest(context, warehouse, landing, table, curated(snapshot, table, file, **columns))

    return _asset


raw_cme_margin_changes = curated_asset(
    "cme_margin_changes",
    MARGINS_FILE,
    date_columns=["announced_on", "effective_on"],
    numeric_columns=["margin_before_pct", "margin_after_pct"],
)
raw_market_events = curated_asset("market_events", EVENTS_FILE, date_columns=["event_date"])
