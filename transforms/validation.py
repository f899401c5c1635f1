"""Row rules shared by every parser: typing strings into values, and rejecting rows that break a rule.

Parsers read every column as text first, so that a value that fails to parse can be reported with its
row number and raw text instead of silently becoming null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from transforms.errors import REJECTED_SCHEMA, SourceError

ROW = "_row"  # line number in the source file, carried through parsing for error messages
MISSING = ["", ".", "-", "null", "NaN", "nan", "N/A", "#N/A"]


@dataclass(frozen=True)
class Rule:
    name: str
    broken: pl.Expr  # true where the row breaks the rule
    detail: pl.Expr  # text shown in the error for that row


def sniff_text(source: str, file: str, text: str, expect: str = "CSV") -> None:
    """Refuse payloads that are not the expected kind before parsing them."""
    head = text.lstrip("\ufeff \r\n\t")[:200].lower()
    if not head:
        raise SourceError(source, file, "file must not be empty")
    if expect != "HTML" and (head.startswith("<!doctype") or head.startswith("<html") or "<body" in head):
        raise SourceError(source, file, f"expected {expect}, got an HTML page", detail=head[:80])


def require_columns(source: str, file: str, columns: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise SourceError(source, file, f"required column {missing[0]!r} missing",
                          detail=f"found columns {columns}")


def to_date(col: str, fmt: str = "%Y-%m-%d") -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_date(fmt, strict=False)


def to_float(col: str) -> pl.Expr:
    text = pl.col(col).str.strip_chars().str.replace_all(",", "")
    return pl.when(text.is_in(MISSING) | text.is_null()).then(None).otherwise(text.cast(pl.Float64, strict=False))


def unparseable(raw: str, parsed: str, what: str, missing: list[str] = MISSING) -> Rule:
    """Rule: a non-missing raw value that did not parse."""
    raw_text = pl.col(raw).str.strip_chars()
    return Rule(f"{what} must parse", raw_text.is_not_null() & ~raw_text.is_in(missing) & pl.col(parsed).is_null(),
                pl.format("{} = '{}'", pl.lit(raw), pl.col(raw)))


def not_null(col: str) -> Rule:
    return Rule(f"{col} must not be missing", pl.col(col).is_null(), pl.lit(f"{col} is missing"))


def positive(col: str) -> Rule:
    return Rule(f"{col} must be > 0", pl.col(col) <= 0, pl.format("{} = {}", pl.lit(col), pl.col(col)))


def between(col: str, low: float, high: float) -> Rule:
    return Rule(f"{col} must be between {low} and {high}", ~pl.col(col).is_between(low, high),
                pl.format("{} = {}", pl.lit(col), pl.col(col)))


def unique_key(keys: list[str]) -> Rule:
    return Rule(f"key ({', '.join(keys)}) must be unique", pl.struct(keys).is_duplicated(),
                pl.format("duplicated key " + ", ".join("{}" for _ in keys), *[pl.col(k) for k in keys]))


def bounded(col: str, low: float | None, high: float | None, strict_min: bool = False) -> Rule:
    """Rule: low <= col <= high (low < col when strict_min); None leaves a side open."""
    broken = pl.lit(False)
    if low is not None:
        broken = broken | ((pl.col(col) <= low) if strict_min else (pl.col(col) < low))
    if high is not None:
        broken = broken | (pl.col(col) > high)
    bound = f"{'>' if strict_min else '>='} {low}" if low is not None else ""
    name = f"{col} must be {bound}{' and ' if bound and high is not None else ''}{f'<= {high}' if high is not None else ''}"
    return Rule(name, broken, pl.format("{} = {}", pl.lit(col), pl.col(col)))


def finite(col: str) -> Rule:
    """Rule: a number is finite. NaN, inf and overflow ('1e400' parses to inf) are refused, not loaded."""
    return Rule(f"{col} must be a finite number", ~pl.col(col).is_finite(),
                pl.format("{} = {}", pl.lit(col), pl.col(col)))


def ohlc_consistent() -> Rule:
    """Rule: low <= open, close <= high (and low <= high), over the prices present."""
    low, high = pl.col("low"), pl.col("high")
    broken = (low > high) | (low > pl.col("open")) | (low > pl.col("close")) \
        | (high < pl.col("open")) | (high < pl.col("close"))
    return Rule("low <= open, close <= high (a bar's range holds its open and close)", broken,
                pl.format("open {} high {} low {} close {}", pl.col("open"), pl.col("high"), pl.col("low"),
                          pl.col("close")))


# The documented pattern of every identifier column (asset_id, ticker, issuer, series_id, ...): letters, digits,
# '_', '.', '-'; starting with a letter or digit; at most 40 characters. Identifiers end up in SQL, file names
# and HTML, so nothing outside it is loaded.
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"


def identifier(col: str) -> Rule:
    return Rule(f"{col} must match {IDENTIFIER_PATTERN} (letters, digits, _ . -; at most 40)",
                ~pl.col(col).cast(pl.String).str.contains(IDENTIFIER_PATTERN),
                pl.format("{} = '{}'", pl.lit(col), pl.col(col)))


def declared(col: str, values: list[str], where: str) -> Rule:
    """Rule: an identifier that the project must know (an asset needs its reference row) is declared."""
    return Rule(f"{col} must be declared in {where}", ~pl.col(col).is_in(values),
                pl.format("{} = '{}' is not declared: add one row for it to {}, then `make install`",
                          pl.lit(col), pl.col(col), pl.lit(where)))


def not_future(col: str, today: date) -> Rule:
    return Rule(f"{col} must not be in the future", pl.col(col) > pl.lit(today),
                pl.format("{} = {}", pl.lit(col), pl.col(col)))


def check_frame(source: str, file: str, frame: pl.DataFrame, rules: list[Rule], keys: list[str]) -> pl.DataFrame:
    """`enforce` on an already typed frame (a parser's output, which may join several files): rows are
    numbered 1.. in the frame's order, each error names the row's key, and rejected records keep the typed
    values as text. An empty frame passes: a window with no observations is no error here."""
    if frame.height == 0:
        return frame
    numbered = with_row_numbers(frame, first_line=1)
    key = pl.format(", ".join(f"{k} {{}}" for k in keys), *[pl.col(k) for k in keys])
    keyed = [Rule(r.name, r.broken, pl.format("{} (at {})", r.detail, key)) for r in rules]
    return enforce(source, file, numbered, numbered.select(ROW, pl.exclude(ROW).cast(pl.String)), keyed)


def enforce(source: str, file: str, df: pl.DataFrame, raw: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Return df without helper columns, or raise SourceError carrying every violating row.

    `raw` is the untyped frame with the same ROW column, so rejected rows keep their original text.
    """
    if df.height == 0:
        raise SourceError(source, file, "file must hold at least one data row")
    # Rules are listed most basic first (parse before range), so the first broken rule of a row is its cause.
    checks = [df.filter(r.broken.fill_null(False)).select(
        pl.col(ROW).cast(pl.Int64).alias("row_number"), pl.lit(r.name).alias("rule"),
        r.detail.cast(pl.String).alias("detail"), pl.lit(i).alias("_order")) for i, r in enumerate(rules)]
    violations = pl.concat(checks).sort("row_number", "_order").drop("_order") if checks else pl.DataFrame()
    if violations.height:
        records = raw.select(pl.col(ROW).cast(pl.Int64).alias("row_number"),
                             pl.struct(pl.exclude(ROW)).struct.json_encode().alias("record"))
        rejected = violations.join(records, on="row_number", how="left").select(list(REJECTED_SCHEMA))
        first = rejected.row(0, named=True)
        raise SourceError(source, file, first["rule"], row=first["row_number"], detail=first["detail"],
                          rejected=rejected, count=rejected.height)
    return df.drop(ROW)


def with_row_numbers(df: pl.DataFrame, first_line: int = 2) -> pl.DataFrame:
    """Number rows by their line in the file (the header is line 1 unless said otherwise)."""
    return df.with_row_index(ROW, offset=first_line).with_columns(pl.col(ROW).cast(pl.Int64))


def load_json(source: str, file: str, text: str):
    """The decoded JSON body; an HTML page, an empty body or a cut-off document is refused by name."""
    import json

    sniff_text(source, file, text, expect="JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(source, file, "body must be complete JSON", detail=str(exc)) from None
