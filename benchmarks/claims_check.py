"""How long `liqmart claims check` takes to judge one article on the bundled warehouse (target: 10 s or less for
a 600-word article), from a fresh process, install included in nothing: `make run` first.

Each article is checked on a private copy of the warehouse (the live one is never written), three times; the
figure is the median wall time of the whole command (process start, imports, drafting, registering, judging,
writing the article's ledger rows and publishing the copy).

    .venv/bin/python benchmarks/claims_check.py [--warehouse warehouse/liquidity.duckdb]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [
    ("the seed article (1,900 words)", ROOT.parent / "shared" / "seed" / "article.txt", "2026-02-07"),
    ("a 600-word article", None, "2024-08-06"),
    ("a wire report (150 words)", ROOT / "tests" / "data" / "articles" / "carry_unwind_wire_2024.md", None),
]


def six_hundred_words(folder: Path) -> Path:
    """Our four test articles end to end, cut to 600 words: an article of the size the target names."""
    text = "\n\n".join(
        (ROOT / "tests" / "data" / "articles" / n).read_text()
        for n in sorted(p.name for p in (ROOT / "tests" / "data" / "articles").glob("*.md"))
    )
    words = text.split(" ")
    path = folder / "six_hundred.md"
    path.write_text(" ".join(words[:600]))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", default=str(ROOT / "warehouse" / "liquidity.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    liqmart = str(Path(sys.executable).parent / "liqmart")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        for label, path, published in ARTICLES:
            path = path or six_hundred_words(tmp)
            if not path.is_file():
                print(f"{label}: {path} not found, skipped")
                continue
            times = []
            for i in range(args.repeat):
                copy = tmp / f"run{i}" / "liquidity.duckdb"
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(args.warehouse, copy)
                command = [liqmart, "claims", "check", str(path)] + (["--published", published] if published else [])
                started = time.perf_counter()
                done = subprocess.run(
                    command,
                    env={**os.environ, "LIQUIDITY_WAREHOUSE": str(copy)},
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                times.append(time.perf_counter() - started)
                if done.returncode != 0:
                    raise SystemExit(f"{label}: liqmart claims check failed: {done.stderr[-2000:]}")
            summary = done.stdout.strip().splitlines()[-1]
            print(f"{label}: median {statistics.median(times):.1f} s of {args.repeat} ({summary.split(';')[0]})")


if __name__ == "__main__":
    main()
