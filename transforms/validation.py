"""Row rules shared by every parser: typing strings into values, and rejecting rows that break a rule.

Parsers read every column as text first, so that a value that fails to parse can be reported with its
row number and raw text instead of silently becoming null.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
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


def as_text(source: str, file: str, payload: bytes | str) -> str:
    """A payload's text, UTF-8 with or without a BOM; other bytes are refused by name, never a UnicodeDecodeError.
    Every parser starts here, so a source's bytes go in as they came."""
    if isinstance(payload, str):
        return payload
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(source, file, "file must be UTF-8 text", detail=str(exc)[:120]) from None


def sniff_text(source: str, file: str, text: str, expect: str = "CSV") -> None:
    """Refuse payloads that are not the expected kind before parsing them."""
    head = text.lstrip("\ufeff \r\n\t")[:200].lower()
    if not head:
        raise SourceError(source, file, "file must not be empty")
    if expect != "HTML" and (head.startswith("<!doctype") or head.startswith("<html") or "<body" in head):
        raise SourceError(source, file, f"expected {expect}, got an HTML page", detail=head[:80])


def read_csv_text(
    source: str, file: str, text: str, comment_prefix: str | None = None, truncate_ragged_lines: bool = False
) -> pl.DataFrame:
    """Every column as text; a file polars cannot read as CSV (ragged rows, a torn quote, no header) is
    refused by name with a SourceError, never a polars exception."""
    try:
        return pl.read_csv(
            io.StringIO(text),
            infer_schema=False,
            comment_prefix=comment_prefix,
            truncate_ragged_lines=truncate_ragged_lines,
        )
    except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal of the file, said in its terms
        torn = torn_quote_line(text.splitlines())
        if torn is not None:
            raise SourceError(
                source,
                file,
                "a quoted field must close on its own row",
                row=torn,
                detail="torn quote: the file ends inside a quoted field",
            ) from None
        message = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise SourceError(
            source, file, "file must be a readable CSV (one header, the same fields on every row)", detail=message
        ) from None


def torn_quote_line(lines: Iterable[str] | Iterable[bytes]) -> int | None:
    """The line where a quoted field opens and never closes, if any (looked for once parsing failed)."""
    inside, opened = False, None
    for number, line in enumerate(lines, start=1):
        if line.count(b'"' if isinstance(line, bytes) else '"') % 2:
            inside = not inside
            opened = number if inside else None
    return opened if inside else None


def read_rows(
    source: str, file: str, payload: bytes | str, required: list[str] | None = None, comment_prefix: str | None = None
) -> pl.DataFrame:
    """A CSV payload's rows as text, numbered by their line in the file; refused by name when it is not text, not
    CSV, or lacks a required column."""
    text = as_text(source, file, payload)
    sniff_text(source, file, text)
    raw = read_csv_text(source, file, text, comment_prefix=comment_prefix)
    require_columns(source, file, raw.columns, required or [])
    return with_row_numbers(raw)


def require_columns(source: str, file: str, columns: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise SourceError(source, file, f"required column {missing[0]!r} missing", detail=f"found columns {columns}")


def to_date(col: str, fmt: str = "%Y-%m-%d") -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_date(fmt, strict=False)


EPOCH_LIMIT_S = 7_258_118_400  # 2200-01-01: beyond it an epoch is garbage (and polars panics formatting it)


def from_epoch(value: pl.Expr, unit: str = "s") -> pl.Expr:
    """An epoch number (text or number) as a UTC datetime; null when it is not an integer between 1970 and 2200,
    so a parse rule can report it."""
    scale = {"s": 1, "ms": 1_000}[unit]
    number = value.cast(pl.Float64, strict=False)
    whole = pl.when(number.is_between(0, EPOCH_LIMIT_S * scale) & (number == number.floor())).then(number)
    return pl.from_epoch(whole.cast(pl.Int64), time_unit=unit).dt.replace_time_zone("UTC")


def to_float(col: str) -> pl.Expr:
    text = pl.col(col).str.strip_chars().str.replace_all(",", "")
    return pl.when(text.is_in(MISSING) | text.is_null()).then(None).otherwise(text.cast(pl.Float64, strict=False))


def unparseable(raw: str, parsed: str, what: str, missing: list[str] = MISSING, column: str | None = None) -> Rule:
    """Rule: a non-missing raw value that did not parse. `what` names the file's column (and the form it must
    take, as the rule's name says it); the detail quotes the file's text under the column's own name, never the
    parser's helper column (`raw`)."""
    raw_text = pl.col(raw).str.strip_chars()
    return Rule(
        f"{what} must parse",
        raw_text.is_not_null() & ~raw_text.is_in(missing) & pl.col(parsed).is_null(),
        pl.format("{} = '{}'", pl.lit(column or what), pl.col(raw)),
    )


def not_null(col: str) -> Rule:
    return Rule(f"{col} must not be missing", pl.col(col).is_null(), pl.lit(f"{col} is missing"))


def positive(col: str) -> Rule:
    return Rule(f"{col} must be > 0", pl.col(col) <= 0, pl.format("{} = {}", pl.lit(col), pl.col(col)))


def between(col: str, low: float, high: float) -> Rule:
    return Rule(
        f"{col} must be between {low} and {high}",
        ~pl.col(col).is_between(low, high),
        pl.format("{} = {}", pl.lit(col), pl.col(col)),
    )


def unique_key(keys: list[str]) -> Rule:
    return Rule(
        f"key ({', '.join(keys)}) must be unique",
        pl.struct(keys).is_duplicated(),
        pl.format("duplicated key " + ", ".join("{}" for _ in keys), *[pl.col(k) for k in keys]),
    )


def bounded(col: str, low: float | None, high: float | None, strict_min: bool = False) -> Rule:
    """Rule: low <= col <= high (low < col when strict_min); None leaves a side open."""
    broken = pl.lit(False)
    if low is not None:
        broken = broken | ((pl.col(col) <= low) if strict_min else (pl.col(col) < low))
    if high is not None:
        broken = broken | (pl.col(col) > high)
    bound = f"{'>' if strict_min else '>='} {low}" if low is not None else ""
    upper = f"<= {high}" if high is not None else ""
    name = f"{col} must be {bound}{' and ' if bound and upper else ''}{upper}"
    return Rule(name, broken, pl.format("{} = {}", pl.lit(col), pl.col(col)))


def finite(col: str) -> Rule:
    """Rule: a number is finite. NaN, inf and overflow ('1e400' parses to inf) are refused, not loaded."""
    return Rule(
        f"{col} must be a finite number", ~pl.col(col).is_finite(), pl.format("{} = {}", pl.lit(col), pl.col(col))
    )


def ohlc_consistent() -> Rule:
    """Rule: low <= open, close <= high (and low <= high), over the prices present."""
    low, high = pl.col("low"), pl.col("high")
    broken = (
        (low > high)
        | (low > pl.col("open"))
        | (low > pl.col("close"))
        | (high < pl.col("open"))
        | (high < pl.col("close"))
    )
    return Rule(
        "low <= open, close <= high (a bar's range holds its open and close)",
        broken,
        pl.format("open {} high {} low {} close {}", pl.col("open"), pl.col("high"), pl.col("low"), pl.col("close")),
    )


# The documented pattern of every identifier column (asset_id, ticker, issuer, series_id, ...): letters, digits,
# '_', '.', '-'; starting with a letter or digit; at most 40 characters. Identifiers end up in SQL, file names
# and HTML, so nothing outside it is loaded.
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"


def identifier(col: str) -> Rule:
    return Rule(
        f"{col} must match {IDENTIFIER_PATTERN} (letters, digits, _ . -; at most 40)",
        ~pl.col(col).cast(pl.String).str.contains(IDENTIFIER_PATTERN),
        pl.format("{} = '{}'", pl.lit(col), pl.col(col)),
    )


def declared(col: str, values: list[str], where: str) -> Rule:
    """Rule: an identifier that the project must know (an asset needs its reference row) is declared."""
    return Rule(
        f"{col} must be declared in {where}",
        ~pl.col(col).is_in(values),
        pl.format(
            "{} = '{}' is not declared: add one row for it to {}, then `make install`",
            pl.lit(col),
            pl.col(col),
            pl.lit(where),
        ),
    )


def not_future(col: str, today: date) -> Rule:
    return Rule(
        f"{col} must not be in the future", pl.col(col) > pl.lit(today), pl.format("{} = {}", pl.lit(col), pl.col(col))
    )


def conform(
    source: str, file: str, frame: pl.DataFrame, columns: list[str], rules: list[Rule], keys: list[str]
) -> pl.DataFrame:
    """A parser's output as its table holds it: every column present (else refused by name), in the table's
    order, and every rule kept (`check_frame`)."""
    require_columns(source, file, frame.columns, columns)
    return check_frame(source, file, frame.select(columns), rules, keys)


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


def violations(df: pl.DataFrame, raw: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Every broken rule of every row (REJECTED_SCHEMA), the row's original text as its record; empty if none.

    Rules are listed most basic first (parse before range), so the first broken rule of a row is its cause."""
    # rechunk: polars 2.1 panics ("assertion failed: i < self.len()") in pl.format over some filtered frames, such
    # as 94,069 future dates of a 100,000-row chunk; on a rechunked copy of the broken rows it does not.
    checks = [
        df.filter(r.broken.fill_null(False))
        .rechunk()
        .select(
            pl.col(ROW).cast(pl.Int64).alias("row_number"),
            pl.lit(r.name).alias("rule"),
            r.detail.cast(pl.String).alias("detail"),
            pl.lit(i).alias("_order"),
        )
        for i, r in enumerate(rules)
    ]
    found = pl.concat(checks).sort("row_number", "_order").drop("_order") if checks else pl.DataFrame()
    if not found.height:
        return pl.DataFrame(schema=REJECTED_SCHEMA)
    records = raw.select(
        pl.col(ROW).cast(pl.Int64).alias("row_number"), pl.struct(pl.exclude(ROW)).struct.json_encode().alias("record")
    )
    return found.join(records, on="row_number", how="left").select(list(REJECTED_SCHEMA))


def refuse(source: str, file: str, rejected: pl.DataFrame, count: int | None = None) -> SourceError:
    """The error for a batch with rejected rows: its first broken rule, every rejected row kept on it."""
    first = rejected.row(0, named=True)
    return SourceError(
        source,
        file,
        first["rule"],
        row=first["row_number"],
        detail=first["detail"],
        rejected=rejected,
        count=count or rejected.height,
    )


def enforce(source: str, file: str, df: pl.DataFrame, raw: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Return df without helper columns, or raise SourceError carrying every violating row.

    `raw` is the untyped frame with the same ROW column, so rejected rows keep their original text.
    """
    if df.height == 0:
        raise SourceError(source, file, "file must hold at least one data row")
    rejected = violations(df, raw, rules)
    if rejected.height:
        raise refuse(source, file, rejected)
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
