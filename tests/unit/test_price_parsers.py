from datetime import date

import polars as pl
import pytest

from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.yahoo import parse_close_csv, parse_yahoo_csv

GOOD = """Date,Open,High,Low,Close,Adj Close,Volume
2026-02-03,245.0,248.1,240.2,242.11,242.11,51000000
2026-02-04,210.5,214.0,198.0,200.19,200.19,99000000
"""


def test_yahoo_csv_types_and_values():
    df = parse_yahoo_csv(GOOD, "AMD", "AMD.yahoo.csv", TODAY)
    assert df.schema["date"] == pl.Date and df.schema["close"] == pl.Float64
    assert df.rows()[1][:2] == (date(2026, 2, 4), "AMD")
    assert df["close"].to_list() == [242.11, 200.19]


def test_yahoo_csv_close_only_file_gets_null_ohlc():
    df = parse_yahoo_csv("Date,Close\n2026-01-02,100.5\n", "SOX", "SOX.yahoo.csv", TODAY)
    assert df["open"].is_null().all() and df["close"].to_list() == [100.5]


@pytest.mark.parametrize(
    "text, rule, row",
    [
        ("Date,Open,High,Low\n2026-01-02,1,2,0.5\n", "required column 'Close' missing", None),
        ("<!DOCTYPE html><html><body>Too Many Requests</body></html>", "expected CSV, got an HTML page", None),
        ("", "file must not be empty", None),
        ("Date,Close\n", "file must hold at least one data row", None),
        ("Date,Close\n2026-01-02,100\n2026-01-05,abc\n", "Close must parse", 3),
        ("Date,Close\n2026-01-02,100\n2026-01-05,-4.2\n", "close must be > 0", 3),
        ("Date,Close\n2026-01-02,100\n02/01/2026,101\n", "Date must parse", 3),
        ("Date,Close\n2026-01-02,100\n2026-01-02,101\n", "key (asset_id, date) must be unique", 2),
        ("Date,Close\n2099-01-02,100\n", "date must not be in the future", 2),
    ],
)
def test_yahoo_csv_bad_input_names_file_row_and_rule(text, rule, row):
    with pytest.raises(SourceError) as caught:
        parse_yahoo_csv(text, "AMD", "AMD.yahoo.csv", TODAY)
    error = caught.value
    assert error.rule == rule and error.row == row
    assert "[yahoo] AMD.yahoo.csv" in str(error) and rule in str(error)
    assert error.rejected.height >= 1


@pytest.mark.parametrize("column, text", [("Date", "02/01/2026"), ("Close", "abc")])
def test_an_unparseable_value_is_quoted_under_the_files_own_column_name(column, text):
    row = {"Date": "2026-01-05", "Close": "101", column: text}
    with pytest.raises(SourceError) as caught:
        parse_yahoo_csv(f"Date,Close\n2026-01-02,100\n{row['Date']},{row['Close']}\n", "AMD", "AMD.yahoo.csv", TODAY)
    assert caught.value.detail.startswith(f"{column} = '{text}'"), caught.value.detail


def test_rejected_rows_keep_their_raw_text():
    with pytest.raises(SourceError) as caught:
        parse_yahoo_csv("Date,Close\n2026-01-02,100\n2026-01-05,-4.2\n2026-01-06,-1\n", "X", "x.csv", TODAY)
    rejected = caught.value.rejected
    assert rejected["row_number"].to_list() == [3, 4]
    assert '"Close":"-4.2"' in rejected["record"][0]
    assert caught.value.count == 2 and "2 rejected row(s), 2 rule violation(s)" in str(caught.value)


def test_a_row_that_breaks_two_rules_is_one_rejected_row_and_two_violations():
    rejected = pl.DataFrame(
        {"row_number": [3, 3, 5], "rule": ["a", "b", "a"], "detail": ["", "", ""], "record": ["", "", ""]}
    )
    error = SourceError("src", "f.csv", "a", row=3, rejected=rejected, count=3)
    assert error.rows == 2 and "2 rejected row(s), 3 rule violation(s)" in str(error)


def test_fred_style_close_series_drops_missing_marker():
    text = "observation_date,NASDAQCOM\n2026-01-01,.\n2026-01-02,23000.5\n"
    df = parse_close_csv(text, "IXIC", "IXIC.fred.csv", TODAY, "fred", "observation_date", "NASDAQCOM")
    assert df.select("date", "close").rows() == [(date(2026, 1, 2), 23000.5)]
