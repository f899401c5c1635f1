"""raw/btc_etf_flows: spot bitcoin ETF net flows by issuer from Farside's table."""

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.farside import parse_farside_html

FARSIDE_FILE = "etf_flows/farside_bitcoin_etf_flow_all_data.html"


def parse(payloads: dict[str, bytes]):
    return parse_farside_html(payloads[FARSIDE_FILE], FARSIDE_FILE, today_utc())


def inputs(load: Load) -> Inputs:
    return Inputs(
        bundled=Input("bundled_snapshot", lambda: {FARSIDE_FILE: load.snapshot.read_bytes(FARSIDE_FILE)}, parse),
        live=Input("farside", lambda: {FARSIDE_FILE: load.resources.farside.flow_table_html()}, parse),
    )


raw_btc_etf_flows = raw_asset(
    Family(
        "btc_etf_flows",
        inputs,
        live_resources=("farside",),
        about=" Live: the Farside page (the whole history; the window is cut after parsing).",
    )
)
