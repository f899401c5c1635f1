"""The end-to-end tests' shared servers: one lake deployment (Postgres and S3) per test process, for every
tests/e2e/test_lake*.py file that process runs."""

from tests.lake_servers import lake_servers  # noqa: F401 - the session fixture
