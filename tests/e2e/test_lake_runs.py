"""The services on the `lake` deployment against real servers (Postgres catalog, SeaweedFS S3, loopback):
`make serve`'s daemon loads an inbox file into the lake. (Whole runs cut off in the middle: test_lake.py.)
"""

from __future__ import annotations

from tests.lake_servers import created, row_count


def test_make_serve_on_the_lake_loads_an_inbox_file_through_the_daemon(lake_servers, tmp_path):
    """The services on the lake: the webserver and the daemon on a Postgres instance (a database beside the
    catalogs), the daemon's run loading a dropped file into the lake, and no DuckDB file anywhere."""
    import psycopg2

    from tests.e2e.test_serve import serve_and_load_an_inbox_file
    from tests.integration.test_inbox import GOOD
    from tests.postgres_server import dagster_url

    env = created(lake_servers.environ("served"))
    admin = psycopg2.connect(lake_servers.catalog("postgres"))
    admin.autocommit = True
    admin.cursor().execute("create database dagster")
    admin.close()
    serve_and_load_an_inbox_file(tmp_path, dagster_url(lake_servers.catalog("dagster")), env)
    assert row_count(env, "raw.prices") == len(GOOD.strip().splitlines()) - 1
    assert not list(tmp_path.rglob("*.duckdb"))
