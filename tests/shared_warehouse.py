"""One full materialization of the bundled data, shared by the read-only integration tests.

Building the warehouse takes most of a minute; tests that only read it (and the idempotence test, whose
second run must change nothing) share this one instead of building their own.
"""

import pytest

from tests.integration.materialize import materialize


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("built") / "liquidity.duckdb"
    return warehouse, materialize(warehouse, raise_on_error=False)
