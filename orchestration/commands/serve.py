"""`make serve`: Dagster as two services on one shared instance, the way Dagster deploys it.

`dagster-webserver` (the UI and GraphQL) and `dagster-daemon run` (schedules, sensors, the automation sensor,
the run queue) run as separate processes on one Dagster home whose storage is Postgres (DAGSTER_PG_URL), so
either can run on another machine against the same database (docs/operations.md). Runs queue in the
instance's run queue and the writer pool (orchestration/dagster.yaml). Ctrl-C or SIGTERM stops both within
seconds, and no process of either is left behind.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration import settings
from orchestration.commands.dev import GRACE_S, stop

CODE = ["-w", str(settings.PROJECT_ROOT / "orchestration" / "workspace.yaml")]  # the location liquidity_mart


def services(host: str, port: str) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "webserver": [str(bin_dir / "dagster-webserver"), *CODE, "-h", host, "-p", port],
        "daemon": [str(bin_dir / "dagster-daemon"), "run", *CODE],
    }


def main() -> int:
    from orchestration import settings
    from orchestration.lib.launch import prepare_dagster_home

    if not os.environ.get(settings.DAGSTER_PG_ENV):
        print(
            f"make serve: set {settings.DAGSTER_PG_ENV} to a Postgres URL "
            "(postgresql+psycopg2://user:password@host/db): the webserver and the daemon share their instance "
            "through it. For one machine, `make dev`.",
            file=sys.stderr,
        )
        return 2
    prepare_dagster_home()
    config = settings.dagster_home() / "dagster.yaml"
    if "postgres_url:" not in config.read_text():
        print(
            f"make serve: {config} stores in sqlite (it was set up without {settings.DAGSTER_PG_ENV}); point "
            "DAGSTER_HOME at a new folder, or add orchestration/dagster.postgres.yaml to that file",
            file=sys.stderr,
        )
        return 2
    host, port = os.environ.get("DAGSTER_HOST", "127.0.0.1"), os.environ.get("DAGSTER_PORT", "3000")
    env = {**os.environ, settings.WAREHOUSE_ENV: str(settings.warehouse_path())}
    procs = {name: subprocess.Popen(cmd, env=env, start_new_session=True) for name, cmd in services(host, port).items()}
    print(
        f"make serve: webserver on http://{host}:{port} (pid {procs['webserver'].pid}), daemon (pid "
        f"{procs['daemon'].pid}), instance in Postgres; Ctrl-C stops both",
        file=sys.stderr,
        flush=True,
    )
    received: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: received.append(signum))
    while not received and all(p.poll() is None for p in procs.values()):
        time.sleep(0.2)
    ended = [name for name, p in procs.items() if p.poll() is not None]
    if received:
        print(
            f"make serve: stopping (signal {signal.Signals(received[0]).name}); at most {GRACE_S + 1:.0f} s",
            file=sys.stderr,
        )
    else:
        print(f"make serve: the {ended[0]} exited ({procs[ended[0]].returncode}); stopping the other", file=sys.stderr)
    stop(list(procs.values()), signal.SIGINT if received and received[0] == signal.SIGINT else signal.SIGTERM)
    return 0 if received else (procs[ended[0]].returncode or 1)


if __name__ == "__main__":
    sys.exit(main())
