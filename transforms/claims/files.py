"""Claim files: any CSV with the ledger's columns is a valid file; this reads one and refuses a malformed one.

A refusal names the file, the row (the line of the file, the header being line 1) and the field, and the
rule broken; nothing of a refused file is kept. An optional `article` column names the article; without it the
file's name does. An optional `draft_note` column (written by `liqmart claims draft`) says why each field was
chosen.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date
from pathlib import Path

import polars as pl

from transforms.claims.contract import MEASURES
from transforms.claims.rules import wording_rules
from transforms.errors import SourceError

COLUMNS = (
    "claim_id",
    "section",
    "quote",
    "subject",
    "measure",
    "series",
    "period_start",
    "period_end",
    "claimed_text",
    "claimed_value",
    "unit",
    "wording_rule",
    "claim_basis",
    "stated_precision",
    "required_history_from",
    "unverifiable_reason",
    "interpretation",
)
CLAIM_BASES = ("", "end_of_day", "close", "intraday", "intraday_level", "rolling_24h")
SCHEMA = {
    "article": pl.String,
    "claim_id": pl.String,
    "section": pl.String,
    "quote": pl.String,
    "subject": pl.String,
    "measure": pl.String,
    "series": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "claimed_text": pl.String,
    "claimed_value": pl.Float64,
    "unit": pl.String,
    "wording_rule": pl.String,
    "claim_basis": pl.String,
    "stated_precision": pl.Float64,
    "required_history_from": pl.Date,
    "unverifiable_reason": pl.String,
    "interpretation": pl.String,
    "source_file": pl.String,
    "draft_note": pl.String,
}
SOURCE = "claims"


def article_name(path: Path) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", path.stem.lower()).strip("_") or "claims"


def _refuse(path: Path, rule: str, row: int | None = None, field: str | None = None, detail: str = "") -> SourceError:
    where = f"field '{field}': " if field else ""
    return SourceError(SOURCE, str(path), rule, row=row, detail=where + detail)


def _date(path, line, field, text, required=False) -> date | None:
    if not text:
        if required:
            raise _refuse(path, "a date is required", line, field, "empty")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(path, "dates are YYYY-MM-DD", line, field, repr(text)) from None


def _number(path, line, field, text, required=False) -> float | None:
    if not text:
        if required:
            raise _refuse(path, "a figure is required", line, field, "empty")
        return None
    try:
        value = float(text)
    except ValueError:
        raise _refuse(path, "a number", line, field, repr(text)) from None
    if not math.isfinite(value):
        raise _refuse(path, "a finite number", line, field, repr(text))
    return value


def read_claim_file(path: Path) -> pl.DataFrame:
    """The file's claims, typed, with `article` and `source_file`; SourceError if any row is malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _refuse(path, "a readable UTF-8 CSV file", detail=str(exc)) from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise _refuse(path, "the claims columns", 1, missing[0], f"missing column(s): {', '.join(missing)}")
    rules, seen, rows = wording_rules(), {}, []
    default_article = article_name(path)
    for line, raw in enumerate(reader, start=2):
        if None in raw:
            raise _refuse(path, "one value per column", line, None, f"{len(header) + len(raw[None])} values")
        r = {k: (v or "").strip() for k, v in raw.items()}
        claim_id = r["claim_id"]
        if not re.fullmatch(r"[a-z0-9_]+", claim_id):
            raise _refuse(path, "an id of lower-case letters, digits and _", line, "claim_id", repr(claim_id))
        if claim_id in seen:
            raise _refuse(path, "unique claim ids", line, "claim_id", f"{claim_id} is also on row {seen[claim_id]}")
        seen[claim_id] = line
        if r["measure"] not in MEASURES:
            raise _refuse(path, "a measure of the contract", line, "measure", f"unknown measure {r['measure']!r}")
        if r["wording_rule"] not in rules:
            raise _refuse(path, "a known wording rule", line, "wording_rule", f"unknown rule {r['wording_rule']!r}")
        if r["claim_basis"] not in CLAIM_BASES:
            raise _refuse(
                path,
                f"claim_basis one of {', '.join(b for b in CLAIM_BASES if b)}",
                line,
                "claim_basis",
                repr(r["claim_basis"]),
            )
        needs_period = r["measure"] != "none"
        start = _date(path, line, "period_start", r["period_start"], needs_period)
        end = _date(path, line, "period_end", r["period_end"], needs_period)
        if start and end and start > end:
            raise _refuse(path, "period_start on or before period_end", line, "period_end", f"{start} > {end}")
        value = _number(path, line, "claimed_value", r["claimed_value"], required=True)
        precision = _number(path, line, "stated_precision", r["stated_precision"])
        if precision is not None and precision < 0:
            raise _refuse(path, "a precision of zero or more", line, "stated_precision", repr(r["stated_precision"]))
        if r["wording_rule"] == "range" and precision is None:
            raise _refuse(path, "a range needs its half-width", line, "stated_precision", "empty")
        rows.append(
            {
                **{k: r[k] or None for k in COLUMNS},
                "article": r.get("article") or default_article,
                "draft_note": r.get("draft_note") or None,
                "period_start": start,
                "period_end": end,
                "claimed_value": value,
                "stated_precision": precision,
                "required_history_from": _date(path, line, "required_history_from", r["required_history_from"]),
                "source_file": path.name,
            }
        )
    if not rows:
        raise _refuse(path, "at least one claim", detail="the file has a header and no rows")
    return pl.DataFrame(rows, schema=SCHEMA)


def read_claim_files(paths: list[Path]) -> pl.DataFrame:
    """Every file's claims; a claim id may appear in one file only (each is one Dagster check)."""
    frames, owner = [], {}
    for path in sorted(paths, key=lambda p: p.name):
        frame = read_claim_file(path)
        for claim_id in frame["claim_id"]:
            if claim_id in owner:
                line = frame["claim_id"].to_list().index(claim_id) + 2
                raise _refuse(
                    path,
                    "claim ids unique across claim files",
                    line,
                    "claim_id",
                    f"{claim_id} is already a claim of {owner[claim_id]}",
                )
            owner[claim_id] = path.name
        frames.append(frame)
    return pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMA)
