"""A bad file fails its asset with a clear error, lands in quarantine, and leaves the warehouse as it was."""

import duckdb
import pytest

from tests.integration.materialize import materialize

PRICES = 'key:"raw/prices"'
Q1_2026 = ("2026-01-01", "2026-03-31")  # a quarter of daily partitions; parsing reads whole files


def table_state(warehouse, table):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(f"select count(*), sum(hash(columns(*))) from raw.{table}").fetchall()


def quarantine(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(
            "select family, source, file, row_number, rule, record from ops.quarantine order by row_number"
        ).fetchall()


def failure_message(result) -> str:
    failures = [e for e in result.all_events if e.is_step_failure]
    assert failures, "the asset should have failed"
    return failures[0].event_specific_data.error.message


def corrupt_line(path, line_number, replace):
    lines = path.read_text().splitlines()
    lines[line_number - 1] = replace(lines[line_number - 1])
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture
def good_warehouse(tmp_path, snapshot_copy):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    assert materialize(warehouse, snapshot_copy, selection=PRICES, days=Q1_2026).success
    return warehouse


@pytest.mark.parametrize(
    "corrupt, rule, row",
    [
        (
            lambda f: corrupt_line(f, 10, lambda line: line.rsplit(",", 2)[0] + ",-5.0," + line.rsplit(",", 1)[1]),
            "close must be > 0",
            10,
        ),
        (lambda f: corrupt_line(f, 12, lambda line: "12/01/2024" + line[10:]), "Date must parse", 12),
        (
            lambda f: corrupt_line(f, 7, lambda line: f.read_text().splitlines()[5]),
            "key (asset_id, date) must be unique",
            6,
        ),
        (
            lambda f: f.write_text("<!DOCTYPE html><html><body>Will be right back</body></html>"),
            "expected CSV, got an HTML page",
            None,
        ),
        (lambda f: f.write_text(""), "file must not be empty", None),
        (lambda f: f.write_text(f.read_text().replace("Close", "Price", 1)), "required column 'Close' missing", None),
    ],
)
def test_bad_btc_file_is_refused_and_quarantined(good_warehouse, snapshot_copy, corrupt, rule, row):
    before = table_state(good_warehouse, "prices")
    corrupt(snapshot_copy / "prices" / "BTC.yahoo.csv")

    result = materialize(good_warehouse, snapshot_copy, selection=PRICES, raise_on_error=False, days=Q1_2026)

    assert not result.success
    message = failure_message(result)
    assert "[yahoo] prices/BTC.yahoo.csv" in message and f"rule '{rule}' broken" in message
    assert (f"row {row}" if row else "whole file") in message
    assert table_state(good_warehouse, "prices") == before
    kept = quarantine(good_warehouse)
    assert kept and kept[0][:5] == ("prices", "yahoo", "prices/BTC.yahoo.csv", row, rule)


def test_negative_price_row_keeps_its_raw_record(good_warehouse, snapshot_copy):
    path = snapshot_copy / "prices" / "AMD.yahoo.csv"
    assert path.read_text().splitlines()[0].split(",")[4] == "Close"
    corrupt_line(path, 3, lambda line: ",".join([*line.split(",")[:4], "-1", *line.split(",")[5:]]))
    before = table_state(good_warehouse, "prices")
    result = materialize(good_warehouse, snapshot_copy, selection=PRICES, raise_on_error=False, days=Q1_2026)
    assert not result.success, "a refused batch fails the run"
    assert table_state(good_warehouse, "prices") == before
    family, source, file, row, rule, record = quarantine(good_warehouse)[0]
    assert (family, source, file, row, rule) == ("prices", "yahoo", "prices/AMD.yahoo.csv", 3, "close must be > 0")
    assert '"Close":"-1"' in record


def test_bad_mof_file_leaves_jgb_table_untouched(tmp_path, snapshot_copy):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    jgb = 'key:"raw/jgb_yields"'
    assert materialize(warehouse, snapshot_copy, selection=jgb, days=Q1_2026).success
    before = table_state(warehouse, "jgb_yields")
    path = snapshot_copy / "rates" / "mof" / "jgbcm_all.csv"
    text = path.read_bytes().decode("cp932").replace("R8.1.20,", "R8.1.XX,")
    path.write_bytes(text.encode("cp932"))
    result = materialize(warehouse, snapshot_copy, selection=jgb, raise_on_error=False, days=Q1_2026)
    assert not result.success and "基準日 must be a Japanese-era date" in failure_message(result)
    assert table_state(warehouse, "jgb_yields") == before


def _set_field(path, day, column, value):
    """Write `value` into `column` of the row for `day` in a Yahoo CSV."""
    lines = path.read_text().splitlines()
    index = lines[0].split(",").index(column)
    row = next(i for i, line in enumerate(lines) if line.startswith(day))
    fields = lines[row].split(",")
    fields[index] = value
    lines[row] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "column, value, rule",
    [
        ("Close", "inf", "close must be a finite number"),
        ("Volume", "1e400", "volume must be a finite number"),
        ("Low", "260", "low <= open, close <= high (a bar's range holds its open and close)"),
    ],
)
def test_the_tables_own_rules_hold_for_a_source_parser_too(good_warehouse, snapshot_copy, column, value, rule):
    """The Yahoo parser reads 'inf' as a number and knows nothing of bars; the table's rules refuse the batch."""
    before = table_state(good_warehouse, "prices")
    _set_field(snapshot_copy / "prices" / "AMD.yahoo.csv", "2026-02-02", column, value)
    result = materialize(good_warehouse, snapshot_copy, selection=PRICES, raise_on_error=False, days=Q1_2026)
    message = failure_message(result)
    assert f"rule '{rule}' broken" in message and "asset_id AMD, date 2026-02-02" in message, message
    assert table_state(good_warehouse, "prices") == before
    assert quarantine(good_warehouse)[0][4] == rule
