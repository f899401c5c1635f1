"""One page per article: its text, each statement marked by its verdict (a colour, and a note with the data's value
on each basis and its evidence), the numbers left out marked apart with their reason.

The text is the one `liqmart claims check` or the article inbox drafted from (kept beside the claim file,
claims/texts/<article>.md); an article registered as a claim file only is shown as its quoted sentences.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from transforms.claims.display import data_value
from transforms.claims.drafting.text import without_date_line

SEVERITY = ["contradicted", "basis_dependent", "unverifiable", "confirmed"]


def texts_dir(claims_folder: Path) -> Path:
    return claims_folder / "texts"


def _note(row) -> str:
    parts = [f"{row['verdict'].upper()}: the article says {row['claimed_text']}", f"the data: {data_value(row)}"]
    if isinstance(row.get("evidence"), str) and row["evidence"]:
        parts.append(f"source: {row['evidence']}")
    return " | ".join(parts)


def _mark_left_out(sentence: str, left: pd.DataFrame) -> str:
    """The sentence escaped, each left-out figure wrapped in a mark of its own (its reason as the title)."""
    out, at = [], 0
    for row in left.itertuples():
        i = sentence.find(str(row.figure), at)
        if i < 0:
            continue
        out.append(html.escape(sentence[at:i]))
        reason = html.escape(str(row.reason), quote=True)
        out.append(f"<mark class='left-out' title='left out: {reason}'>{html.escape(str(row.figure))}</mark>")
        at = i + len(str(row.figure))
    out.append(html.escape(sentence[at:]))
    return "".join(out)


def article_page(article: str, claims: pd.DataFrame, text: str | None, left_out: pd.DataFrame) -> str:
    """The page's HTML: every text from the warehouse or the article escaped (a quote holding markup is shown)."""
    notes, marked = [], {}
    for n, row in enumerate(claims.to_dict("records"), start=1):
        verdict = html.escape(str(row["verdict"]), quote=True)
        note = html.escape(_note(row), quote=True)
        notes.append(f"<li id='note-{n}' class='{verdict}'><b>[{n}] {verdict}</b> {note}</li>")
        marked.setdefault(str(row["quote"]), []).append((n, verdict, note))
    body = []
    if text:
        text = without_date_line(text)
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    else:
        paragraphs = list(dict.fromkeys(claims["quote"].astype(str)))
    for para in paragraphs:
        heading = re.match(r"^(#{1,6})\s+(.*)$", para)
        if heading:  # a Markdown heading is a heading, not a paragraph with hashes
            body.append(f"<h{min(len(heading[1]) + 1, 6)}>{html.escape(heading[2])}</h{min(len(heading[1]) + 1, 6)}>")
            continue
        chunk = html.escape(para)
        for quote, marks in marked.items():
            escaped = html.escape(quote)
            if escaped in chunk:
                worst = min((m[1] for m in marks), key=SEVERITY.index)  # a sentence shows its worst verdict
                refs = "".join(f"<sup><a href='#note-{n}' title='{note}'>[{n}]</a></sup>" for n, _, note in marks)
                chunk = chunk.replace(
                    escaped, f"<mark class='claim {worst}' title='{marks[0][2]}'>{escaped}</mark>{refs}", 1
                )
        for quote in left_out["quote"].unique() if not left_out.empty else []:
            escaped = html.escape(str(quote))
            if escaped in chunk and quote not in marked:
                rows = left_out[left_out["quote"] == quote]
                chunk = chunk.replace(escaped, _mark_left_out(str(quote), rows), 1)
        body.append(f"<p>{chunk}</p>")
    left_items = "".join(
        f"<li><mark class='left-out'>{html.escape(str(r.figure))}</mark> {html.escape(str(r.reason))}</li>"
        for r in left_out.itertuples()
    )
    title = html.escape(article)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: the article against the data</title>
<style>
body {{ font-family: Georgia, serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222;
  line-height: 1.55; }}
mark.claim {{ padding: 0 2px; }} mark.confirmed {{ background: #c8f0d4; }} mark.contradicted {{ background: #f7c6c0; }}
mark.basis_dependent {{ background: #fbe3b0; }} mark.unverifiable {{ background: #e3e6e8; }}
mark.left-out {{ background: none; border-bottom: 1px dotted #999; color: #777; }}
li.confirmed b {{ color: #1e8449; }} li.contradicted b {{ color: #c0392b; }} li.basis_dependent b {{ color: #b9770e; }}
li.unverifiable b {{ color: #7f8c8d; }} ol, ul {{ font-family: system-ui, sans-serif; font-size: 13px; }}
</style></head><body>
<p><a href="../index.html#claims">← the crash report</a></p>
<h1>{title}</h1>
<p>Each statement is marked by its verdict: <mark class="claim confirmed">confirmed</mark>
<mark class="claim contradicted">contradicted</mark> <mark class="claim basis_dependent">basis dependent</mark>
<mark class="claim unverifiable">unverifiable</mark>; numbers that are not market claims are
<mark class="left-out">underlined</mark>. Hover a mark, or read the notes below.</p>
<article>{"".join(body)}</article>
<h2>Notes: the data on each basis</h2><ol class="notes">{"".join(notes)}</ol>
<h2>Numbers left out</h2><ul class="left-out">{left_items or "<li>none</li>"}</ul>
</body></html>
"""


def write_article_pages(claims: pd.DataFrame, claims_folder: Path, target: Path) -> list[Path]:
    """One page per article of the ledger under `target` (report/articles/<article>.html)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for article, rows in claims.groupby("article", sort=True):
        stored = texts_dir(claims_folder) / f"{article}.md"
        left_file = texts_dir(claims_folder) / f"{article}.left_out.csv"
        text = stored.read_text(encoding="utf-8") if stored.is_file() else None
        left = pd.read_csv(left_file) if left_file.is_file() else pd.DataFrame(columns=["figure", "reason", "quote"])
        page = target / f"{article}.html"
        page.write_text(article_page(str(article), rows, text, left), encoding="utf-8")
        written.append(page)
    return written
