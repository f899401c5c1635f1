"""When the raw tables refresh, and how stale each source may get before a check warns.

One job per market close: the raw families that close then, with their checks. Everything built from them
(marts, measures, claims, report and their checks) follows by declarative automation: each carries
`AutomationCondition.eager()` and the `liquidity_automation` sensor (automation.py) requests it once its inputs
changed. A schedule starts running when one of its families is set to live in the environment the code location
loads in, and stopped otherwise: on the bundled snapshot a refresh changes nothing. Either way it can be switched
in the UI (Automation).
"""

import os
import warnings
from datetime import timedelta

import dagster as dg

from orchestration.lib.left_out import left_out
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.resources import SourceModes
from orchestration.lib.window import YEARLY, day_tags, partition_key_for


def _raw(*names: str) -> dg.AssetSelection:
    return dg.AssetSelection.assets(*[dg.AssetKey(RAW_TABLES[n].key) for n in names])


# Each market close: (job, cron in UTC, why then). The raw families each job refreshes are the registry's
# (RawTable.closes), listed in the registry's order.
CLOSE_TIMES = {
    "crypto": ("crypto_close_job", "30 0 * * *", "after the UTC day closes for crypto (00:30 UTC)"),
    "us": ("us_close_job", "0 22 * * 1-5", "after the US close (22:00 UTC, weekdays)"),
    "jgb": ("jgb_close_job", "0 7 * * 1-5", "after Tokyo's close (07:00 UTC, weekdays)"),
}


def cron_env(close: str) -> str:
    return f"LIQMART_{close.upper()}_CLOSE_CRON"


# (job, cron in UTC, raw families, why then). LIQMART_<CLOSE>_CLOSE_CRON moves a close's schedule (a desk that
# wants the US close an hour later; the daemon's test makes it tick every minute); the day it loads stays the
# market day of its close (MARKET_DAY_OFFSET).
CLOSES = []
for close, (job, cron, why) in CLOSE_TIMES.items():
    moved = os.environ.get(cron_env(close), "").strip()
    if moved:
        cron, why = moved, f"on cron '{moved}' UTC (set by {cron_env(close)}; by default {why})"
    CLOSES.append((job, cron, [t.name for t in RAW_TABLES.values() if close in t.closes], why))

jobs = [
    dg.define_asset_job(
        name,
        selection=_raw(*families),
        partitions_def=YEARLY,
        description=f"Refresh {', '.join(families)} {why}; what is built from them follows by automation.",
        tags={"liquidity/refresh": name},
    )
    for name, _, families, why in CLOSES
]

# The market day each close loads: crypto's UTC day ended at midnight (yesterday); the US close is today's;
# MOF publishes a Tokyo day's yields the next morning, so the 07:00 UTC run loads yesterday's.
MARKET_DAY_OFFSET = {"crypto_close_job": 1, "us_close_job": 0, "jgb_close_job": 1}


def _close_schedule(job, cron: str, families: list[str]) -> dg.ScheduleDefinition:
    modes = SourceModes.from_env()  # reads only the environment: nothing is opened at import
    live = any(family in SourceModes.model_fields and modes.live(family) for family in families)

    @dg.schedule(
        name=f"{job.name.removesuffix('_job')}_schedule",
        job=job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING if live else dg.DefaultScheduleStatus.STOPPED,
        description=f"{job.description} Loads that market day only (its year's partition, narrowed to the day).",
        required_resource_keys={"sources", "coinglass"},
    )
    def close_schedule(context: dg.ScheduleEvaluationContext):
        day = (context.scheduled_execution_time - timedelta(days=MARKET_DAY_OFFSET[job.name])).date()
        modes = context.resources.sources
        if not any(family in SourceModes.model_fields and modes.live(family) for family in families):
            # The bundled snapshot never changes: a tick would load nothing new, so it says so and skips.
            return dg.SkipReason(
                f"{day}: every family of this close ({', '.join(families)}) reads the bundled snapshot, which "
                f"holds no new day; set LIQMART_SOURCE_<FAMILY>=live to load {day} from its service"
            )
        selection = None
        skipped = left_out(context.resources.sources, context.resources.coinglass)
        keys = job.selection.resolve(context.repository_def.asset_graph)
        if skipped.keys() & keys:
            # Left out so that the rest of the close (and everything downstream) still runs.
            for key, why in skipped.items():
                context.log.warning(f"{key.to_user_string()} left out: {why}")
            selection = [key for key in keys if key not in skipped]
        # The year's partition, narrowed to the one market day: a refresh reads and replaces that day only.
        return dg.RunRequest(
            run_key=f"{job.name}:{day}",
            partition_key=partition_key_for(day),
            asset_selection=selection,
            tags=day_tags(day.isoformat()),
        )

    return close_schedule


def close_schedules() -> list[dg.ScheduleDefinition]:
    """One schedule per close; each one's default status follows the source modes in the environment now."""
    return [_close_schedule(job, cron, families) for job, (_, cron, families, _) in zip(jobs, CLOSES, strict=True)]


schedules = close_schedules()

# How old each source's newest observation may be (by the data's own date, not the load time) before its
# freshness check warns: the registry's RawTable.max_age.
MAX_AGE = {t.name: t.max_age for t in RAW_TABLES.values() if t.max_age is not None}

# Dagster 1.12+ prefers FreshnessPolicy (a preview feature, judged on load time); these checks read the
# data's own newest date from `dagster/last_updated_timestamp`, which is what "a stale source" means here.
warnings.filterwarnings("ignore", category=dg.SupersessionWarning, module=__name__)
freshness_checks = [
    check
    for family, age in MAX_AGE.items()
    for check in dg.build_last_update_freshness_checks(
        assets=[dg.AssetKey(RAW_TABLES[family].key)], lower_bound_delta=age, severity=dg.AssetCheckSeverity.WARN
    )
]
freshness_sensor = dg.build_sensor_for_freshness_checks(freshness_checks=freshness_checks, name="raw_freshness_sensor")
