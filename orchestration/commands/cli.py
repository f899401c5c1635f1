"""`liqmart`: the command line for the warehouse: `run`, `summary`, `import`, `backfill`, `report`, `rebuild`,
`export`, `docs`, `claims add|list|draft|check`.

`run`, `backfill` and `rebuild` show a progress display and write Dagster's full log to warehouse/logs/
(`--verbose` streams it instead). Writers wait for the warehouse while another process holds it
(LIQMART_LOCK_TIMEOUT); `summary`, `report`, `export` and `docs` read the published copy. A locked or corrupt
warehouse ends a
command with a message and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from orchestration import settings
from orchestration.commands import alerts as alert_commands
from orchestration.commands import claims as claim_commands
from orchestration.lib.launch import (
    execute,
    exit_code,
    left_out_assets,
    preflight,
    prepare_dagster_home,
)


def cmd_run(args) -> int:
    prepare_dagster_home()
    import dagster as dg

    from orchestration.commands.summary import format_summary, short_summary
    from orchestration.definitions import defs
    from orchestration.lib.window import range_tags

    settings.warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    preflight()
    skipped = left_out_assets(defs)
    selection = dg.AssetSelection.all() - dg.AssetSelection.assets(*skipped) if skipped else dg.AssetSelection.all()
    # Every year of the raw tables' history in one run, then everything downstream.
    result = execute(defs, "run", selection, range_tags(), args.verbose, full_refresh=True)
    checks = [
        (e.asset_key.to_user_string(), e.check_name, e.passed, e.severity.value, e.description or "")
        for e in result.get_asset_check_evaluations()
    ]
    modes = defs.resources["sources"]
    bundled = not any(modes.live(family) for family in type(modes).model_fields)
    full = format_summary(str(settings.warehouse_path()), checks, bundled=bundled)
    written = settings.warehouse_path().parent / "logs" / "summary.txt"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(full + "\n")
    print(short_summary(full, checks, bundled, str(written)))
    alert_commands.evaluate_after("run", bundled, result)
    report = settings.report_path()
    if report.exists():
        print(f"\nReport: {report}")
    return exit_code(result)


def cmd_summary(args) -> int:
    from orchestration.commands.summary import format_summary

    print(format_summary(str(settings.warehouse_path()), []))
    return 0


def cmd_report(args) -> int:
    from orchestration.lib.report.build import write_report

    database = settings.warehouse_path()
    print(
        f"report written to {write_report(str(database), settings.report_path(database))} "
        f"(from the published copy of {database})"
    )
    return 0


def cmd_docs(args) -> int:
    """The dbt docs site, one offline HTML file, from the published copy's catalog."""
    from orchestration.commands.dbt_docs import generate_docs

    path = generate_docs(settings.warehouse_path())
    print(f"dbt docs written to {path} (open it in a browser; it needs no server and no network)")
    return 0


def cmd_export(args) -> int:
    """Every mart (and with --raw every raw table) as files plus a manifest, from the published copy."""

    from orchestration.commands.export import export

    database = settings.warehouse_path()
    target = Path(args.to) if args.to else database.parent / "export"
    manifest = export(
        database,
        target,
        args.format,
        ("marts", "raw") if args.raw else ("marts",),
        progress=lambda line: print(f"  {line}", file=sys.stderr),
    )
    rows = sum(t["rows"] for t in manifest["tables"])
    print(
        f"exported {len(manifest['tables'])} tables, {rows:,} rows, as {args.format} to {target} "
        f"(manifest: {target / 'manifest.json'}; warehouse {manifest['warehouse_version'][:24]})"
    )
    return 0


def cmd_import(args) -> int:
    """Validate a user's file against its family's layout, land it and load it; refuse it with a reason."""
    import uuid

    from orchestration.lib.batch import Refused
    from orchestration.lib.inbox import import_file
    from orchestration.lib.resources import build_resources
    from transforms.errors import SourceError

    path = Path(args.file)
    if not path.is_file():
        print(f"liqmart import: {path}: no such file", file=sys.stderr)
        return 2
    from orchestration.lib.progress import step_progress

    resources = build_resources()
    try:
        with step_progress(f"raw.{args.family} <- {path.name}: validate, land, load", steps=1) as advance:
            meta = import_file(
                resources["warehouse"], resources["landing"], path, args.family, f"cli-import-{uuid.uuid4().hex[:12]}"
            )
            advance()
    except Refused as refused:
        print(
            f"liqmart import: refused {path}: {refused.error} ({refused.kept} row(s) kept in ops.quarantine; "
            f"the warehouse's tables are unchanged)",
            file=sys.stderr,
        )
        return 1
    except SourceError as error:
        print(f"liqmart import: refused {path}: {error} (the warehouse is unchanged)", file=sys.stderr)
        return 1
    print(
        f"loaded {meta['batch_rows']} rows from {path} into raw.{args.family} (batch {meta['batch_id'][:12]}, "
        f"table now {meta['table_rows']} rows); run `liqmart run` to rebuild the marts"
    )
    return 0


def cmd_backfill(args) -> int:
    """Reload the raw families for a range of days in one run, then everything downstream of them."""
    from datetime import date

    prepare_dagster_home()
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.lib.window import FIRST_DAY, YEARLY, range_tags

    start, end = args.start, args.end or args.start
    for day in (start, end):
        try:
            date.fromisoformat(day)
        except ValueError:
            print(f"liqmart backfill: {day!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
            return 2
        if not FIRST_DAY <= day <= settings.today_utc().isoformat():
            print(
                f"liqmart backfill: {day} is outside the partitioned history {FIRST_DAY}..today "
                f"({settings.today_utc()})",
                file=sys.stderr,
            )
            return 2
    if end < start:
        print(f"liqmart backfill: --end {end} is before --start {start}", file=sys.stderr)
        return 2
    partitioned = {a.key.path[-1]: a.key for a in defs.assets if getattr(a, "partitions_def", None) == YEARLY}
    families = args.family or list(partitioned)
    unknown = [f for f in families if f not in partitioned]
    if unknown:
        print(
            f"liqmart backfill: not a partitioned time-series family: {', '.join(unknown)} (choose from "
            f"{', '.join(partitioned)})",
            file=sys.stderr,
        )
        return 2
    skipped = left_out_assets(defs)
    families = [f for f in families if partitioned[f] not in skipped]
    if not families:
        print("liqmart backfill: nothing left to load", file=sys.stderr)
        return 0
    preflight()
    selection = dg.AssetSelection.assets(*[partitioned[f] for f in families])
    if not args.raw_only:
        selection = selection.downstream()
    result = execute(defs, "backfill", selection, range_tags(start, end), args.verbose)
    for family in families:
        for event in result.asset_materializations_for_node(f"raw__{family}")[:1]:
            meta = event.metadata
            print(
                f"raw.{family}: {start}..{end} loaded {meta['batch_rows'].value} rows from "
                f"{meta['source'].value}; table now {meta['table_rows'].value} rows"
            )
    modes = defs.resources["sources"]
    alert_commands.evaluate_after("backfill", not any(modes.live(f) for f in type(modes).model_fields), result)
    return exit_code(result)


def cmd_rebuild(args) -> int:
    """Recreate the warehouse from the landing zone's journal (user imports included, in their order), then
    rebuild everything downstream of the raw tables."""
    prepare_dagster_home()
    import dagster as dg

    from orchestration.commands.rebuild import rebuild_raw
    from orchestration.commands.summary import format_summary
    from orchestration.lib.landing import LandingZone
    from orchestration.lib.progress import step_progress
    from orchestration.lib.warehouse import writing
    from orchestration.lib.window import range_tags

    live = settings.warehouse_path()
    landing = LandingZone(root=str(live.parent / "landing"))
    with step_progress(
        f"replay {landing.journal_path.name} into a new {live.name}", steps=len(landing.journal())
    ) as advance:
        counts, aside = rebuild_raw(live, landing, advance)
    if aside:
        print(f"the old warehouse file is kept at {aside}", file=sys.stderr)
    print("raw tables replayed: " + ", ".join(f"raw.{t} {n} rows" for t, n in counts.items()), file=sys.stderr)
    with writing(live):  # publish the replayed raw tables now: readers never wait for the marts
        pass
    if args.raw_only:
        print(format_summary(str(live), []))
        return 0
    from orchestration.definitions import defs  # after the replay: the claim checks are the restored files'

    selection = dg.AssetSelection.all() - dg.AssetSelection.groups("raw")
    result = execute(defs, "rebuild", selection, range_tags(), args.verbose)
    print(format_summary(str(live), []))
    alert_commands.evaluate_after("rebuild", True, result)  # a new file: the rules record, nothing is history
    return exit_code(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="liqmart", description="Liquidity Mart: materialize and inspect the liquidity warehouse."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialize every asset and run every check, then print a summary")
    run.add_argument("--verbose", action="store_true", help="stream Dagster's full log to the terminal")
    run.set_defaults(func=cmd_run)
    sub.add_parser("summary", help="print the warehouse's tables, rows and date ranges").set_defaults(func=cmd_summary)
    imp = sub.add_parser("import", help="validate and load your own CSV or Parquet file into raw.<family>")
    imp.add_argument("file")
    imp.add_argument("--family", required=True, help="raw table the file belongs to (see README, Inbox layouts)")
    imp.set_defaults(func=cmd_import)
    fill = sub.add_parser(
        "backfill",
        help="reload a range of days (one run) for the daily-partitioned raw families, then everything downstream",
    )
    fill.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    fill.add_argument("--end", help="last day, YYYY-MM-DD (default: the first day)")
    fill.add_argument("--family", action="append", help="raw family (repeatable; default: every partitioned one)")
    fill.add_argument("--raw-only", action="store_true", help="load the raw tables only, not the marts")
    fill.add_argument("--verbose", action="store_true", help="stream Dagster's full log to the terminal")
    fill.set_defaults(func=cmd_backfill)
    sub.add_parser(
        "docs", help="write the dbt docs site (one offline HTML file) to warehouse/docs/index.html"
    ).set_defaults(func=cmd_docs)
    out = sub.add_parser(
        "export",
        help="write every mart (and with --raw every raw table) as Parquet or CSV "
        "files plus a manifest, from the published copy",
    )
    out.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    out.add_argument("--to", help="folder to write (default: warehouse/export/)")
    out.add_argument("--raw", action="store_true", help="export the raw tables too")
    out.set_defaults(func=cmd_export)
    sub.add_parser("report", help="write the crash report (warehouse/report/index.html) from the marts").set_defaults(
        func=cmd_report
    )
    rebuild = sub.add_parser(
        "rebuild",
        help="recreate the warehouse from the landing zone (bundled, live and "
        "imported batches, in their order), then rebuild the marts; the old file is kept aside",
    )
    rebuild.add_argument("--raw-only", action="store_true", help="replay the raw tables only, not the marts")
    rebuild.add_argument("--verbose", action="store_true", help="stream Dagster's full log to the terminal")
    rebuild.set_defaults(func=cmd_rebuild)
    claims = sub.add_parser("claims", help="the claim files the ledger judges").add_subparsers(
        dest="claims_command", required=True
    )
    add = claims.add_parser("add", help="validate a CSV of claims (the ledger's columns) and register it")
    add.add_argument("file")
    add.set_defaults(func=claim_commands.cmd_claims_add)
    claims.add_parser("list", help="the registered articles and their claim counts").set_defaults(
        func=claim_commands.cmd_claims_list
    )
    for name, func, text in (
        ("draft", claim_commands.cmd_claims_draft, "draft a claim file from a plain-text or Markdown article"),
        ("check", claim_commands.cmd_claims_check, "draft, register and judge one article now, without a rebuild"),
    ):
        sub_cmd = claims.add_parser(name, help=text)
        sub_cmd.add_argument("file", help="the article (.txt, .md) or, for check, a claim file (.csv)")
        sub_cmd.add_argument("--published", help="publication date, YYYY-MM-DD (else the text's own date line)")
        sub_cmd.add_argument(
            "--clock",
            help="the writer's time zone (Asia/Shanghai, UTC+8): a night or an event after the close is read on it "
            "(else the clock the text names, clocks.csv)",
        )
        sub_cmd.add_argument("--article", help="the article's name (default: the file's name)")
        if name == "draft":
            sub_cmd.add_argument("--out", help="claim file to write (default: warehouse/drafts/<article>.csv)")
        sub_cmd.set_defaults(func=func)
    alert_commands.add_parser(sub)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `liqmart summary | head` ends quietly
    # What a writer waits for (orchestration/lib/warehouse.py) reaches the terminal.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"liqmart {args.command}: %(message)s"))
    logging.getLogger("liqmart").addHandler(handler)
    from orchestration.commands.rebuild import NothingToRebuild
    from orchestration.lib.warehouse import WarehouseCorrupt, WarehouseLocked

    try:
        return args.func(args)
    except WarehouseLocked as error:
        print(f"liqmart {args.command}: {error}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except (WarehouseCorrupt, NothingToRebuild, FileNotFoundError) as error:
        print(f"liqmart {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
