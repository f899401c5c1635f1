"""benchmarks/suite_time.py: each tier's worker time and the slowest tests from a JUnit report, and the wall time of
`make test-fast` from its own."""

from pathlib import Path

from benchmarks.suite_time import read, render

REPORT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1"
 tests="{n}" time="{wall}">{cases}</testsuite></testsuites>"""


def junit(path: Path, cases: list[tuple[str, str, float, bool]], wall: float) -> Path:
    body = "".join(
        f'<testcase classname="{c}" name="{n}" time="{t}">{"<failure/>" if failed else ""}</testcase>'
        for c, n, t, failed in cases
    )
    path.write_text(REPORT.format(n=len(cases), wall=wall, cases=body))
    return path


def test_tiers_add_their_tests_durations_and_the_fast_run_reports_its_wall_time(tmp_path):
    cases = [
        ("tests.unit.test_a", "test_one", 1.5, False),
        ("tests.unit.test_a", "test_two[IXIC|XAG]", 0.5, False),
        ("tests.e2e.test_b", "test_three", 90.0, True),
        ("tests.test_definitions", "test_four", 3.0, False),
    ]
    full = junit(tmp_path / "junit.xml", cases, wall=600.0)
    wall, count, tiers, tests, failures = read(full)
    assert (wall, count, failures) == (600.0, 4, 1)
    assert tiers == {"unit": (2, 2.0), "e2e": (1, 90.0), "top level": (1, 3.0)}
    assert tests[0] == (90.0, "tests.e2e.test_b::test_three")
    fast = junit(tmp_path / "junit-fast.xml", cases[:2], wall=117.0)
    text = render(full, fast)
    assert "4 tests, 1 failed or in error, pytest's wall time 10.0 min" in text
    assert "`make test-fast`" in text and "2 tests, 0 failed or in error, pytest's wall time 1 min 57 s" in text
    assert "::test_two[IXIC\\|XAG]`" in text  # a '|' in an id would split the table's row
    assert "make test-fast" not in render(full, tmp_path / "absent.xml")
