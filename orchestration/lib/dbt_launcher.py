"""`liqmart-dbt`: the executable dagster-dbt runs as dbt (`DbtCliResource(dbt_executable=...)`).

Before each invocation dagster-dbt asks `dbt --version` for the version of the installed dbt. That command
imports dbt (about 2 s here) and then asks pypi.org for the latest dbt-core and dbt-duckdb releases: two HTTPS
requests in every run, which an offline machine waits out (one second each) and a firewall logs. This launcher
answers `--version` from the installed packages' metadata, in dbt's own layout without the "latest" lines, and
hands every other command to the real `dbt` beside it unchanged (the same process: `exec`, so dagster-dbt's
interrupt reaches dbt itself).
"""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

# The packages whose versions `dbt --version` reports: the core, then the adapter plugins this project installs.
CORE = "dbt-core"
PLUGINS = ("dbt-duckdb",)


def real_dbt() -> str:
    """The `dbt` installed beside this Python (the project's environment)."""
    return str(Path(sys.executable).parent / "dbt")


def version_text() -> str:
    """What `dbt --version` prints, from the installed metadata and without asking the network."""
    lines = ["Core:", f"  - installed: {metadata.version(CORE)}", "", "Plugins:"]
    for plugin in PLUGINS:
        try:
            lines.append(f"  - {plugin.removeprefix('dbt-')}: {metadata.version(plugin)}")
        except metadata.PackageNotFoundError:
            continue
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        sys.stdout.write(version_text())
        return
    dbt = real_dbt()
    os.execv(dbt, [dbt, *args])


if __name__ == "__main__":
    main()
