"""Real HTTP on 127.0.0.1 serving the public services' payloads in their exact formats, with faults on demand.

The payloads are built from the bundled snapshot (real data): FRED's fredgraph CSV cut to cosd..coed, the
MOF's CP932 jgbcm files, Yahoo's chart v8 JSON, Coinbase's candle arrays (low and high before open, newest
first, at most 300), Farside's HTML table, CoinGlass's `{code, msg, data}` envelope behind `CG-API-KEY`,
and mempool.space's `{height, hash, timestamp}` for a moment.

`faults` is a queue consumed one request at a time: "429", "500", "slow" (answers after `slow_s`),
"truncated" (declares the whole length, sends half, closes), "html200" (a 200 error page) and "rename"
(the first column or field renamed).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import polars as pl

from orchestration import settings

SNAPSHOT = settings.SNAPSHOT_DIR
API_KEY = "cg-test-secret-0123456789"
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
)
HALVING_2024 = (840_000, datetime(2024, 4, 20, 0, 9, 27, tzinfo=timezone.utc))  # block 840,000 and its time


def _day(ts: str) -> date:
    return (
        datetime.fromisoformat(ts.replace("Z", "+00:00")).date()
        if "T" in ts
        else datetime.fromtimestamp(int(ts), timezone.utc).date()
    )


def _yahoo_frame(asset_id: str) -> pl.DataFrame:
    return pl.read_csv(SNAPSHOT / "prices" / f"{asset_id}.yahoo.csv", try_parse_dates=True)


def fred(query: dict, through: date | None = None) -> tuple[str, bytes]:
    series = query["id"][0]
    found = [p for p in SNAPSHOT.rglob(f"{series}.csv")] or [SNAPSHOT / "prices" / "IXIC.fred.csv"]
    frame = pl.read_csv(found[0], infer_schema_length=0)
    if through is not None:
        frame = _carried_through(frame, through)
    start, end = query["cosd"][0], query["coed"][0]
    cut = frame.filter(pl.col("observation_date").is_between(pl.lit(start), pl.lit(end)))
    return "text/csv", cut.write_csv().encode()


def _carried_through(frame: pl.DataFrame, through: date) -> pl.DataFrame:
    """The series with its last value carried over every weekday after the snapshot ends, up to `through`: a
    made-up continuation, so that a run scheduled today gets a well-formed answer (tests of the daemon's
    process path, never of values)."""
    last = date.fromisoformat(frame["observation_date"][-1])
    days = pl.date_range(last + timedelta(days=1), through, "1d", eager=True)
    weekdays = [d.isoformat() for d in days if d.weekday() < 5]
    extra = pl.DataFrame({"observation_date": weekdays}, schema={"observation_date": pl.String}).with_columns(
        [pl.lit(frame[c][-1]).alias(c) for c in frame.columns[1:]]
    )
    return pl.concat([frame, extra.select(frame.columns)])


def mof(path: str) -> tuple[str, bytes]:
    body = (SNAPSHOT / "rates" / "mof" / "jgbcm_all.csv").read_bytes()
    if path.endswith("/jgbcm.csv"):  # the current month's file: same title, header and format
        lines = body.split(b"\r\n") if b"\r\n" in body else body.split(b"\n")
        body = b"\r\n".join(lines[:2] + [line for line in lines[2:] if line.startswith(b"R8.6.")]) + b"\r\n"
    return "text/csv", body


def yahoo(symbol: str, query: dict) -> tuple[str, bytes]:
    manifest = pl.read_csv(SNAPSHOT / "prices" / "manifest.csv")
    asset_id = manifest.filter(pl.col("source_symbol") == symbol)["asset_id"][0]
    start, end = (datetime.fromtimestamp(int(query[k][0]), timezone.utc).date() for k in ("period1", "period2"))
    rows = _yahoo_frame(asset_id).filter((pl.col("Date") >= start) & (pl.col("Date") < end))
    zone = "UTC" if asset_id in ("BTC", "ETH") else "America/New_York"
    # Bars are stamped at the session open: 09:30 New York (14:30 UTC in winter, 13:30 in summer).
    stamps = [int(datetime(d.year, d.month, d.day, 14, 30, tzinfo=timezone.utc).timestamp()) for d in rows["Date"]]
    quote = {
        c.lower(): rows[c].to_list() if c in rows.columns else [None] * rows.height
        for c in ["Open", "High", "Low", "Close", "Volume"]
    }
    result = {
        "meta": {
            "currency": "USD",
            "symbol": symbol,
            "exchangeTimezoneName": zone,
            "gmtoffset": -18000,
            "dataGranularity": "1d",
        },
        "timestamp": stamps,
        "indicators": {"quote": [quote], "adjclose": [{"adjclose": quote["close"]}]},
    }
    return "application/json", json.dumps({"chart": {"result": [result], "error": None}}).encode()


def coinbase(product: str, query: dict) -> tuple[int, str, bytes]:
    start, end = _day(query["start"][0]), _day(query["end"][0])
    if (end - start).days + 1 > 300:
        return 400, "application/json", b'{"message":"granularity too small for the requested time range"}'
    rows = (
        _yahoo_frame(product.split("-")[0]).filter(pl.col("Date").is_between(start, end)).sort("Date", descending=True)
    )
    candles = [
        [int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp()), lo, hi, op, cl, vol / cl]
        for d, op, hi, lo, cl, vol in rows.select("Date", "Open", "High", "Low", "Close", "Volume").iter_rows()
    ]
    return 200, "application/json", json.dumps(candles).encode()


def farside() -> tuple[str, bytes]:
    return "text/html; charset=utf-8", (SNAPSHOT / "etf_flows" / "farside_bitcoin_etf_flow_all_data.html").read_bytes()


def coinglass(query: dict, key: str | None) -> tuple[str, bytes]:
    if key != API_KEY:
        return "application/json", b'{"code":"30001","msg":"API key missing or invalid"}'
    payload = json.loads((SNAPSHOT / "liquidations" / "coinglass" / f"{query['symbol'][0]}.json").read_text())
    first, last = int(query["start_time"][0]), int(query["end_time"][0])
    payload["data"] = [row for row in payload["data"] if first <= row["time"] < last]
    return "application/json", json.dumps(payload).encode()


def mempool(unix: int) -> tuple[str, bytes]:
    height, at = HALVING_2024
    # A steady 144 blocks a day from the halving: the last block before the moment.
    blocks = int((unix - at.timestamp()) // 600)
    mined = datetime.fromtimestamp(at.timestamp() + blocks * 600, timezone.utc)
    return "application/json", json.dumps(
        {
            "height": height + blocks,
            "hash": f"{height + blocks:064x}",
            "timestamp": mined.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
    ).encode()


def _rename(content_type: str, body: bytes) -> bytes:
    if "json" in content_type:
        text = body.decode()
        for old, new in [
            ('"close"', '"Close"'),
            ('"height"', '"blockHeight"'),
            ('"aggregated_long_liquidation_usd"', '"longLiquidationUsd"'),
        ]:
            text = text.replace(old, new)
        if text.startswith("[["):  # candles have no names: a seventh field is the format changing
            text = text.replace("]", ", 0]").replace(", 0], 0]", ", 0]]")
        return text.encode()
    if "html" in content_type:
        return body.replace(b">Total<", b">Net total<")
    encoding = "cp932" if body.startswith("国債".encode("cp932")) else "utf-8"
    lines = body.decode(encoding).split("\n")
    if encoding == "cp932":
        lines[1] = lines[1].replace(",10年,", ",10y,")
    else:
        lines[0] = ",".join(["when", *lines[0].split(",")[1:]])
    return "\n".join(lines).encode(encoding)


class Services:
    """A threaded HTTP server; `url(service)` is the base URL a resource is pointed at."""

    def __init__(self, fred_through: date | None = None):
        """`fred_through`: FRED's series carry their last value on every weekday up to that day."""
        self.fred_through = fred_through
        self.faults: deque[str] = deque()
        self.requests: list[tuple[float, str, dict]] = []
        self.slow_s = 1.0
        services = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                parsed = urlparse(self.path)
                query = parse_qs(parsed.query)
                services.requests.append((time.monotonic(), self.path, dict(self.headers)))  # path and query
                fault = services.faults.popleft() if services.faults else None
                if fault in ("429", "500"):
                    return self._send(
                        int(fault),
                        "text/plain",
                        b"slow down" if fault == "429" else b"oops",
                        {"Retry-After": "0"} if fault == "429" else {},
                    )
                if fault == "html200":
                    return self._send(200, "text/html", HTML_ERROR)
                if fault == "slow":
                    time.sleep(services.slow_s)
                status, (content_type, body) = 200, ("text/plain", b"not found")
                path = parsed.path
                try:
                    if path.startswith("/fred"):
                        content_type, body = fred(query, services.fred_through)
                    elif path.startswith("/mof/"):
                        content_type, body = mof(path)
                    elif path.startswith("/yahoo/"):
                        content_type, body = yahoo(
                            path.rsplit("/", 1)[1].replace("%5E", "^").replace("%3D", "="), query
                        )
                    elif path.startswith("/coinbase/products/"):
                        status, content_type, body = coinbase(path.split("/")[3], query)
                    elif path.startswith("/farside/"):
                        content_type, body = farside()
                    elif path.startswith("/coinglass/"):
                        content_type, body = coinglass(query, self.headers.get("CG-API-KEY"))
                    elif path.startswith("/mempool/v1/mining/blocks/timestamp/"):
                        content_type, body = mempool(int(path.rsplit("/", 1)[1]))
                    else:
                        status = 404
                except Exception as exc:  # a bug in this fake shows up as a 500 with its reason
                    status, content_type, body = 500, "text/plain", repr(exc).encode()
                if fault == "rename":
                    body = _rename(content_type, body)
                if fault == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                return self._send(status, content_type, body)

            def _send(self, status, content_type, body, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{service}"

    def resources(self, **overrides) -> dict:
        """Every live resource pointed here, with a short timeout and no real waiting between retries."""
        from orchestration.lib.sources.coinbase import CoinbaseSource
        from orchestration.lib.sources.coinglass import CoinGlassSource
        from orchestration.lib.sources.farside import FarsideSource
        from orchestration.lib.sources.fred import FredSource
        from orchestration.lib.sources.mempool import MempoolSource
        from orchestration.lib.sources.mof import MofSource
        from orchestration.lib.sources.yahoo import YahooSource

        fast = dict(timeout_s=0.5, max_attempts=3, backoff_s=0.01, backoff_max_s=0.05, min_interval_s=0.0)
        fast.update(overrides)
        return {
            "fred": FredSource(base_url=self.url("fred"), **fast),
            "mof": MofSource(base_url=self.url("mof"), **fast),
            "yahoo": YahooSource(base_url=self.url("yahoo"), **fast),
            "coinbase": CoinbaseSource(base_url=self.url("coinbase"), **fast),
            "farside": FarsideSource(base_url=self.url("farside"), **fast),
            "coinglass": CoinGlassSource(base_url=self.url("coinglass"), **fast),
            "mempool": MempoolSource(base_url=self.url("mempool"), **fast),
        }
