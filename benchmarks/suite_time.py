"""The test suite's time by tier and its slowest tests, read from the JUnit report `make test` writes
(warehouse/logs/junit.xml), with the wall time of the last `make test-fast` from its own report
(warehouse/logs/junit-fast.xml) when there is one, and written between the markers of docs/performance.md with
--write-docs.

A tier is a folder of tests/ (unit, integration, e2e) or a file at its top. Its time is the sum of its tests'
durations (setup, call and teardown), that is worker time: with n workers on fewer cores the wall time is the
total over the cores when they stay busy, and each test's own time grows with the contention. The wall time is
the report's own (the pytest session, linters and install not included).

    python benchmarks/suite_time.py [REPORT] [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "warehouse" / "logs" / "junit.xml"
FAST_REPORT = ROOT / "warehouse" / "logs" / "junit-fast.xml"
PAGE = ROOT / "docs" / "performance.md"
START, END = "<!-- suite_time.py: start -->", "<!-- suite_time.py: end -->"


def tier_of(classname: str) -> str:
    parts = classname.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else "top level"


def read(report: Path) -> tuple[float, int, dict[str, tuple[int, float]], list[tuple[float, str]], int]:
    """(wall seconds, tests, {tier: (tests, seconds)}, [(seconds, test)] slowest first, failures)."""
    root = ET.parse(report).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        sys.exit(f"{report}: no <testsuite> element: not a pytest JUnit report")
    tiers: dict[str, list] = defaultdict(lambda: [0, 0.0])
    tests = []
    failures = 0
    for case in suite.iter("testcase"):
        seconds = float(case.get("time") or 0.0)
        name = f"{case.get('classname')}::{case.get('name')}"
        tier = tiers[tier_of(case.get("classname") or "")]
        tier[0] += 1
        tier[1] += seconds
        tests.append((seconds, name))
        failures += any(case.find(t) is not None for t in ("failure", "error"))
    tests.sort(reverse=True)
    return float(suite.get("time") or 0.0), len(tests), {k: tuple(v) for k, v in tiers.items()}, tests, failures


def _source(report: Path) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(report.stat().st_mtime))
    return f"`{report.relative_to(ROOT) if report.is_relative_to(ROOT) else report}` of {stamp}"


def render(report: Path, fast: Path | None = None) -> str:
    wall, count, tiers, tests, failures = read(report)
    lines = [
        f"From {_source(report)}, on {os.cpu_count()} cores ({os.uname().machine}): {count} tests, {failures} "
        f"failed or in error, pytest's wall time {wall / 60:.1f} min.",
        "",
        "| tier | tests | worker time (sum of durations) |",
        "|---|---|---|",
        *(f"| {t} | {n} | {s / 60:.1f} min |" for t, (n, s) in sorted(tiers.items(), key=lambda kv: -kv[1][1])),
        "",
        "The ten slowest tests:",
        "",
        "| seconds | test |",
        "|---|---|",
        # A test's id may hold '|' (a parameter 'IXIC|XAG'): escaped, or it would split the table's row.
        *(f"| {s:.1f} | `{name.replace('|', chr(92) + '|')}` |" for s, name in tests[:10]),
    ]
    if fast is not None and fast.is_file():
        fast_wall, fast_count, _, _, fast_failures = read(fast)
        lines[1:1] = [
            "",
            f"`make test-fast`, from {_source(fast)}: {fast_count} tests, {fast_failures} failed or in error, "
            f"pytest's wall time {int(fast_wall // 60)} min {fast_wall % 60:.0f} s (target 2 min).",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path, default=REPORT)
    parser.add_argument("--fast-report", type=Path, default=FAST_REPORT, help="the JUnit report of make test-fast")
    parser.add_argument("--write-docs", action="store_true", help=f"write the tables into {PAGE.name}")
    args = parser.parse_args()
    if not args.report.is_file():
        sys.exit(f"{args.report}: no JUnit report; `make test` writes one")
    block = render(args.report.resolve(), args.fast_report.resolve())
    print(block)
    if args.write_docs:
        page = PAGE.read_text()
        if START not in page or END not in page:
            sys.exit(f"{PAGE}: the markers {START} and {END} are missing; tables not written")
        head, rest = page.split(START, 1)
        PAGE.write_text(f"{head}{START}\n{block}\n{END}{rest.split(END, 1)[1]}")
        print(f"tables written to {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
