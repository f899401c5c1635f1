"""Users' own files (CSV or Parquet) in a family's documented layout: the raw table's own columns.

The layout of family F is the column list of raw.F (README, "Inbox layouts"): every column present, dates
as YYYY-MM-DD, numbers as plain decimals. The same rules as the table's checks apply row by row, so a file
is refused with its file, row and rule before anything reaches the warehouse.
"""

from __future__ import annotations

import io
import polars as pl

from transforms.errors import SourceError
from transforms.validation import ROW, Rule, enforce, require_columns, sniff_text, unparseable, with_row_numbers

BLANK = [""]  # the one missing marker of the inbox layouts

SOURCE = "inbox"


# Binary formats a user might drop by mistake, recognised by their first bytes.
MAGIC = {b"\x1f\x8b": "gzip", b"PK\x03\x04": "zip (or xlsx)", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz",
         b"\x28\xb5\x2f\xfd": "zstd", b"PAR1": "Parquet", b"\xd0\xcf\x11\xe0": "xls", b"%PDF": "PDF",
         b"SQLite format 3": "SQLite"}
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    return "binary" if b"\x00" in data[:8192] else None


def _torn_quote_line(text: str) -> int | None:
    """The line where a quoted field opens and never closes, if any (only looked for once parsing failed)."""
    inside, opened = False, None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"') % 2:
            inside = not inside
            opened = number if inside else None
    return opened if inside else None


def _read_parquet(data: bytes, file: str) -> pl.DataFrame:
    if not data:
        raise SourceError(SOURCE, file, "file must not be empty")
    if not (data.startswith(b"PAR1") and data.endswith(b"PAR1")):
        kind = _binary_kind(data)
        raise SourceError(SOURCE, file, "a .parquet file must be Parquet (PAR1 at both ends)",
                          detail=f"found {kind or 'text'} content")
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal of the file
        raise SourceError(SOURCE, file, "file must be readable Parquet", detail=str(exc)[:120]) from None
    return frame.select(pl.all().cast(pl.String))


def _read(data: bytes, file: str) -> pl.DataFrame:
    """Every column as text, so a bad value is reported as written.

    CSV as it comes: UTF-8 with or without a BOM, LF or CRLF, quoted or bare header. Anything else is refused
    by name: binary or compressed content, another delimiter, a torn quote."""
    if file.lower().endswith(".parquet"):
        return _read_parquet(data, file)
    kind = _binary_kind(data)
    if kind:
        hint = " (name it .parquet)" if kind == "Parquet" else ""
        raise SourceError(SOURCE, file, "file must be CSV text, not binary or compressed", detail=f"{kind} content{hint}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(SOURCE, file, "file must be UTF-8 text", detail=str(exc)[:120]) from None
    sniff_text(SOURCE, file, text)
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in header:
        used = [name for mark, name in OTHER_DELIMITERS.items() if mark in header]
        if used:
            raise SourceError(SOURCE, file, "fields must be separated by commas", row=1,
                              detail=f"the header is {used[0]}-separated: {header[:80]!r}")
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False)
    except Exception as exc:  # noqa: BLE001
        torn = _torn_quote_line(text)
        if torn is not None:
            raise SourceError(SOURCE, file, "a quoted field must close on its own row", row=torn,
                              detail="torn quote: the file ends inside a quoted field") from None
        raise SourceError(SOURCE, file, "file must be a readable CSV", detail=str(exc).splitlines()[0][:120]) from None


def parse_user_file(data: bytes, file: str, columns: dict[str, str], rules: list[Rule]) -> pl.DataFrame:
    """The file typed into the layout `columns`; refused (SourceError) at its first broken rule, with every
    rejected row kept on the error. `rules` are the table's own row rules (RawTable.rules)."""
    raw = _read(data, file)
    require_columns(SOURCE, file, raw.columns, list(columns))
    raw = with_row_numbers(raw.select(list(columns)))
    typed, parse_rules = [], []
    for col, dtype in columns.items():
        text = pl.col(col).str.strip_chars()
        if dtype == "DATE":
            typed.append(text.str.to_date("%Y-%m-%d", strict=False).alias(col))
            parse_rules.append(unparseable(f"{col}_raw", col, f"{col} (YYYY-MM-DD)", missing=BLANK))
        elif dtype.startswith("TIMESTAMP"):
            typed.append(text.str.to_datetime(time_zone="UTC", strict=False).alias(col))
            parse_rules.append(unparseable(f"{col}_raw", col, f"{col} (ISO timestamp)", missing=BLANK))
        elif dtype == "DOUBLE":
            # Only an empty cell is missing here: 'NaN', 'inf' and '1e400' parse, and the finite rule refuses them.
            typed.append(pl.when(text == "").then(None).otherwise(text.cast(pl.Float64, strict=False)).alias(col))
            parse_rules.append(unparseable(f"{col}_raw", col, col, missing=BLANK))
        else:
            typed.append(pl.when(text == "").then(None).otherwise(text).alias(col))
    frame = raw.with_columns(pl.col(c).alias(f"{c}_raw") for c in columns).with_columns(typed)
    checked = enforce(SOURCE, file, frame, raw, [*parse_rules, *rules])
    return checked.select(list(columns))


__all__ = ["parse_user_file", "ROW"]
