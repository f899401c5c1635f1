"""`make dev` serves the asset graph with its checks: the real webserver, queried over GraphQL on 127.0.0.1."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections import Counter

import duckdb
import pytest

from orchestration import settings
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.window import FIRST_DAY, YEARLY
from tests.browser import browser_page, screenshot

QUERY = "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OPERATIONS = (
    "{ repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name cronSchedule "
    "executionTimezone } sensors { name } } } } assetNodes { assetKey { path } isPartitioned "
    "partitionDefinition { description } } }"
)


def graphql(port: int, query: str = QUERY, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def start_make_dev(tmp_path, port: int, home) -> subprocess.Popen:
    """`make dev` as a new user runs it: no activated virtualenv on PATH, its own home and warehouse."""
    venv_bin = str(settings.PROJECT_ROOT / ".venv" / "bin")
    env = {
        **os.environ,
        "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin),
        "DAGSTER_PORT": str(port),
        "DAGSTER_HOME": str(home),
        settings.WAREHOUSE_ENV: str(tmp_path / "wh" / "liquidity.duckdb"),
    }
    return subprocess.Popen(
        ["make", "--no-print-directory", "dev"],
        cwd=settings.PROJECT_ROOT,
        env=env,
        stdout=open(tmp_path / "dev.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


DEV_SERVERS: dict[int, subprocess.Popen] = {}  # the module's `make dev` by port, for the test that stops it


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory):
    """`make dev` as a new user runs it (no activated virtualenv on PATH); yields (port, graph, log, tmp)."""
    tmp_path = tmp_path_factory.mktemp("dev")
    port = free_port()
    server = start_make_dev(tmp_path, port, tmp_path / "home")
    try:
        deadline, data = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                data = graphql(port)
                if data["assetNodes"]:
                    break
            except (OSError, AssertionError):  # not listening yet, or answering with errors while it loads
                pass
            time.sleep(2)
        log = (tmp_path / "dev.log").read_text()
        # The port was free when chosen; if another process took it since, our webserver could not bind and the
        # answers came from someone else's: the server must be ours, alive and serving on that port.
        assert server.poll() is None, f"make dev exited; it printed:\n{log[-3000:]}"
        assert f"127.0.0.1:{port}" in log, f"make dev is not serving on port {port}:\n{log[-3000:]}"
        DEV_SERVERS[port] = server
        yield port, data, log, tmp_path
    finally:
        DEV_SERVERS.pop(port, None)
        if server.poll() is None:  # the last test stops it itself, and checks how
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def test_make_dev_shows_the_asset_graph_with_checks(dev_server):
    _, data, log, tmp_path = dev_server
    assert data and data["assetNodes"], f"no asset graph served; make dev printed:\n{log[-3000:]}"
    keys = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
    assert {f"raw/{t}" for t in RAW_TABLES} | {
        "marts/mart_liquidity_stress_daily",
        "marts/mart_claims",
        "report/crash_report",
    } <= keys
    checks = {
        ("/".join(n["assetKey"]["path"]), c["name"])
        for n in data["assetNodes"]
        for c in n["assetChecksOrError"].get("checks", [])
    }
    assert ("raw/prices", "calendar_gaps") in checks and ("marts/mart_claims", "claim_amd_down_17pct") in checks
    assert "Error loading repository location" not in log
    assert not (tmp_path / "wh" / "liquidity.duckdb").exists()  # the UI never opened the warehouse


def test_make_dev_shows_schedules_sensors_partitions_and_freshness_checks(dev_server):
    port, data, log, _ = dev_server
    assert data and data["assetNodes"], f"no asset graph served; make dev printed:\n{log[-3000:]}"
    ops = graphql(port, OPERATIONS)
    repo = ops["repositoriesOrError"]["nodes"][0]
    assert {(s["name"], s["cronSchedule"], s["executionTimezone"]) for s in repo["schedules"]} == {
        ("crypto_close_schedule", "30 0 * * *", "UTC"),
        ("us_close_schedule", "0 22 * * 1-5", "UTC"),
        ("jgb_close_schedule", "0 7 * * 1-5", "UTC"),
    }
    assert {"inbox_sensor", "raw_freshness_sensor"} <= {s["name"] for s in repo["sensors"]}
    nodes = {"/".join(n["assetKey"]["path"]): n for n in ops["assetNodes"]}
    # Yearly partitions (a cron of Jan 1st) from 2024 (the first holds the history), the current year included.
    description = nodes["raw/prices"]["partitionDefinition"]["description"]
    first = YEARLY.get_first_partition_key()
    assert nodes["raw/prices"]["isPartitioned"] and "0 0 1 1 *" in description and f"starting {first}" in description
    assert not nodes["marts/mart_claims"]["isPartitioned"]
    checks = {
        ("/".join(n["assetKey"]["path"]), c["name"])
        for n in data["assetNodes"]
        for c in n["assetChecksOrError"].get("checks", [])
    }
    assert {(f"raw/{f}", "freshness_check") for f in ("prices", "jgb_yields", "btc_issuance")} <= checks


# The graph draws only the nodes in view, so each layer is checked by nodes that open in view (any of the
# layer's names matching the pattern: which ones fit the first view depends on the layout).
# The graph draws the nodes in view: a group taller than the window shows some of its nodes, any of which will do.
GROUP_NODES = {
    "raw": [r"^(prices|ust_yields|jgb_yields|market_events|intraday_bars|stress_indices)$"],
    "staging": [r"^stg_raw__"],
    "intermediate": [r"^int_"],
    "marts": [r"^(mart|fct|dim)_"],
    "report": [r"^crash_report$"],
}


def test_asset_graph_renders_in_chromium(dev_server):
    port, data, log, _ = dev_server
    assert data and data["assetNodes"], f"no asset graph served; make dev printed:\n{log[-3000:]}"
    base = f"http://127.0.0.1:{port}/locations/liquidity_mart/asset-groups"
    with browser_page(width=1600, height=1000) as page:
        _skip_newsletter(page)
        page.goto(f"http://127.0.0.1:{port}/asset-groups", wait_until="networkidle")
        for group in ("raw", "staging", "intermediate", "marts", "report"):
            page.get_by_text(group, exact=True).first.wait_for(timeout=60_000)
        screenshot(page, "dagster-global-lineage.png")
        # Each layer's graph draws its nodes, from the raw sources to the report.
        for group, nodes in GROUP_NODES.items():
            page.goto(f"{base}/{group}/lineage", wait_until="networkidle")
            for node in nodes:
                page.get_by_text(re.compile(node)).first.wait_for(state="attached", timeout=60_000)
            screenshot(page, f"dagster-lineage-{group}.png")
        assert page.errors == [], page.errors


RUNS = "{ runsOrError { ... on Runs { results { runId jobName status tags { key value } } } } }"
BACKFILLS = "{ partitionBackfillsOrError { ... on PartitionBackfills { results { id status } } } }"


def _skip_newsletter(page) -> None:
    """Dagster's first-visit newsletter prompt opens a second after a page loads and covers every button; the
    browser remembers it was dismissed as this key (`CommunityNux.tsx`), so the test starts as a returning user."""
    page.add_init_script("window.localStorage.setItem('communityNux', '1')")


def _wait_for_runs(port: int, count: int, timeout: float = 600) -> list[dict]:
    """The runs once `count` exist and all have ended (a backfill's run appears after the daemon's tick)."""
    deadline, runs = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        # The alert sensors' runs (alerts_job, one after each run) are not counted.
        runs = [r for r in graphql(port, RUNS)["runsOrError"]["results"] if r["jobName"] != "alerts_job"]
        if len(runs) >= count and all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs):
            return runs
        time.sleep(3)
    return runs


def _wait_for_backfill(port: int, timeout: float = 600) -> str:
    """The status of the newest backfill once the daemon has finished it."""
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        backfills = graphql(port, BACKFILLS)["partitionBackfillsOrError"]["results"]
        status = backfills[0]["status"] if backfills else None
        if status not in (None, "REQUESTED"):
            return status
        time.sleep(3)
    return status


def test_materialize_all_on_the_asset_graph_is_a_few_runs(dev_server):
    """A new user's click path in Chromium: the global asset graph, Materialize all, All partitions, Launch
    backfill. Dagster's asset backfill runs every year of the raw tables in one run (their single-run backfill
    policy) and then what is built from them; every asset ends materialized, and no job was named to sort
    first. Then one unpartitioned asset's Materialize button: a run of that asset alone."""
    port, data, log, tmp_path = dev_server
    years = YEARLY.get_partition_keys()  # the first also holds the history from FIRST_DAY
    with browser_page(width=1600, height=1000) as page:
        _skip_newsletter(page)
        page.goto(f"http://127.0.0.1:{port}/asset-groups", wait_until="networkidle")
        page.get_by_role("button", name="Materialize all").click()
        page.get_by_role("button", name="All", exact=True).click()
        page.get_by_text(f"{len(years)} partitions").wait_for(timeout=30_000)
        page.get_by_role("button", name="Launch backfill").click()
        page.get_by_text("Created backfill").first.wait_for(timeout=30_000)
        assert _wait_for_backfill(port) == "COMPLETED_SUCCESS", log[-3000:]
        runs = _wait_for_runs(port, 1)
        assert all(r["status"] == "SUCCESS" for r in runs), (
            [(r["jobName"], r["status"], r["runId"]) for r in runs],
            log[-3000:],
        )
        assert len(runs) <= 6, [r["jobName"] for r in runs]  # a few, not one per year or per asset
        ranged = [
            tags
            for r in runs
            if "dagster/asset_partition_range_start" in (tags := {t["key"]: t["value"] for t in r["tags"]})
        ]
        assert [(t["dagster/asset_partition_range_start"], t["dagster/asset_partition_range_end"]) for t in ranged] == [
            (years[0], years[-1])
        ]
        warehouse = tmp_path / "wh" / "liquidity.duckdb"
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            claims = conn.execute("select count(*) from marts.mart_claims").fetchone()[0]
            loaded = conn.execute("select min(date), max(date) from raw.prices").fetchone()
        assert claims > 60 and str(loaded[0]).startswith(FIRST_DAY[:4]) and str(loaded[1]).startswith(years[-1])
        assert (tmp_path / "wh" / "report" / "index.html").is_file()
        # The daemon runs the alert sensors: after the runs above, alerts_job ran and succeeded.
        alert_runs = [r for r in graphql(port, RUNS)["runsOrError"]["results"] if r["jobName"] == "alerts_job"]
        assert alert_runs and all(r["status"] in ("SUCCESS", "STARTED", "QUEUED", "STARTING") for r in alert_runs)

        page.goto(f"http://127.0.0.1:{port}/assets/report/crash_report", wait_until="networkidle")
        page.locator("button").filter(has_text=re.compile(r"^Materialize$")).click()
        after = _wait_for_runs(port, len(runs) + 1, timeout=300)
        assert len(after) == len(runs) + 1, after
        report = next(r for r in after if r["runId"] not in {run["runId"] for run in runs})
        assert report["status"] == "SUCCESS", (report, log[-3000:])
        assert not any(t["key"].startswith("dagster/asset_partition") for t in report["tags"])
        assert page.errors == [], page.errors


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _processes_of(marker: str) -> list[str]:
    """Processes whose environment holds `marker` (the test's own DAGSTER_HOME): every process make dev started."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as env, open(f"/proc/{entry}/stat") as stat:
                if marker.encode() in env.read() and stat.read().rsplit(")", 1)[1].split()[0] != "Z":
                    with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                        command = cmd.read().replace(b"\0", b" ").decode(errors="replace")
                    found.append(f"{entry}: {command[:120]}")
        except OSError:
            continue
    return found


def stop_and_check(server: subprocess.Popen, port: int, home, how: str) -> None:
    """Signal `make dev` as `how` says; it must stop within 10 s, leaving no process and no listener."""
    try:
        assert _processes_of(str(home)), "make dev started no process"
        signalled = time.monotonic()
        if how == "SIGTERM to make":
            server.send_signal(signal.SIGTERM)
        else:
            os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
        stopped = time.monotonic() - signalled
        time.sleep(0.5)
        left = _processes_of(str(home))
    finally:
        for line in _processes_of(str(home)):
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
    assert stopped < 10, f"make dev took {stopped:.1f} s to stop"
    assert not left, left
    assert not _listening(port)


@pytest.mark.parametrize("how", ["SIGTERM to make", "SIGINT to the group"])
def test_make_dev_stops_within_10_s_while_loading_and_leaves_no_process(tmp_path, how):
    """As `kill PID` and Ctrl-C do while the code location is still loading."""
    port = free_port()
    home = tmp_path / "home"
    server = start_make_dev(tmp_path, port, home)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_processes_of(str(home))) < 3:
        time.sleep(0.3)
    time.sleep(1)  # dagster dev has started its children; the code location is loading
    stop_and_check(server, port, home, how)


def test_make_dev_once_serving_stops_within_10_s_and_leaves_no_process(dev_server):
    """`kill PID` on the module's own `make dev`, which has served every test above: so it runs last. (It had a
    `make dev` of its own before; sharing the module's, the suite starts one fewer.)"""
    port, _, _, tmp_path = dev_server
    stop_and_check(DEV_SERVERS[port], port, tmp_path / "home", "SIGTERM to make")
    # Over the module's runs (a backfill, a report, the alert runs, each run a process loading the location),
    # `make dev` printed no warning twice.
    lines = re.sub(r"\x1b\[[0-9;]*m", "", (tmp_path / "dev.log").read_text()).splitlines()
    warned = Counter(re.sub(r"^.*? - WARNING - ", "", line) for line in lines if re.search(r"\w+Warning: ", line))
    assert all(n == 1 for n in warned.values()), warned.most_common(3)
