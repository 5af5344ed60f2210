"""The graph schema: constraints and indexes, applied as often as you like."""

from neo4j import Driver

from graph_schema.schema import apply_schema
from service.settings import Settings


def test_applying_the_schema_twice_is_harmless_and_creates_every_constraint(
    graph: Driver, settings: Settings
):
    apply_schema(graph, settings.neo4j_database)
    apply_schema(graph, settings.neo4j_database)
    records, _, _ = graph.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names",
        database_=settings.neo4j_database,
    )
    assert {"actor_id", "article_id", "claim_id"} <= set(records[0]["names"])
    records, _, _ = graph.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name RETURN collect(name) AS names",
        database_=settings.neo4j_database,
    )
    assert "actor_names" in records[0]["names"]
