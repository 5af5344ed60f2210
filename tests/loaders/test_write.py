"""Writing extracted articles: claims with evidence, derived edges, and idempotent loads."""

from pathlib import Path

from neo4j import Driver

from graph_schema.models import Article, ExtractedArticle
from loaders.pipeline import Extractor
from loaders.read import article_from_text, read_article
from loaders.write import write_article
from service.settings import Settings

COUNTS = """
MATCH (n) WITH count(n) AS nodes
MATCH ()-[r]->() RETURN nodes, count(r) AS relationships
"""


def _counts(driver: Driver, settings: Settings) -> tuple[int, int]:
    records, _, _ = driver.execute_query(COUNTS, database_=settings.neo4j_database)
    return records[0]["nodes"], records[0]["relationships"]


def _extract(extractor: Extractor, articles: list[Article]) -> list[ExtractedArticle]:
    return list(extractor.extract(articles))


def test_loading_the_seeds_twice_changes_no_count(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    extracted = _extract(extractor, [read_article(p) for p in seed_paths])
    first = [write_article(graph, settings.neo4j_database, e) for e in extracted]
    counts = _counts(graph, settings)
    second = [write_article(graph, settings.neo4j_database, e) for e in extracted]
    assert sum(s.articles for s in first) == len(seed_paths)
    assert all(s.unchanged == 1 and s.claims == 0 for s in second)
    assert _counts(graph, settings) == counts


def test_every_edge_is_backed_by_its_asserted_claims(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    for extracted in _extract(extractor, [read_article(p) for p in seed_paths]):
        write_article(graph, settings.neo4j_database, extracted)
    records, _, _ = graph.execute_query(
        """
        MATCH (s:Actor)-[r:PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH]->(t:Actor)
        OPTIONAL MATCH (s)<-[:SUBJECT]-(c:Claim {type: type(r), polarity: 'asserted',
                                                modality: 'factual'})-[:OBJECT]->(t)
        RETURN elementId(r) AS edge, r.claims AS stated, count(c) AS backing
        """,
        database_=settings.neo4j_database,
    )
    assert records
    assert all(r["stated"] == r["backing"] > 0 for r in records)


def test_a_changed_article_replaces_its_claims_and_drops_edges_left_without_evidence(
    graph: Driver, settings: Settings, extractor: Extractor
):
    before = article_from_text("a", "Talks\nThe United States attacked Iran on Monday.")
    after = article_from_text("a", "Talks\nThe United States negotiated with Iran on Monday.")
    for article in (before, after):
        (extracted,) = _extract(extractor, [article])
        write_article(graph, settings.neo4j_database, extracted)
    records, _, _ = graph.execute_query(
        "MATCH (:Actor {id: 'united-states'})-[r]->(:Actor {id: 'iran'}) RETURN type(r) AS type",
        database_=settings.neo4j_database,
    )
    assert [r["type"] for r in records] == ["NEGOTIATES_WITH"]
