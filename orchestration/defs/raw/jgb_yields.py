"""raw/jgb_yields: Japanese government bond yields by tenor from the Ministry of Finance (jgbcm)."""

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.mof import parse_mof_jgbcm

JGB_FILE = "rates/mof/jgbcm_all.csv"


def parse_jgb(payloads: dict[str, bytes]) -> pl.DataFrame:
    """The history file and, live, the current month's file; a day in both keeps the current month's value."""
    frames = [
        parse_mof_jgbcm(body, name, today_utc())
        for name, body in sorted(payloads.items())
        if name.startswith("rates/mof/")
    ]
    return pl.concat(frames).unique(["tenor_years", "date"], keep="last", maintain_order=True)


def inputs(load: Load) -> Inputs:
    return Inputs(
        bundled=Input("bundled_snapshot", lambda: {JGB_FILE: load.snapshot.read_bytes(JGB_FILE)}, parse_jgb),
        live=Input("mof", load.resources.mof.jgbcm, parse_jgb),
    )


raw_jgb_yields = raw_asset(
    Family("jgb_yields", inputs, live_resources=("mof",), about=" Live: MOF jgbcm_all.csv and jgbcm.csv.")
)
