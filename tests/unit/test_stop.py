"""`make dev` and `make serve` stop their processes together: one grace period for all, then SIGKILL."""

from __future__ import annotations

import subprocess
import sys
import time

from orchestration.commands.dev import _alive, stop

STUBBORN = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"


def test_processes_that_ignore_the_signal_are_killed_after_one_shared_grace():
    procs = [subprocess.Popen([sys.executable, "-c", STUBBORN], start_new_session=True) for _ in range(2)]
    time.sleep(0.5)  # let them install their handler
    started = time.monotonic()
    stop(procs, 2, grace_s=2.0)  # SIGINT, which both ignore
    took = time.monotonic() - started
    assert all(p.poll() is not None and not _alive(p.pid) for p in procs)
    # Stopped one after the other they would take a grace each (4 s); together, one grace and the kill.
    assert 2.0 <= took < 3.5, took
