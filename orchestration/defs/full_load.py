"""full_load_job: every asset and check, every year, as one run: the UI's one-run path.

Dagster's UI launches a selection that holds partitioned assets as a backfill. From the global asset graph
that is an *asset* backfill, which its daemon splits by partitioning into several runs (dagster#17203). From
this job's page, "Materialize all" over all partitions is a *job* backfill, and a job whose partitioned
assets are single-run (`BackfillPolicy.single_run`) is submitted as one run over the whole range: the raw
years in one step each, then dbt, the measures, the checks and the report once, as `liqmart run` does.
"""

import dagster as dg

from orchestration.lib.window import YEARLY

full_load_job = dg.define_asset_job(
    "full_load_job",
    selection=dg.AssetSelection.all(),
    partitions_def=YEARLY,
    description=(
        "Everything in one run, as `liqmart run` does: open this job, press Materialize all, keep all "
        "partitions (years) and launch; Dagster submits the whole range as one run (single-run backfill). "
        "Materialize all on the global asset graph launches an asset backfill of several runs instead."
    ),
)
