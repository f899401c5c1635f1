"""Articles judged from the UI: a file dropped into warehouse/inbox/articles/ (plain text, Markdown, or a claim
file), or text pasted into the launchpad of `judge_article_job`.

The sensor reads and moves files only: an article it cannot judge (no publication date, binary, not UTF-8, an
invalid claim file) moves to inbox/articles/rejected/ with a `.reason.txt`, and the tick says why in the UI's
tick list. A readable one is judged by one run of `judge_article_job`: drafted (transforms/claims/drafting),
registered in the claims folder, and judged against the current warehouse without a rebuild. The run records a
materialization of marts/mart_claims whose metadata holds that article's verdicts; its per-claim checks appear
once the code location reloads (Dagster's definitions are fixed while it runs).
"""

import re
import tempfile
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.defs.inbox.inbox_import import FINISHED
from orchestration.lib.claims_check import (
    ArticleRefused,
    draft_file,
    judge_article,
    keep_text,
    read_article,
    register,
    write_draft,
)
from orchestration.lib.warehouse import Warehouse, file_sha256
from transforms.claims.display import data_value
from transforms.claims.drafting.draft import NoPublicationDate
from transforms.claims.drafting.text import publication_date
from transforms.claims.files import read_claim_file
from transforms.errors import SourceError

MART_CLAIMS = dg.AssetKey(["marts", "mart_claims"])
SUFFIXES = (".txt", ".md", ".markdown", ".csv")


def articles_inbox() -> Path:
    return settings.warehouse_path().resolve().parent / "inbox" / "articles"


def refusal(path: Path, published: str = "") -> str | None:
    """Why the file cannot be judged, or None; reads it and writes nothing."""
    try:
        if path.suffix.lower() == ".csv":
            read_claim_file(path)
            return None
        text = read_article(path)
    except (ArticleRefused, SourceError) as error:
        return str(error)
    if not published and publication_date(text) is None:
        return (
            f"{path.name}: no publication date: start the text with a line such as 'Published 2026-02-07' or a "
            "dateline ('NEW YORK, February 7, 2026 -'), then drop it again"
        )
    return None


class ArticleConfig(dg.Config):
    """An article to judge: a file's path, or the text itself pasted into the launchpad."""

    path: str = ""
    text: str = ""
    published: str = ""  # YYYY-MM-DD; else the text's own date line
    clock: str = ""  # the writer's time zone (Asia/Shanghai, UTC+8); else the one the text names
    article: str = ""  # the article's name; else the file's


def _move(path: Path, folder: str) -> Path:
    target = path.parent / folder / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    return target


@dg.op(pool=settings.WRITER_POOL, description="Draft, register and judge one article against the current warehouse.")
def judge_article_op(context: dg.OpExecutionContext, config: ArticleConfig, warehouse: Warehouse) -> None:
    live = Path(warehouse.database)
    if config.text:
        name = re.sub(r"[^a-z0-9_]+", "_", (config.article or "pasted_article").lower()).strip("_")
        folder = Path(tempfile.mkdtemp(prefix="article-"))
        path = folder / f"{name}.md"
        path.write_text(config.text, encoding="utf-8")
    elif config.path:
        path = Path(config.path)
    else:
        raise dg.Failure(description="give the article's `path` or paste its `text` in the run config")
    published = date.fromisoformat(config.published) if config.published else None
    try:
        if path.suffix.lower() == ".csv":
            claim_file = path
        else:
            result = draft_file(path, published, config.article or None, live, config.clock or None)
            claim_file = write_draft(result, live.parent / "drafts" / f"{result.article}.csv")
            for row in result.left_out.iter_rows(named=True):
                context.log.info(f"left out, sentence {row['sentence']}: {row['figure']}: {row['reason']}")
        claims, target = register(claim_file)
        if path.suffix.lower() != ".csv":
            keep_text(result)
    except (NoPublicationDate, ArticleRefused, SourceError, ValueError) as error:
        if config.path and path.parent == articles_inbox():
            reason = _move(path, "rejected")
            reason.with_name(reason.name + ".reason.txt").write_text(f"{error}\n")
        raise dg.Failure(description=f"{path.name}: refused: {error}") from error
    ledger, _ = judge_article(claims, live)
    if config.path and path.parent == articles_inbox():
        _move(path, "judged")
    article = claims["article"][0]
    lines = ["| verdict | figure | the data | sentence |", "|---|---|---|---|"]
    for row in ledger.sort("verdict").iter_rows(named=True):
        lines.append(
            f"| {row['verdict'].upper()} | {row['subject']}: {row['claimed_text']} | {data_value(row)[:160]} | "
            f"{row['quote'][:160]} |".replace("\n", " ")
        )
    counts = dict(ledger.group_by("verdict").len().iter_rows())
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    context.log.info(f"{article}: {ledger.height} claims judged ({summary}); registered as {target}")
    context.log_event(
        dg.AssetMaterialization(
            asset_key=MART_CLAIMS,
            description=f"[{article}] judged: {summary}",
            metadata={"article": article, "verdicts": dg.MetadataValue.md("\n".join(lines)), "claim_file": str(target)},
        )
    )


@dg.job(
    description="Judge one article now: paste its text (ops.judge_article_op.config.text, with `published`) in "
    "the launchpad, or give a file's path. Launched by article_inbox_sensor for files dropped into "
    "warehouse/inbox/articles/.",
    tags={"liquidity/kind": "article"},
)
def judge_article_job():
    judge_article_op()


@dg.sensor(
    job=judge_article_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches warehouse/inbox/articles/ for articles (.txt, .md) and claim files (.csv): each readable "
    "one is judged by one run; one it cannot judge moves to inbox/articles/rejected/ and the tick says why.",
)
def article_inbox_sensor(context: dg.SensorEvaluationContext):
    folder = articles_inbox()
    folder.mkdir(parents=True, exist_ok=True)
    requests, refused = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        why = refusal(path)
        if why:
            target = _move(path, "rejected")
            target.with_name(target.name + ".reason.txt").write_text(why + "\n")
            refused.append(why)
            continue
        digest = file_sha256(path)
        earlier = context.instance.get_run_records(dg.RunsFilter(tags={"article/digest": digest}))
        if any(r.dagster_run.status not in FINISHED for r in earlier):
            continue
        requests.append(
            dg.RunRequest(
                run_key=f"article:{path.name}:{digest}:{len(earlier) + 1}",
                run_config=dg.RunConfig(ops={"judge_article_op": ArticleConfig(path=str(path))}),
                tags={"article/file": path.name, "article/digest": digest},
            )
        )
    if refused and not requests:
        return dg.SensorResult(skip_reason=f"refused {len(refused)} article(s): " + "; ".join(refused))
    return dg.SensorResult(run_requests=requests)
