"""`make dev`: `dagster dev` that stops on Ctrl-C or SIGTERM within seconds and leaves no process behind.

`dagster dev` shuts its webserver, daemon and code servers down itself, but while the code location is still
loading it can ignore a signal for more than 20 s, and a code server outlived it. This wrapper runs it in a
session of its own, passes the signal on, and after a grace period kills whatever of its process tree is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_S = 6.0  # then SIGKILL: the whole stop stays under 10 s


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (children are found before they can be re-parented)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop(procs: subprocess.Popen | list[subprocess.Popen], signum: int, grace_s: float = GRACE_S) -> None:
    """Signal every process's tree at once, wait up to grace_s for all of them to exit, then kill what is left.
    One grace for all: stopped one after the other, `make serve`'s webserver and daemon took two graces (12 s)."""
    procs = procs if isinstance(procs, list) else [procs]
    tree = set().union(*(descendants(p.pid) for p in procs))
    for proc in procs:
        try:
            os.killpg(proc.pid, signum)  # the session's group: the process and the children it did not detach
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        for proc in procs:
            tree |= descendants(proc.pid) if proc.poll() is None else set()
        if all(p.poll() is not None for p in procs) and not any(_alive(p) for p in tree):
            return
        time.sleep(0.1)
    for pid in [*(p.pid for p in procs), *tree]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for proc in procs:
        proc.wait()


def main() -> int:
    from orchestration import settings
    from orchestration.lib.launch import prepare_dagster_home

    prepare_dagster_home()  # also marks failed the runs a killed process left unfinished
    command = [
        str(Path(sys.executable).parent / "dagster"),
        "dev",
        "-w",  # one code location named for the project (orchestration/workspace.yaml)
        str(settings.PROJECT_ROOT / "orchestration" / "workspace.yaml"),
        "-h",
        os.environ.get("DAGSTER_HOST", "127.0.0.1"),
        "-p",
        os.environ.get("DAGSTER_PORT", "3000"),
    ]
    env = {**os.environ, settings.WAREHOUSE_ENV: str(settings.warehouse_path())}
    proc = subprocess.Popen(command, env=env, start_new_session=True)
    received: list[int] = []

    def on_signal(signum, _frame) -> None:
        received.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    while proc.poll() is None and not received:
        time.sleep(0.2)
    if received:
        print(
            f"make dev: stopping (signal {signal.Signals(received[0]).name}); at most {GRACE_S + 1:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        stop(proc, signal.SIGTERM if received[0] != signal.SIGINT else signal.SIGINT)
        return 0
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
