"""Full_load: every asset and check, every year, as one run: what the UI's "Materialize all" launches.

Dagster's UI launches a selection that holds partitioned assets as a backfill of the first job (by name) that
holds every selected asset. Job names sort with capitals before `__ASSET_JOB`, Dagster's implicit job, whose
backfill is an *asset* backfill that its daemon splits by partitioning into several runs (dagster#17203). So
this job's name starts with a capital: "Materialize all" on the global asset graph, on a group or on this
job's page is then a *job* backfill, and a job whose partitioned assets backfill as one run
(`BackfillPolicy.single_run`) is submitted as one run over the whole range: the raw years in one step each,
then dbt, the measures, the checks and the report once, as `liqmart run` does.
`tests/integration/test_webserver.py` clicks the real buttons to keep this true across Dagster upgrades.
"""

import dagster as dg

from orchestration.lib.window import YEARLY

full_load_job = dg.define_asset_job(
    "Full_load",
    selection=dg.AssetSelection.all(),
    partitions_def=YEARLY,
    description=(
        "Everything in one run, as `liqmart run` does. Materialize all (on the asset graph or here), choose "
        "All partitions and launch: Dagster submits the whole range as one run (the partitioned assets "
        "backfill in a single run). The dialog's note on 'varying backfill policies' is Dagster's wording for "
        "partitioned and unpartitioned assets together; it is still one run."
    ),
)
