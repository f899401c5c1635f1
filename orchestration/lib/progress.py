"""A quiet terminal for `liqmart run`, `backfill` and `import`: a live progress line, the full log in a file.

Dagster's console logger writes every event at DEBUG (thousands of lines for a full run). The commands run
their job with one Dagster logger instead, `liqmart`, whose handlers write everything to
`warehouse/logs/<command>-<time>.log` and drive a `rich` progress display (steps done of total, the step
running, elapsed time) on stderr. `--verbose` also streams every log line to stderr, as Dagster's console
logger would. Failures still reach the terminal in full: the commands print each failed step's error.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from orchestration import settings

_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def log_path(command: str) -> Path:
    folder = settings.warehouse_path().parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{command}-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}.log"


class _StepProgress(logging.Handler):
    """Advances the progress bar on each step's end and shows the step that is running."""

    def __init__(self, progress: Progress, task):
        super().__init__(logging.DEBUG)
        self.progress, self.task, self.running = progress, task, []

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None:
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.running.append(event.step_key)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            if event.step_key in self.running:
                self.running.remove(event.step_key)
            self.progress.advance(self.task)
        else:
            return
        step = self.running[-1] if self.running else ""
        self.progress.update(self.task, description=f"{step.replace('__', '/')[:48]:<48}")


class RunDisplay:
    def __init__(self, logger_def: dg.LoggerDefinition, path: Path, progress: Progress, task):
        self.logger_def, self.path, self._progress, self._task = logger_def, path, progress, task

    def set_total(self, steps: int) -> None:
        self._progress.update(self._task, total=steps)


@contextmanager
def run_progress(command: str, verbose: bool = False):
    """Yields a RunDisplay (the job's logger definition, the log file, the step total) while showing progress."""
    path = log_path(command)
    logger = logging.getLogger(f"liqmart.{command}.{path.stem}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(file_handler)
    console = Console(stderr=True)
    print(f"liqmart {command}: full log in {path}", file=sys.stderr)
    progress = _steps_bar(console, disable=verbose)
    task = progress.add_task(f"{'starting':<48}", total=None)
    step_handler = _StepProgress(progress, task)
    logger.addHandler(step_handler)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(stream)

    @dg.logger(description="liqmart's logger: everything to the log file, progress to the terminal")
    def liqmart_logger(_init_context):
        return logger

    try:
        with progress:
            yield RunDisplay(liqmart_logger, path, progress, task)
            progress.update(task, description=f"{'done':<48}")
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()


def _steps_bar(console: Console, disable: bool = False) -> Progress:
    """The one progress display: spinner, what runs, a bar, steps done of total, elapsed time."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps"),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
    )


@contextmanager
def step_progress(description: str, steps: int):
    """A progress line (steps done of total, elapsed time) for a command that is not a Dagster run."""
    progress = _steps_bar(Console(stderr=True))
    task = progress.add_task(description, total=steps)
    with progress:
        yield lambda: progress.advance(task)
