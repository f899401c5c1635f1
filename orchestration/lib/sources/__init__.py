"""Live connectors: one Dagster resource per public service, all built on `HttpSource`."""
