"""Every raw column is described in the dbt sources, which dbt docs and the UI's column schema read."""

from orchestration import settings as project


def test_every_raw_column_is_described_where_dbt_and_the_ui_read_it():
    import yaml

    from orchestration.lib.raw_tables import RAW_TABLES

    sources = yaml.safe_load(
        (project.PROJECT_ROOT / "transforms" / "dbt" / "models" / "staging" / "raw" / "_raw__sources.yml").read_text()
    )
    described = {
        t["name"]: {c["name"] for c in t.get("columns", []) if c.get("description")}
        for t in sources["sources"][0]["tables"]
    }
    for table in RAW_TABLES.values():
        assert set(table.all_columns) <= described[table.name], table.name
