"""The one Dagster code location: every module under defs/ (assets, checks, jobs, schedules, sensors and the
resources), loaded by `dg`'s `load_from_defs_folder`. A new module there needs no line here."""

import dagster as dg

from orchestration import settings

defs = dg.load_from_defs_folder(project_root=settings.PROJECT_ROOT)
