"""Japan Ministry of Finance JGB constant-maturity yields (`jgbcm_all.csv`, `jgbcm.csv`).

CP932 text; a title row, then the header `基準日,1年,…,40年`; dates in Japanese eras (R8.1.20 = 2026-01-20);
`-` for not available; footnote rows after the data.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms import validation as check
from transforms.errors import SourceError

ERA_OFFSET = {"R": 2018, "H": 1988, "S": 1925}
HEADER_FIRST = "基準日"


def decode(payload: bytes, source: str, file: str) -> str:
    for encoding in ("cp932", "utf-8-sig"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(source, file, "file must be CP932 (Shift-JIS) or UTF-8 text")


def era_to_date(col: str) -> pl.Expr:
    parts = pl.col(col).str.strip_chars().str.extract_groups(r"^([RHS])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
    year = parts.struct.field("2").cast(pl.Int32, strict=False) + parts.struct.field("1").replace_strict(
        ERA_OFFSET, default=None, return_dtype=pl.Int32
    )
    # Through text, so an impossible day (R8.1.32) becomes null and is reported, not an exception.
    return pl.format("{}-{}-{}", year, parts.struct.field("3"), parts.struct.field("4")).str.to_date(
        "%Y-%m-%d", strict=False
    )


def parse_mof_jgbcm(payload: bytes, file: str, today: date, source: str = "mof") -> pl.DataFrame:
    """Return date, tenor_years, yield_pct (long), one row per published yield."""
    text = decode(payload, source, file)
    check.sniff_text(source, file, text)
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.lstrip("\ufeff").startswith(HEADER_FIRST)), None)
    if header_at is None:
        raise SourceError(
            source,
            file,
            f"header row starting '{HEADER_FIRST}' must be present",
            detail=f"first line: {lines[0][:60]!r}",
        )
    raw = check.read_csv_text(source, file, "\n".join(lines[header_at:]), truncate_ragged_lines=True)
    raw = raw.rename({raw.columns[0]: HEADER_FIRST})
    tenors = {c: int(c.removesuffix("年")) for c in raw.columns[1:] if c.removesuffix("年").isdigit()}
    if len(set(tenors.values())) < len(tenors):
        raise SourceError(source, file, "each tenor must have one column", detail=f"found {raw.columns}")
    if 10 not in tenors.values():
        raise SourceError(source, file, "required column '10年' missing", detail=f"found {raw.columns}")
    raw = check.with_row_numbers(raw, first_line=header_at + 2)
    # Footnotes follow the data: rows with no yield at all and a first cell that is not an era date.
    values_empty = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in tenors])
    looks_like_date = pl.col(HEADER_FIRST).str.contains(r"^\s*[RHS]\d")
    raw = raw.filter(~(values_empty & ~looks_like_date.fill_null(False)))
    wide = raw.select(
        check.ROW,
        era_to_date(HEADER_FIRST).alias("date"),
        pl.col(HEADER_FIRST).alias("_d"),
        *[check.to_float(c).alias(f"y{t}") for c, t in tenors.items()],
        *[pl.col(c).alias(f"_raw{t}") for c, t in tenors.items()],
    )
    rules = [
        check.Rule(
            f"{HEADER_FIRST} must be a Japanese-era date like R8.1.20",
            pl.col("date").is_null(),
            pl.format("{} = '{}'", pl.lit(HEADER_FIRST), pl.col("_d")),
        ),
        check.not_future("date", today),
        check.unique_key(["date"]),
    ]
    for t in tenors.values():
        raw_t = pl.col(f"_raw{t}").str.strip_chars()
        rules.append(
            check.Rule(
                f"{t}年 must be a number or '-'",
                raw_t.is_not_null() & (raw_t != "-") & (raw_t != "") & pl.col(f"y{t}").is_null(),
                pl.format("{} = '{}'", pl.lit(f"{t}年"), pl.col(f"_raw{t}")),
            )
        )
        rules.append(
            check.Rule(
                "yield must be between -1 and 15 percent",
                ~pl.col(f"y{t}").is_between(-1, 15),
                pl.format("{}年 = {}", pl.lit(t), pl.col(f"y{t}")),
            )
        )
    wide = check.enforce(source, file, wide, raw, rules)
    long = wide.select("date", *[f"y{t}" for t in tenors.values()]).unpivot(
        index="date", variable_name="tenor", value_name="yield_pct"
    )
    return (
        long.filter(pl.col("yield_pct").is_not_null())
        .select("date", pl.col("tenor").str.slice(1).cast(pl.Float64).alias("tenor_years"), "yield_pct")
        .sort("date", "tenor_years")
    )
