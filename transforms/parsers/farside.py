"""Farside Investors' bitcoin ETF flow table (HTML): US$ millions per issuer per day.

Dates like `11 Jan 2024`; negatives in parentheses `(45.4)`; `-` means not reported; summary rows
(Total, Average, Maximum, Minimum) close the table.
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import polars as pl

from transforms import validation as check
from transforms.errors import SourceError

SUMMARY_ROWS = {"total", "average", "maximum", "minimum"}
# Each issuer cell is rounded to 0.1, so a day's Total may differ from the issuers' sum by rounding.
TOTAL_TOLERANCE_USD_M = 1.0
# The largest day on record is about US$1.4bn; ten times that is a broken number, not a flow.
FLOW_BOUND_USD_M = 15_000.0


class _TableRows(HTMLParser):
    """Collects the cell texts of the first table whose header starts with 'Date'."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _flow(col: str) -> pl.Expr:
    text = pl.col(col).str.strip_chars().str.replace_all(",", "")
    negative = text.str.starts_with("(") & text.str.ends_with(")")
    number = text.str.strip_chars("()").cast(pl.Float64, strict=False)
    return pl.when(text.is_in(["-", ""]) | text.is_null()).then(None).when(negative).then(-number).otherwise(number)


def parse_farside_html(text: str | bytes, file: str, today: date, source: str = "farside") -> pl.DataFrame:
    """Return date, issuer, net_flow_usd_m (long); unreported cells are left out."""
    text = check.as_text(source, file, text)
    check.sniff_text(source, file, text, expect="HTML")
    parser = _TableRows()
    parser.feed(text)
    table = next((t for t in parser.tables if t and t[0] and t[0][0].strip().lower() == "date"), None)
    if table is None:
        raise SourceError(source, file, "a table whose first header cell is 'Date' must be present")
    header, body = table[0], table[1:]
    if "Total" not in header:
        raise SourceError(source, file, "required column 'Total' missing", detail=f"found {header}")
    issuers = header[1 : header.index("Total")]
    body_numbered = [(i, r) for i, r in enumerate(body, start=2) if r and r[0].strip().lower() not in SUMMARY_ROWS]
    if not body_numbered:
        raise SourceError(source, file, "file must hold at least one data row")
    width = len(header)
    bad_width = next(((i, r) for i, r in body_numbered if len(r) != width), None)
    if bad_width:
        raise SourceError(
            source,
            file,
            f"every row must have {width} cells",
            row=bad_width[0],
            detail=f"got {len(bad_width[1])}: {bad_width[1][:3]}…",
        )
    raw = pl.DataFrame([r for _, r in body_numbered], schema=header, orient="row")
    raw = raw.with_columns(pl.Series(check.ROW, [i for i, _ in body_numbered], pl.Int64))
    wide = raw.select(
        check.ROW,
        check.to_date("Date", "%d %b %Y").alias("date"),
        pl.col("Date").alias("_d"),
        *[_flow(c).alias(c) for c in issuers + ["Total"]],
        *[pl.col(c).alias(f"_raw_{c}") for c in issuers + ["Total"]],
    )
    issuer_sum = pl.sum_horizontal(issuers)
    rules = [
        check.Rule(
            "Date must look like '11 Jan 2024'", pl.col("date").is_null(), pl.format("Date = '{}'", pl.col("_d"))
        ),
        check.not_future("date", today),
        check.unique_key(["date"]),
    ]
    for c in issuers + ["Total"]:
        rules.append(
            check.Rule(
                f"{c} must be a number, '(number)' or '-'",
                pl.col(f"_raw_{c}").str.strip_chars().is_in(["-", ""]).not_() & pl.col(c).is_null(),
                pl.format("{} = '{}'", pl.lit(c), pl.col(f"_raw_{c}")),
            )
        )
        rules.append(check.between(c, -FLOW_BOUND_USD_M, FLOW_BOUND_USD_M))
    rules.append(
        check.Rule(
            f"issuer flows must add up to Total within {TOTAL_TOLERANCE_USD_M} US$m",
            (issuer_sum - pl.col("Total")).abs() > TOTAL_TOLERANCE_USD_M,
            pl.format("issuers sum to {} but Total is {}", issuer_sum.round(1), pl.col("Total")),
        )
    )
    wide = check.enforce(source, file, wide, raw, rules)
    return (
        wide.select("date", *issuers)
        .unpivot(index="date", variable_name="issuer", value_name="net_flow_usd_m")
        .filter(pl.col("net_flow_usd_m").is_not_null())
        .sort("date", "issuer")
    )
