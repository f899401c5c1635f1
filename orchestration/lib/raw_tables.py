"""The registry of raw tables: everything about a source family in one entry.

Key, date column, column types, value ranges, rules and calendar; whether it has a live source, whether users
may supply it through the inbox, how old its newest observation may get, and which market closes refresh it.
Ingest assets load by these keys; the Great Expectations checks, the freshness checks, the close jobs and
schedules, the inbox and the README's tables all derive from the same entries (a test holds the static
declarations Dagster needs, `SourceModes`' fields, to the registry). Adding a family: one entry here, a
parser in transforms/parsers/, an asset module in defs/raw/ (README, "Adding things").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import polars as pl

from orchestration import settings
from transforms.parsers.farside import FLOW_BOUND_USD_M
from transforms.validation import (
    Rule,
    bounded,
    declared,
    finite,
    identifier,
    not_future,
    not_null,
    ohlc_consistent,
    unique_key,
)

# Largest gap in calendar days between consecutive observations that a calendar allows.
# US markets: a Monday holiday after a weekend is Fri -> Tue = 4. Tokyo: New Year runs Dec 30 -> Jan 6 = 7
# at worst, Golden Week 5. London (LBMA PM fix): none on Christmas Eve, so Dec 23 -> Dec 29 = 6 in 2025.
# Weekly series: 7, plus one day when a holiday moves the release.
# Tokyo: 11 days between sessions over the ten-day Golden Week of 2019 (the imperial succession).
CALENDAR_MAX_GAP_DAYS = {"daily_utc": 1, "us_business": 4, "tokyo_business": 11, "london_business": 6, "weekly": 8}

# Where a new asset is declared: one row per asset, read by dbt (dim_asset, the panel) and by the load rules.
ASSET_REFERENCE = settings.DBT_PROJECT_DIR / "seeds" / "asset_reference.csv"


@cache
def declared_assets() -> tuple[str, ...]:
    return tuple(pl.read_csv(ASSET_REFERENCE, columns=["asset_id"], infer_schema=False)["asset_id"].to_list())


BATCH_COLUMNS = {"_source": "VARCHAR", "_batch_id": "VARCHAR", "_ingested_at": "TIMESTAMP WITH TIME ZONE"}


@dataclass(frozen=True)
class RawTable:
    name: str
    description: str
    keys: list[str]
    columns: dict[str, str]  # column -> DuckDB type
    date_column: str | None = None
    # column -> (min, max, strict_min); None leaves a side open
    ranges: dict[str, tuple[float | None, float | None, bool]] = field(default_factory=dict)
    not_null: list[str] = field(default_factory=list)
    calendar: str | None = None  # the calendar of the series, checked per value of `calendar_by`
    calendar_by: str | None = None
    group_calendars: dict[str, str] = field(default_factory=dict)  # exceptions to `calendar` per group
    bar_hours: int | None = None  # intraday bars: largest allowed gap between bars, in hours
    # Rows that count as observed data for freshness (issuance past the supply series is the schedule's estimate)
    observed_filter: str | None = None
    identifiers: list[str] = field(default_factory=list)  # columns held to validation.IDENTIFIER_PATTERN
    ohlc: bool = False  # rows carry open/high/low/close that must agree with each other
    declared_in_reference: str | None = None  # a column whose values must have a row in ASSET_REFERENCE
    live: bool = False  # a live source exists: LIQMART_SOURCE_<NAME>=live reads it (a SourceModes field)
    inbox: bool = True  # users may supply it: `liqmart import` and warehouse/inbox/<name>/
    # How old the newest observation may get (by the data's own date) before its freshness check warns: a
    # day's close plus the market's longest regular closure. None: no freshness check (a bundled-only table).
    max_age: timedelta | None = None
    closes: tuple[str, ...] = ()  # the market closes whose scheduled job refreshes it (schedules.CLOSES)
    # A time series partitioned by UTC year (window.YEARLY): its loads replace days, and a range of years is
    # one run. Reference tables (no date a load is cut by) are loaded whole.
    yearly: bool = False
    # Where a yearly table's bundled history starts when it reaches back before the history's first day
    # (window.FIRST_DAY, 2000): the first partition holds the years before it too, as it holds 2000-2023 for every
    # table. The rates reach back to the collected files' first days (UST 1962, JGB 1974).
    history_floor: str | None = None
    # What the source covers (coins, exchanges, companies, issuers), and whether that is all of what its name
    # says: a total over partial coverage is only a bound (the claims ledger, transforms/claims/engine.py).
    covers: str = "every series it names, on the dates it holds"
    coverage_complete: bool = True

    def rules(self, today: date) -> list[Rule]:
        """Every rule of the table, checked on every batch from every source before anything is written
        (the parsers add their own format rules first). Most basic first: the first broken rule of a row is
        reported as its cause. The last one, the key's uniqueness, is the only one that spans rows."""
        return [*self.row_rules(today), unique_key(self.keys)]

    def row_rules(self, today: date) -> list[Rule]:
        """The rules each row must keep on its own (a file read in chunks checks these per chunk)."""
        numbers = [c for c, t in self.columns.items() if t == "DOUBLE"]
        rules = [
            *[not_null(c) for c in self.not_null],
            *[finite(c) for c in numbers],
            *[bounded(c, *r) for c, r in self.ranges.items()],
            *[identifier(c) for c in self.identifiers],
        ]
        if self.ohlc:
            rules.append(ohlc_consistent())
        if self.declared_in_reference:
            rules.append(
                declared(
                    self.declared_in_reference,
                    list(declared_assets()),
                    str(ASSET_REFERENCE.relative_to(settings.PROJECT_ROOT)),
                )
            )
        if self.date_column and self.columns.get(self.date_column) == "DATE":
            rules.append(not_future(self.date_column, today))
        return rules

    def calendar_for(self, group_value) -> str | None:
        return self.group_calendars.get(str(group_value), self.calendar)

    @property
    def key(self) -> list[str]:
        return ["raw", self.name]

    @property
    def all_columns(self) -> dict[str, str]:
        return {**self.columns, **BATCH_COLUMNS}


_PRICE = (0, None, True)

RAW_TABLES = {
    t.name: t
    for t in [
        RawTable(
            "prices",
            "Daily prices per asset: close always, OHLC and volume where the source has them.",
            keys=["asset_id", "date"],
            yearly=True,
            date_column="date",
            columns={
                "date": "DATE",
                "asset_id": "VARCHAR",
                "open": "DOUBLE",
                "high": "DOUBLE",
                "low": "DOUBLE",
                "close": "DOUBLE",
                "adj_close": "DOUBLE",
                "volume": "DOUBLE",
            },
            ranges={"close": _PRICE, "open": _PRICE, "high": _PRICE, "low": _PRICE, "volume": (0, None, False)},
            not_null=["date", "asset_id", "close"],
            calendar="us_business",
            calendar_by="asset_id",
            identifiers=["asset_id"],
            ohlc=True,
            declared_in_reference="asset_id",
            group_calendars={
                "BTC": "daily_utc",
                "BTC_FULLDAY": "daily_utc",
                "ETH": "daily_utc",
                "XAU": "london_business",
            },
            live=True,
            max_age=timedelta(days=4),
            closes=("crypto", "us"),
        ),
        RawTable(
            "ust_yields",
            "US Treasury constant-maturity yields (FRED DGS2, DGS10, DGS30), percent.",
            keys=["series_id", "date"],
            yearly=True,
            history_floor="1962-01-01",
            date_column="date",
            columns={"date": "DATE", "series_id": "VARCHAR", "tenor_years": "DOUBLE", "yield_pct": "DOUBLE"},
            ranges={"yield_pct": (-1, 20, False)},  # the 2-year reached 16.95% in 1981
            not_null=["date", "series_id", "yield_pct"],
            calendar="us_business",
            calendar_by="series_id",
            identifiers=["series_id"],
            live=True,
            max_age=timedelta(days=5),
            closes=("us",),
        ),
        RawTable(
            "jgb_yields",
            "JGB constant-maturity par yields, 1y-40y, Ministry of Finance, percent.",
            keys=["tenor_years", "date"],
            yearly=True,
            history_floor="1962-01-01",
            date_column="date",
            columns={"date": "DATE", "tenor_years": "DOUBLE", "yield_pct": "DOUBLE"},
            ranges={"yield_pct": (-1, 20, False), "tenor_years": (1, 40, False)},
            not_null=["date", "tenor_years", "yield_pct"],
            calendar="tokyo_business",
            calendar_by="tenor_years",
            live=True,
            max_age=timedelta(days=8),
            closes=("jgb",),
        ),
        RawTable(
            "btc_etf_flows",
            "US spot bitcoin ETF daily net flows by issuer, US$ millions (Farside).",
            covers="every US spot bitcoin ETF in Farside's table (IBIT FBTC BITB ARKB BTCO EZBC BRRR HODL BTCW GBTC "
            "BTC and later listings)",
            coverage_complete=True,
            keys=["issuer", "date"],
            yearly=True,
            date_column="date",
            columns={"date": "DATE", "issuer": "VARCHAR", "net_flow_usd_m": "DOUBLE"},
            ranges={"net_flow_usd_m": (-FLOW_BOUND_USD_M, FLOW_BOUND_USD_M, False)},
            not_null=["date", "issuer", "net_flow_usd_m"],
            calendar="us_business",
            calendar_by="issuer",
            identifiers=["issuer"],
            live=True,
            max_age=timedelta(days=5),
            closes=("us",),
        ),
        RawTable(
            "treasury_holdings",
            "Bitcoin held by treasury companies, one row per dated statement.",
            covers="Strategy (SEC 8-K filings) and the companies of the treasury_companies seed; not Coinbase, Tesla, "
            "Galaxy, Bullish, Block and other holders",
            coverage_complete=False,
            keys=["ticker", "date"],
            date_column="date",
            columns={
                "date": "DATE",
                "company": "VARCHAR",
                "ticker": "VARCHAR",
                "holdings_btc": "DOUBLE",
                "filing_type": "VARCHAR",
                "document": "VARCHAR",
                "source": "VARCHAR",
            },
            ranges={"holdings_btc": (0, 21_000_000, False)},
            not_null=["date", "ticker", "holdings_btc", "source"],
            identifiers=["ticker"],
            max_age=timedelta(days=45),
            closes=("us",),
        ),
        RawTable(
            "btc_issuance",
            "New BTC per UTC day: supply difference where supply data exists, block heights "
            "at each midnight when live (mempool.space), else the subsidy schedule (144 blocks a day).",
            keys=["date"],
            yearly=True,
            date_column="date",
            columns={
                "date": "DATE",
                "issuance_btc": "DOUBLE",
                "supply_btc": "DOUBLE",
                "subsidy_btc_per_block": "DOUBLE",
                "method": "VARCHAR",
            },
            ranges={"issuance_btc": (0, 3 * 144 * 6.25, False), "subsidy_btc_per_block": (0, 50, True)},
            not_null=["date", "issuance_btc", "method"],
            calendar="daily_utc",
            observed_filter="method in ('supply_diff', 'block_heights')",
            live=True,
            max_age=timedelta(days=2),
            closes=("crypto",),
        ),
        RawTable(
            "crypto_liquidations",
            "Crypto futures liquidations, long and short US$, 4-hour bars (CoinGlass).",
            covers="BTC, ETH, SOL and XRP on CoinGlass's aggregated list of exchanges (not every venue), 4-hour bars",
            coverage_complete=False,
            keys=["coin", "bar_start"],
            yearly=True,
            date_column="bar_start",
            columns={
                "bar_start": "TIMESTAMP WITH TIME ZONE",
                "coin": "VARCHAR",
                "long_usd": "DOUBLE",
                "short_usd": "DOUBLE",
            },
            ranges={"long_usd": (0, 50e9, False), "short_usd": (0, 50e9, False)},
            not_null=["bar_start", "coin", "long_usd", "short_usd"],
            calendar_by="coin",
            bar_hours=4,
            identifiers=["coin"],
            live=True,
            max_age=timedelta(days=2),
            closes=("crypto",),
        ),
        RawTable(
            "cme_margin_changes",
            "CME performance-bond changes for gold and silver futures (curated).",
            keys=["change_id"],
            date_column="effective_on",
            columns={
                "change_id": "VARCHAR",
                "announced_on": "DATE",
                "effective_on": "DATE",
                "exchange": "VARCHAR",
                "contract": "VARCHAR",
                "margin_basis": "VARCHAR",
                "margin_before_pct": "DOUBLE",
                "margin_after_pct": "DOUBLE",
                "note": "VARCHAR",
                "source": "VARCHAR",
            },
            ranges={"margin_after_pct": (0, 100, True), "margin_before_pct": (0, 100, True)},
            not_null=["change_id", "effective_on", "contract", "margin_after_pct", "source"],
            identifiers=["change_id"],
            inbox=False,
        ),
        RawTable(
            "market_events",
            "Market events named in the article and public reporting (curated).",
            keys=["event_id"],
            date_column="event_date",
            columns={
                "event_id": "VARCHAR",
                "event_date": "DATE",
                "timing": "VARCHAR",
                "category": "VARCHAR",
                "title": "VARCHAR",
                "assets": "VARCHAR",
                "description": "VARCHAR",
                "source": "VARCHAR",
            },
            not_null=["event_id", "event_date", "title", "source"],
            identifiers=["event_id"],
            inbox=False,
        ),
        RawTable(
            "intraday_bars",
            "Hourly bars for the crash window: BTC from Binance (spot and USD-M perpetual, in "
            "USDT), silver and gold from a broker's spot CFD quotes. A bar belongs to the hour it opens (UTC).",
            keys=["asset_id", "source", "bar_start"],
            date_column="bar_start",
            columns={
                "bar_start": "TIMESTAMP WITH TIME ZONE",
                "asset_id": "VARCHAR",
                "source": "VARCHAR",
                "basis": "VARCHAR",
                "open": "DOUBLE",
                "high": "DOUBLE",
                "low": "DOUBLE",
                "close": "DOUBLE",
                "volume": "DOUBLE",
            },
            ranges={"close": _PRICE, "open": _PRICE, "high": _PRICE, "low": _PRICE, "volume": (0, None, False)},
            not_null=["bar_start", "asset_id", "source", "basis", "open", "high", "low", "close"],
            identifiers=["asset_id", "source", "basis"],
            ohlc=True,
            declared_in_reference="asset_id",
        ),
        RawTable(
            "stress_indices",
            "Published financial-stress measures: OFR FSI (daily), STLFSI4 (weekly), VIX close, US high-yield OAS.",
            keys=["index_id", "date"],
            yearly=True,
            date_column="date",
            columns={"date": "DATE", "index_id": "VARCHAR", "value": "DOUBLE"},
            ranges={"value": (-20, 200, False)},
            not_null=["date", "index_id", "value"],
            calendar="us_business",
            calendar_by="index_id",
            group_calendars={"STLFSI4": "weekly"},
            identifiers=["index_id"],
            live=True,
            max_age=timedelta(days=9),
            closes=("us",),
        ),
    ]
}
