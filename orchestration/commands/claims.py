"""`liqmart claims add | list | draft | check`: claim files, and articles turned into them.

`draft` reads a plain-text or Markdown article and writes a claim file (with `draft_note` saying why each field
was chosen) and the numbers it left out; `check` drafts, registers and judges one article against the current
warehouse in seconds, and prints a verdict table.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from orchestration import settings


def _published(args) -> date | None | str:
    if not args.published:
        return None
    try:
        return date.fromisoformat(args.published)
    except ValueError:
        return f"--published {args.published!r} is not a date (YYYY-MM-DD)"


def cmd_claims_add(args) -> int:
    """Validate a claim file and register it: the next `liqmart run` judges it; nothing to re-install."""
    from orchestration.lib.claims_check import register
    from transforms.errors import SourceError

    try:
        claims, target = register(Path(args.file))
    except SourceError as error:
        print(f"liqmart claims add: refused, nothing registered: {error}", file=sys.stderr)
        return 1
    articles = ", ".join(sorted(claims["article"].unique()))
    print(f"registered {claims.height} claims ({articles}) as {target}; `liqmart run` judges them")
    return 0


def cmd_claims_list(args) -> int:
    from orchestration.lib.claims_data import registered_claims
    from transforms.errors import SourceError

    try:
        claims = registered_claims()
    except SourceError as error:
        print(f"liqmart claims list: {error}", file=sys.stderr)
        return 1
    print(f"{'article':32} {'claims':>6}  file")
    for (article, file), rows in claims.group_by(["article", "source_file"], maintain_order=True):
        print(f"{article:32} {rows.height:>6}  {file}")
    return 0


def _draft(args, command: str):
    """(Draft, None) or (None, exit code) after saying why."""
    from orchestration.lib.claims_check import ArticleRefused, draft_file
    from transforms.claims.drafting.draft import NoPublicationDate

    published = _published(args)
    if isinstance(published, str):
        print(f"liqmart claims {command}: {published}", file=sys.stderr)
        return None, 2
    try:
        return draft_file(Path(args.file), published, args.article, settings.warehouse_path(), args.clock), None
    except NoPublicationDate as error:
        print(f"liqmart claims {command}: {args.file}: {error}; nothing written", file=sys.stderr)
        return None, 2
    except (ArticleRefused, ValueError) as error:
        print(f"liqmart claims {command}: refused: {error}; nothing written", file=sys.stderr)
        return None, 1


def cmd_claims_draft(args) -> int:
    from orchestration.lib.claims_check import write_draft

    result, code = _draft(args, "draft")
    if result is None:
        return code
    out = Path(args.out) if args.out else settings.warehouse_path().parent / "drafts" / f"{result.article}.csv"
    write_draft(result, out)
    print(
        f"drafted {result.claims.height} claims from {args.file} (published {result.published}, from "
        f"{result.published_from}) into {out}; {result.left_out.height} numbers left out, with why, in "
        f"{out.with_name(out.stem + '.left_out.csv')}. Check the draft_note column, then `liqmart claims add {out}`"
    )
    return 0


def cmd_claims_check(args) -> int:
    """Draft (or read, for a .csv claim file), register and judge one article against the current warehouse."""
    from orchestration.lib.claims_check import judge_article, keep_text, register, write_draft
    from transforms.errors import SourceError

    started = time.monotonic()
    source = Path(args.file)
    left_out, result = None, None
    if source.suffix.lower() == ".csv":
        claim_file = source
    else:
        result, code = _draft(args, "check")
        if result is None:
            return code
        if result.claims.is_empty():
            print(f"liqmart claims check: {source}: no market claim found; nothing registered", file=sys.stderr)
            _print_left_out(result.left_out)
            return 1
        claim_file = write_draft(result, settings.warehouse_path().parent / "drafts" / f"{result.article}.csv")
        left_out = result.left_out
    live = settings.warehouse_path()
    if not live.exists():
        print(f"liqmart claims check: no warehouse at {live}: run `liqmart run` first", file=sys.stderr)
        return 1
    try:
        claims, target = register(claim_file)
    except SourceError as error:
        print(f"liqmart claims check: refused, nothing registered: {error}", file=sys.stderr)
        return 1
    if result is not None:
        keep_text(result)
    ledger, _ = judge_article(claims, live)
    _print_verdicts(ledger)
    if left_out is not None:
        _print_left_out(left_out)
    counts = dict(ledger.group_by("verdict").len().iter_rows())
    print(
        f"{claims['article'][0]}: {ledger.height} claims judged in {time.monotonic() - started:.1f} s ("
        + ", ".join(f"{counts.get(v, 0)} {v}" for v in ("confirmed", "contradicted", "basis_dependent", "unverifiable"))
        + f"); registered as {target}; the UI shows its checks after the code location reloads"
    )
    return 0


def _print_verdicts(ledger) -> None:
    from rich.console import Console
    from rich.table import Table

    from transforms.claims.display import data_value

    table = Table(show_lines=False, expand=True)
    for name in ("sentence", "figure", "the data", "verdict"):
        table.add_column(name, overflow="fold", ratio=4 if name == "sentence" else 2)
    for row in ledger.iter_rows(named=True):
        quote = row["quote"] if len(row["quote"]) <= 110 else row["quote"][:107] + "..."
        table.add_row(quote, f"{row['subject']}: {row['claimed_text']}", data_value(row), row["verdict"].upper())
    Console(width=160, soft_wrap=False).print(table)


def _print_left_out(left_out) -> None:
    if left_out.is_empty():
        return
    print(f"left out ({left_out.height} numbers that are not market claims):")
    for row in left_out.iter_rows(named=True):
        print(f"  sentence {row['sentence']}: {row['figure']}: {row['reason']}")
