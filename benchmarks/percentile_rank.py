"""Benchmark: the point-in-time percentile as a self-join (the mart before issue 40) against the framed window
rank mart_stress_comparison uses now, on 7 series of n days each (the quarter century holds about 6,600).

    .venv/bin/python benchmarks/percentile_rank.py

Prints each form's seconds per n and checks that both give the same percentiles. The self-join grows with n
squared; the window rank with n log n.
"""

from __future__ import annotations

import time

import duckdb

SELF_JOIN = """
    select cur.index_id, cur.date,
           case when count(*) > 1 then count_if(e.value < cur.value)::double / (count(*) - 1) end as pct
    from series cur join series e on e.index_id = cur.index_id and e.date <= cur.date
    group by all"""
WINDOW = """
    select index_id, date,
           (rank(order by value) over w - 1)::double / nullif(count(*) over w - 1, 0) as pct
    from series window w as (partition by index_id order by date rows unbounded preceding)"""


def timed(conn, sql: str) -> tuple[float, list]:
    start = time.perf_counter()
    rows = conn.sql(f"select * from ({sql}) order by index_id, date").fetchall()
    return time.perf_counter() - start, rows


def main() -> None:
    print(f"{'days':>6} {'self-join s':>12} {'window s':>9}")
    for n in (1_650, 3_300, 6_600, 13_200):
        with duckdb.connect() as conn:
            conn.execute(
                "create table series as select 'S' || (i % 7) as index_id, (i // 7) as date, random() as value "
                f"from range({7 * n}) t(i)"
            )
            join_s, a = timed(conn, SELF_JOIN)
            window_s, b = timed(conn, WINDOW)
            assert len(a) == len(b) and all(
                x[:2] == y[:2] and (x[2] is None and y[2] is None or abs(x[2] - y[2]) < 1e-12)
                for x, y in zip(a, b, strict=True)
            )
            print(f"{n:>6} {join_s:>12.3f} {window_s:>9.3f}")


if __name__ == "__main__":
    main()
