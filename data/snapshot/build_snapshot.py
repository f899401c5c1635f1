"""Rebuild the bundled snapshot from the collected real data (`../shared/data/real`).

Run by hand when the collected data changes: `python data/snapshot/build_snapshot.py SRC`.
It is not part of a run. Each family is written in the native format of the service a live connector
reads (Yahoo download CSV, FRED CSV, MOF CP932 CSV with era dates, the Farside HTML table, CoinGlass
JSON) so that one parser serves the snapshot and the live source alike.
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import sys
from datetime import date
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent

# asset_id -> (collected file, Yahoo symbol); long-format stocks are split by symbol below.
YAHOO_FILES = {
    "BTC": ("crypto/btc_usd_daily_yahoo.csv", "BTC-USD"),
    "ETH": ("crypto/eth_usd_daily_yahoo.csv", "ETH-USD"),
    "XAG": ("metals/silver_futures_SI_F_daily_yahoo.csv", "SI=F"),
    "NDX": ("equities/nasdaq100_NDX_daily_yahoo.csv", "^NDX"),
    "USDJPY": ("fx/usdjpy_JPY_X_daily_yahoo.csv", "JPY=X"),
}

STOCKS = ["AMD", "GOOGL", "MU", "SNDK", "WDC", "MSTR"]
YAHOO_COLUMNS = ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]

# History before 2024 (../shared/data/real/history, PROVENANCE "history/ (before 2024)"): each family from its
# earliest clean date, and nothing before 2000-01-01, where the partitions start (orchestration/lib/window.py):
# the OFR FSI and the COMEX futures histories start in 2000, so a decade of comparison needs no earlier day.
HISTORY_FLOOR = "2000-01-01"
# Yahoo's JPY=X stamps row d with New York's close of d up to 2010Q2 and with the early-London snapshot
# (New York's close of d-1) from 2010Q3, the transition quarter muddled (PROVENANCE). The panel and the
# reconciliation read JPY=X on its later clock, so its history is kept from the quarter after the change.
JPY_X_CLOCK_FROM = "2010-10-01"
# MT5 spot silver: New York days with no weekend bars only from 2013 (2007-2012 hold Sunday bars: another clock).
XAG_SPOT_CLOCK_FROM = "2013-01-01"
# The rates families reach back as far as the collected files do (UST DGS10 from 1962, DGS2 from 1976, DGS30
# from 1977; JGB from 1974): "the first time in more than 30 years" needs it. Their first yearly partition holds
# this history before 2000 too (raw_tables.RawTable.history_floor, orchestration/lib/window.py).
RATES_HISTORY_FLOOR = "1962-01-01"
# Each Yahoo file's history (the same name under history/, the same columns) is kept from HISTORY_FLOOR, or:
YAHOO_HISTORY_FROM = {"USDJPY": JPY_X_CLOCK_FROM}


def with_history(
    history: pl.DataFrame,
    current: pl.DataFrame,
    date_col: str,
    compare: list[str],
    start: str = HISTORY_FLOOR,
    rel_tol: float = 1e-9,
    abs_tol: float = 0.0,
) -> pl.DataFrame:
    """The history's rows from `start` up to the day before the current file's first row, then the current file.

    The two collections overlap by a few days (PROVENANCE's cross-check): on the overlap every compared column
    must agree within the tolerance, or the splice is refused (two sources that disagree are not one series)."""
    first = current[date_col].min()
    overlap = history.join(current, on=date_col, suffix="_current")
    for col in compare:
        a = overlap[col].cast(pl.Float64, strict=False)
        b = overlap[f"{col}_current"].cast(pl.Float64, strict=False)
        diff = ((a - b).abs() - abs_tol - rel_tol * b.abs()).fill_null(0)
        if overlap.height and diff.max() > 0:
            bad = overlap.filter(diff > 0).select(date_col, col, f"{col}_current").head(3)
            raise ValueError(f"history and current disagree on {col} where they overlap: {bad.rows()}")
    old = history.filter((pl.col(date_col) >= start) & (pl.col(date_col) < first))
    return pl.concat([old.select(current.columns), current], how="vertical_relaxed")


def mt5_daily_as_ny_close(bars: pl.DataFrame) -> pl.DataFrame:
    """A broker's D1 file (`time,open,high,low,close,tick_volume`, New York days) in the New York-close format of
    the 2024-onward file. A flat one-tick bar (O=H=L=C, tick_volume 1) is an imported noon rate, not a traded
    day (PROVENANCE: the USD/JPY rows before 1987 copy FRED's noon rate): it is flagged `close_is_ny_close = 0`,
    which the parser reads as no observation of the close."""
    flat = (
        (pl.col("open") == pl.col("high"))
        & (pl.col("high") == pl.col("low"))
        & (pl.col("low") == pl.col("close"))
        & (pl.col("tick_volume") == "1")
    )
    return bars.select(
        pl.col("time").alias("trading_day"),
        pl.col("close").alias("ny_close_17et"),
        "open",
        "high",
        "low",
        pl.lit("").alias("h4_bars"),
        pl.when(flat).then(pl.lit("0")).otherwise(pl.lit("1")).alias("close_is_ny_close"),
        pl.when(flat)
        .then(pl.lit("flat one-tick D1 bar: an imported noon rate, not a New York close"))
        .otherwise(pl.lit("broker D1 bar"))
        .alias("note"),
    )


def coinmarketcap_as_yahoo(candles: pl.DataFrame) -> pl.DataFrame:
    """CoinMarketCap's daily candles (`date,open,high,low,close,volume,market cap,average`, UTC days) in Yahoo's
    download columns; '-' (no value) becomes empty, and the source's own `average` and market cap are left out."""
    return candles.select(
        pl.col("date").alias("Date"),
        *[
            pl.when(pl.col(c) == "-").then(None).otherwise(pl.col(c)).alias(c.capitalize())
            for c in ("open", "high", "low", "close", "volume")
        ],
    )


def _history(src: Path, rel: str) -> pl.DataFrame:
    return pl.read_csv(src / "history" / rel, infer_schema_length=0)


def listed(asset_id: str, file: str, fmt: str, source: str, symbol: str, collected_from: str) -> dict:
    """A row of prices/manifest.csv: the bundled file, the parser that reads it (its format), the source's own
    symbol, and the collected files it was built from."""
    return dict(
        asset_id=asset_id, file=file, format=fmt, source=source, source_symbol=symbol, collected_from=collected_from
    )


def _write_yahoo(df: pl.DataFrame, path: Path) -> None:
    cols = [c for c in YAHOO_COLUMNS if c in df.columns]
    df.select(cols).sort("Date").write_csv(path)


def build_prices(src: Path, out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for asset_id, (rel, symbol) in YAHOO_FILES.items():
        df = pl.read_csv(src / rel, infer_schema_length=0)
        ohlc = [c for c in ("Open", "High", "Low", "Close") if c in df.columns]
        df = with_history(_history(src, rel), df, "Date", ohlc, YAHOO_HISTORY_FROM.get(asset_id, HISTORY_FLOOR))
        _write_yahoo(df, out / f"{asset_id}.yahoo.csv")
        manifest.append(
            listed(asset_id, f"{asset_id}.yahoo.csv", "yahoo_csv", "yahoo", symbol, f"history/{rel} + {rel}")
        )
    stocks = pl.read_csv(src / "equities/nasdaq100_selected_stocks_daily_yahoo.csv", infer_schema_length=0)
    for sym in STOCKS:
        _write_yahoo(stocks.filter(pl.col("Symbol") == sym), out / f"{sym}.yahoo.csv")
        manifest.append(
            listed(
                sym, f"{sym}.yahoo.csv", "yahoo_csv", "yahoo", sym, "equities/nasdaq100_selected_stocks_daily_yahoo.csv"
            )
        )
    # SOX: full close history, with OHLC where the Sep 2025 - Mar 2026 Yahoo OHLCV file has it
    # (the provenance notes the two agree on closes exactly).
    sox_close = with_history(
        _history(src, "equities/sox_index_daily_yahoo.csv"),
        pl.read_csv(src / "equities/sox_index_daily_yahoo.csv", infer_schema_length=0),
        "date",
        ["value"],
    ).rename({"date": "Date", "value": "Close"})
    sox_ohlc = pl.read_csv(src / "equities/sox_index_ohlcv_yahoo_sep2025_mar2026.csv", infer_schema_length=0)
    sox = sox_close.join(sox_ohlc.select("Date", "Open", "High", "Low"), on="Date", how="left")
    _write_yahoo(sox, out / "SOX.yahoo.csv")
    manifest.append(
        dict(
            asset_id="SOX",
            file="SOX.yahoo.csv",
            format="yahoo_csv",
            source="yahoo",
            source_symbol="^SOX",
            collected_from="history/equities/sox_index_daily_yahoo.csv + equities/sox_index_daily_yahoo.csv + "
            "equities/sox_index_ohlcv_yahoo_sep2025_mar2026.csv",
        )
    )
    dxy = with_history(
        _history(src, "fx/dxy_DX_Y_NYB_yahoo.csv").select("date", "close"),
        pl.read_csv(src / "fx/dxy_DX_Y_NYB_close_yahoo.csv", infer_schema_length=0),
        "date",
        ["close"],
    ).rename({"date": "Date", "close": "Close"})
    _write_yahoo(dxy, out / "DXY.yahoo.csv")
    manifest.append(
        listed(
            "DXY",
            "DXY.yahoo.csv",
            "yahoo_csv",
            "yahoo",
            "DX-Y.NYB",
            "history/fx/dxy_DX_Y_NYB_yahoo.csv + fx/dxy_DX_Y_NYB_close_yahoo.csv",
        )
    )
    # Nasdaq Composite from FRED (full range, close only).
    rel = "equities/nasdaq_composite_fred_NASDAQCOM.csv"
    ixic = with_history(_history(src, rel), pl.read_csv(src / rel, infer_schema_length=0), "date", ["value"])
    ixic.rename({"date": "observation_date", "value": "NASDAQCOM"}).write_csv(out / "IXIC.fred.csv")
    manifest.append(listed("IXIC", "IXIC.fred.csv", "fred_csv", "fred", "NASDAQCOM", f"history/{rel} + {rel}"))
    # Gold: the LBMA PM fix is the spot benchmark (GC=F has settlement-only rows).
    rel = "metals/gold_lbma_pm_usd_daily.csv"
    xau = with_history(_history(src, rel), pl.read_csv(src / rel, infer_schema_length=0), "date", ["close"])
    xau.write_csv(out / "XAU.lbma.csv")
    manifest.append(listed("XAU", "XAU.lbma.csv", "lbma_csv", "lbma", "GOLD_PM_USD", f"history/{rel} + {rel}"))
    # Second sources, kept to reconcile the primary ones (raw/prices checks), not used by the panel: Yahoo's
    # Nasdaq Composite (Sep 2025 - Mar 2026, OHLC) against FRED's; COMEX gold futures against the LBMA fix.
    ixic_yahoo = pl.read_csv(
        src / "equities/nasdaq_composite_IXIC_ohlcv_yahoo_sep2025_mar2026.csv", infer_schema_length=0
    )
    _write_yahoo(ixic_yahoo, out / "IXIC_YAHOO.yahoo.csv")
    manifest.append(
        listed(
            "IXIC_YAHOO",
            "IXIC_YAHOO.yahoo.csv",
            "yahoo_csv",
            "yahoo",
            "^IXIC",
            "equities/nasdaq_composite_IXIC_ohlcv_yahoo_sep2025_mar2026.csv",
        )
    )
    rel = "metals/gold_futures_GC_F_daily_yahoo.csv"
    gc = pl.read_csv(src / rel, infer_schema_length=0)
    gc = with_history(_history(src, rel), gc, "Date", ["Open", "High", "Low", "Close"])
    _write_yahoo(gc, out / "XAU_FUT.yahoo.csv")
    manifest.append(listed("XAU_FUT", "XAU_FUT.yahoo.csv", "yahoo_csv", "yahoo", "GC=F", f"history/{rel} + {rel}"))
    # USD/JPY at the New York close (17:00 ET), the FX market's day end; Yahoo's JPY=X is a London-morning
    # snapshot a day behind it. Copied as collected (its own format).
    ny = pl.read_csv(src / "fx/usdjpy_mt5_nyclose_daily_2024-01_2026-05.csv", infer_schema_length=0)
    ny_history = mt5_daily_as_ny_close(_history(src, "fx/usdjpy_mt5_nyclose_daily.csv"))
    with_history(ny_history, ny, "trading_day", ["ny_close_17et", "open", "high", "low"]).write_csv(
        out / "USDJPY_NY.mt5.csv"
    )
    manifest.append(
        listed(
            "USDJPY_NY",
            "USDJPY_NY.mt5.csv",
            "ny_close_csv",
            "mt5",
            "USDJPY",
            "history/fx/usdjpy_mt5_nyclose_daily.csv + fx/usdjpy_mt5_nyclose_daily_2024-01_2026-05.csv",
        )
    )
    # ETH before Yahoo's ETH-USD starts (2017-11-09): CoinMarketCap's candles, the data Yahoo resells. Kept whole as
    # a second source so that the 98 overlap days reconcile in the warehouse; the panel splices it in only before
    # the first Yahoo day (int_asset_closes_selected).
    rel = "crypto/eth_usd_daily_coinmarketcap_2015-08_2018-02.csv"
    _write_yahoo(coinmarketcap_as_yahoo(_history(src, rel)), out / "ETH_CMC.yahoo.csv")
    manifest.append(listed("ETH_CMC", "ETH_CMC.yahoo.csv", "yahoo_csv", "coinmarketcap", "ethereum", f"history/{rel}"))
    # Spot silver (a broker's XAG/USD CFD, New York days) to reconcile COMEX silver with; from 2013, its clean clock.
    rel = "metals/xagusd_spot_mt5_daily.csv"
    spot = mt5_daily_as_ny_close(_history(src, rel).filter(pl.col("time") >= XAG_SPOT_CLOCK_FROM))
    spot.write_csv(out / "XAG_SPOT.mt5.csv")
    manifest.append(listed("XAG_SPOT", "XAG_SPOT.mt5.csv", "ny_close_csv", "mt5", "XAGUSD", f"history/{rel}"))
    # BTC's full UTC-day close from a second collection of Yahoo BTC-USD, rewritten nightly: the main file's
    # close is a partial day from about April 2025 (it misses the next open by ~1%).
    shutil.copyfile(src / "crypto/btc_usd_close_yahoo_edgedata.csv", out / "BTC_FULLDAY.close.csv")
    manifest.append(
        listed(
            "BTC_FULLDAY",
            "BTC_FULLDAY.close.csv",
            "close_csv",
            "yahoo_edgedata",
            "BTC-USD",
            "crypto/btc_usd_close_yahoo_edgedata.csv",
        )
    )
    pl.DataFrame(manifest).sort("asset_id").write_csv(out / "manifest.csv")
    return manifest


def _fred(
    src_file: Path,
    series: str,
    out_file: Path,
    date_col: str = "date",
    history: Path | None = None,
    abs_tol=0.0,
    start: str = HISTORY_FLOOR,
) -> None:
    df = pl.read_csv(src_file, infer_schema_length=0)
    value_col = [c for c in df.columns if c != date_col][0]
    if history is not None:
        old = pl.read_csv(history, infer_schema_length=0)
        old = old.rename({old.columns[0]: date_col, old.columns[1]: value_col})
        df = with_history(old, df, date_col, [value_col], start=start, abs_tol=abs_tol)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    df.rename({date_col: "observation_date", value_col: series}).write_csv(out_file)


def _era(d: date) -> str:
    if d >= date(2019, 5, 1):
        return f"R{d.year - 2018}.{d.month}.{d.day}"
    if d >= date(1989, 1, 8):
        return f"H{d.year - 1988}.{d.month}.{d.day}"
    return f"S{d.year - 1925}.{d.month}.{d.day}"


def build_rates(src: Path, out: Path) -> None:
    for series in ["DGS2", "DGS10", "DGS30"]:
        rel = f"rates/ust_fred_{series}.csv"
        _fred(
            src / rel, series, out / "fred" / f"{series}.csv", history=src / "history" / rel, start=RATES_HISTORY_FLOOR
        )
    rel = "rates/jgb_yields_mof_jgbcm.csv"
    jgb = list(csv.reader(open(src / rel, encoding="utf-8")))
    header, rows = jgb[0], jgb[1:]
    old = list(csv.reader(open(src / "history" / rel, encoding="utf-8")))
    assert old[0] == header, "the JGB history's columns differ from the current file's"
    overlap = {r[0]: r for r in old[1:]}
    assert all(overlap[r[0]] == r for r in rows if r[0] in overlap), "JGB history and current disagree"
    rows = [r for r in old[1:] if RATES_HISTORY_FLOOR <= r[0] < rows[0][0]] + rows
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["国債金利情報"] + [""] * (len(header) - 3) + ["(単位 : %)"])
    w.writerow(header[1:])
    for r in rows:
        assert _era(date.fromisoformat(r[0])) == r[1], r
        w.writerow(r[1:])
    (out / "mof").mkdir(parents=True, exist_ok=True)
    (out / "mof" / "jgbcm_all.csv").write_bytes(buf.getvalue().encode("cp932"))


def _farside_cell(value: str) -> str:
    v = float(value)
    if v < 0:
        return f"({abs(v):,.1f})"
    return f"{v:,.1f}"


def build_etf_flows(src: Path, out: Path) -> None:
    df = pl.read_csv(src / "etf_flows/btc_spot_etf_flows_farside_daily.csv", infer_schema_length=0)
    issuers = [c for c in df.columns if c not in ("date", "total_musd", "provenance")]
    lines = [
        '<html><head><meta charset="utf-8"><title>Bitcoin ETF Flow – All Data – Farside Investors</title>',
        "</head><body>",
        '<table class="etf">',
        "<thead>",
        "<tr><th>Date</th>" + "".join(f"<th>{html.escape(i)}</th>" for i in issuers) + "<th>Total</th></tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in df.iter_rows(named=True):
        d = date.fromisoformat(row["date"])
        cells = [d.strftime("%d %b %Y")] + [_farside_cell(row[i]) for i in issuers] + [_farside_cell(row["total_musd"])]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    # Farside closes the table with summary rows; the parser must skip them.
    numeric = df.select([pl.col(c).cast(pl.Float64) for c in issuers + ["total_musd"]])
    for label, agg in [
        ("Total", numeric.sum()),
        ("Average", numeric.mean()),
        ("Maximum", numeric.max()),
        ("Minimum", numeric.min()),
    ]:
        cells = [label] + [_farside_cell(str(v)) for v in agg.row(0)]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    lines += ["</tbody>", "</table>", "</body></html>"]
    (out).mkdir(parents=True, exist_ok=True)
    (out / "farside_bitcoin_etf_flow_all_data.html").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_liquidations(src: Path, out: Path) -> None:
    df = pl.read_csv(src / "liquidations/coinglass_aggregated_liquidations_4h_2025.csv")
    out.mkdir(parents=True, exist_ok=True)
    for coin in sorted(df["coin"].unique()):
        part = df.filter(pl.col("coin") == coin).sort("time")
        data = [
            {"time": t, "aggregated_long_liquidation_usd": lo, "aggregated_short_liquidation_usd": sh}
            for t, lo, sh in part.select(
                "time", "aggregated_long_liquidation_usd", "aggregated_short_liquidation_usd"
            ).iter_rows()
        ]
        payload = {"code": "0", "msg": "success", "data": data}
        (out / f"{coin}.json").write_text(json.dumps(payload), encoding="utf-8")


def build_stress(src: Path, out: Path) -> None:
    def history(rel: str) -> Path:
        return src / "history" / rel

    rel = "stress_indices/stlfsi4_weekly_fred.csv"
    # FRED vintages differ on the five overlap weeks by up to 0.0003 (PROVENANCE); the later vintage is kept.
    _fred(src / rel, "STLFSI4", out / "fred" / "STLFSI4.csv", history=history(rel), abs_tol=5e-4)
    rel = "stress_indices/us_high_yield_oas_fred_BAMLH0A0HYM2.csv"
    _fred(src / rel, "BAMLH0A0HYM2", out / "fred" / "BAMLH0A0HYM2.csv", history=history(rel))
    rel = "stress_indices/vix_close_daily.csv"
    _fred(src / rel, "VIXCLS", out / "fred" / "VIXCLS.csv", history=history(rel))
    rel = "stress_indices/ofr_fsi_daily.csv"
    ofr = with_history(
        _history(src, rel).select(pl.col("Date").alias("date"), pl.col("OFR FSI").alias("ofr_fsi")),
        pl.read_csv(src / rel, infer_schema_length=0),
        "date",
        ["ofr_fsi"],
    )
    (out / "ofr").mkdir(parents=True, exist_ok=True)
    # OFR's CSV carries the components too; the collected copy has the headline only.
    ofr.rename({"date": "Date", "ofr_fsi": "OFR FSI"}).write_csv(out / "ofr" / "fsi.csv")


BASIS = {
    "F": "filing or regulatory notice",
    "T": "tracker estimate or company site",
    "P": "press release or press copy of a filing",
    "D": "derived",
}
NOT_YET = "(no BTC / not yet formed at end-2024)"


def _citation(note: str | None) -> str:
    """The address a tracker note cites, else its source label, else the note itself."""
    if not note:
        return ""
    for marker in ("cited=", "url="):
        if marker in note:
            return note.split(marker, 1)[1].split(";")[0].strip().strip("'\"")
    if "source='" in note:
        return note.split("source='", 1)[1].split("'")[0]
    return note[:200]


# BTC contributed in kind in 2025 rather than bought in the market (PROVENANCE, treasuries/: about 61,500 BTC).
IN_KIND_2025 = {
    "XXI": (31_500, "about 31,500 contributed in kind by Tether/Bitfinex"),
    "CEPO": (25_000, "25,000 contributed in kind by Adam Back"),
    "NXTT": (5_000, "5,000 acquired in kind for shares"),
}
COMPANIES_SEED = HERE.parents[1] / "transforms" / "dbt" / "seeds" / "treasury_companies.csv"


def build_treasury_companies(src: Path, target: Path = COMPANIES_SEED) -> None:
    """The seed naming each company's category (strategy, dat, miner) and its BTC contributed in kind."""
    rows = [
        {
            "ticker": "MSTR",
            "company": "Strategy",
            "category": "strategy",
            "in_kind_btc_2025": "",
            "in_kind_note": "",
            "added_2025_stated": "226097",
            "basis": "F/F",
            "caveat": "SEC 8-K filings",
        }
    ]
    for r in pl.read_csv(src / "treasuries/treasury_companies_2025_added.csv", infer_schema=False).iter_rows(
        named=True
    ):
        btc, note = IN_KIND_2025.get(r["ticker"], ("", ""))
        if r["ticker"] == "ASST":
            note = "part acquired via Section-351 in-kind exchanges; amount not stated"
        rows.append(
            {
                "ticker": r["ticker"],
                "company": r["company"],
                "category": r["category"].lower(),
                "in_kind_btc_2025": str(btc),
                "in_kind_note": note,
                "added_2025_stated": r["added_2025"],
                "basis": f"{r['basis_start']}/{r['basis_end']}",
                "caveat": r["caveat"] or "",
            }
        )
    with open(target, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_treasuries(src: Path, out: Path) -> None:
    """Other treasury companies and miners: each company's start (end-2024) and end (end-2025) statement as the
    curated derived file states them (PROVENANCE: rejected tracker values are already left out there), each
    row citing the dated file's filing or notice for that value where one matches, else the derived file."""
    dated = pl.read_csv(src / "treasuries/treasury_companies_holdings_2024h2_2025.csv", infer_schema=False)
    notes = {
        (r["ticker"], r["as_of_date"], float(r["holdings_btc"])): r["source_note"] for r in dated.iter_rows(named=True)
    }
    rows = []
    for r in pl.read_csv(src / "treasuries/treasury_companies_2025_added.csv", infer_schema=False).iter_rows(
        named=True
    ):
        for when, value, basis in (
            (r["start_date"], r["start_btc"], r["basis_start"]),
            (r["end_date"], r["end_btc"], r["basis_end"]),
        ):
            if when == NOT_YET:
                when, cite = "2024-12-31", "no BTC at end-2024: not yet formed or not yet holding"
            else:
                cite = _citation(notes.get((r["ticker"], when, float(value)))) or "value as derived"
            label = BASIS.get(basis, "derived")
            rows.append(
                {
                    "date": when,
                    "company": r["company"],
                    "ticker": r["ticker"],
                    "holdings_btc": value,
                    "source": f"{label}: {cite} (treasury_companies_2025_added.csv"
                    f"{'; ' + r['caveat'] if r['caveat'] else ''})",
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    header = (
        "# Bitcoin held by treasury companies other than Strategy (whose holdings come from its SEC filings),\n"
        "# miners included: one start (end-2024) and one end (end-2025) statement per company, from\n"
        "# ../shared/data/real/treasuries (PROVENANCE.md); category and BTC contributed in kind are in\n"
        "# transforms/dbt/seeds/treasury_companies.csv. Built by build_snapshot.py; cite the source of each row.\n"
    )
    with open(out / "treasury_holdings_curated.csv", "w", newline="") as handle:
        handle.write(header)
        writer = csv.DictWriter(handle, fieldnames=["date", "company", "ticker", "holdings_btc", "source"])
        writer.writeheader()
        writer.writerows(rows)


INTRADAY_FILES = [
    "btcusdt_binance_spot_1h_2026-01_2026-02.csv",
    "btcusdt_binance_usdm_perp_1h_2026-01_2026-03.csv",
    "xagusd_mt5_h1_2026-01-02_2026-02-27.csv",
    "xauusd_mt5_h1_2026-01-02_2026-02-27.csv",
]


def build_intraday(src: Path, out: Path) -> None:
    """Hourly bars for the crash window, in their sources' formats (orchestration/defs/ingest/intraday.py)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in INTRADAY_FILES:
        shutil.copyfile(src / "intraday" / name, out / name)


def main(src: Path) -> None:
    build_prices(src, HERE / "prices")
    build_rates(src, HERE / "rates")
    build_etf_flows(src, HERE / "etf_flows")
    build_liquidations(src, HERE / "liquidations" / "coinglass")
    build_stress(src, HERE / "stress_indices")
    (HERE / "treasuries").mkdir(exist_ok=True)
    (HERE / "treasuries" / "mstr_holdings_sec.csv").write_bytes(
        (src / "treasuries/mstr_btc_holdings_sec_filings.csv").read_bytes()
    )
    build_treasuries(src, HERE / "treasuries")
    build_treasury_companies(src)
    build_intraday(src, HERE / "intraday")
    (HERE / "issuance").mkdir(exist_ok=True)
    (HERE / "issuance" / "btc_supply_daily.csv").write_bytes((src / "bitcoin_chain/btc_supply_daily.csv").read_bytes())
    (HERE / "PROVENANCE.md").write_text((src / "PROVENANCE.md").read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "data" / "real"))
