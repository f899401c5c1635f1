"""The code location's resources (orchestration/lib/resources.py builds them from the settings) and its
executor."""

import dagster as dg

from orchestration.lib import lake
from orchestration.lib.resources import build_resources


@dg.definitions
def resources() -> dg.Definitions:
    # One process runs a whole materialization of the DuckDB file: it takes one writer, and on two cores a
    # subprocess per op costs more than it saves. The lake takes many writers: there steps run side by side, a
    # process each (the instance's pool is as wide, orchestration/lib/launch.py), forked from a server that has
    # imported the code location once, where each step was a fresh interpreter importing Dagster, dbt and the
    # definitions again (3.5 s of CPU each here; the lake's parallel-load run took 44 s instead of 75,
    # docs/performance.md).
    # Runs launched from the UI or a schedule log to the terminal at INFO: Dagster's console logger defaults
    # to DEBUG, some 750 lines per full run (the full log is in the run's page either way).
    return dg.Definitions(
        resources=build_resources(),
        executor=(
            dg.multiprocess_executor.configured({"max_concurrent": lake.WRITERS, "start_method": {"forkserver": {}}})
            if lake.configured() is not None
            else dg.in_process_executor
        ),
        loggers={"console": dg.colored_console_logger.configured({"log_level": "INFO"})},
    )
