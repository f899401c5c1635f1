"""raw/btc_etf_flows: spot bitcoin ETF net flows by issuer from Farside's table."""

import dagster as dg

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.ingest.window import PARTITIONED, WINDOW_PAYLOAD, window, within
from orchestration.defs.resources import LandingZone, SnapshotFiles, SourceModes, Warehouse
from orchestration.defs.sources.farside import FarsideSource
from orchestration.settings import today_utc
from transforms.parsers.farside import parse_farside_html

FARSIDE_FILE = "etf_flows/farside_bitcoin_etf_flow_all_data.html"


@dg.asset(
    **raw_asset_args("btc_etf_flows", " Live: the Farside page (the whole history; the window is cut after parsing)."),
    **PARTITIONED,
)
def raw_btc_etf_flows(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    farside: FarsideSource,
) -> dg.MaterializeResult:
    days = window(context)
    live = sources.live("btc_etf_flows")
    payloads = (
        (lambda: {WINDOW_PAYLOAD: str(days).encode(), FARSIDE_FILE: farside.flow_table_html()})
        if live
        else {WINDOW_PAYLOAD: str(days).encode(), FARSIDE_FILE: snapshot.read_bytes(FARSIDE_FILE)}
    )
    return ingest(
        context,
        warehouse,
        landing,
        "btc_etf_flows",
        "farside" if live else "bundled_snapshot",
        payloads,
        lambda p: within(parse_farside_html(p[FARSIDE_FILE], FARSIDE_FILE, today_utc()), "date", days),
        days=days,
    )
