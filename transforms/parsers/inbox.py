"""Users' own files (CSV or Parquet) in a family's documented layout: the raw table's own columns.

The layout of family F is the column list of raw.F (README, "Inbox layouts"): every column present, dates
as YYYY-MM-DD, numbers as plain decimals. The same rules as the table's checks apply row by row, so a file
is refused with its file, row and rule before anything reaches the warehouse.

Files are read in chunks of CHUNK_ROWS rows (polars' batched CSV and Parquet readers), each chunk typed,
checked and handed to a sink, so memory stays bounded by the chunk, not the file: a ten-million-row file
imports in well under 2 GB (benchmarks/import_memory.py). The key's uniqueness spans chunks: only the key
columns of every row are kept to check it at the end.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from transforms import validation as check
from transforms.errors import REJECTED_SCHEMA, SourceError

BLANK = [""]  # the one missing marker of the inbox layouts

SOURCE = "inbox"


# Binary formats a user might drop by mistake, recognised by their first bytes.
MAGIC = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "zip (or xlsx)",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"PAR1": "Parquet",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "PDF",
    b"SQLite format 3": "SQLite",
}
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    return "binary" if b"\x00" in data[:8192] else None


CHUNK_ROWS = 200_000
HEAD_BYTES = 64 * 1024  # enough to recognise a file's kind and read its header
MAX_KEPT = 100_000  # rejected rows kept in quarantine per file; the error still counts them all

Input = bytes | Path


def _head(data: Input) -> bytes:
    if isinstance(data, bytes):
        return data[:HEAD_BYTES]
    with open(data, "rb") as handle:
        return handle.read(HEAD_BYTES)


def _tail(data: Input) -> bytes:
    if isinstance(data, bytes):
        return data[-4:]
    with open(data, "rb") as handle:
        handle.seek(max(0, data.stat().st_size - 4))
        return handle.read()


def _source(data: Input):
    return io.BytesIO(data) if isinstance(data, bytes) else data


def _lines(data: Input) -> Iterator[bytes]:
    if isinstance(data, bytes):
        yield from data.splitlines()
    else:
        with open(data, "rb") as handle:
            yield from handle


def _check_parquet(data: Input, file: str) -> None:
    head = _head(data)
    if not head:
        raise SourceError(SOURCE, file, "file must not be empty")
    if not (head.startswith(b"PAR1") and _tail(data) == b"PAR1"):
        kind = _binary_kind(head)
        raise SourceError(
            SOURCE,
            file,
            "a .parquet file must be Parquet (PAR1 at both ends)",
            detail=f"found {kind or 'text'} content",
        )


def _check_csv(data: Input, file: str) -> None:
    """Refuse by name what is not comma-separated UTF-8 text, from the file's first bytes."""
    head = _head(data)
    kind = _binary_kind(head)
    if kind:
        hint = " (name it .parquet)" if kind == "Parquet" else ""
        raise SourceError(
            SOURCE, file, "file must be CSV text, not binary or compressed", detail=f"{kind} content{hint}"
        )
    try:  # incremental: the head may end inside a multi-byte character
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < HEAD_BYTES)
    except UnicodeDecodeError as exc:
        raise SourceError(SOURCE, file, "file must be UTF-8 text", detail=str(exc)[:120]) from None
    check.sniff_text(SOURCE, file, text)
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in header:
        used = [name for mark, name in OTHER_DELIMITERS.items() if mark in header]
        if used:
            raise SourceError(
                SOURCE,
                file,
                "fields must be separated by commas",
                row=1,
                detail=f"the header is {used[0]}-separated: {header[:80]!r}",
            )


def _chunks(data: Input, file: str, chunk_rows: int) -> Iterator[pl.DataFrame]:
    """The file in chunks, every column as text, so a bad value is reported as written.

    CSV as it comes: UTF-8 with or without a BOM, LF or CRLF, quoted or bare header. Anything else is refused
    by name: binary or compressed content, another delimiter, a torn quote, invalid UTF-8."""
    parquet = file.lower().endswith(".parquet")
    (_check_parquet if parquet else _check_csv)(data, file)
    try:
        if parquet:
            for chunk in pl.scan_parquet(_source(data)).collect_batches(chunk_size=chunk_rows):
                yield chunk.select(pl.all().cast(pl.String))
        else:
            yield from pl.scan_csv(_source(data), infer_schema=False).collect_batches(chunk_size=chunk_rows)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal of the file, said in its terms
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        if parquet:
            raise SourceError(SOURCE, file, "file must be readable Parquet", detail=message) from None
        if "utf-8" in message.lower():
            raise SourceError(SOURCE, file, "file must be UTF-8 text", detail=message) from None
        torn = check.torn_quote_line(_lines(data))
        if torn is not None:
            raise SourceError(
                SOURCE,
                file,
                "a quoted field must close on its own row",
                row=torn,
                detail="torn quote: the file ends inside a quoted field",
            ) from None
        raise SourceError(SOURCE, file, "file must be a readable CSV", detail=message) from None


def _typed(raw: pl.DataFrame, columns: dict[str, str]) -> tuple[pl.DataFrame, list[check.Rule]]:
    typed, parse_rules = [], []
    for col, dtype in columns.items():
        text = pl.col(col).str.strip_chars()
        if dtype == "DATE":
            typed.append(text.str.to_date("%Y-%m-%d", strict=False).alias(col))
            parse_rules.append(check.unparseable(f"{col}_raw", col, f"{col} (YYYY-MM-DD)", missing=BLANK, column=col))
        elif dtype.startswith("TIMESTAMP"):
            typed.append(text.str.to_datetime(time_zone="UTC", strict=False, time_unit="us").alias(col))
            parse_rules.append(
                check.unparseable(f"{col}_raw", col, f"{col} (ISO timestamp)", missing=BLANK, column=col)
            )
        elif dtype == "DOUBLE":
            # Only an empty cell is missing here: 'NaN', 'inf' and '1e400' parse, and the finite rule refuses them.
            typed.append(pl.when(text == "").then(None).otherwise(text.cast(pl.Float64, strict=False)).alias(col))
            parse_rules.append(check.unparseable(f"{col}_raw", col, col, missing=BLANK))
        else:
            typed.append(pl.when(text == "").then(None).otherwise(text).alias(col))
    return raw.with_columns(pl.col(c).alias(f"{c}_raw") for c in columns).with_columns(typed), parse_rules


def read_user_file(
    data: Input,
    file: str,
    columns: dict[str, str],
    rules: list[check.Rule],
    keys: list[str],
    sink: Callable[[pl.DataFrame], None] | None = None,
    chunk_rows: int | None = None,
) -> int:
    """Read the file chunk by chunk into the layout `columns`, handing each typed chunk to `sink`; returns
    the row count. Refused (SourceError) at its first broken rule, after reading the whole file, with every
    rejected row (up to MAX_KEPT) on the error. `rules` are the table's row rules (RawTable.row_rules); the
    key's uniqueness is checked across the whole file. A sink may have received chunks of a refused file:
    it must discard them (LandingZone.staged does)."""
    rows, kept, count, key_hashes = 0, [], 0, []
    chunk_rows = chunk_rows or CHUNK_ROWS
    for chunk in _chunks(data, file, chunk_rows):
        if rows == 0:
            check.require_columns(SOURCE, file, chunk.columns, list(columns))
        raw = check.with_row_numbers(chunk.select(list(columns)), first_line=2 + rows)
        rows += raw.height
        frame, parse_rules = _typed(raw, columns)
        rejected = check.violations(frame, raw, [*parse_rules, *rules])
        if rejected.height:
            count += rejected.height
            kept.append(rejected.head(max(0, MAX_KEPT - sum(k.height for k in kept))))
        # Only a 64-bit hash of each key is kept (80 MB for ten million rows); equal hashes are checked exactly.
        key_hashes.append(frame.select(_key_hash(keys)).to_series())
        if not count and sink is not None:
            sink(frame.select(list(columns)))
    if rows == 0:
        raise SourceError(SOURCE, file, "file must hold at least one data row")
    hashes = pl.concat(key_hashes, rechunk=True).sort()
    repeated = hashes.filter(hashes == hashes.shift(1)).unique()
    if repeated.len():
        duplicated = _duplicated_keys(data, file, columns, keys, repeated, chunk_rows)
        count += duplicated.height
        kept.append(duplicated.head(max(0, MAX_KEPT - sum(k.height for k in kept))))
    if count:
        raise check.refuse(SOURCE, file, pl.concat(kept).sort("row_number"), count)
    return rows


def _key_hash(keys: list[str]) -> pl.Expr:
    return pl.struct(keys).hash(seed=0).alias("_key_hash")


def _duplicated_keys(
    data: Input, file: str, columns: dict[str, str], keys: list[str], repeated: pl.Series, chunk_rows: int
) -> pl.DataFrame:
    """The rows whose key repeats, with their original text: a second pass over the rows whose key hash
    repeats (only a file with a repeated hash pays for it), keeping those whose typed key really repeats."""
    candidates, rows = [], 0
    for chunk in _chunks(data, file, chunk_rows):
        raw = check.with_row_numbers(chunk.select(list(columns)), first_line=2 + rows)
        rows += raw.height
        frame, _ = _typed(raw, columns)
        hit = frame.with_columns(_key_hash(keys)).filter(pl.col("_key_hash").is_in(repeated.implode()))
        candidates.append(
            hit.select(check.ROW, *keys).join(
                raw.select(check.ROW, pl.struct(pl.exclude(check.ROW)).struct.json_encode().alias("record")),
                on=check.ROW,
            )
        )
    found = pl.concat(candidates, rechunk=True)  # rechunk: polars 2.1 panics formatting many small chunks
    found = found.filter(pl.struct(keys).is_duplicated())
    return found.select(
        pl.col(check.ROW).cast(pl.Int64).alias("row_number"),
        pl.lit(f"key ({', '.join(keys)}) must be unique").alias("rule"),
        pl.format("duplicated key " + ", ".join("{}" for _ in keys), *[pl.col(k) for k in keys]).alias("detail"),
        "record",
    ).select(list(REJECTED_SCHEMA))


def parse_user_file(
    data: Input, file: str, columns: dict[str, str], rules: list[check.Rule], keys: list[str]
) -> pl.DataFrame:
    """The whole file typed into the layout `columns`, in memory (for small files and tests)."""
    chunks: list[pl.DataFrame] = []
    read_user_file(data, file, columns, rules, keys, chunks.append)
    return pl.concat(chunks)


__all__ = ["parse_user_file", "read_user_file"]
