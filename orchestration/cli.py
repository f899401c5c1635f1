"""`liqmart`: the command line for the warehouse (`liqmart run`, `liqmart summary`)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from orchestration import settings


def prepare_dagster_home() -> str:
    """Point Dagster at warehouse/dagster_home with the project's instance settings (pool limit 1)."""
    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(settings.PROJECT_ROOT / "orchestration" / "dagster.yaml", config)
    os.environ["DAGSTER_HOME"] = str(home)
    # dbt's profile and the Dagster resources read the same variable; pin it for the subprocesses too.
    os.environ[settings.WAREHOUSE_ENV] = str(settings.warehouse_path())
    return str(home)


def cmd_run(args) -> int:
    prepare_dagster_home()
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.summary import format_summary

    settings.warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    job = defs.resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    checks = [(e.asset_key.to_user_string(), e.check_name, e.passed, e.severity.value)
              for e in result.get_asset_check_evaluations()]
    print(format_summary(str(settings.warehouse_path()), checks))
    report = settings.report_path()
    if report.exists():
        print(f"\nReport: {report}")
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                print(f"\nFAILED step {event.step_key}: {event.event_specific_data.error.message.strip()}",
                      file=sys.stderr)
        return 1
    return 0


def cmd_summary(args) -> int:
    from orchestration.summary import format_summary

    print(format_summary(str(settings.warehouse_path()), []))
    return 0


def cmd_report(args) -> int:
    from orchestration.report.build import write_report

    database = settings.warehouse_path()
    if not database.exists():
        print(f"no warehouse at {database}: run `liqmart run` (or `make run`) first", file=sys.stderr)
        return 1
    print(f"report written to {write_report(str(database), settings.report_path(database))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="liqmart", description="Liquidity Mart: materialize and inspect the "
                                                                 "liquidity warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="materialize every asset and run every check, then print a summary"
                   ).set_defaults(func=cmd_run)
    sub.add_parser("summary", help="print the warehouse's tables, rows and date ranges").set_defaults(func=cmd_summary)
    sub.add_parser("report", help="write the crash report (warehouse/report/index.html) from the marts"
                   ).set_defaults(func=cmd_report)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
