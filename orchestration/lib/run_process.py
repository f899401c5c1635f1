"""Which process and machine a run executes in, as run tags: what finds a run whose process was killed
(orchestration/lib/dead_runs.py)."""

from __future__ import annotations

import os
import socket

import dagster as dg

HOST_TAG = "liqmart/host"  # where a run's process lives; a run from another machine is never judged here
PID_TAG = "liqmart/pid"


def process_tags() -> dict[str, str]:
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def tag_run_process(context: dg.InitResourceContext) -> None:
    """Tag the run with the process its steps execute in (once; a run launched from the UI executes in a run
    worker process started for it, known only here)."""
    run = context.dagster_run
    if run is None or context.instance is None or run.tags.get(PID_TAG) == str(os.getpid()):
        return
    context.instance.add_run_tags(run.run_id, process_tags())
