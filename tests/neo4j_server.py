"""Start the in-process Neo4j (tools/neo4j-launcher) for the integration tests.

``ZCGRAPH_NEO4J_URI`` (with ``ZCGRAPH_NEO4J_USER``/``ZCGRAPH_NEO4J_PASSWORD``) points the tests at a
running server instead. Without either, the tests that need Neo4j skip, saying why, unless
``ZCGRAPH_REQUIRE_NEO4J=1`` (set by .ci/run), which turns that skip into a failure.
"""

from __future__ import annotations

import os

import pytest

from zcgraph.graph.local_neo4j import LocalNeo4j, Neo4jUnavailable


def _unavailable(reason: str) -> None:
    if os.environ.get("ZCGRAPH_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required here (ZCGRAPH_REQUIRE_NEO4J=1) but: {reason}")
    pytest.skip(f"no Neo4j: {reason}")


class Server(LocalNeo4j):
    def start(self) -> "Server":
        try:
            super().start()
        except Neo4jUnavailable as e:
            _unavailable(str(e))
        return self
