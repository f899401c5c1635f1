"""liqmart-dbt: dagster-dbt's `dbt --version` probe answered from the installed packages, the rest passed to dbt."""

from __future__ import annotations

import re
import subprocess
from importlib import metadata

from orchestration.lib.dbt_launcher import version_text
from orchestration.lib.dbt_runner import dbt_launcher


def test_the_version_is_the_installed_one_in_dbts_layout():
    text = version_text()
    # dagster-dbt reads the first x.y.z of the output as dbt's version: it must be dbt-core's.
    assert re.search(r"(\d+\.\d+\.\d+)", text).group(1) == metadata.version("dbt-core")
    assert text.startswith("Core:\n  - installed: ")
    assert f"  - duckdb: {metadata.version('dbt-duckdb')}" in text
    assert "latest" not in text  # what the real command asks pypi.org for


def test_the_installed_launcher_answers_the_probe_and_hands_the_rest_to_dbt():
    probe = subprocess.run([dbt_launcher(), "--version"], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0 and probe.stdout == version_text()
    # Anything else is dbt's own: an unknown command fails with dbt's usage error, not the launcher's.
    other = subprocess.run([dbt_launcher(), "no-such-command"], capture_output=True, text=True, timeout=60)
    assert other.returncode == 2 and "No such command 'no-such-command'" in other.stderr
