"""Alerts after every run that changes the warehouse: run-status sensors (public Dagster API) request one run of
`alerts_job`, which evaluates the rules of orchestration/alerts.yaml on the warehouse, sends what fired once, and
records it in ops.alerts. Under `make dev` and `make serve` the daemon runs the sensors. A receiver that is down
is retried, then recorded as failed: the alerts run still succeeds, and the data run it followed is untouched.
"""

import dagster as dg

from orchestration import settings
from orchestration.lib.alerts import run_alerts
from orchestration.lib.resources import SourceModes
from orchestration.lib.warehouse import Warehouse

ALERTS_JOB = "alerts_job"


class AlertsConfig(dg.Config):
    run_id: str = ""  # the run whose ERROR-severity check failures are alerted


def failed_error_checks(instance: dg.DagsterInstance, run_id: str) -> list[tuple[str, str, str, str]]:
    if not run_id:
        return []
    out = []
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        data = record.dagster_event.event_specific_data
        if not data.passed and data.severity == dg.AssetCheckSeverity.ERROR:
            out.append((run_id, data.asset_key.to_user_string(), data.check_name, data.description or ""))
    return out


@dg.op(pool=settings.WRITER_POOL, description="Evaluate the alert rules, send what fired once, record it.")
def evaluate_alerts(context: dg.OpExecutionContext, config: AlertsConfig, warehouse: Warehouse, sources: SourceModes):
    bundled = not any(sources.live(family) for family in type(sources).model_fields)
    failed = failed_error_checks(context.instance, config.run_id)
    inbox = settings.warehouse_path().resolve().parent / "inbox"
    with warehouse.get_connection() as conn:
        evaluation, outcomes = run_alerts(conn, settings.today_utc(), bundled, inbox, failed)
    for i, event in enumerate(evaluation.events):
        for outcome in outcomes[i]:
            say = context.log.info if outcome.delivered or outcome.channel == "none" else context.log.warning
            say(f"alert {event.rule.name}: {event.subject} -> {outcome.channel}: {outcome.detail}")
    return len(evaluation.events)


@dg.job(description="Evaluate the alert rules (orchestration/alerts.yaml) after a run; launched by the alert sensors.")
def alerts_job():
    evaluate_alerts()


def _after(status: dg.DagsterRunStatus, name: str):
    @dg.run_status_sensor(
        name=name,
        run_status=status,
        request_job=alerts_job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"After a run ends in {status.value.lower()}: one run of alerts_job (docs/alerts.md).",
    )
    def _sensor(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name == ALERTS_JOB:
            return dg.SkipReason("an alerts run: nothing to alert about")
        return dg.RunRequest(
            run_key=f"alerts:{context.dagster_run.run_id}",
            run_config=dg.RunConfig(ops={"evaluate_alerts": AlertsConfig(run_id=context.dagster_run.run_id)}),
        )

    return _sensor


alerts_after_success = _after(dg.DagsterRunStatus.SUCCESS, "alerts_after_success")
alerts_after_failure = _after(dg.DagsterRunStatus.FAILURE, "alerts_after_failure")
