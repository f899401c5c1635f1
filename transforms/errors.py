"""The one error type every parser and loader raises for bad input."""

from __future__ import annotations

import polars as pl


class SourceError(ValueError):
    """Bad input from a source: says which source, which file, which row and which rule.

    `rejected` holds the offending rows (one per violation, with the raw record as text) so the loader
    can quarantine them; a file-level problem (HTML, empty, missing column) has one row with no row number.
    """

    def __init__(
        self,
        source: str,
        file: str,
        rule: str,
        row: int | None = None,
        detail: str = "",
        rejected: pl.DataFrame | None = None,
        count: int = 1,
    ):
        self.source, self.file, self.rule, self.row, self.detail = source, file, rule, row, detail
        self.count = count
        self.rejected = (
            rejected
            if rejected is not None
            else pl.DataFrame(
                {"row_number": [row], "rule": [rule], "detail": [detail], "record": [None]}, schema=REJECTED_SCHEMA
            )
        )
        # Rows and violations are counted apart: one row can break two rules.
        self.rows = max(1, self.rejected["row_number"].drop_nulls().n_unique()) if self.rejected.height else 1
        where = f"row {row}" if row is not None else "whole file"
        more = (
            f" ({self.rows} rejected row(s), {count} rule violation(s), each kept in ops.quarantine)"
            if count > 1
            else ""
        )
        super().__init__(f"[{source}] {file}, {where}: rule '{rule}' broken" + (f": {detail}" if detail else "") + more)


REJECTED_SCHEMA = {"row_number": pl.Int64, "rule": pl.String, "detail": pl.String, "record": pl.String}
