"""Great Expectations suites as data and pure functions, run by the checks in defs/ and by the benchmark."""
