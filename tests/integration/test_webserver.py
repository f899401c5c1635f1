"""`make dev` serves the asset graph with its checks: the real webserver, queried over GraphQL on 127.0.0.1."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

from orchestration import settings
from orchestration.defs.raw_tables import RAW_TABLES

QUERY = "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": QUERY}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]


def test_make_dev_shows_the_asset_graph_with_checks(tmp_path):
    port = free_port()
    venv_bin = str(settings.PROJECT_ROOT / ".venv" / "bin")
    # As a new user would: no activated virtualenv on PATH.
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin)
    env = {**os.environ, "PATH": path, "DAGSTER_PORT": str(port), "DAGSTER_HOME": str(tmp_path / "home"),
           settings.WAREHOUSE_ENV: str(tmp_path / "wh" / "liquidity.duckdb")}
    server = subprocess.Popen(["make", "--no-print-directory", "dev"], cwd=settings.PROJECT_ROOT, env=env,
                              stdout=open(tmp_path / "dev.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, data = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                data = graphql(port)
                if data["assetNodes"]:
                    break
            except OSError:
                pass
            time.sleep(2)
        log = (tmp_path / "dev.log").read_text()
        assert data and data["assetNodes"], f"no asset graph served; make dev printed:\n{log[-3000:]}"
        keys = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
        assert {f"raw/{t}" for t in RAW_TABLES} | {"marts/mart_liquidity_stress_daily"} <= keys
        checks = {("/".join(n["assetKey"]["path"]), c["name"]) for n in data["assetNodes"]
                  for c in n["assetChecksOrError"].get("checks", [])}
        assert ("raw/prices", "calendar_gaps") in checks and len(checks) > 50
        assert "Error loading repository location" not in log
        assert not (tmp_path / "wh" / "liquidity.duckdb").exists()  # the UI never opened the warehouse
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
