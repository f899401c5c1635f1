"""The rates component, the crypto-free variant and the episode scoring, on frames built here: each knows
nothing of the future, and each reads what it is meant to."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_measures import _panel
from transforms.episode_scoring import judge, pit_percentile
from transforms.stress import RATES_POINTS, rates_turbulence, stress_measures

START = date(2024, 1, 1)


def curve(days: int, jump: dict[int, float] | None = None, seed: int = 4) -> pl.DataFrame:
    """Every RATES_POINTS yield with small daily noise; `jump` moves the 2-year alone (a shape move), in points."""
    noise = np.random.default_rng(seed).normal(scale=0.02, size=(len(RATES_POINTS), days)).cumsum(axis=1)
    frames = []
    for k, (name, tenor) in enumerate(RATES_POINTS):
        level = 3.0 + k * 0.3 + noise[k]
        if tenor == 2.0 and name == "UST":
            for day, move in (jump or {}).items():
                level[day:] += move
        dates = [START + timedelta(days=i) for i in range(days)]
        frames.append(pl.DataFrame({"date": dates, "curve": name, "tenor_years": tenor, "yield_pct": level}))
    return pl.concat(frames)


def days_frame(days: int) -> pl.DataFrame:
    return pl.DataFrame({"date": [START + timedelta(days=i) for i in range(days)]})


def test_a_shape_move_of_the_curve_is_rates_turbulence():
    out = rates_turbulence(curve(400, jump={380: -1.0}), days_frame(400))
    day = out.filter(pl.col("date") == START + timedelta(days=380)).row(0, named=True)
    calm = out.filter(pl.col("date") < START + timedelta(days=380))["z_rates_turbulence"].drop_nulls()
    assert day["z_rates_turbulence"] > 5 > calm.max()


def test_a_missing_quote_is_left_out_never_a_zero_move():
    rates = curve(400).filter(~((pl.col("curve") == "JGB") & (pl.col("date") > START + timedelta(days=300))))
    out = rates_turbulence(rates, days_frame(400))
    late = out.filter(pl.col("date") > START + timedelta(days=310))
    assert late["rates_turbulence"].is_null().all()  # a level is carried a week at most


@pytest.mark.parametrize("cut", [300, 333, 360])
def test_the_rates_component_and_the_variant_know_nothing_of_the_future(cut):
    panel, rates = _panel(400, crash_day=380, seed=9), curve(400, jump={370: 0.8})
    full = stress_measures(panel, rates)
    day = START + timedelta(days=cut)
    truncated = stress_measures(panel.filter(pl.col("date") <= day), rates.filter(pl.col("date") <= day))
    assert truncated.equals(full.filter(pl.col("date") <= day))


def test_the_crypto_free_variant_does_not_move_with_crypto():
    panel, rates = _panel(400, seed=11), curve(400)
    shocked = panel.with_columns(
        pl.when((pl.col("asset_class") == "crypto") & (pl.col("date") == START + timedelta(days=390)))
        .then(-0.4)
        .otherwise(pl.col("log_return_1d"))
        .alias("log_return_1d")
    )
    a, b = stress_measures(panel, rates), stress_measures(shocked, rates)
    columns = ["z_turbulence_xc", "z_absorption_shift_xc", "z_avg_pairwise_corr_xc", "n_classes_down_2sigma_xc"]
    assert a.select(columns).equals(b.select(columns))
    assert not a.select("z_turbulence").equals(b.select("z_turbulence"))


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=300), burn=st.integers(1, 50))
def test_the_percentile_is_each_value_against_its_own_past_only(values, burn):
    got = pit_percentile(pl.Series("v", values), burn_in=burn).to_list()
    for i, v in enumerate(values):
        if i + 1 < max(burn, 2):
            assert got[i] is None
        else:
            assert got[i] == pytest.approx(sum(x < v for x in values[:i]) / i)


def test_judging_counts_reached_episodes_false_alarms_and_the_lead():
    dates = [START + timedelta(days=i) for i in range(100)]
    pct = [0.5] * 100
    pct[30] = 0.97  # a false alarm, more than 20 sessions before the episode
    pct[55], pct[60] = 0.92, 0.99  # watch five days before the episode, alarm inside it
    pct[90] = 0.93  # an episode seen only at 0.93
    episodes = pl.DataFrame(
        {
            "episode_id": ["a", "b", "c"],
            "start_date": [dates[60], dates[90], date(2030, 1, 1)],
            "end_date": [dates[62], dates[91], date(2030, 1, 2)],
            "crypto_or_carry": [True, False, True],
        }
    )
    table, summary = judge(pl.DataFrame({"date": dates, "pct": pct}), episodes, dates[0], dates[-1])
    rows = {r["episode_id"]: r for r in table.iter_rows(named=True)}
    assert rows["a"]["reached"] and rows["a"]["lead"] == 5
    assert not rows["b"]["reached"] and rows["b"]["lead"] == 0
    assert "c" not in rows  # outside the period
    assert summary["reached"] == 1 and summary["judged"] == 2 and summary["cc_reached"] == 1
    assert summary["false_alarms"] == pytest.approx(1 / 95)
