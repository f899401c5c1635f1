"""Users' files in a family's layout: accepted, or refused naming the file, the row and the rule."""

import io

import polars as pl
import pytest

from orchestration.lib.raw_tables import RAW_TABLES
from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.inbox import parse_user_file

PRICES = RAW_TABLES["prices"]
HEADER = "date,asset_id,open,high,low,close,adj_close,volume\n"
GOOD = HEADER + "2026-02-05,AMD,10,11,9,10.5,,1000\n2026-02-06,AMD,10.5,12,10,11.5,,\n"


def parse(text: str | bytes, name: str = "mine.csv") -> pl.DataFrame:
    data = text.encode() if isinstance(text, str) else text
    return parse_user_file(data, name, PRICES.columns, PRICES.row_rules(TODAY), PRICES.keys)


def refused(text, name="mine.csv") -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(text, name)
    assert info.value.file == name and info.value.source == "inbox"
    return info.value


def test_a_good_csv_is_typed_into_the_raw_layout():
    frame = parse(GOOD)
    assert frame.columns == list(PRICES.columns) and frame.height == 2
    assert frame["close"].to_list() == [10.5, 11.5] and frame["volume"].to_list() == [1000.0, None]
    assert frame.schema["date"] == pl.Date


def test_a_good_parquet_file_is_accepted():
    buffer = io.BytesIO()
    pl.read_csv(io.StringIO(GOOD)).write_parquet(buffer)
    assert parse(buffer.getvalue(), "mine.parquet").equals(parse(GOOD))


def test_html_is_refused():
    assert "HTML" in refused("<!DOCTYPE html><html><body>Not found</body></html>").rule


def test_an_empty_file_is_refused():
    assert refused("").rule == "file must not be empty"
    assert refused(HEADER).rule == "file must hold at least one data row"


def test_a_missing_column_is_refused():
    error = refused(GOOD.replace("adj_close,", "").replace(",,", ","))
    assert error.rule == "required column 'adj_close' missing"


def test_an_unparseable_date_is_refused_with_its_row():
    error = refused(GOOD.replace("2026-02-06", "06/02/2026"))
    assert error.row == 3 and error.rule.startswith("date (YYYY-MM-DD) must parse") and "06/02/2026" in error.detail


def test_a_negative_price_is_refused_with_its_row():
    error = refused(GOOD.replace("10.5,,1000", "-10.5,,1000"))
    assert error.row == 2 and error.rule == "close must be > 0"


def test_duplicated_keys_are_refused():
    error = refused(GOOD + "2026-02-06,AMD,10.5,12,10,11.7,,\n")
    assert error.rule == "key (asset_id, date) must be unique" and error.count == 2


def test_readme_documents_every_inbox_layout_as_the_code_reads_it():
    import re

    from orchestration import settings
    from orchestration.defs.inbox.inbox_import import FAMILIES

    readme = (settings.PROJECT_ROOT / "docs" / "operations.md").read_text().split("Layouts (header row")[1]
    for family in FAMILIES:
        row = re.search(rf"^\s*\| `{family}` \| (.+?) \|$", readme, re.MULTILINE)
        assert row, f"docs/operations.md has no inbox layout for {family}"
        documented = [re.sub(r"\*\*", "", c).strip() for c in re.sub(r"\(.*?\)", "", row.group(1)).split(",")]
        documented = [c.split(" ")[0] for c in documented if c]
        assert documented == list(RAW_TABLES[family].columns), family
        keys = re.findall(r"\*\*(\w+)\*\*", row.group(1))
        assert sorted(keys) == sorted(RAW_TABLES[family].keys), family


# Numbers, bars and identifiers: the table's own rules (RawTable.rules), whatever the file's format.
@pytest.mark.parametrize(
    "close, rule",
    [
        ("inf", "close must be a finite number"),
        ("-inf", "close must be a finite number"),
        ("1e400", "close must be a finite number"),
        ("NaN", "close must be a finite number"),
    ],
)
def test_non_finite_numbers_are_refused(close, rule):
    error = refused(GOOD.replace("10.5,,1000", f"{close},,1000"))
    assert (error.row, error.rule) == (2, rule)


def test_a_non_finite_number_in_parquet_is_refused_too():
    buffer = io.BytesIO()
    pl.read_csv(io.StringIO(GOOD)).with_columns(pl.lit(float("inf")).alias("volume")).write_parquet(buffer)
    assert refused(buffer.getvalue(), "mine.parquet").rule == "volume must be a finite number"


@pytest.mark.parametrize("bar", ["10,11,12,10.5", "10,9,9.5,9.2", "13,12,9,10.5", "10,11,9,8"])
def test_an_impossible_bar_is_refused(bar):
    error = refused(GOOD.replace("10,11,9,10.5", bar))
    assert error.row == 2 and error.rule.startswith("low <= open, close <= high")


def test_a_bar_without_a_range_is_accepted():
    assert parse(GOOD.replace("10,11,9,10.5", ",,,10.5"))["high"].to_list() == [None, 12.0]


@pytest.mark.parametrize("asset_id", ["BTC; drop table raw.prices; --", "<b>BTC</b>", "BTC USD", "_BTC", "B" * 41])
def test_an_identifier_outside_the_pattern_is_refused(asset_id):
    error = refused(GOOD.replace("2026-02-05,AMD", f'2026-02-05,"{asset_id}"'))
    assert error.row == 2 and error.rule.startswith("asset_id must match")


def test_an_unknown_asset_is_refused_with_how_to_declare_it():
    error = refused(GOOD.replace("AMD", "MYFUND"))
    assert error.rule == "asset_id must be declared in transforms/dbt/seeds/asset_reference.csv"
    assert "add one row for it to transforms/dbt/seeds/asset_reference.csv" in error.detail


# Files as they come.
@pytest.mark.parametrize(
    "variant",
    [
        lambda t: "\ufeff" + t,  # a BOM, as Excel writes UTF-8 CSV
        lambda t: t.replace("\n", "\r\n"),  # Windows line ends
        lambda t: t.replace(HEADER, ",".join(f'"{c}"' for c in HEADER.strip().split(",")) + "\n"),  # quoted header
    ],
)
def test_csv_as_spreadsheets_write_it_is_accepted(variant):
    assert parse(variant(GOOD)).equals(parse(GOOD))


def test_another_delimiter_is_refused():
    error = refused(GOOD.replace(",", ";"))
    assert error.rule == "fields must be separated by commas" and "semicolon" in error.detail
    assert "tab" in refused(GOOD.replace(",", "\t")).detail


@pytest.mark.parametrize(
    "data, kind",
    [
        (__import__("gzip").compress(GOOD.encode()), "gzip"),
        (b"PK\x03\x04" + b"\x00" * 40, "zip"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_binary_or_compressed_content_is_refused(data, kind):
    error = refused(data)
    assert error.rule == "file must be CSV text, not binary or compressed" and kind in error.detail


def test_parquet_under_a_csv_name_says_so():
    buffer = io.BytesIO()
    pl.read_csv(io.StringIO(GOOD)).write_parquet(buffer)
    assert "name it .parquet" in refused(buffer.getvalue()).detail


def test_a_parquet_file_that_is_not_parquet_is_refused():
    assert refused(GOOD, "mine.parquet").rule == "a .parquet file must be Parquet (PAR1 at both ends)"
    assert refused(b"PAR1 torn off", "mine.parquet").rule.startswith("a .parquet file must be Parquet")


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-00-10"])
def test_impossible_calendar_dates_are_refused(day):
    error = refused(GOOD.replace("2026-02-06", day))
    assert error.row == 3 and error.rule == "date (YYYY-MM-DD) must parse"


def test_a_torn_quote_is_refused_with_its_row():
    error = refused(GOOD.replace("2026-02-06,AMD", '2026-02-06,"AMD'))
    assert error.rule == "a quoted field must close on its own row" and error.row == 3


def test_invalid_utf8_is_refused():
    assert refused(GOOD.encode().replace(b"AMD", b"AM\xff")).rule == "file must be UTF-8 text"


# Files are read in chunks (memory stays bounded by the chunk): the result must not depend on the chunk size.
def _many_days(n: int) -> str:
    from datetime import date, timedelta

    days = [date(2020, 1, 1) + timedelta(days=i) for i in range(n)]
    return HEADER + "".join(f"{d},AMD,10,11,9,10.5,,{i}\n" for i, d in enumerate(days))


def read_in_chunks(text: str, chunk_rows: int, name: str = "mine.csv"):
    from transforms.parsers.inbox import read_user_file

    chunks = []
    rows = read_user_file(
        text.encode(), name, PRICES.columns, PRICES.row_rules(TODAY), PRICES.keys, chunks.append, chunk_rows=chunk_rows
    )
    return rows, pl.concat(chunks)


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_a_file_read_in_chunks_gives_the_rows_of_one_read(chunk_rows):
    text = _many_days(50)
    rows, frame = read_in_chunks(text, chunk_rows)
    assert rows == 50 and frame.equals(parse(text))


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_rows_are_numbered_by_their_line_whatever_the_chunk(chunk_rows):
    text = _many_days(50).replace("2020-02-01,AMD,10,11,9,10.5", "2020-02-01,AMD,10,11,9,-1")  # line 33
    with pytest.raises(SourceError) as info:
        read_in_chunks(text, chunk_rows)
    assert info.value.row == 33 and info.value.rule == "close must be > 0"


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_a_key_repeated_in_another_chunk_is_refused_with_both_rows_kept(chunk_rows):
    text = _many_days(20) + "2020-01-03,AMD,10,11,9,10.7,,0\n"  # repeats line 4 on line 22
    with pytest.raises(SourceError) as info:
        read_in_chunks(text, chunk_rows)
    error = info.value
    assert error.rule == "key (asset_id, date) must be unique" and error.count == 2
    assert error.rejected["row_number"].to_list() == [4, 22]
    assert '"10.7"' in error.rejected["record"][1], "the rejected row keeps its original text"


def test_every_bad_row_of_a_large_file_is_counted_not_only_the_first_chunks():
    text = _many_days(30).replace(",AMD,", ",NOPE,")  # breaks one rule per row: an undeclared asset
    with pytest.raises(SourceError) as info:
        read_in_chunks(text, 4)
    assert info.value.count == 30 and info.value.rejected["row_number"].to_list() == list(range(2, 32))


def test_a_long_file_mostly_in_the_future_is_refused_by_rule_not_by_a_crash():
    # 150,000 daily rows from 2010 on, most after TODAY: polars 2.1 panicked formatting the rule's detail on the
    # filtered rows; the refusal names the rule, the file and the first future row instead.
    import datetime as dt

    days = pl.date_range(dt.date(2010, 1, 1), dt.date(2010, 1, 1) + dt.timedelta(days=149_999), eager=True)
    rows = pl.DataFrame({"date": days}).with_columns(
        asset_id=pl.lit("AMD"), open=10.0, high=11.0, low=9.0, close=10.5, adj_close=None, volume=1000.0
    )
    error = refused(rows.write_csv())
    first_future = (TODAY - dt.date(2010, 1, 1)).days + 1 + 2  # 1-based, after the header line
    assert error.rule == "date must not be in the future"
    assert error.row == first_future and len(error.rejected) > 0
