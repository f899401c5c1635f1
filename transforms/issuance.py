"""Bitcoin issuance per day: observed from circulating supply where it exists, else the subsidy schedule."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from transforms import validation as check
from transforms.errors import SourceError

HALVING_INTERVAL = 210_000
INITIAL_SUBSIDY_BTC = 50.0
TARGET_BLOCKS_PER_DAY = 144  # one block per ten minutes by the difficulty target
# Block heights of past halvings with the UTC day they were mined (public chain data).
HALVINGS = {630_000: date(2020, 5, 11), 840_000: date(2024, 4, 20)}


def subsidy_btc(height: int) -> float:
    return INITIAL_SUBSIDY_BTC / 2 ** (height // HALVING_INTERVAL)


def subsidy_on(day: pl.Expr) -> pl.Expr:
    """Subsidy per block in force on a day (the halving day itself already pays the new subsidy)."""
    expr = pl.lit(subsidy_btc(0))
    for height, when in sorted(HALVINGS.items()):
        expr = pl.when(day >= pl.lit(when)).then(pl.lit(subsidy_btc(height))).otherwise(expr)
    return expr


def parse_supply_csv(text: str | bytes, file: str, today: date, source: str = "coinmetrics") -> pl.DataFrame:
    """Circulating supply per UTC day (`asset,Date,Supply`)."""
    raw = check.read_rows(source, file, text, ["Date", "Supply"])
    typed = raw.select(
        check.ROW,
        check.to_date("Date").alias("date"),
        check.to_float("Supply").alias("supply_btc"),
        pl.col("Date").alias("_d"),
        pl.col("Supply").alias("_s"),
    )
    rules = [
        check.unparseable("_d", "date", "Date"),
        check.unparseable("_s", "supply_btc", "Supply"),
        check.Rule(
            "Supply must be between 0 and 21,000,000 BTC",
            ~pl.col("supply_btc").is_between(0, 21e6),
            pl.format("Supply = {}", pl.col("_s")),
        ),
        check.not_future("date", today),
        check.unique_key(["date"]),
    ]
    return check.enforce(source, file, typed, raw, rules).select("date", "supply_btc").sort("date")


def daily_issuance(supply: pl.DataFrame, through: date) -> pl.DataFrame:
    """date, issuance_btc, supply_btc, subsidy_btc_per_block, method.

    Days with supply on both sides: the supply difference (`supply_diff`). Days after the supply data
    ends, up to `through`: the schedule's expectation, 144 blocks at the day's subsidy
    (`schedule_expected_blocks`); real block counts vary by a few percent around that.
    """
    observed = (
        supply.sort("date")
        .with_columns(
            (pl.col("supply_btc") - pl.col("supply_btc").shift(1)).alias("issuance_btc"),
            (pl.col("date") - pl.col("date").shift(1)).dt.total_days().alias("_gap"),
        )
        .filter(pl.col("_gap") == 1)
        .select("date", "issuance_btc", "supply_btc", pl.lit("supply_diff").alias("method"))
    )
    start = (supply["date"].max() + timedelta(days=1)) if supply.height else through
    expected = (
        pl.DataFrame({"date": pl.date_range(start, through, "1d", eager=True)})
        if start <= through
        else pl.DataFrame({"date": []}, schema={"date": pl.Date})
    )
    expected = expected.select(
        "date",
        (subsidy_on(pl.col("date")) * TARGET_BLOCKS_PER_DAY).alias("issuance_btc"),
        pl.lit(None, pl.Float64).alias("supply_btc"),
        pl.lit("schedule_expected_blocks").alias("method"),
    )
    return (
        pl.concat([observed, expected])
        .with_columns(subsidy_on(pl.col("date")).alias("subsidy_btc_per_block"))
        .select("date", "issuance_btc", "supply_btc", "subsidy_btc_per_block", "method")
        .sort("date")
    )


def blocks_subsidy_btc(first: int, last_exclusive: int) -> float:
    """New BTC in blocks first .. last_exclusive-1, split at any halving in between."""
    total, height = 0.0, first
    while height < last_exclusive:
        era_end = (height // HALVING_INTERVAL + 1) * HALVING_INTERVAL
        upto = min(era_end, last_exclusive)
        total += (upto - height) * subsidy_btc(height)
        height = upto
    return total


def parse_block_heights(payloads: dict[str, bytes], source: str = "mempool") -> pl.DataFrame:
    """`{height, hash, timestamp}` per day (payload `issuance/mempool/<YYYY-MM-DD>.json`) -> day, height."""
    rows = []
    for name in sorted(payloads):
        if not name.startswith("issuance/mempool/"):
            continue
        block = check.load_json(source, name, check.as_text(source, name, payloads[name]))
        if not isinstance(block, dict) or "height" not in block:
            raise SourceError(
                source,
                name,
                "required field 'height' missing",
                detail=f"found {sorted(block) if isinstance(block, dict) else type(block).__name__}",
            )
        if not isinstance(block["height"], int) or block["height"] < 0:
            raise SourceError(source, name, "height must be a non-negative integer", detail=repr(block["height"])[:40])
        rows.append((date.fromisoformat(name.rsplit("/", 1)[1].removesuffix(".json")), block["height"]))
    if len(rows) < 2:
        raise SourceError(source, "issuance/mempool/", "need block heights on at least two days")
    return pl.DataFrame(rows, schema={"date": pl.Date, "height": pl.Int64}, orient="row").sort("date")


def issuance_from_heights(heights: pl.DataFrame, source: str = "mempool") -> pl.DataFrame:
    """Blocks mined on day d are height(d+1 00:00) - height(d 00:00); each pays the subsidy of its own height."""
    pairs = (
        heights.sort("date")
        .with_columns(
            pl.col("height").shift(-1).alias("next_height"),
            (pl.col("date").shift(-1) - pl.col("date")).dt.total_days().alias("_gap"),
        )
        .filter(pl.col("_gap") == 1)
    )
    falling = pairs.filter(pl.col("next_height") < pl.col("height"))
    if falling.height:
        raise SourceError(
            source,
            f"issuance/mempool/{falling['date'][0]}.json",
            "block height must not fall from one day to the next",
            detail=f"{falling['height'][0]} -> {falling['next_height'][0]}",
        )
    return pairs.select(
        "date",
        pl.struct("height", "next_height")
        .map_elements(lambda r: blocks_subsidy_btc(r["height"], r["next_height"]), return_dtype=pl.Float64)
        .alias("issuance_btc"),
        pl.lit(None, pl.Float64).alias("supply_btc"),
        pl.col("height").map_elements(subsidy_btc, return_dtype=pl.Float64).alias("subsidy_btc_per_block"),
        pl.lit("block_heights").alias("method"),
    )
