"""An article judged in seconds: drafted (transforms/claims/drafting), registered, and judged against the current
warehouse without rebuilding anything. The marts are read; raw.claims and the ledger's rows for that article are
replaced in one transaction, so the next full run agrees with what this wrote.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from orchestration.lib.claims_data import claim_files, claims_dir, load_claim_data
from orchestration.lib.tables import table_exists
from orchestration.lib.warehouse import reading, writing
from transforms.claims.drafting.draft import Draft, draft
from transforms.claims.engine import judge
from transforms.claims.files import article_name, read_claim_file, read_claim_files

MAX_BYTES = 5_000_000  # an article, not a book: a larger file is refused before it is read


class ArticleRefused(ValueError):
    """The file is not an article the drafter can read; the message says why."""


def read_article(path: Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise ArticleRefused(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArticleRefused(f"{path}: {size:,} bytes is more than an article ({MAX_BYTES:,} at most)")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ArticleRefused(f"{path}: binary data (NUL bytes), not plain text or Markdown")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleRefused(f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8") from None


def session_calendars(live: Path) -> dict[str, list[date]]:
    """Each series' sessions in the warehouse (its market calendar: no session on its holidays); empty when there
    is no warehouse yet (the drafter then assumes weekdays, or every day for crypto)."""
    try:
        with reading(live) as conn:
            # A price series' sessions are the days any of its bases traded (the fix has no session on Dec 31,
            # COMEX has): the engine judges every basis, so a day any basis holds is a day a claim can name.
            frame = conn.sql(
                "select series, date from marts.fct_price_bars_by_basis "
                "union select asset_id, date from marts.fct_asset_daily "
                "union all select curve || ':' || cast(cast(tenor_years as integer) as varchar), date "
                "from marts.fct_rates_daily where yield_pct is not null order by 1, 2"
            ).pl()
    except Exception:  # no warehouse yet, or one built before these marts: weekday calendars instead
        return {}
    return {series: rows["date"].to_list() for (series,), rows in frame.group_by(["series"], maintain_order=True)}


def draft_file(path: Path, published: date | None, article: str | None, live: Path, clock: str | None = None) -> Draft:
    text = read_article(path)
    calendars = session_calendars(live)
    return draft(text, published, article or article_name(path), lambda series: calendars.get(series), clock)


def write_draft(result: Draft, out: Path) -> Path:
    """The claim file (the columns `liqmart claims add` reads, plus article and draft_note) and, beside it, the
    figures left out with their reasons."""
    out.parent.mkdir(parents=True, exist_ok=True)
    result.claims.write_csv(out)
    result.left_out.write_csv(out.with_name(out.stem + ".left_out.csv"))
    return out


def keep_text(result: Draft) -> Path:
    """The article's text and its left-out numbers beside the registered claim file (claims/texts/), for the
    report's annotated page of it."""
    folder = claims_dir() / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{result.article}.md").write_text(result.text, encoding="utf-8")
    result.left_out.write_csv(folder / f"{result.article}.left_out.csv")
    return folder


def register(source: Path) -> tuple[pl.DataFrame, Path]:
    """Validate a claim file with every other registered one and copy it into the claims folder."""
    target = claims_dir() / f"{article_name(source)}.csv"
    claims = read_claim_file(source)
    read_claim_files([p for p in claim_files() if p.resolve() != target.resolve()] + [source])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(Path(source).read_bytes())
    tmp.replace(target)  # whole or not at all
    return claims, target


def _replace_rows(conn, table: str, frame: pl.DataFrame, where: str, values: list) -> None:
    exists = table_exists(conn, table)
    conn.register("_rows", frame.to_arrow())
    if not exists:
        conn.execute(f"create table {table} as select * from _rows")
    else:
        have = {r[0] for r in conn.execute(f"select * from {table} limit 0").description}
        for name in frame.columns:
            if name not in have:  # a column a newer engine writes (draft_note): the table grows, rows are kept
                conn.execute(f'alter table {table} add column "{name}" {_duck_type(conn, name)}')
        conn.execute(f"delete from {table} where {where}", values)
        conn.execute(f"insert into {table} by name select * from _rows")
    conn.unregister("_rows")


def _duck_type(conn, column: str) -> str:
    return conn.execute(f'select typeof("{column}") from _rows limit 1').fetchone()[0] or "varchar"


def judge_article(claims: pl.DataFrame, live: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Judge one article's claims on the current marts and write its rows of raw.claims, marts.mart_claims and
    marts.mart_claim_evidence in one transaction (waiting for the warehouse like every writer)."""
    article = claims["article"][0]
    ids = claims["claim_id"].to_list()
    with writing(live) as conn:
        ledger, evidence = judge(claims, load_claim_data(conn))
        conn.execute("begin")
        _replace_rows(conn, "raw.claims", claims, "article = ?", [article])
        _replace_rows(conn, "marts.mart_claims", ledger, "article = ?", [article])
        placeholders = ", ".join("?" for _ in ids)
        _replace_rows(conn, "marts.mart_claim_evidence", evidence, f"claim_id in ({placeholders})", ids)
        conn.execute("commit")
    return ledger, evidence
