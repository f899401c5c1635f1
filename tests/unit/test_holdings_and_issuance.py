from datetime import date

import polars as pl
import pytest

from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.issuance import daily_issuance, parse_supply_csv, subsidy_btc
from transforms.parsers.curated import parse_curated_csv
from transforms.parsers.treasuries import parse_curated_holdings, parse_mstr_holdings


def test_subsidy_schedule():
    assert [subsidy_btc(h) for h in (0, 209_999, 210_000, 839_999, 840_000, 1_049_999, 1_050_000)] == [
        50,
        50,
        25,
        6.25,
        3.125,
        3.125,
        1.5625,
    ]


def test_issuance_from_supply_then_schedule():
    supply = pl.DataFrame(
        {"date": [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)], "supply_btc": [100.0, 560.0, 990.0]}
    )
    out = daily_issuance(supply, through=date(2025, 1, 5))
    assert out.select("date", "issuance_btc", "method").rows() == [
        (date(2025, 1, 2), 460.0, "supply_diff"),
        (date(2025, 1, 3), 430.0, "supply_diff"),
        (date(2025, 1, 4), 450.0, "schedule_expected_blocks"),
        (date(2025, 1, 5), 450.0, "schedule_expected_blocks"),
    ]


def test_issuance_across_the_2024_halving_uses_each_days_subsidy():
    out = daily_issuance(pl.DataFrame({"date": [date(2024, 4, 17)], "supply_btc": [1.0]}), through=date(2024, 4, 21))
    assert out["issuance_btc"].to_list() == [900.0, 900.0, 450.0, 450.0]


def test_supply_gap_is_not_taken_as_one_day():
    supply = pl.DataFrame({"date": [date(2025, 1, 1), date(2025, 1, 3)], "supply_btc": [0.0, 900.0]})
    assert daily_issuance(supply, through=date(2025, 1, 3)).height == 0


def test_supply_out_of_range_refused():
    with pytest.raises(SourceError, match="Supply must be between 0 and 21,000,000 BTC"):
        parse_supply_csv("asset,Date,Supply\nbtc,2025-01-01,22000000\n", "supply.csv", TODAY)


def test_mstr_holdings_cite_their_filing_even_without_accession():
    text = (
        "date,holdings,filingType,accession,source\n2022-02-16,125051,10K,,10-K-2022-02-16.html\n"
        "2025-12-29,672498,8K,332296,8k-2025-12-29-332296.html\n"
    )
    df = parse_mstr_holdings(text, "mstr.csv", TODAY)
    assert df["source"].to_list() == ["SEC 10K filing, 10-K-2022-02-16.html", "SEC 8K filing, accession 332296"]
    assert df["holdings_btc"].to_list() == [125051.0, 672498.0]


def test_curated_holdings_need_a_source():
    with pytest.raises(SourceError) as caught:
        parse_curated_holdings(
            "date,company,ticker,holdings_btc,source\n2025-12-31,Metaplanet,3350.T,35102,\n", "curated.csv", TODAY
        )
    assert caught.value.rule == "source must be cited" and caught.value.row == 2


def test_curated_holdings_file_with_only_a_header_is_empty_not_an_error():
    assert parse_curated_holdings("# comment\ndate,company,ticker,holdings_btc,source\n", "c.csv", TODAY).height == 0


def test_curated_reference_table_rules():
    text = "event_id,event_date,title,source\na,2026-01-30,Warsh,article\nb,30/01/2026,x,article\n"
    with pytest.raises(SourceError) as caught:
        parse_curated_csv(
            text,
            "events.csv",
            required=["event_id", "event_date", "title"],
            keys=["event_id"],
            date_columns=["event_date"],
        )
    assert caught.value.rule == "event_date must parse" and caught.value.row == 3
