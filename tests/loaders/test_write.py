"""Writing extracted articles: claims with evidence, derived edges, idempotent batched loads."""

from pathlib import Path

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from graph_schema.models import Article, DuplicateArticle, ExtractedArticle, WriteSummary
from loaders.pipeline import Extractor, load_articles
from loaders.read import article_from_text, read_article
from loaders.write import already_written, write_articles
from service.settings import Settings

COUNTS = """
MATCH (n) WITH count(n) AS nodes
MATCH ()-[r]->() RETURN nodes, count(r) AS relationships
"""

GAINED = """
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (a:Actor) RETURN count(a) AS actors }
CALL () { MATCH (c:Claim) RETURN count(c) AS claims }
CALL () { MATCH (:Actor)-[r]->(:Actor) RETURN count(r) AS relationships }
RETURN articles, actors, claims, relationships
"""

EDGES_AND_THEIR_CLAIMS = """
MATCH (s:Actor)-[r]->(t:Actor)
OPTIONAL MATCH (s)<-[:SUBJECT]-(c:Claim {type: type(r), polarity: 'asserted',
                                        modality: 'factual'})-[:OBJECT]->(t)
OPTIONAL MATCH (c)-[:STATED_IN]->(a:Article)
WITH s, r, t, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles,
     min(c.date) AS first_seen, max(c.date) AS last_seen, collect(c.confidence) AS confidences
RETURN s.id + ' ' + type(r) + ' ' + t.id AS edge,
       [r.claims, r.articles, r.first_seen, r.last_seen, r.confidence] AS stored,
       [claims, articles, first_seen, last_seen,
        round(1.0 - reduce(p = 1.0, x IN confidences | p * (1.0 - x)), 3)] AS from_claims
"""

EDGE_TYPES = (
    "MATCH (:Actor {id: 'united-states'})-[r]->(:Actor {id: 'iran'}) RETURN type(r) AS type"
)


def _counts(driver: Driver, settings: Settings) -> tuple[int, int]:
    records, _, _ = driver.execute_query(COUNTS, database_=settings.neo4j_database)
    return records[0]["nodes"], records[0]["relationships"]


def _in_graph(driver: Driver, settings: Settings) -> WriteSummary:
    """How many articles, actors, claims and derived edges the graph holds."""
    records, _, _ = driver.execute_query(GAINED, database_=settings.neo4j_database)
    return WriteSummary(**records[0].data())


def _extract(extractor: Extractor, articles: list[Article]) -> list[ExtractedArticle]:
    return list(extractor.extract(articles))


def _write(
    driver: Driver, settings: Settings, articles: list[ExtractedArticle], batch_size: int = 2
) -> list[WriteSummary]:
    """Write in small batches, so that later batches add to what earlier ones wrote."""
    return [
        added for _, added in write_articles(driver, settings.neo4j_database, articles, batch_size)
    ]


def _seeds(extractor: Extractor, seed_paths: list[Path]) -> list[ExtractedArticle]:
    return _extract(extractor, [read_article(p) for p in seed_paths])


def _talks(extractor: Extractor, verb: str) -> ExtractedArticle:
    """The same article id, claiming what `verb` says the United States did to Iran."""
    (extracted,) = _extract(
        extractor, [article_from_text("a", f"Talks\nThe United States {verb} Iran on Monday.")]
    )
    return extracted


def _edges_against_claims(driver: Driver, settings: Settings) -> list[tuple[str, list, list]]:
    records, _, _ = driver.execute_query(EDGES_AND_THEIR_CLAIMS, database_=settings.neo4j_database)
    return [(r["edge"], r["stored"], r["from_claims"]) for r in records]


def test_loading_the_seeds_twice_changes_no_count(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    extracted = _seeds(extractor, seed_paths)
    first = sum(_write(graph, settings, extracted), WriteSummary())
    counts = _counts(graph, settings)
    second = sum(_write(graph, settings, extracted), WriteSummary())
    assert first.articles == len(seed_paths)
    assert second == WriteSummary(unchanged=len(seed_paths))
    assert _counts(graph, settings) == counts


def test_the_summaries_add_up_to_what_the_graph_gained(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    added = sum(_write(graph, settings, _seeds(extractor, seed_paths)), WriteSummary())
    assert added == _in_graph(graph, settings)
    assert added.claims > 0
    assert added.relationships > 0


def test_every_edge_holds_what_a_recount_of_its_asserted_claims_gives(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    # Batches of two: edges grow by what each batch's new articles add to them.
    _write(graph, settings, _seeds(extractor, seed_paths))
    edges = _edges_against_claims(graph, settings)
    assert edges
    for edge, stored, from_claims in edges:
        assert stored == from_claims, edge
        assert stored[0] > 0, edge


def test_a_changed_article_replaces_its_claims_and_drops_edges_left_without_evidence(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    _write(graph, settings, [_talks(extractor, "attacked")])
    changed, new = _talks(extractor, "negotiated with"), *_seeds(extractor, seed_paths[:1])
    (added,) = _write(graph, settings, [changed, new], 10)
    records, _, _ = graph.execute_query(EDGE_TYPES, database_=settings.neo4j_database)
    assert [r["type"] for r in records] == ["NEGOTIATES_WITH"]
    assert (added.articles, added.replaced) == (1, 1)
    assert added.claims == len(changed.claims) + len(new.claims)
    for edge, stored, from_claims in _edges_against_claims(graph, settings):
        assert stored == from_claims, edge


def test_an_article_given_twice_in_one_load_ends_as_its_last_version(
    graph: Driver, settings: Settings, extractor: Extractor
):
    written = _write(
        graph, settings, [_talks(extractor, "attacked"), _talks(extractor, "negotiated with")], 10
    )
    records, _, _ = graph.execute_query(EDGE_TYPES, database_=settings.neo4j_database)
    assert [r["type"] for r in records] == ["NEGOTIATES_WITH"]
    assert [added.articles for added in written] == [1, 0]


def test_a_batch_that_fails_leaves_nothing_of_itself(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    good, bad = _seeds(extractor, seed_paths[:2])
    bad = bad.model_copy(update={"claims": [*bad.claims, bad.claims[0]]})
    with pytest.raises(ConstraintError):
        _write(graph, settings, [good, bad], 10)
    assert _in_graph(graph, settings) == WriteSummary()


def _summaries(
    graph: Driver, settings: Settings, extractor: Extractor, articles: tuple[Article, ...]
) -> list[WriteSummary]:
    written = write_articles(graph, settings.neo4j_database, extractor.extract(articles))
    return [summary for _, summary in written]


def test_the_same_text_under_another_id_is_counted_once_and_named(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    """A seed copied under another name, or with its white space changed, is no new evidence;
    two copies in one batch are written once."""
    seed = read_article(seed_paths[0])
    _summaries(graph, settings, extractor, (seed,))
    before = graph.execute_query(GAINED, database_=settings.neo4j_database).records[0].data()
    spaced = "  " + seed.text.replace(" ", "  \n", 3)
    copies = [
        article_from_text("copy-a", seed.text),
        article_from_text("copy-b", spaced),
    ]
    (summary,) = _summaries(graph, settings, extractor, tuple(copies))
    assert [(d.id, d.duplicate_of) for d in summary.duplicates] == [
        ("copy-a", seed.id), ("copy-b", seed.id)
    ]  # fmt: skip
    assert (summary.articles, summary.claims, summary.unchanged) == (0, 0, 0)
    assert (
        graph.execute_query(GAINED, database_=settings.neo4j_database).records[0].data() == before
    )
    fresh = article_from_text("fresh", "A new text\nIran pressured Iraq to expel American troops.")
    twins = [fresh, article_from_text("fresh-twin", fresh.text)]
    (summary,) = _summaries(graph, settings, extractor, tuple(twins))
    assert summary.articles == 1
    assert [(d.id, d.duplicate_of) for d in summary.duplicates] == [("fresh-twin", "fresh")]


def test_a_reload_recognises_unchanged_articles_before_parsing_them(
    graph: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
):
    """What a load parses is what it yields as extracted: on a reload of unchanged files that
    is nothing, and each article is still counted once, as unchanged."""
    articles = [read_article(p) for p in seed_paths]
    first = list(load_articles(extractor, graph, settings.neo4j_database, articles))
    assert sum(len(extracted) for extracted, _ in first) == len(articles)
    counted = []
    again = list(
        load_articles(
            extractor,
            graph,
            settings.neo4j_database,
            articles,
            on_article=lambda: counted.append(1),
        )
    )
    assert [extracted for extracted, _ in again if extracted] == []
    assert sum(added.unchanged for _, added in again) == len(articles)
    assert len(counted) == len(articles)


def test_already_written_tells_unchanged_from_changed_and_from_a_text_held_elsewhere(
    graph: Driver, settings: Settings, extractor: Extractor
):
    stored = article_from_text("a", "Talks\nThe United States pressured Iran on Monday.")
    _write(graph, settings, _extract(extractor, [stored]))
    changed = article_from_text("a", "Talks\nThe United States attacked Iran on Monday.")
    copy = article_from_text("b", "Talks\nThe United States  pressured Iran\non Monday.")
    new = article_from_text("c", "Talks\nIraq pressured Iran.")
    unchanged, duplicates = already_written(
        graph, settings.neo4j_database, [stored, changed, copy, new]
    )
    assert unchanged == {"a"}
    assert duplicates == [DuplicateArticle(id="b", duplicate_of="a")]
