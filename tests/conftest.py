"""Shared fixtures: the real spaCy model and a real Neo4j, each started once per session.

Without NEO4J_URI the suite runs its own local server on ports of its own (so that it never
touches the graph `actorgraph neo4j start` serves); with NEO4J_URI it uses that server, and
empties its database before each test that asks for `graph`.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from graph_schema.schema import apply_schema
from loaders.pipeline import Extractor
from service.local_neo4j import PROJECT_ROOT, LocalNeo4j
from service.settings import Settings

SEEDS = PROJECT_ROOT / "seeds"
SHARED = PROJECT_ROOT.parent / "shared"
# Two checkouts on one machine (a worktree beside main) can test at once on other ports.
TEST_BOLT_PORT = int(os.environ.get("ACTORGRAPH_TEST_BOLT_PORT", "17687"))
TEST_HTTP_PORT = int(os.environ.get("ACTORGRAPH_TEST_HTTP_PORT", "17474"))


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalNeo4j | None]:
    """The suite's own Neo4j, started once; None when NEO4J_URI names a server to use."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    server = LocalNeo4j(
        PROJECT_ROOT / ".neo4j" / "test-server",
        bolt_port=TEST_BOLT_PORT,
        http_port=TEST_HTTP_PORT,
    )
    server.ensure_installed()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings(local_server: LocalNeo4j | None) -> Settings:
    """Settings that point at the test server: the configured one, else the local one."""
    if local_server is None:
        return Settings()
    return Settings(neo4j_uri=local_server.bolt_uri, neo4j_password=local_server.password())


@pytest.fixture(scope="session")
def driver(settings: Settings) -> Iterator[Driver]:
    assert settings.neo4j_uri
    assert settings.neo4j_password
    with GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    ) as driver:
        yield driver


def reset_graph(driver: Driver, settings: Settings) -> None:
    """Empty the test database and apply the schema."""
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.neo4j_database)
    apply_schema(driver, settings.neo4j_database)


def graph_contents(driver: Driver) -> dict[str, object]:
    """What a load leaves, to compare two graphs: articles, actors, claims and mentions
    counted, and every derived edge with its counts."""
    records, _, _ = driver.execute_query(
        """
        CALL () { MATCH (a:Article) RETURN count(a) AS articles }
        CALL () { MATCH (a:Actor) RETURN count(a) AS actors }
        CALL () { MATCH (c:Claim) RETURN count(c) AS claims }
        CALL () { MATCH (:Article)-[m:MENTIONS]->(:Actor) RETURN count(m) AS mentions }
        CALL () {
            MATCH (s:Actor)-[r:PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH]->(t:Actor)
            RETURN collect([s.id, type(r), t.id, r.claims, r.articles]) AS edges
        }
        RETURN articles, actors, claims, mentions, edges
        """
    )
    row = records[0].data()
    row["edges"] = sorted(map(tuple, row["edges"]))
    return row


@pytest.fixture
def graph(driver: Driver, settings: Settings) -> Driver:
    """A driver on an empty graph with the schema applied."""
    reset_graph(driver, settings)
    return driver


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))
