"""Users' own files (CSV or Parquet) in a family's documented layout: the raw table's own columns.

The layout of family F is the column list of raw.F (README, "Inbox layouts"): every column present, dates
as YYYY-MM-DD, numbers as plain decimals. The same rules as the table's checks apply row by row, so a file
is refused with its file, row and rule before anything reaches the warehouse.
"""

from __future__ import annotations

import io
from datetime import date

import polars as pl

from transforms.errors import SourceError
from transforms.validation import (ROW, Rule, enforce, not_future, not_null, require_columns, sniff_text,
                                   to_date, to_float, unique_key, unparseable, with_row_numbers)

SOURCE = "inbox"


def _read(data: bytes, file: str) -> pl.DataFrame:
    """Every column as text, so a bad value is reported as written."""
    if file.lower().endswith(".parquet"):
        if not data:
            raise SourceError(SOURCE, file, "file must not be empty")
        try:
            frame = pl.read_parquet(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal of the file
            raise SourceError(SOURCE, file, "file must be readable Parquet", detail=str(exc)[:120]) from exc
        return frame.select(pl.all().cast(pl.String))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(SOURCE, file, "file must be UTF-8 text", detail=str(exc)[:120]) from exc
    sniff_text(SOURCE, file, text)
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False)
    except Exception as exc:  # noqa: BLE001
        raise SourceError(SOURCE, file, "file must be a readable CSV", detail=str(exc)[:120]) from exc


def parse_user_file(data: bytes, file: str, columns: dict[str, str], keys: list[str],
                    ranges: dict[str, tuple[float | None, float | None, bool]], required: list[str],
                    date_column: str | None, today: date) -> pl.DataFrame:
    raw = _read(data, file)
    require_columns(SOURCE, file, raw.columns, list(columns))
    raw = with_row_numbers(raw.select(list(columns)))
    typed, rules = [], []
    for col, dtype in columns.items():
        if dtype == "DATE":
            typed.append(to_date(col).alias(col))
            rules.append(unparseable(f"{col}_raw", col, f"{col} (YYYY-MM-DD)"))
        elif dtype.startswith("TIMESTAMP"):
            typed.append(pl.col(col).str.strip_chars().str.to_datetime(time_zone="UTC", strict=False).alias(col))
            rules.append(unparseable(f"{col}_raw", col, f"{col} (ISO timestamp)"))
        elif dtype == "DOUBLE":
            typed.append(to_float(col).alias(col))
            rules.append(unparseable(f"{col}_raw", col, col))
        else:
            typed.append(pl.col(col).str.strip_chars().alias(col))
    frame = raw.with_columns(pl.col(c).alias(f"{c}_raw") for c in columns).with_columns(typed)
    rules += [not_null(c) for c in required]
    for col, (low, high, strict_min) in ranges.items():
        broken = pl.lit(False)
        if low is not None:
            broken = broken | ((pl.col(col) <= low) if strict_min else (pl.col(col) < low))
        if high is not None:
            broken = broken | (pl.col(col) > high)
        bound = f"{'>' if strict_min else '>='} {low}" if low is not None else ""
        rules.append(Rule(f"{col} must be {bound}{' and ' if bound and high is not None else ''}"
                          f"{f'<= {high}' if high is not None else ''}", broken,
                          pl.format("{} = {}", pl.lit(col), pl.col(col))))
    if date_column and columns.get(date_column) == "DATE":
        rules.append(not_future(date_column, today))
    rules.append(unique_key(keys))
    checked = enforce(SOURCE, file, frame, raw, rules)
    return checked.select(list(columns))


__all__ = ["parse_user_file", "ROW"]
