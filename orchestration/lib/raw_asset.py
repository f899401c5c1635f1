"""One factory for every raw asset: a family is a registry entry (lib/raw_tables.py), its parsers, and a
`Family` saying where its files come from, bundled and live. The asset, its resources, its window and its
description follow from those; the benchmark's plain pipeline (benchmarks/run_time.py) loads the same
families without Dagster."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import dagster as dg

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.window import window, within
from transforms.parsers.curated import parse_curated_csv

# Live requests reach back this far before the window, so a one-day window on a holiday still gets a
# well-formed answer; only the window's days are loaded.
LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class Load:
    """What a family's inputs are made from in one run: the bundled snapshot, the run's resources (its live
    services by name: `load.resources.fred`), the days it loads (None for a table loaded whole), a logger."""

    snapshot: Any
    resources: Any
    days: tuple[date, date] | None
    log: Any


@dataclass(frozen=True)
class Inputs:
    bundled: Input
    live: Input | None = None
    days: tuple[date, date] | None = None  # narrower than the run's window (issuance: only complete days)


@dataclass(frozen=True)
class Family:
    table: str
    inputs: Callable[[Load], Inputs]
    live_resources: tuple[str, ...] = ()  # the services its live input reads (resources of those names)
    about: str = ""  # appended to the registry's description: where live data comes from
    # Why this environment cannot load it (None: it can); a skipped asset writes nothing and the run goes on.
    skip: Callable[[Load], str | None] | None = None

    def chosen(self, load: Load) -> tuple[Inputs, tuple[date, date] | None]:
        """The family's inputs with each parse cut to the days loaded (a yearly table's window)."""
        inputs = self.inputs(load)
        days = inputs.days or load.days
        if days is None:
            return inputs, None
        column = RAW_TABLES[self.table].date_column

        def cut(given: Input | None) -> Input | None:
            if given is None:
                return None
            return Input(given.source, given.files, lambda p: within(given.parse(p), column, days))

        return Inputs(cut(inputs.bundled), cut(inputs.live), days), days


# Every family by table, in the order their modules load (benchmarks/run_time.py runs them all).
FAMILIES: dict[str, Family] = {}


def raw_asset(family: Family) -> dg.AssetsDefinition:
    """raw/<table> as a Dagster asset: its window (a yearly table's partitions, narrowed by the run's tags),
    its input bundled or live as the family's source mode says, loaded by `ingest`."""
    spec = RAW_TABLES[family.table]
    FAMILIES[family.table] = family
    live = set(family.live_resources)
    resources = {"warehouse", "landing", "snapshot"} | live | ({"sources"} if live else set())

    @dg.asset(
        **raw_asset_args(family.table, family.about),
        required_resource_keys=resources,
        output_required=family.skip is None,
    )
    def _asset(context: dg.AssetExecutionContext):
        r = context.resources
        load = Load(r.snapshot, r, window(context, spec.history_floor) if spec.yearly else None, context.log)
        why = family.skip(load) if family.skip else None
        if why:
            # Skipped, not failed: the run goes on (runs the project launches leave the asset out instead).
            context.log.warning(f"raw/{family.table} skipped: {why}; nothing was fetched or written")
            return
        inputs, days = family.chosen(load)
        yield ingest(
            context,
            r.warehouse,
            r.landing,
            family.table,
            inputs.bundled,
            inputs.live,
            sources=r.sources if live else None,
            days=days,
        )

    return _asset


def curated(table: str, file: str, **columns) -> Family:
    """A curated reference CSV from the snapshot, every row citing its source: the registry's key and required
    columns, typed as `columns` say (parse_curated_csv's date_columns, numeric_columns)."""
    spec = RAW_TABLES[table]

    def inputs(load: Load) -> Inputs:
        return Inputs(
            Input(
                "curated",
                lambda: {file: load.snapshot.read_bytes(file)},
                lambda p: parse_curated_csv(
                    p[file], file, required=[c for c in spec.not_null if c != "source"], keys=spec.keys, **columns
                ),
            )
        )

    return Family(table, inputs)
