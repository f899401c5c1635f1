"""The one Dagster code location: every module under defs/ (assets, checks, jobs, schedules, sensors and the
resources), loaded by `dg`'s `load_from_defs_folder`. A new module there needs no line here."""

import warnings

import dagster as dg

from orchestration import settings

# Dagster copies every sensor that targets a job when it resolves the repository, passing `owners` to
# SensorDefinition, a beta parameter: the warning is Dagster's own, not ours, and every process that loads the
# location (the code server, each run worker) printed it again. Set here, not in a module under defs/: those are
# imported inside Dagster's own catch_warnings(), which undoes a filter set during the import.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*`owners` of initializer `SensorDefinition")

defs = dg.load_from_defs_folder(project_root=settings.PROJECT_ROOT)
