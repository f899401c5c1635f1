"""Users' files in a family's layout: accepted, or refused naming the file, the row and the rule."""

import io

import polars as pl
import pytest

from orchestration.defs.raw_tables import RAW_TABLES
from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.inbox import parse_user_file

PRICES = RAW_TABLES["prices"]
HEADER = "date,asset_id,open,high,low,close,adj_close,volume\n"
GOOD = HEADER + "2026-02-05,MYFUND,10,11,9,10.5,,1000\n2026-02-06,MYFUND,10.5,12,10,11.5,,\n"


def parse(text: str | bytes, name: str = "mine.csv") -> pl.DataFrame:
    data = text.encode() if isinstance(text, str) else text
    return parse_user_file(data, name, PRICES.columns, PRICES.keys, PRICES.ranges, PRICES.not_null,
                           PRICES.date_column, TODAY)


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
    error = refused(GOOD + "2026-02-06,MYFUND,10.5,12,10,11.7,,\n")
    assert error.rule == "key (asset_id, date) must be unique" and error.count == 2


def test_readme_documents_every_inbox_layout_as_the_code_reads_it():
    import re

    from orchestration import settings
    from orchestration.defs.inbox import FAMILIES

    readme = (settings.PROJECT_ROOT / "README.md").read_text().split("Layouts (header row")[1]
    for family in FAMILIES:
        row = re.search(rf"^\s*\| `{family}` \| (.+?) \|$", readme, re.MULTILINE)
        assert row, f"README has no inbox layout for {family}"
        documented = [re.sub(r"\*\*", "", c).strip() for c in re.sub(r"\(.*?\)", "", row.group(1)).split(",")]
        documented = [c.split(" ")[0] for c in documented if c]
        assert documented == list(RAW_TABLES[family].columns), family
        keys = re.findall(r"\*\*(\w+)\*\*", row.group(1))
        assert sorted(keys) == sorted(RAW_TABLES[family].keys), family
