import json
from datetime import date, datetime, timezone

import polars as pl
import pytest

from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.coinglass import parse_coinglass_liquidations
from transforms.parsers.farside import parse_farside_html


def farside(*rows: str, issuers=("IBIT", "FBTC", "GBTC")) -> str:
    head = "<tr><th>Date</th>" + "".join(f"<th>{i}</th>" for i in issuers) + "<th>Total</th></tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r.split("|")) + "</tr>" for r in rows)
    return f"<html><body><table class='etf'><thead>{head}</thead><tbody>{body}</tbody></table></body></html>"


def test_farside_negatives_dashes_and_summary_rows():
    html = farside(
        "29 Jan 2026|(317.8)|(150.0)|(350.0)|(817.8)",
        "30 Jan 2026|1,019.5|-|(10.0)|1,009.5",
        "Total|701.7|(150.0)|(360.0)|191.7",
    )
    df = parse_farside_html(html, "farside.html", TODAY)
    assert df.filter(pl.col("date") == date(2026, 1, 29))["net_flow_usd_m"].sum() == pytest.approx(-817.8)
    assert df.filter((pl.col("date") == date(2026, 1, 30)) & (pl.col("issuer") == "IBIT")).item(0, 2) == 1019.5
    assert df.filter(pl.col("date") == date(2026, 1, 30)).height == 2  # '-' is not reported, not zero
    assert df["date"].max() == date(2026, 1, 30)  # the Total row is not a day


@pytest.mark.parametrize(
    "html, rule",
    [
        (farside("29 Jan 2026|10|20|30|999"), "issuer flows must add up to Total within 1.0 US$m"),
        (farside("29 Jan 2026|10|abc|30|60"), "FBTC must be a number, '(number)' or '-'"),
        (farside("2026-01-29|10|20|30|60"), "Date must look like '11 Jan 2024'"),
        (farside("29 Jan 2026|10|20|30|60", "29 Jan 2026|10|20|30|60"), "key (date) must be unique"),
        (farside("29 Jan 2026|10|20|60").replace("<th>Total</th>", ""), "required column 'Total' missing"),
        (
            "<html><body><p>Just a moment...</p></body></html>",
            "a table whose first header cell is 'Date' must be present",
        ),
    ],
)
def test_farside_bad_input(html, rule):
    with pytest.raises(SourceError) as caught:
        parse_farside_html(html, "farside.html", TODAY)
    assert caught.value.rule == rule


def coinglass(data, code="0") -> str:
    return json.dumps({"code": code, "msg": "success" if code == "0" else "Upgrade plan", "data": data})


def test_coinglass_bars_are_utc():
    ms = int(datetime(2026, 2, 5, 16, tzinfo=timezone.utc).timestamp() * 1000)
    df = parse_coinglass_liquidations(
        coinglass([{"time": ms, "aggregated_long_liquidation_usd": 2.1e8, "aggregated_short_liquidation_usd": 4.5e7}]),
        "BTC",
        "BTC.json",
        TODAY,
    )
    assert df.row(0) == (datetime(2026, 2, 5, 16, tzinfo=timezone.utc), "BTC", 2.1e8, 4.5e7)


@pytest.mark.parametrize(
    "text, rule",
    [
        (coinglass([], code="40001"), "response code must be '0' (success)"),
        (coinglass([]), "file must hold at least one data row"),
        ('{"code":"0","msg":"success","data":[{"time":17', "body must be complete JSON"),
        (
            coinglass([{"time": 1, "long_usd": 1, "aggregated_short_liquidation_usd": 1}]),
            "required field 'aggregated_long_liquidation_usd' missing",
        ),
        (
            coinglass([{"time": 1, "aggregated_long_liquidation_usd": -5, "aggregated_short_liquidation_usd": 1}]),
            "long_usd must be a number >= 0",
        ),
    ],
)
def test_coinglass_bad_input(text, rule):
    with pytest.raises(SourceError) as caught:
        parse_coinglass_liquidations(text, "BTC", "BTC.json", TODAY)
    assert caught.value.rule == rule
