"""Write step: extracted articles into Neo4j, one transaction per batch of articles, idempotently.

Claims are the record; the analyst edges (`PRESSURES`, `FUNDS`, ...) are derived from them by the
same transaction, so they never drift from the claims. An edge keeps, besides what analysts read
(claims, articles, first_seen, last_seen, confidence), its `doubt`: the product of (1 - confidence)
over its claims, unrounded, so that claims from new articles are added to it without recounting
(recounting a busy pair on every batch made loads quadratic). Where an article was replaced and
claims may have gone, the edges it touches are recounted from their claims.

Any number of processes may write at once. A batch first locks its articles (in id order) and
only then reads what is stored of them, so a second writer of the same article waits for the
first and finds it written; it then locks its actors (in id order), the ends of every edge it
touches, so that the counts it adds to an edge are read after any other writer's.
"""

import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, LiteralString

from neo4j import Driver, ManagedTransaction, Session, SummaryCounters
from neo4j.exceptions import ConstraintError

from graph_schema.models import (
    Article,
    ArticleActor,
    DeleteSummary,
    DuplicateArticle,
    ExtractedArticle,
    WriteSummary,
)
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind, ClaimStatus
from loaders.corrections import NO_CORRECTIONS, Corrections, read_corrections
from loaders.version import extraction_version

EXTRACTION_VERSION = extraction_version()
"""Changes whenever extraction may find something else, so that a load refreshes old articles."""

WRITE_BATCH = 100
"""Articles per transaction. Bulk writes gain from larger ones (bench_load, 2 cores: 50 articles
~430 relations/s, 100 ~500, 200 ~650, 500 ~740), but `load` spends nearly all its time extracting
(~10 articles/s against hundreds written), and a batch is also the step of its progress bar."""

LOCK_ARTICLES: LiteralString = """
UNWIND $ids AS id
MERGE (a:Article {id: id})
SET a.locked = true
REMOVE a.locked
RETURN a.id AS id, a.sha256 AS sha256, a.extraction AS extraction
"""
"""Each article's node, created bare if new, write-locked until the transaction ends; what is
stored of it is read after the lock, so it is what the last writer committed."""

HELD_TEXTS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Article {text_key: key})
WHERE a.sha256 IS NOT NULL AND NOT a.id IN $ids
RETURN key, min(a.id) AS id
"""
"""Articles of other ids that already hold these texts (white space aside)."""

DROP_UNWRITTEN: LiteralString = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
WHERE a.sha256 IS NULL
DETACH DELETE a
"""
"""The bare nodes the lock made for articles left out as duplicates."""

DELETE_ARTICLES: LiteralString = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)-[:MENTIONS]->(mentioned:Actor)
WITH a, a.id AS deleted, collect(mentioned.id) AS mentioned
DETACH DELETE a
RETURN deleted, mentioned
"""

DROP_ORPHAN_ACTORS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Actor {id: id})
WHERE NOT EXISTS { (a)<-[:MENTIONS]-(:Article) } AND NOT EXISTS { (a)<-[:SUBJECT|OBJECT]-(:Claim) }
DETACH DELETE a
RETURN count(*) AS dropped
"""
"""Actors that no article mentions and no claim names any more."""

CONFLICT_RETRIES = 3
"""A batch that still meets a uniqueness conflict is written again: it then reads the winner's."""

MERGE_ARTICLES: LiteralString = """
UNWIND $articles AS article
MERGE (a:Article {id: article.id})
SET a += article.properties
"""

REMOVE_CLAIMS: LiteralString = """
UNWIND $ids AS id
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim)-[:STATED_IN]->(:Article {id: id}),
      (c)-[:OBJECT]->(t:Actor)
WITH c, c.id AS claim, s.id AS source, c.type AS type, t.id AS target
DETACH DELETE c
RETURN claim, source, type, target
"""

REMOVE_MENTIONS: LiteralString = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[m:MENTIONS]->(:Actor)
DELETE m
"""

MERGE_ACTORS: LiteralString = """
UNWIND $actors AS actor
MERGE (a:Actor {id: actor.id})
ON CREATE SET a.name = actor.name, a.kind = actor.kind, a:$(actor.label)
SET a.aliases = reduce(acc = coalesce(a.aliases, []), alias IN actor.aliases |
        CASE WHEN alias IN acc THEN acc ELSE acc + alias END),
    a.keys = reduce(acc = coalesce(a.keys, []), key IN actor.keys |
        CASE WHEN key IN acc THEN acc ELSE acc + key END)
"""

CREATE_MENTIONS: LiteralString = """
UNWIND $mentions AS mention
MATCH (article:Article {id: mention.article}), (a:Actor {id: mention.actor})
CREATE (article)-[:MENTIONS {forms: mention.forms, form_actors: mention.form_actors}]->(a)
"""

CREATE_CLAIMS: LiteralString = """
UNWIND $claims AS claim
MATCH (article:Article {id: claim.article}),
      (s:Actor {id: claim.source}), (t:Actor {id: claim.target})
CREATE (s)<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(t), (c)-[:STATED_IN]->(article)
SET c = claim.properties
"""

REBUILD_EDGES: LiteralString = """
UNWIND $pairs AS pair
MATCH (s:Actor {id: pair.source}), (t:Actor {id: pair.target})
OPTIONAL MATCH (s)<-[:SUBJECT]-(c:Claim {type: pair.type, polarity: 'asserted',
                                        modality: 'factual'})-[:OBJECT]->(t)
WHERE c.status IS NULL OR c.status <> 'rejected'
OPTIONAL MATCH (c)-[:STATED_IN]->(a:Article)
WITH s, t, pair, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles,
     min(c.date) AS first_seen, max(c.date) AS last_seen,
     collect(CASE c.status WHEN 'confirmed' THEN 1.0 ELSE c.confidence END) AS confidences
CALL (s, t, pair, claims) {
    MATCH (s)-[r]->(t)
    WHERE type(r) = pair.type AND claims = 0
    DELETE r
}
WITH s, t, pair, claims, articles, first_seen, last_seen,
     reduce(p = 1.0, x IN confidences | p * (1.0 - x)) AS doubt
WHERE claims > 0
MERGE (s)-[r:$(pair.type)]->(t)
SET r.claims = claims, r.articles = articles, r.first_seen = first_seen,
    r.last_seen = last_seen, r.doubt = doubt, r.confidence = round(1.0 - doubt, 3)
"""

# An edge written before `doubt` was kept starts from its rounded confidence.
ADD_TO_EDGES: LiteralString = """
UNWIND $edges AS edge
MATCH (s:Actor {id: edge.source}), (t:Actor {id: edge.target})
MERGE (s)-[r:$(edge.type)]->(t)
WITH r, edge, coalesce(r.doubt, 1.0 - r.confidence, 1.0) * edge.doubt AS doubt
SET r.claims = coalesce(r.claims, 0) + edge.claims,
    r.articles = coalesce(r.articles, 0) + edge.articles,
    r.first_seen = CASE WHEN r.first_seen < edge.first_seen THEN r.first_seen
                        ELSE coalesce(edge.first_seen, r.first_seen) END,
    r.last_seen = CASE WHEN r.last_seen > edge.last_seen THEN r.last_seen
                       ELSE coalesce(edge.last_seen, r.last_seen) END,
    r.doubt = doubt, r.confidence = round(1.0 - doubt, 3)
"""


def write_articles(
    driver: Driver,
    database: str,
    articles: Iterable[ExtractedArticle],
    batch_size: int = WRITE_BATCH,
) -> Iterator[tuple[list[ExtractedArticle], WriteSummary]]:
    """Write articles with their actors and claims, one transaction per batch of `batch_size`.

    Yields each batch with what it added. Articles already stored with the same text and
    extraction version are left alone; a changed one loses the claims it no longer makes. A batch
    that fails leaves nothing of itself behind.
    """
    with driver.session(database=database) as session:
        for batch in _batches(articles, batch_size):
            yield batch, _write_with_retry(session, batch)


def _write_with_retry(session: Session, batch: Sequence[ExtractedArticle]) -> WriteSummary:
    for _ in range(CONFLICT_RETRIES - 1):
        with contextlib.suppress(ConstraintError):
            return session.execute_write(_write_batch, batch)
    return session.execute_write(_write_batch, batch)


def _batches(
    articles: Iterable[ExtractedArticle], batch_size: int
) -> Iterator[list[ExtractedArticle]]:
    """Consecutive batches in which no article id repeats, so each batch reads as one write."""
    batch: list[ExtractedArticle] = []
    ids: set[str] = set()
    for extracted in articles:
        if len(batch) == batch_size or extracted.article.id in ids:
            yield batch
            batch, ids = [], set()
        batch.append(extracted)
        ids.add(extracted.article.id)
    if batch:
        yield batch


def _write_batch(tx: ManagedTransaction, batch: Sequence[ExtractedArticle]) -> WriteSummary:
    stored = {
        record["id"]: (record["sha256"], record["extraction"])
        for record in tx.run(LOCK_ARTICLES, ids=sorted(e.article.id for e in batch))
        if record["sha256"] is not None  # a node just created by the lock is no stored article
    }
    new, duplicates = _new_texts(tx, [e for e in batch if e.article.id not in stored])
    replaced = [
        e
        for e in batch
        if e.article.id in stored and stored[e.article.id] != (e.article.sha256, EXTRACTION_VERSION)
    ]
    changed = new + replaced
    summary = WriteSummary(
        unchanged=len(batch) - len(changed) - len(duplicates),
        replaced=len(replaced),
        duplicates=duplicates,
    )
    if not changed:
        return summary
    # What extraction read goes in as the analysts' corrections say it should.
    corrections = Corrections.of(read_corrections(tx))
    # A replaced article loses its claims and mentions and gets what it says now, so that every
    # claim and mention is CREATEd: much cheaper than MERGE, and nothing stale can stay.
    removed: list[dict[str, Any]] = []
    if replaced:
        removed = tx.run(REMOVE_CLAIMS, ids=[e.article.id for e in replaced]).data()
        tx.run(REMOVE_MENTIONS, ids=[e.article.id for e in replaced]).consume()
    _unwind(tx, MERGE_ARTICLES, articles=article_rows(changed))
    summary.articles = len(new)
    summary.actors = _unwind(
        tx, MERGE_ACTORS, actors=actor_rows(changed, corrections)
    ).nodes_created
    _unwind(tx, CREATE_MENTIONS, mentions=mention_rows(changed, corrections))
    claims = claim_rows(changed, corrections)
    _unwind(tx, CREATE_CLAIMS, claims=claims)
    summary.claims = len({claim["id"] for claim in claims} - {row["claim"] for row in removed})
    # Edges gain what new articles claim; those a replaced article touches are recounted.
    replaced_ids = {e.article.id for e in replaced}
    recount = {_pair(c) for c in claims if c["article"] in replaced_ids} | set(map(_pair, removed))
    new_claims = [claim for claim in claims if claim["article"] not in replaced_ids]
    added = [edge for edge in edge_additions(new_claims) if _pair(edge) not in recount]
    summary.relationships = (
        _unwind(tx, ADD_TO_EDGES, edges=added).relationships_created
        + _unwind(tx, REBUILD_EDGES, pairs=edge_pair_rows(recount)).relationships_created
    )
    return summary


def _new_texts(
    tx: ManagedTransaction, candidates: list[ExtractedArticle]
) -> tuple[list[ExtractedArticle], list[DuplicateArticle]]:
    """The articles new to the graph whose text no other article holds; the others, each with
    the id that holds its text (in the graph, or earlier in the batch)."""
    if not candidates:
        return [], []
    ids = [e.article.id for e in candidates]
    held = {
        record["key"]: record["id"]
        for record in tx.run(HELD_TEXTS, keys=[e.article.text_key for e in candidates], ids=ids)
    }
    new: list[ExtractedArticle] = []
    duplicates: list[DuplicateArticle] = []
    for extracted in candidates:
        key = extracted.article.text_key
        if key in held:
            duplicates.append(DuplicateArticle(id=extracted.article.id, duplicate_of=held[key]))
        else:
            held[key] = extracted.article.id
            new.append(extracted)
    if duplicates:
        tx.run(DROP_UNWRITTEN, ids=[d.id for d in duplicates]).consume()
    return new, duplicates


def _unwind(tx: ManagedTransaction, query: LiteralString, **rows: list[Any]) -> SummaryCounters:
    """Run a statement over its rows, unless it has none: a round trip saved."""
    if not any(rows.values()):
        return SummaryCounters({})
    return tx.run(query, rows).consume().counters


Pair = tuple[str, str, str]
"""(source actor id, relation type, target actor id): what one derived edge stands for."""


def _pair(row: dict[str, Any]) -> Pair:
    """The pair of a row that has source, type and target."""
    return row["source"], row["type"], row["target"]


def edge_pair_rows(pairs: Iterable[Pair]) -> list[dict[str, str]]:
    """The parameters of REBUILD_EDGES, in a stable order. A pair of an actor with itself (a
    claim whose two sides were merged) backs no edge."""
    return [
        {"source": source, "type": type_, "target": target}
        for source, type_, target in sorted(set(pairs))
        if source != target
    ]


# The rows below are the statements' parameters; bench_load's baseline writes the same ones.
# Each reads the batch through the analysts' corrections (none by default).


def article_rows(batch: Sequence[ExtractedArticle]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.article.id,
            "properties": {
                "title": e.article.title,
                "source": e.article.source,
                "published": e.article.published,
                "url": e.article.url,
                "sha256": e.article.sha256,
                "text_key": e.article.text_key,
                "extraction": EXTRACTION_VERSION,
            },
        }
        for e in batch
    ]


def actor_rows(
    batch: Sequence[ExtractedArticle], corrections: Corrections = NO_CORRECTIONS
) -> list[dict[str, Any]]:
    """Each actor of the batch once, with every name any of its articles gives it."""
    rows: dict[str, dict[str, Any]] = {}
    for extracted in batch:
        for actor in extracted.actors:
            for name in {actor.name, *actor.aliases, *actor.mentions}:
                actor_id = corrections.actor_for(actor.id, name)
                if not corrections.keeps_alias(actor_id, name):
                    continue
                row = rows.get(actor_id)
                if row is None:
                    row = rows[actor_id] = _actor_row(actor, actor_id, corrections)
                row["aliases"].add(name)
                row["keys"].add(name_key(name))
    # In id order: writing them locks them, and concurrent writers that lock in one order
    # cannot deadlock.
    return [
        row | {"aliases": sorted(row["aliases"]), "keys": sorted(row["keys"])}
        for _, row in sorted(rows.items())
    ]


def _actor_row(actor: ArticleActor, actor_id: str, corrections: Corrections) -> dict[str, Any]:
    """A new row for the actor `actor` is (after corrections), named and kinded as they say."""
    name = actor.name
    if actor_id != actor.id:
        name = corrections.actors.get(actor_id, (actor.name, actor.kind))[0]
    kind = corrections.kind_of(actor_id, ActorKind(actor.kind))
    added = corrections.added_aliases.get(actor_id, [])
    return {
        "id": actor_id,
        "name": name,
        "kind": kind.value,
        "label": kind.label,
        "aliases": {name, *added},
        "keys": {name_key(actor_id), name_key(name), *map(name_key, added)},
    }


def mention_rows(
    batch: Sequence[ExtractedArticle], corrections: Corrections = NO_CORRECTIONS
) -> list[dict[str, Any]]:
    return corrections.mention_rows(
        (e.article.id, form, actor.id)
        for e in batch
        for actor in e.actors
        for form in actor.mentions or [actor.name]
    )


def claim_rows(
    batch: Sequence[ExtractedArticle], corrections: Corrections = NO_CORRECTIONS
) -> list[dict[str, Any]]:
    """Claims keep the ids extraction gave them and the actors it read, whatever the
    corrections point them at: that is how a correction finds them again."""
    rows = []
    for e in batch:
        for claim in e.claims:
            sentence = claim.evidence.sentence
            status = corrections.claim_status.get(claim.id)
            rows.append(
                {
                    "id": claim.id,
                    "article": e.article.id,
                    "source": corrections.actor_for(claim.source.id, sentence),
                    "type": claim.type.value,
                    "target": corrections.actor_for(claim.target.id, sentence),
                    "asserted": claim.is_asserted,
                    "properties": {
                        "id": claim.id,
                        "type": claim.type.value,
                        "sentence": sentence,
                        "start": claim.evidence.start,
                        "end": claim.evidence.end,
                        "date": claim.date,
                        "pattern": claim.pattern,
                        "confidence": claim.confidence,
                        "model": claim.model,
                        "features": claim.features,
                        "polarity": claim.polarity.value,
                        "modality": claim.modality.value,
                        "extracted_source": claim.source.id,
                        "extracted_target": claim.target.id,
                        "status": status and status.value,
                    },
                }
            )
    return rows


def edge_additions(new_claims: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the claims of articles new to the graph (`claim_rows`) add to each edge: asserted
    ones, not rejected, a confirmed one with confidence 1."""
    groups: dict[Pair, list[dict[str, Any]]] = {}
    for row in new_claims:
        status = row["properties"]["status"]
        if row["asserted"] and status != ClaimStatus.REJECTED and row["source"] != row["target"]:
            groups.setdefault(_pair(row), []).append(row)
    edges = []
    for (source, type_, target), rows in groups.items():
        dates = [row["properties"]["date"] for row in rows if row["properties"]["date"]]
        edges.append(
            {
                "source": source,
                "type": type_,
                "target": target,
                "claims": len(rows),
                "articles": len({row["article"] for row in rows}),
                "first_seen": min(dates, default=None),
                "last_seen": max(dates, default=None),
                "doubt": math.prod(
                    0.0
                    if row["properties"]["status"] == ClaimStatus.CONFIRMED
                    else 1.0 - row["properties"]["confidence"]
                    for row in rows
                ),
            }
        )
    return edges


STORED_ARTICLES: LiteralString = """
UNWIND $articles AS article
OPTIONAL MATCH (same:Article {id: article.id})
WHERE same.sha256 = article.sha256 AND same.extraction = $extraction
OPTIONAL MATCH (other:Article {text_key: article.text_key})
WHERE other.sha256 IS NOT NULL AND other.id <> article.id
WITH article, same, min(other.id) AS held_by
RETURN article.id AS id, same IS NOT NULL AS unchanged, held_by
"""


def already_written(
    driver: Driver, database: str, articles: Sequence[Article]
) -> tuple[set[str], list[DuplicateArticle]]:
    """Which articles need no parse: stored with this text by this extraction (their ids), or
    whose text another article already holds (with that article's id). A read, so that a
    reload of unchanged files costs a query per batch instead of a parse per article."""
    rows = [{"id": a.id, "sha256": a.sha256, "text_key": a.text_key} for a in articles]
    records, _, _ = driver.execute_query(
        STORED_ARTICLES,
        articles=rows,
        extraction=EXTRACTION_VERSION,
        database_=database,
        routing_="r",
    )
    unchanged = {record["id"] for record in records if record["unchanged"]}
    duplicates = [
        DuplicateArticle(id=record["id"], duplicate_of=record["held_by"])
        for record in records
        if not record["unchanged"] and record["held_by"] is not None
    ]
    return unchanged, duplicates


def delete_articles(driver: Driver, database: str, ids: Sequence[str]) -> DeleteSummary:
    """Delete articles by id, in one transaction: their claims go, the edges those claims
    backed are recounted (or go), and actors left with no claim and no mention go."""
    with driver.session(database=database) as session:
        return session.execute_write(_delete, sorted(set(ids)))


def _delete(tx: ManagedTransaction, ids: list[str]) -> DeleteSummary:
    removed = tx.run(REMOVE_CLAIMS, ids=ids).data()
    deleted = tx.run(DELETE_ARTICLES, ids=ids).data()
    tx.run(REBUILD_EDGES, pairs=edge_pair_rows(map(_pair, removed))).consume()
    touched = {actor for row in deleted for actor in row["mentioned"]}
    touched |= {actor for row in removed for actor in (row["source"], row["target"])}
    dropped = tx.run(DROP_ORPHAN_ACTORS, ids=sorted(touched)).single()
    return DeleteSummary(
        articles=[row["deleted"] for row in deleted],
        missing=sorted(set(ids) - {row["deleted"] for row in deleted}),
        claims=len(removed),
        actors=dropped["dropped"] if dropped else 0,
    )
