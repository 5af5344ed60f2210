"""Write step: one extracted article into Neo4j, in one transaction, idempotently.

Claims are the record; the analyst edges (`PRESSURES`, `FUNDS`, ...) are derived from them and
rebuilt for every (source, type, target) a write touches, so they never drift from the claims.
"""

from typing import Any, LiteralString

from neo4j import Driver, ManagedTransaction

from graph_schema.models import ExtractedArticle, WriteSummary
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind

EXTRACTION_VERSION = "1"
"""Bumped whenever extraction changes what it finds, so that a load refreshes old articles."""

STORED_ARTICLE: LiteralString = """
MATCH (a:Article {id: $id})
RETURN a.sha256 AS sha256, a.extraction AS extraction
"""

MERGE_ARTICLE: LiteralString = """
MERGE (a:Article {id: $article.id})
SET a.title = $article.title, a.source = $article.source, a.published = $article.published,
    a.url = $article.url, a.sha256 = $article.sha256, a.extraction = $extraction
"""

REMOVE_STALE_CLAIMS: LiteralString = """
MATCH (c:Claim)-[:STATED_IN]->(:Article {id: $article_id})
WHERE NOT c.id IN $claim_ids
MATCH (s:Actor)<-[:SUBJECT]-(c)-[:OBJECT]->(t:Actor)
WITH c, s.id AS source, c.type AS type, t.id AS target
DETACH DELETE c
RETURN source, type, target
"""

REMOVE_STALE_MENTIONS: LiteralString = """
MATCH (:Article {id: $article_id})-[m:MENTIONS]->(actor:Actor)
WHERE NOT actor.id IN $actor_ids
DELETE m
"""

MERGE_ACTORS: LiteralString = """
MATCH (article:Article {id: $article_id})
UNWIND $actors AS actor
MERGE (a:Actor {id: actor.id})
ON CREATE SET a.name = actor.name, a.kind = actor.kind, a:$(actor.label)
SET a.aliases = reduce(acc = coalesce(a.aliases, []), alias IN actor.aliases |
        CASE WHEN alias IN acc THEN acc ELSE acc + alias END),
    a.keys = reduce(acc = coalesce(a.keys, []), key IN actor.keys |
        CASE WHEN key IN acc THEN acc ELSE acc + key END)
MERGE (article)-[m:MENTIONS]->(a)
SET m.forms = actor.mentions
"""

MERGE_CLAIMS: LiteralString = """
MATCH (article:Article {id: $article_id})
UNWIND $claims AS claim
MATCH (s:Actor {id: claim.source}), (t:Actor {id: claim.target})
MERGE (c:Claim {id: claim.id})
ON CREATE SET c += claim.properties
MERGE (c)-[:SUBJECT]->(s)
MERGE (c)-[:OBJECT]->(t)
MERGE (c)-[:STATED_IN]->(article)
"""

REBUILD_EDGES: LiteralString = """
UNWIND $pairs AS pair
MATCH (s:Actor {id: pair.source}), (t:Actor {id: pair.target})
OPTIONAL MATCH (s)<-[:SUBJECT]-(c:Claim {type: pair.type, polarity: 'asserted',
                                        modality: 'factual'})-[:OBJECT]->(t)
OPTIONAL MATCH (c)-[:STATED_IN]->(a:Article)
WITH s, t, pair, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles,
     min(c.date) AS first_seen, max(c.date) AS last_seen, collect(c.confidence) AS confidences
CALL (s, t, pair, claims) {
    MATCH (s)-[r]->(t)
    WHERE type(r) = pair.type AND claims = 0
    DELETE r
}
WITH s, t, pair, claims, articles, first_seen, last_seen, confidences
WHERE claims > 0
MERGE (s)-[r:$(pair.type)]->(t)
SET r.claims = claims, r.articles = articles, r.first_seen = first_seen,
    r.last_seen = last_seen,
    r.confidence = round(1.0 - reduce(p = 1.0, x IN confidences | p * (1.0 - x)), 3)
"""


def write_article(driver: Driver, database: str, extracted: ExtractedArticle) -> WriteSummary:
    """Write one article with its actors and claims; an unchanged article is left alone."""
    with driver.session(database=database) as session:
        return session.execute_write(_write, extracted)


def _write(tx: ManagedTransaction, extracted: ExtractedArticle) -> WriteSummary:
    article = extracted.article
    stored = tx.run(STORED_ARTICLE, id=article.id).single()
    if stored and stored["sha256"] == article.sha256 and stored["extraction"] == EXTRACTION_VERSION:
        return WriteSummary(unchanged=1)
    summary = WriteSummary(
        articles=tx.run(
            MERGE_ARTICLE,
            article=article.model_dump(mode="json", include=_ARTICLE_FIELDS)
            | {"published": article.published},
            extraction=EXTRACTION_VERSION,
        )
        .consume()
        .counters.nodes_created
    )
    stale = tx.run(
        REMOVE_STALE_CLAIMS,
        article_id=article.id,
        claim_ids=[claim.id for claim in extracted.claims],
    ).data()
    tx.run(
        REMOVE_STALE_MENTIONS,
        article_id=article.id,
        actor_ids=[actor.id for actor in extracted.actors],
    ).consume()
    summary.actors = (
        tx.run(MERGE_ACTORS, article_id=article.id, actors=_actor_rows(extracted))
        .consume()
        .counters.nodes_created
    )
    summary.claims = (
        tx.run(MERGE_CLAIMS, article_id=article.id, claims=_claim_rows(extracted))
        .consume()
        .counters.nodes_created
    )
    pairs = {(c.source.id, c.type.value, c.target.id) for c in extracted.claims} | {
        (row["source"], row["type"], row["target"]) for row in stale
    }
    summary.relationships = (
        tx.run(
            REBUILD_EDGES,
            pairs=[{"source": s, "type": t, "target": o} for s, t, o in sorted(pairs)],
        )
        .consume()
        .counters.relationships_created
    )
    return summary


_ARTICLE_FIELDS = {"id", "title", "source", "url", "sha256"}


def _actor_rows(extracted: ExtractedArticle) -> list[dict[str, Any]]:
    return [
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind.value,
            "label": ActorKind(actor.kind).label,
            "aliases": sorted({actor.name, *actor.aliases, *actor.mentions}),
            "keys": sorted(
                {name_key(n) for n in (actor.id, actor.name, *actor.aliases, *actor.mentions)}
            ),
            "mentions": actor.mentions,
        }
        for actor in extracted.actors
    ]


def _claim_rows(extracted: ExtractedArticle) -> list[dict[str, Any]]:
    return [
        {
            "id": claim.id,
            "source": claim.source.id,
            "target": claim.target.id,
            "properties": {
                "id": claim.id,
                "type": claim.type.value,
                "sentence": claim.evidence.sentence,
                "start": claim.evidence.start,
                "end": claim.evidence.end,
                "date": claim.date,
                "pattern": claim.pattern,
                "confidence": claim.confidence,
                "polarity": claim.polarity.value,
                "modality": claim.modality.value,
            },
        }
        for claim in extracted.claims
    ]
