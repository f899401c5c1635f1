"""Property-based tests of every parser: arbitrary bytes and well-formed-but-wrong files.

Each parser runs as its raw asset runs it (the parser, then the table's columns and rules: `conform`), on
  - arbitrary bytes;
  - the bundled real file for that parser, cut to its first lines and mutated: a cell replaced by a hostile
    token (non-finite numbers, impossible dates, markup, quotes, NUL, other scripts), lines dropped,
    repeated or cut mid-way, header cells swapped; JSON leaves replaced by values of another type;
  - for the inbox and Yahoo CSV layouts, generated valid rows, which must come back exactly.
The only outcomes allowed are rows that keep every rule of their table, or a SourceError naming the rule.
No other exception, and no hang (each example has a deadline).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.lib.raw_tables import RAW_TABLES
from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.issuance import parse_supply_csv
from transforms.parsers.coinbase import parse_coinbase_candles
from transforms.parsers.coinglass import parse_coinglass_liquidations
from transforms.parsers.curated import parse_curated_csv
from transforms.parsers.farside import parse_farside_html
from transforms.parsers.fred import parse_fred_csv
from transforms.parsers.inbox import parse_user_file
from transforms.parsers.intraday import parse_hourly_bars
from transforms.parsers.mof import parse_mof_jgbcm
from transforms.parsers.treasuries import parse_curated_holdings, parse_mstr_holdings
from transforms.parsers.yahoo import (
    PRICE_COLUMNS,
    parse_close_csv,
    parse_ny_close_csv,
    parse_yahoo_chart_json,
    parse_yahoo_csv,
)
from transforms.validation import conform

SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "snapshot"
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("LIQMART_FUZZ_EXAMPLES", "60")),
    deadline=timedelta(seconds=10),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PRICES = RAW_TABLES["prices"]
EVENTS = RAW_TABLES["market_events"]


def gated(table: str | None, parse: Callable[[bytes], pl.DataFrame]) -> Callable[[bytes], pl.DataFrame]:
    """The parser followed by its table's rules, as `load_payloads` runs them."""

    def run(data: bytes) -> pl.DataFrame:
        frame = parse(data)
        if table is None:
            return frame
        spec = RAW_TABLES[table]
        return conform("fuzz", "fuzz", frame, list(spec.columns), spec.rules(TODAY), spec.keys)

    return run


# name: (parser as the asset runs it, sample file, kind of text)
PARSERS: dict[str, tuple[Callable[[bytes], pl.DataFrame], str, str]] = {
    "yahoo_csv": (gated("prices", lambda b: parse_yahoo_csv(b, "AMD", "f.csv", TODAY)), "prices/AMD.yahoo.csv", "csv"),
    "lbma_close_csv": (
        gated("prices", lambda b: parse_close_csv(b, "XAU", "f.csv", TODAY, "lbma")),
        "prices/XAU.lbma.csv",
        "csv",
    ),
    "fred_close_csv": (
        gated("prices", lambda b: parse_close_csv(b, "IXIC", "f.csv", TODAY, "fred", "observation_date", "NASDAQCOM")),
        "prices/IXIC.fred.csv",
        "csv",
    ),
    "ny_close_csv": (
        gated("prices", lambda b: parse_ny_close_csv(b, "USDJPY_NY", "f.csv", TODAY)),
        "prices/USDJPY_NY.mt5.csv",
        "csv",
    ),
    "yahoo_chart_json": (gated("prices", lambda b: parse_yahoo_chart_json(b, "AMD", "f.json", TODAY)), None, "json"),
    "coinbase_json": (gated("prices", lambda b: parse_coinbase_candles(b, "BTC", "f.json", TODAY)), None, "json"),
    "fred_csv": (
        gated(
            "ust_yields",
            lambda b: (
                parse_fred_csv(b, "DGS10", "f.csv", TODAY)
                .rename({"value": "yield_pct"})
                .with_columns(tenor_years=pl.lit(10.0))
            ),
        ),
        "rates/fred/DGS10.csv",
        "csv",
    ),
    "mof_csv": (gated("jgb_yields", lambda b: parse_mof_jgbcm(b, "f.csv", TODAY)), "rates/mof/jgbcm_all.csv", "csv"),
    "farside_html": (
        gated("btc_etf_flows", lambda b: parse_farside_html(b, "f.html", TODAY)),
        "etf_flows/farside_bitcoin_etf_flow_all_data.html",
        "html",
    ),
    "coinglass_json": (
        gated("crypto_liquidations", lambda b: parse_coinglass_liquidations(b, "BTC", "f.json", TODAY)),
        "liquidations/coinglass/BTC.json",
        "json",
    ),
    "mstr_holdings_csv": (
        gated("treasury_holdings", lambda b: parse_mstr_holdings(b, "f.csv", TODAY)),
        "treasuries/mstr_holdings_sec.csv",
        "csv",
    ),
    "curated_holdings_csv": (
        gated("treasury_holdings", lambda b: parse_curated_holdings(b, "f.csv", TODAY)),
        "treasuries/treasury_holdings_curated.csv",
        "csv",
    ),
    "curated_events_csv": (
        gated(
            "market_events",
            lambda b: parse_curated_csv(
                b, "f.csv", [c for c in EVENTS.not_null if c != "source"], EVENTS.keys, ["event_date"]
            ),
        ),
        "reference/market_events.csv",
        "csv",
    ),
    "binance_hourly_csv": (
        gated(
            "intraday_bars",
            lambda b: parse_hourly_bars(b, "BTC", "binance_spot", "spot_usdt", "f.csv", TODAY, "volume"),
        ),
        "intraday/btcusdt_binance_spot_1h_2026-01_2026-02.csv",
        "csv",
    ),
    "mt5_hourly_csv": (
        gated("intraday_bars", lambda b: parse_hourly_bars(b, "XAG", "mt5_broker", "spot_cfd", "f.csv", TODAY, None)),
        "intraday/xagusd_mt5_h1_2026-01-02_2026-02-27.csv",
        "csv",
    ),
    "supply_csv": (gated(None, lambda b: parse_supply_csv(b, "f.csv", TODAY)), "issuance/btc_supply_daily.csv", "csv"),
    "inbox_csv": (
        gated("prices", lambda b: parse_user_file(b, "f.csv", PRICES.columns, PRICES.row_rules(TODAY), PRICES.keys)),
        None,
        "csv",
    ),
    "inbox_parquet": (
        gated(
            "prices", lambda b: parse_user_file(b, "f.parquet", PRICES.columns, PRICES.row_rules(TODAY), PRICES.keys)
        ),
        None,
        "bytes",
    ),
}

INBOX_SAMPLE = (
    "date,asset_id,open,high,low,close,adj_close,volume\n"
    + "".join(f"2026-01-{d:02d},AMD,10,11,9,10.5,,{d * 100}\n" for d in range(2, 20))
).encode()
CHART_SAMPLE = json.dumps(
    {
        "chart": {
            "result": [
                {
                    "meta": {"exchangeTimezoneName": "America/New_York"},
                    "timestamp": [1767364200 + 86400 * i for i in range(8)],
                    "indicators": {
                        "quote": [
                            {
                                "open": [10.0 + i for i in range(8)],
                                "high": [12.0 + i for i in range(8)],
                                "low": [9.0 + i for i in range(8)],
                                "close": [11.0 + i for i in range(8)],
                                "volume": [1000 * i for i in range(8)],
                            }
                        ],
                        "adjclose": [{"adjclose": [11.0 + i for i in range(8)]}],
                    },
                }
            ],
            "error": None,
        }
    }
).encode()
COINBASE_SAMPLE = json.dumps([[1767312000 - 86400 * i, 90.0, 110.0, 95.0, 100.0 + i, 12.5] for i in range(8)]).encode()

HOLDINGS_SAMPLE = (
    "date,company,ticker,holdings_btc,source\n"
    + "".join(f"2025-{m:02d}-28,Metaplanet,3350.T,{1000 * m},https://example.org/filing-{m}\n" for m in range(1, 13))
).encode()


def _parquet(data: bytes) -> bytes:
    buffer = io.BytesIO()
    pl.read_csv(io.BytesIO(data), infer_schema=False).write_parquet(buffer)
    return buffer.getvalue()


def sample(name: str) -> bytes:
    _, file, _ = PARSERS[name]
    if name == "inbox_csv":
        return INBOX_SAMPLE
    if name == "inbox_parquet":
        return _parquet(INBOX_SAMPLE)
    if name == "yahoo_chart_json":
        return CHART_SAMPLE
    if name == "coinbase_json":
        return COINBASE_SAMPLE
    if name == "curated_holdings_csv":  # the bundled file holds only its header so far
        return HOLDINGS_SAMPLE
    data = (SNAPSHOT / file).read_bytes()
    if file.endswith(".json"):  # a few bars are enough
        payload = json.loads(data)
        payload["data"] = payload["data"][:12]
        return json.dumps(payload).encode()
    if file.endswith(".html"):  # the table's head, its first rows and the end of the page
        lines = data.splitlines(keepends=True)
        return b"".join(lines[:30] + [line for line in lines[-12:] if b"<td>" not in line])
    return b"".join(data.splitlines(keepends=True)[:30])


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_sample_parses_before_it_is_mutated(name):
    """The mutations start from a file the parser accepts, so a refusal below is the mutation's doing."""
    assert PARSERS[name][0](sample(name)).height > 0


HOSTILE = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1",
    "0",
    "-0",
    "1e-400",
    "null",
    ".",
    "-",
    "N/A",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "1800-01-01",
    "2099-01-01",
    '"',
    '""',
    '"a,b"',
    "<b>x</b>",
    "<script>alert(1)</script>",
    "\x00",
    "１２",
    "1,5",
    "٣",
    "💥",
    "R8.1.32",
    "H31.2.29",
    "(12.5)",
    "1.2.3",
    "0x10",
    "1_000",
    " 12 ",
    "BTC; drop table raw.prices; --",
    "x" * 300,
]


def _split(line: str, kind: str) -> tuple[list[str], str]:
    if kind == "html" and "</td><td>" in line:
        return line.split("</td><td>"), "</td><td>"
    return line.split(","), ","


@st.composite
def mutated_text(draw, data: bytes, kind: str) -> bytes:
    text = data.decode("cp932") if data[:3] != b"\xef\xbb\xbf" and not _utf8(data) else data.decode("utf-8-sig")
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop", "repeat", "cut", "swap_header", "noise"]))
        at = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines:
            break
        if op == "cell":
            cells, sep = _split(lines[at], kind)
            cell = draw(st.integers(0, len(cells) - 1))
            cells[cell] = draw(st.sampled_from(HOSTILE) | st.text(max_size=12))
            lines[at] = sep.join(cells)
        elif op == "drop":
            del lines[at]
        elif op == "repeat":
            lines.insert(at, lines[at])
        elif op == "cut":
            lines = lines[:at] + [lines[at][: draw(st.integers(0, len(lines[at])))]]
        elif op == "swap_header":
            cells, sep = _split(lines[0], kind)
            i, j = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
            cells[i], cells[j] = cells[j], cells[i]
            lines[0] = sep.join(cells)
        else:
            lines[at] = draw(st.text(max_size=60))
    return ("\n".join(lines) + draw(st.sampled_from(["\n", "\r\n", ""]))).encode()


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from(HOSTILE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just([]),
    st.just({}),
)


@st.composite
def mutated_json(draw, data: bytes) -> bytes:
    payload = json.loads(data)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_leaf_paths(payload))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        target = payload
        for step in path[:-1]:
            target = target[step]
        if draw(st.booleans()) or not isinstance(target, (list, dict)):
            target[path[-1]] = draw(JSON_LEAVES)
        elif isinstance(target, list):
            target.pop(path[-1]) if len(target) > 1 else None
        else:
            target.pop(path[-1], None)
    return json.dumps(payload).encode()


def _leaf_paths(node, path=()):
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield (*path, key)
        yield from _leaf_paths(value, (*path, key))


def holds_its_rules(frame: pl.DataFrame) -> None:
    """What an accepted frame must be: numbers finite where present (the table rules also ran on it)."""
    assert isinstance(frame, pl.DataFrame)
    for col, dtype in frame.schema.items():
        if dtype == pl.Float64:
            assert frame[col].drop_nulls().is_finite().all(), f"{col} holds a non-finite number"


def outcome(parse: Callable[[bytes], pl.DataFrame], data: bytes) -> None:
    try:
        frame = parse(data)
    except SourceError as error:
        assert error.rule and error.file, "a refusal names the file and the rule"
        return
    holds_its_rules(frame)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_give_rows_or_a_source_error(name, data):
    outcome(PARSERS[name][0], data)


@pytest.mark.parametrize("name", sorted(n for n, (_, _, kind) in PARSERS.items() if kind != "bytes"))
@FUZZ
@given(data=st.data())
def test_wrong_files_in_the_right_shape_give_rows_or_a_source_error(name, data):
    parse, _, kind = PARSERS[name]
    payload = data.draw(mutated_json(sample(name)) if kind == "json" else mutated_text(sample(name), kind))
    outcome(parse, payload)


@FUZZ
@given(data=st.data())
def test_wrong_parquet_files_give_rows_or_a_source_error(data):
    csv = data.draw(mutated_text(INBOX_SAMPLE, "csv"))
    try:
        payload = _parquet(csv)
    except Exception:  # noqa: BLE001 - polars could not make a Parquet file of it: nothing to feed
        return
    outcome(PARSERS["inbox_parquet"][0], payload)


# Valid rows, generated: the parser must give back exactly those rows.
BARS = st.lists(
    st.tuples(
        st.integers(0, 3000),
        st.floats(0.01, 1e6),
        st.floats(0, 0.5),
        st.floats(0, 0.5),
        st.floats(0, 1),
        st.one_of(st.none(), st.floats(0, 1e12)),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda bar: bar[0],
)


def _frame(bars) -> pl.DataFrame:
    rows = []
    for offset, low, up, down, where, volume in bars:
        high = low * (1 + up + down)
        open_, close = low + (high - low) * where, low + (high - low) * (1 - where)
        rows.append((TODAY - timedelta(days=offset), "AMD", open_, high, low, close, None, volume))
    return pl.DataFrame(
        rows,
        schema=PRICE_COLUMNS,
        orient="row",
    )


@FUZZ
@given(bars=BARS, crlf=st.booleans(), bom=st.booleans())
def test_valid_rows_come_back_exactly_from_an_inbox_csv(bars, crlf, bom):
    expected = _frame(bars)
    text = expected.write_csv(float_precision=None, line_terminator="\r\n" if crlf else "\n")
    data = ("\ufeff" if bom else "").encode() + text.encode()
    got = PARSERS["inbox_csv"][0](data)
    assert got.sort("date").equals(expected.sort("date"))


@FUZZ
@given(bars=BARS)
def test_valid_rows_come_back_exactly_from_a_yahoo_csv(bars):
    expected = _frame(bars).with_columns(adj_close=pl.col("close"))
    yahoo = expected.select(
        pl.col("date").alias("Date"),
        pl.col("open").alias("Open"),
        pl.col("high").alias("High"),
        pl.col("low").alias("Low"),
        pl.col("close").alias("Close"),
        pl.col("adj_close").alias("Adj Close"),
        pl.col("volume").alias("Volume"),
    )
    got = PARSERS["yahoo_csv"][0](yahoo.write_csv().encode())
    # A flat bar (open = high = low = close) is a settlement-only row: its close comes back, its range does not.
    flat = [o == h == lo == c for o, h, lo, c in expected.select("open", "high", "low", "close").iter_rows()]
    expected = expected.with_columns(
        pl.when(pl.Series(flat)).then(None).otherwise(pl.col(c)).alias(c) for c in ("open", "high", "low")
    )
    assert got.sort("date").equals(expected.sort("date"))
