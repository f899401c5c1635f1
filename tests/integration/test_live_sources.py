"""Every live connector against real HTTP on 127.0.0.1 serving the service's own format, with faults.

Each case ends in the right rows (the same rows the bundled snapshot holds for that window) or in a
SourceError that names the service, the request and the rule broken.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from orchestration import settings
from orchestration.defs.raw.jgb_yields import parse_jgb
from orchestration.defs.raw.ust_yields import UST_SERIES, parse_ust
from orchestration.lib.sources.coinglass import MissingApiKey
from orchestration.lib.window import within
from tests.live_services import API_KEY, Services
from transforms.errors import SourceError
from transforms.issuance import issuance_from_heights, parse_block_heights
from transforms.parsers.coinbase import parse_coinbase_candles
from transforms.parsers.coinglass import parse_coinglass_liquidations
from transforms.parsers.farside import parse_farside_html
from transforms.parsers.yahoo import parse_yahoo_chart_json, parse_yahoo_csv

WEEK = (date(2026, 1, 26), date(2026, 2, 6))  # the crash fortnight
TODAY = settings.today_utc()
SNAP = settings.SNAPSHOT_DIR


def _bundled_prices(asset_id: str) -> pl.DataFrame:
    text = (SNAP / "prices" / f"{asset_id}.yahoo.csv").read_text()
    return within(parse_yahoo_csv(text, asset_id, "x", TODAY), "date", WEEK)


# connector -> (fetch and parse through the resource, the rows the bundled snapshot holds for the window)
def fred(r):
    return within(parse_ust({f"rates/fred/{s}.csv": r["fred"].series_csv(s, *WEEK) for s in UST_SERIES}), "date", WEEK)


def fred_expected():
    return within(
        parse_ust({f"rates/fred/{s}.csv": (SNAP / "rates" / "fred" / f"{s}.csv").read_bytes() for s in UST_SERIES}),
        "date",
        WEEK,
    )


def mof(r):
    return within(parse_jgb(r["mof"].jgbcm()), "date", (date(2026, 6, 1), date(2026, 6, 30)))


def mof_expected():
    return within(
        parse_jgb({"rates/mof/jgbcm_all.csv": (SNAP / "rates" / "mof" / "jgbcm_all.csv").read_bytes()}),
        "date",
        (date(2026, 6, 1), date(2026, 6, 30)),
    )


def yahoo(r):
    return parse_yahoo_chart_json(r["yahoo"].chart_json("AMD", *WEEK).decode(), "AMD", "AMD.json", TODAY)


def coinbase(r):
    return pl.concat(
        [
            parse_coinbase_candles(body.decode(), "BTC", name, TODAY)
            for name, body in r["coinbase"].daily_candles("BTC-USD", *WEEK).items()
        ]
    )


def farside(r):
    return within(parse_farside_html(r["farside"].flow_table_html().decode(), "farside.html", TODAY), "date", WEEK)


def farside_expected():
    html = (SNAP / "etf_flows" / "farside_bitcoin_etf_flow_all_data.html").read_text()
    return within(parse_farside_html(html, "farside.html", TODAY), "date", WEEK)


LIQ_WEEK = (date(2025, 10, 6), date(2025, 10, 12))


def coinglass(r):
    return parse_coinglass_liquidations(
        r["coinglass"].history_json("BTC", *LIQ_WEEK).decode(), "BTC", "BTC.json", TODAY
    ).filter(pl.col("bar_start").dt.date() <= LIQ_WEEK[1])


def coinglass_expected():
    text = (SNAP / "liquidations" / "coinglass" / "BTC.json").read_text()
    return within(parse_coinglass_liquidations(text, "BTC", "BTC.json", TODAY), "bar_start", LIQ_WEEK)


def mempool(r):
    return issuance_from_heights(parse_block_heights(r["mempool"].heights_at_midnight(*WEEK)))


CONNECTORS = {
    "fred": (fred, fred_expected),
    "mof": (mof, mof_expected),
    "yahoo": (yahoo, lambda: _bundled_prices("AMD")),
    "coinbase": (coinbase, lambda: _bundled_prices("BTC")),
    "farside": (farside, farside_expected),
    "coinglass": (coinglass, coinglass_expected),
    "mempool": (mempool, None),  # the fake chain mines exactly 144 blocks a day: 450 BTC
}
KEYS = {
    "fred": ["series_id", "date"],
    "mof": ["tenor_years", "date"],
    "yahoo": ["date"],
    "coinbase": ["date"],
    "farside": ["issuer", "date"],
    "coinglass": ["bar_start"],
    "mempool": ["date"],
}


@pytest.fixture(scope="module")
def services():
    with Services() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(services, monkeypatch):
    services.faults.clear()
    services.requests.clear()
    monkeypatch.setenv("COINGLASS_API_KEY", API_KEY)


def _compare(name: str, got: pl.DataFrame) -> None:
    fetch, expected = CONNECTORS[name]
    assert got.height > 0
    if expected is None:  # mempool: blocks at a steady 144 a day after the 2024 halving
        assert got["issuance_btc"].to_list() == pytest.approx([450.0] * got.height, abs=3.125 * 2)
        assert got["date"].min() == WEEK[0] and got["date"].max() == WEEK[1]
        return
    want = expected()
    cols = [c for c in want.columns if c in got.columns and c not in ("volume", "adj_close", "open", "high", "low")]
    left, right = got.select(cols).sort(KEYS[name]), want.select(cols).sort(KEYS[name])
    assert left.height == right.height
    for col in cols:
        if left.schema[col].is_numeric():
            assert left[col].to_list() == pytest.approx(right[col].to_list(), rel=1e-9), col
        else:
            assert left[col].to_list() == right[col].to_list(), col


@pytest.mark.parametrize("name", CONNECTORS)
def test_right_rows(services, name):
    _compare(name, CONNECTORS[name][0](services.resources()))


@pytest.mark.parametrize("name", CONNECTORS)
def test_429_then_success(services, name):
    services.faults.extend(["429"])
    _compare(name, CONNECTORS[name][0](services.resources()))
    assert len(services.requests) >= 2 and services.requests[0][1] == services.requests[1][1]  # the same request, again


@pytest.mark.parametrize("name", CONNECTORS)
def test_500s_past_the_retry_budget(services, name):
    services.faults.extend(["500"] * 3)
    with pytest.raises(SourceError) as error:
        CONNECTORS[name][0](services.resources())
    assert error.value.rule == "must answer within 3 attempts" and "HTTP 500" in str(error.value)
    assert str(error.value).startswith(f"[{name}] ")
    assert len(services.requests) == 3


@pytest.mark.parametrize("name", CONNECTORS)
def test_slower_than_the_timeout(services, name):
    services.slow_s = 1.0
    services.faults.extend(["slow"] * 2)
    with pytest.raises(SourceError) as error:
        CONNECTORS[name][0](services.resources(timeout_s=0.3, max_attempts=2))
    assert "no response within the 0.3 s timeout" in str(error.value)


@pytest.mark.parametrize("name", CONNECTORS)
def test_truncated_body(services, name):
    services.faults.extend(["truncated"] * 3)
    with pytest.raises(SourceError) as error:
        CONNECTORS[name][0](services.resources())
    assert "truncated" in str(error.value) or "body must be complete" in str(error.value)


@pytest.mark.parametrize("name", CONNECTORS)
def test_html_error_page_with_status_200(services, name):
    services.faults.extend(["html200"])
    with pytest.raises(SourceError) as error:
        CONNECTORS[name][0](services.resources())
    if name == "farside":  # HTML is its format: the page is refused for lacking the flow table
        assert error.value.rule == "a table whose first header cell is 'Date' must be present"
    else:
        assert "got an HTML page" in error.value.rule
    assert len(services.requests) == 1  # a 200 page is an answer, not a fault to retry into


@pytest.mark.parametrize("name", CONNECTORS)
def test_renamed_column(services, name):
    services.faults.extend(["rename"])
    with pytest.raises(SourceError) as error:
        CONNECTORS[name][0](services.resources())
    expected = {
        "fred": "required column 'observation_date' missing",
        "mof": "required column '10年' missing",
        "yahoo": "required field 'indicators.quote[0].close' missing",
        "coinbase": "each candle must be [time, low, high, open, close, volume]",
        "farside": "required column 'Total' missing",
        "coinglass": "required field 'aggregated_long_liquidation_usd' missing",
        "mempool": "required field 'height' missing",
    }
    assert error.value.rule == expected[name]


def test_rate_limit_spaces_requests(services):
    resources = services.resources(min_interval_s=0.2)
    resources["mempool"].heights_at_midnight(date(2026, 2, 1), date(2026, 2, 3))
    times = [t for t, _, _ in services.requests]
    assert len(times) == 4 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.19


def test_coinbase_pages_by_300_candles(services):
    # The fake refuses more than 300 candles a request, as Coinbase does: a year takes two requests.
    payloads = services.resources()["coinbase"].daily_candles("BTC-USD", date(2025, 1, 1), date(2025, 12, 31))
    assert len(payloads) == 2 and len(services.requests) == 2
    frame = pl.concat([parse_coinbase_candles(b.decode(), "BTC", n, TODAY) for n, b in payloads.items()])
    assert frame.height == 365 and frame["date"].n_unique() == 365


def test_coinglass_key_is_sent_as_header_and_never_shown(services, monkeypatch):
    resources = services.resources()
    coinglass(resources)
    assert services.requests[0][2].get("CG-API-KEY") == API_KEY and API_KEY not in services.requests[0][1]
    assert API_KEY not in repr(resources["coinglass"]) and API_KEY not in str(resources["coinglass"].model_dump())
    monkeypatch.setenv("COINGLASS_API_KEY", "wrong-key")
    with pytest.raises(SourceError) as error:
        coinglass(resources)
    assert "wrong-key" not in str(error.value) and error.value.rule == "response code must be '0' (success)"
    monkeypatch.delenv("COINGLASS_API_KEY")
    with pytest.raises(MissingApiKey, match="set COINGLASS_API_KEY"):
        coinglass(resources)
