"""Contracts on the marts: every column typed and the grain enforced by DuckDB; a type change fails the build."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lib.warehouse import published_path

DBT = str(Path(sys.executable).parent / "dbt")


def marts_nodes() -> dict[str, dict]:
    manifest = json.loads((settings.DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    return {
        n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    }


def test_every_mart_has_an_enforced_contract_matching_the_warehouse(built):
    warehouse, result = built
    assert result.success
    nodes = marts_nodes()
    assert len(nodes) >= 8
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as conn:
        for name, node in nodes.items():
            assert node["config"]["contract"]["enforced"], f"{name} has no enforced contract"
            declared = {c: (col["data_type"] or "").upper() for c, col in node["columns"].items()}
            actual = dict(
                conn.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ?",
                    [name],
                ).fetchall()
            )
            assert declared == actual, f"{name}: contract {declared} != table {actual}"
            kinds = {
                k
                for (k,) in conn.execute(
                    "select constraint_type from duckdb_constraints() where schema_name = 'marts' and table_name = ?",
                    [name],
                ).fetchall()
            }
            assert "PRIMARY KEY" in kinds, f"{name}: its grain is not a primary key in DuckDB"


@pytest.mark.slow
def test_a_model_whose_sql_changes_a_column_type_fails_the_build_with_a_clear_message(built, tmp_path):
    warehouse, _ = built
    project = tmp_path / "dbt"
    shutil.copytree(settings.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    model = project / "models" / "marts" / "fct_liquidations_daily.sql"
    sql = model.read_text()
    changed = sql.replace(") as long_usd,", ")::varchar as long_usd,")
    assert changed != sql, "the test's edit must change the model"
    model.write_text(changed)
    copy = tmp_path / "wh" / warehouse.name
    copy.parent.mkdir()
    shutil.copyfile(published_path(warehouse), copy)
    before = _rows(copy)
    done = subprocess.run(
        [
            DBT,
            "build",
            "--select",
            "fct_liquidations_daily",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--no-use-colors",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", settings.WAREHOUSE_ENV: str(copy), "HOME": str(tmp_path)},
        timeout=600,
    )
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert "enforced contract" in out and "long_usd" in out and "data type mismatch" in out, out[-3000:]
    assert _rows(copy) == before, "the mart keeps its rows when the build is refused"


def _rows(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("select count(*) from marts.fct_liquidations_daily").fetchone()[0]
