from datetime import date

import polars as pl
import pytest

from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.fred import parse_fred_csv
from transforms.parsers.mof import era_to_date, parse_mof_jgbcm

HEADER = "基準日,1年,2年,3年,4年,5年,6年,7年,8年,9年,10年,15年,20年,25年,30年,40年"


def mof_file(*rows: str, footnote: bool = True) -> bytes:
    lines = ["国債金利情報,,,,,,,,,,,,,,,(単位 : %)", HEADER, *rows]
    if footnote:
        lines.append("※表中の「-」は、該当データがないことを示しています。,,,,,,,,,,,,,,,")
    return "\r\n".join(lines).encode("cp932")


def test_era_dates():
    df = pl.DataFrame({"d": ["R8.1.20", "H31.4.30", "S64.1.7", "R1.5.1", "X8.1.1"]})
    assert df.select(era_to_date("d").alias("parsed"))["parsed"].to_list() == [
        date(2026, 1, 20),
        date(2019, 4, 30),
        date(1989, 1, 7),
        date(2019, 5, 1),
        None,
    ]


def test_mof_jgbcm_long_format_skips_footnote_and_dashes():
    payload = mof_file(
        "R8.1.20,0.943,1.22,1.381,1.568,1.703,1.8,1.9,2.0,2.1,2.33,2.982,3.325,3.691,3.765,3.901",
        "R8.1.21,0.95,1.23,-,1.57,1.71,1.8,1.9,2.0,2.1,2.34,2.99,3.33,3.70,3.77,-",
    )
    df = parse_mof_jgbcm(payload, "jgbcm.csv", TODAY)
    assert df.filter((pl.col("date") == date(2026, 1, 20)) & (pl.col("tenor_years") == 40))["yield_pct"].item() == 3.901
    assert df.filter(pl.col("date") == date(2026, 1, 21)).height == 13  # two '-' cells are not published


@pytest.mark.parametrize(
    "payload, rule",
    [
        (mof_file("R8.1.32,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"), "基準日 must be a Japanese-era date like R8.1.20"),
        (mof_file("R8.1.20,1,1,1,1,1,1,1,1,1,abc,1,1,1,1,1"), "10年 must be a number or '-'"),
        (mof_file("R8.1.20,1,1,1,1,1,1,1,1,1,99,1,1,1,1,1"), "yield must be between -1 and 15 percent"),
        (
            mof_file("R8.1.20,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "R8.1.20,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
            "key (date) must be unique",
        ),
        ("title\r\ndate,a,b\r\n".encode("cp932"), "header row starting '基準日' must be present"),
        (b"<html><body>503 Service Unavailable</body></html>", "expected CSV, got an HTML page"),
    ],
)
def test_mof_bad_input(payload, rule):
    with pytest.raises(SourceError) as caught:
        parse_mof_jgbcm(payload, "jgbcm.csv", TODAY)
    assert caught.value.rule == rule and "[mof] jgbcm.csv" in str(caught.value)


def test_mof_bad_row_reports_its_line_in_the_file():
    with pytest.raises(SourceError) as caught:
        parse_mof_jgbcm(
            mof_file("R8.1.20,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "R8.1.21,1,1,1,1,1,1,1,1,1,x,1,1,1,1,1"),
            "jgbcm.csv",
            TODAY,
        )
    assert caught.value.row == 4  # title, header, first data row, then this one


def test_fred_csv_both_header_styles_and_missing_values():
    new = parse_fred_csv("observation_date,DGS10\n2026-01-19,.\n2026-01-20,4.29\n", "DGS10", "DGS10.csv", TODAY)
    old = parse_fred_csv("DATE,DGS10\n2026-01-20,4.29\n", "DGS10", "DGS10.csv", TODAY)
    assert new.rows() == old.rows() == [(date(2026, 1, 20), "DGS10", 4.29)]


def test_fred_csv_renamed_column_is_refused():
    with pytest.raises(SourceError, match="required column 'DGS10' missing"):
        parse_fred_csv("observation_date,VALUE\n2026-01-20,4.29\n", "DGS10", "DGS10.csv", TODAY)
