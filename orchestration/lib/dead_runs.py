"""Runs whose process is gone: marked failed at start-up, so that no dead run holds the queue or a pool slot.

A run killed with `kill -9` (or lost with its machine) stays STARTED in Dagster's run storage, and the
steps it had started keep their slots in the `duckdb_warehouse` pool (limit 1): every later run would wait for
it forever. Dagster's run monitoring does not watch runs launched by the default run launcher or executed in
process, so `liqmart` and `make dev` call `reap_dead_runs` before they start anything. A run names its process
in its tags (orchestration/lib/run_process.py), so nothing is read out of event text.
"""

from __future__ import annotations

import os
import socket

import dagster as dg

from orchestration.lib.run_process import HOST_TAG, PID_TAG

UNFINISHED = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its parent) is gone for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def reap_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every unfinished run on this machine whose processes are all gone; free its pool slots."""
    reaped = []
    for record in instance.get_run_records(dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        if run.tags.get(HOST_TAG, socket.gethostname()) != socket.gethostname():
            continue
        pid = run.tags.get(PID_TAG)
        if not pid or _alive(int(pid)):
            continue  # still running, or not started far enough to tell
        instance.report_run_failed(
            run, f"the run's process (pid {pid}) is gone: killed or crashed; marked failed at start-up by liqmart"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped
