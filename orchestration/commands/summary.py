"""What `make run` prints: every table with rows and date range, then the checks that passed and failed."""

from __future__ import annotations

from orchestration.lib import lake
from orchestration.lib.evaluation import decade_rank, scorecard_table, since_2000
from orchestration.lib.expected import EXPECTED_ON_SNAPSHOT
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.tables import table_date_column, table_span
from orchestration.lib.warehouse import reading, where
from orchestration.settings import CRASH_WINDOW
from transforms.claims.contract import VERDICTS


def table_rows(database: str) -> list[tuple[str, int, str, str]]:
    with reading(database) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'ops', 'staging', 'intermediate', 'marts') "
            "order by table_schema, table_name"
        ).fetchall()
        out = []
        for schema, name in tables:
            spec = RAW_TABLES.get(name) if schema == "raw" else None
            date_col = spec.date_column if spec else table_date_column(conn, schema, name)
            rows, first, last = table_span(conn, schema, name, date_col)
            out.append((f"{schema}.{name}", rows, first or "", last or ""))
        return out


def stress_lines(database: str) -> list[str]:
    """The ten most stressed days, and ours against the OFR FSI over the crash window."""
    with reading(database) as conn:
        present = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' "
            "and table_name in ('mart_liquidity_stress_daily', 'mart_stress_comparison', "
            "'mart_stress_index_scorecard')"
        ).fetchone()[0]
        if present < 3:
            return []
        top = conn.execute("""
            select date, stress_index, regime, n_classes_down_2sigma, turbulence, absorption_ratio,
                   avg_pairwise_corr_60d, carry_unwind_score
            from marts.mart_liquidity_stress_daily where stress_index is not null
            order by stress_index desc limit 10""").fetchall()
        window = conn.execute(
            """
            select max(stress_index_pct), arg_max(date, stress_index_pct), max(ofr_fsi_pct),
                   arg_max(date, ofr_fsi_pct), max(ofr_fsi), max(vix_pct)
            from marts.mart_stress_comparison where date between ? and ?""",
            list(CRASH_WINDOW),
        ).fetchone()
        # Where the window's peak ranks among every day with the full index (hindsight, unlike the percentiles).
        rank = decade_rank(conn, CRASH_WINDOW)
        since = since_2000(conn, CRASH_WINDOW)
        scorecard = scorecard_table(conn).splitlines()

    def fmt(value, spec: str) -> str:
        return format(value, spec) if value is not None else format("n/a", spec.split(".")[0] + "s")

    lines = [
        "",
        "Ten most stressed days (marts.mart_liquidity_stress_daily):",
        f"  {'date':<11} {'index':>6} {'regime':<21} {'classes-2σ':>10} {'turbulence':>10} {'absorption':>10} "
        f"{'avg corr':>8} {'carry':>6}",
    ]
    for d, si, regime, n2, turb, ar, corr, carry in top:
        lines.append(
            f"  {str(d):<11} {si:>6.2f} {regime:<21} {n2:>10} {fmt(turb, '>10.1f')} {fmt(ar, '>10.3f')} "
            f"{fmt(corr, '>8.2f')} {fmt(carry, '>6.2f')}"
        )
    ours, ours_day, ofr, ofr_day, ofr_max, vix = window
    lines += [
        "",
        f"Crash window {CRASH_WINDOW[0]} .. {CRASH_WINDOW[1]} (highest point-in-time percentile: each day "
        f"ranked against the days up to it, from {rank[2]}):",
        f"  our stress index: {fmt(ours, '.0%')} on {ours_day}",
        f"  OFR FSI:          {fmt(ofr, '.0%')} on {ofr_day} (level {fmt(ofr_max, '.3f')}; above 0 is "
        f"above-average stress)",
        f"  VIX:              {fmt(vix, '.0%')}",
        f"  the window's peak of our index ranks {rank[0]} of the {rank[1]} days with the full index "
        f"(all five components, from {rank[2]}): the top {rank[3]:.1%} of the decade",
        f"  since 2000 (the crypto-free variant, from {since['first']}): the window's peak ranks "
        f"{since['window_rank']} of {since['days']} days; the latest day, {since['latest']}, ranks "
        f"{since['latest_rank']}",
    ]
    lines += ["", "Episodes judged point in time (marts.mart_stress_index_scorecard; docs/stress-evaluation.md):"]
    lines += [f"  {line}" for line in scorecard]
    return lines


def fold(lines: list[str], start: str, keep: int, pointer: str) -> list[str]:
    """The block that begins with the line starting `start`: its first `keep` lines and one that says how many
    more there are and where they are. Other lines unchanged."""
    at = next((i for i, line in enumerate(lines) if line.startswith(start)), None)
    if at is None:
        return lines
    end = next((i for i in range(at + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    if end - at - 1 <= keep:
        return lines
    hidden = end - at - 1 - keep
    return lines[: at + 1 + keep] + [f"  ... {hidden} more lines in {pointer}"] + lines[end:]


def claims_lines(database: str) -> list[str]:
    """The ledger's counts per article, the 2025 supply-absorption headline and every contradicted and
    basis-dependent claim."""
    with reading(database) as conn:
        if not conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = 'mart_claims'"
        ).fetchone()[0]:
            return []
        counts = dict(conn.execute("select verdict, count(*) from marts.mart_claims group by all").fetchall())
        articles = conn.execute("""
            select article, count(*), count(*) filter (where verdict = 'confirmed'),
                   count(*) filter (where verdict = 'contradicted'),
                   count(*) filter (where verdict = 'basis_dependent'),
                   count(*) filter (where verdict = 'unverifiable')
            from marts.mart_claims group by all order by article""").fetchall()
        headline = conn.execute(
            "select evidence, verdict_reason from marts.mart_claims "
            "where measure = 'btc_flows' and series = 'etf_plus_treasury_btc' and year(period_end) = 2025 "
            "order by article limit 1"
        ).fetchone()
        wrong = conn.execute("""
            select verdict, claim_id, claimed_text, observed_on, data_says from marts.mart_claims
            where verdict in ('contradicted', 'basis_dependent') order by verdict desc, article, section, claim_id
            """).fetchall()
    verdicts = VERDICTS
    lines = [
        "",
        "Claims ledger (marts.mart_claims): " + ", ".join(f"{counts.get(v, 0)} {v}" for v in verdicts),
    ]
    lines += [
        f"  {article}: {n} claims ({', '.join(f'{c} {v}' for c, v in zip(rest, verdicts, strict=False))})"
        for article, n, *rest in articles
    ]
    if headline:
        lines += [
            "  2025 supply absorption, the article's 744k BTC against 160k mined:",
            f"    {headline[0]}",
            f"    744k claim: {headline[1]}",
        ]
    for verdict in ("contradicted", "basis_dependent"):
        lines.append(f"  {verdict.capitalize().replace('_', '-')}:")
        lines += [f"    {cid} (article: {said}; {day}): {says}" for v, cid, said, day, says in wrong if v == verdict]
    return lines


# Findings the bundled snapshot is known to produce, each with its reason (data/snapshot/PROVENANCE.md): on the
# snapshot they are the truth about the data, not a fault of the run. Live data gets no such mark.
def expected_lines(failed: list[tuple], bundled: bool) -> tuple[list[str], list[tuple]]:
    """The failed checks the bundled snapshot is known to produce, one line per kind of check (the assets named),
    and the others."""
    if not bundled:
        return [], failed
    kinds: dict[str, list[str]] = {}
    for c in failed:
        if c[1] in EXPECTED_ON_SNAPSHOT:
            kinds.setdefault(c[1], []).append(c[0])
    lines = [
        f"  WARN as expected on the bundled snapshot, {check} on {len(assets)} table(s) ({', '.join(assets)}): "
        f"{EXPECTED_ON_SNAPSHOT[check][:90]}{'…' if len(EXPECTED_ON_SNAPSHOT[check]) > 90 else ''}"
        for check, assets in kinds.items()
    ]
    return lines, [c for c in failed if c[1] not in EXPECTED_ON_SNAPSHOT]


def failed_check_line(asset: str, check: str, severity: str, description: str, bundled: bool) -> str:
    """One line per failed check: what failed, why (its own description's first line), and whether the bundled
    snapshot is known to produce it."""
    why = " ".join((description or "no description").split())
    why = why if len(why) <= 100 else why[:99] + "…"
    expected = EXPECTED_ON_SNAPSHOT.get(check) if bundled else None
    mark = f" [expected on the bundled snapshot: {expected}]" if expected else ""
    return f"  FAILED ({severity}) {asset} :: {check}: {why}{mark}"


def format_summary(database: str, check_results: list[tuple], bundled: bool = True) -> str:
    """check_results: (asset, check, passed, severity[, description]); `bundled`: every family read the bundled
    snapshot."""
    lines = [
        f"Warehouse: {database} (read from {'' if lake.configured() else 'its published copy '}{where(database)})",
        "",
        f"{'table':40} {'rows':>9}  {'first':<26} {'last':<26}",
    ]
    for table, rows, first, last in table_rows(database):
        lines.append(f"{table:40} {rows:>9}  {first[:25]:<26} {last[:25]:<26}")
    lines += stress_lines(database)
    lines += claims_lines(database)
    # One line for the ledger's checks: a claim the article got wrong is news, not a pipeline failure.
    claims = [c for c in check_results if c[1].startswith("claim_")]
    others = [c for c in check_results if not c[1].startswith("claim_")]
    passed = [c for c in others if c[2]]
    failed = [c for c in others if not c[2]]
    lines += [
        "",
        f"Checks: {len(passed)} passed, {len(failed)} failed; claim checks: "
        f"{sum(c[2] for c in claims)} passed, {sum(not c[2] for c in claims)} failed "
        f"({', '.join(sorted({c[3] for c in claims if not c[2]})) or 'none'})",
    ]
    return "\n".join(lines + [failed_check_line(c[0], c[1], c[3], c[4] if len(c) > 4 else "", bundled) for c in failed])


def short_summary(full: str, check_results: list[tuple], bundled: bool, pointer: str) -> str:
    """What the terminal shows after a run: the full summary with its long blocks folded (the views of the
    staging and intermediate layers, the stressed days, the scorecard, the claims' details) and the failed checks
    the bundled snapshot is known to produce on one line per kind; the full text is in `pointer`."""
    lines = [
        line
        for line in full.splitlines()
        if not line.startswith(("staging.", "intermediate.", "ops.")) and not line.startswith("  FAILED")
    ]
    lines = fold(lines, "Ten most stressed days", 3, pointer)
    lines = fold(lines, "Episodes judged point in time", 1, pointer)
    for block in ("  Contradicted:", "  Basis-dependent:"):
        at = next((i for i, line in enumerate(lines) if line == block), None)
        if at is not None:
            end = next((i for i in range(at + 1, len(lines)) if not lines[i].startswith("    ")), len(lines))
            lines[at:end] = [f"{block} {end - at - 1} (each with the data on every basis in {pointer})"]
    failed = [c for c in check_results if not c[1].startswith("claim_") and not c[2]]
    expected, others = expected_lines(failed, bundled)
    lines += expected + [failed_check_line(c[0], c[1], c[3], c[4] if len(c) > 4 else "", bundled) for c in others]
    return "\n".join(lines + [f"Full summary: {pointer}"])
