"""raw/btc_etf_flows: spot bitcoin ETF net flows by issuer from Farside's table."""

import dagster as dg

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.farside import FarsideSource
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import window, within
from orchestration.settings import today_utc
from transforms.parsers.farside import parse_farside_html

FARSIDE_FILE = "etf_flows/farside_bitcoin_etf_flow_all_data.html"


@dg.asset(
    **raw_asset_args("btc_etf_flows", " Live: the Farside page (the whole history; the window is cut after parsing)."),
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

    def parse(p: dict[str, bytes]):
        return within(parse_farside_html(p[FARSIDE_FILE], FARSIDE_FILE, today_utc()), "date", days)

    return ingest(
        context,
        warehouse,
        landing,
        "btc_etf_flows",
        bundled=Input("bundled_snapshot", lambda: {FARSIDE_FILE: snapshot.read_bytes(FARSIDE_FILE)}, parse),
        live=Input("farside", lambda: {FARSIDE_FILE: farside.flow_table_html()}, parse),
        sources=sources,
        days=days,
    )
