"""Alerts a desk acts on: rules as data (orchestration/alerts.yaml), evaluated once per event, delivered by a
webhook and e-mail configured from the environment, and recorded in ops.alerts (docs/alerts.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from orchestration.lib.alerts.rules import Evaluation, deliver, evaluate, load_rules, record


def run_alerts(
    conn, today: date, bundled: bool, inbox: Path, failed_checks=(), sleep=None
) -> tuple[Evaluation, dict[int, list]]:
    """Evaluate every rule on the warehouse behind `conn`, send what fired, record it all; (evaluation,
    outcomes by event). A delivery that fails is recorded as failed and never raises."""
    evaluation = evaluate(conn, load_rules(), today, bundled, inbox, failed_checks)
    outcomes = {i: deliver(event, sleep) for i, event in enumerate(evaluation.events)}
    record(conn, evaluation, outcomes)
    return evaluation, outcomes
