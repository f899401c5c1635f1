"""raw/cme_margin_changes and raw/market_events: curated reference tables, every row citing its source."""

import dagster as dg

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.storage import LandingZone, SnapshotFiles, Warehouse
from transforms.parsers.curated import parse_curated_csv

MARGINS_FILE = "reference/cme_margin_changes.csv"
EVENTS_FILE = "reference/market_events.csv"


@dg.asset(**raw_asset_args("cme_margin_changes"))
def raw_cme_margin_changes(
    context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone, snapshot: SnapshotFiles
) -> dg.MaterializeResult:
    spec = RAW_TABLES["cme_margin_changes"]
    return ingest(
        context,
        warehouse,
        landing,
        "cme_margin_changes",
        Input(
            "curated",
            lambda: {MARGINS_FILE: snapshot.read_bytes(MARGINS_FILE)},
            lambda p: parse_curated_csv(
                p[MARGINS_FILE],
                MARGINS_FILE,
                required=[c for c in spec.not_null if c != "source"],
                keys=spec.keys,
                date_columns=["announced_on", "effective_on"],
                numeric_columns=["margin_before_pct", "margin_after_pct"],
            ),
        ),
    )


@dg.asset(**raw_asset_args("market_events"))
def raw_market_events(
    context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone, snapshot: SnapshotFiles
) -> dg.MaterializeResult:
    spec = RAW_TABLES["market_events"]
    return ingest(
        context,
        warehouse,
        landing,
        "market_events",
        Input(
            "curated",
            lambda: {EVENTS_FILE: snapshot.read_bytes(EVENTS_FILE)},
            lambda p: parse_curated_csv(
                p[EVENTS_FILE],
                EVENTS_FILE,
                required=[c for c in spec.not_null if c != "source"],
                keys=spec.keys,
                date_columns=["event_date"],
            ),
        ),
    )
