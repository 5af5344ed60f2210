"""Every read the API makes, as named Cypher beside the one function that runs it.

Values reach Cypher only as parameters. Each query returns the response's shape (map
projections) and pydantic validates it; there is no mapping layer in between.
"""

import datetime as dt
import re
from typing import Any, LiteralString

from neo4j import READ_ACCESS, Driver, RoutingControl
from neo4j.exceptions import (
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph_schema.models import (
    ActorPath,
    ActorRef,
    ActorSummary,
    ArticleDetail,
    ArticleSummary,
    ClaimDetail,
    ExportEdge,
    Network,
    RelationGroup,
    Stats,
)
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind, RelationType
from service.database import GraphQueryError, GraphUnavailableError

ANALYST_TYPES = "PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH"

_ACTOR_SUMMARY: LiteralString = """a {
    .id, .name, .kind, aliases: coalesce(a.aliases, []),
    article_count: COUNT { (a)<-[:MENTIONS]-(:Article) },
    evidence_count: COUNT { (a)<-[:SUBJECT|OBJECT]-(:Claim) }
}"""

FIND_ACTORS: LiteralString = """
MATCH (a:Actor)
WHERE a.id = $id OR $key IN a.keys
RETURN a {.id, .name, .kind} AS actor
ORDER BY COUNT { (a)<-[:MENTIONS]-() } DESC, a.id
LIMIT 10
"""

ACTOR_DETAILS: LiteralString = (
    """
MATCH (a:Actor) WHERE a.id IN $ids
RETURN """
    + _ACTOR_SUMMARY
    + """ AS actor
ORDER BY actor.article_count DESC, a.id
"""
)

SEARCH_ACTORS: LiteralString = (
    """
CALL db.index.fulltext.queryNodes('actor_names', $lucene) YIELD node AS a, score
WHERE $kind IS NULL OR a.kind = $kind
WITH a, score ORDER BY score DESC, a.id
WITH collect(a) AS found
RETURN {total: size(found), actors: [a IN found[$offset..$offset + $limit] | """
    + _ACTOR_SUMMARY
    + """]} AS page
"""
)

LIST_ACTORS: LiteralString = (
    """
MATCH (a:Actor)
WHERE $kind IS NULL OR a.kind = $kind
WITH a ORDER BY COUNT { (a)<-[:MENTIONS]-() } DESC, a.id
WITH collect(a) AS found
RETURN {total: size(found), actors: [a IN found[$offset..$offset + $limit] | """
    + _ACTOR_SUMMARY
    + """]} AS page
"""
)

_EVIDENCE_FILTER: LiteralString = """
      ($since IS NULL OR c.date >= $since) AND ($until IS NULL OR c.date <= $until)
      AND (c.confidence >= $min_confidence OR c.status = 'confirmed')
      AND (c.status IS NULL OR c.status <> 'rejected')"""
"""The claims that back an edge in a period: a rejected claim backs none, a confirmed one
passes any confidence threshold."""

_EDGE_IN_PERIOD: LiteralString = """
      ($since IS NULL OR r.last_seen >= $since) AND ($until IS NULL OR r.first_seen <= $until)"""
"""An edge whose dated claims reach into the period; an undated edge passes no date filter."""

_EVIDENCE_ITEM: LiteralString = """c {
    claim_id: c.id, article_id: a.id, article_title: a.title, .sentence, .start, .end,
    .date, .confidence, .pattern, .model, features: coalesce(c.features, []), .status
}"""

# The start of a relations query decides whether the planner can seek actors by id: filters of
# the form `$ids IS NULL OR s.id IN $ids` make it scan every analyst relation instead. So the
# actors named start the match (the union also finds relations between two named actors once),
# and only a query that names no actor scans.
_RELATIONS_OF_NAMED_ACTORS: LiteralString = (
    """
CALL () {
    MATCH (s:Actor WHERE s.id IN coalesce($source_ids, $either_ids))-[r:"""
    + ANALYST_TYPES
    + """]->(t:Actor)
    RETURN s, r, t
    UNION
    MATCH (s:Actor)-[r:"""
    + ANALYST_TYPES
    + """]->(t:Actor WHERE t.id IN coalesce($target_ids, $either_ids))
    RETURN s, r, t
}"""
)

_ALL_RELATIONS: LiteralString = (
    """
MATCH (s:Actor)-[r:"""
    + ANALYST_TYPES
    + """]->(t:Actor)"""
)

_RELATIONS_FILTERED_WITH_EVIDENCE: LiteralString = (
    """
WITH s, r, t
WHERE type(r) IN $types
  AND ($source_ids IS NULL OR s.id IN $source_ids)
  AND ($target_ids IS NULL OR t.id IN $target_ids)
  AND ($either_ids IS NULL OR s.id IN $either_ids OR t.id IN $either_ids)
  AND ($source_kind IS NULL OR s.kind = $source_kind)
  AND ($target_kind IS NULL OR t.kind = $target_kind)
CALL (s, r, t) {
    MATCH (s)<-[:SUBJECT]-(c:Claim {type: type(r), polarity: 'asserted', modality: 'factual'})
          -[:OBJECT]->(t),
          (c)-[:STATED_IN]->(a:Article)
    WHERE"""
    + _EVIDENCE_FILTER
    + """
    WITH c, a ORDER BY c.confidence DESC, c.date, c.id
    RETURN count(c) AS evidence_count, min(c.date) AS first_seen, max(c.date) AS last_seen,
           collect("""
    + _EVIDENCE_ITEM
    + """)[..$evidence_limit] AS evidence
}
WITH s, r, t, evidence_count, first_seen, last_seen, evidence
WHERE evidence_count > 0
RETURN {
    source: s {.id, .name, .kind}, type: type(r), target: t {.id, .name, .kind},
    evidence_count: evidence_count, confidence: r.confidence,
    first_seen: first_seen, last_seen: last_seen, evidence: evidence
} AS relation
ORDER BY r.confidence DESC, evidence_count DESC, s.id, t.id
SKIP $offset
LIMIT $limit
"""
)

RELATIONS_OF_ACTORS: LiteralString = _RELATIONS_OF_NAMED_ACTORS + _RELATIONS_FILTERED_WITH_EVIDENCE
RELATIONS: LiteralString = _ALL_RELATIONS + _RELATIONS_FILTERED_WITH_EVIDENCE

# The hop bound of a variable-length pattern cannot be a parameter: the pattern allows the
# API's maximum, and the WHERE clause applies the caller's bound.
PATHS: LiteralString = (
    """
MATCH (from:Actor {id: $from_id}), (to:Actor {id: $to_id})
MATCH p = allShortestPaths((from)-[:"""
    + ANALYST_TYPES
    + """*..4]-(to))
WHERE length(p) <= $max_hops AND all(r IN relationships(p) WHERE"""
    + _EDGE_IN_PERIOD
    + """)
WITH p LIMIT $limit
CALL (p) {
    UNWIND range(0, length(p) - 1) AS i
    WITH i, relationships(p)[i] AS r, nodes(p)[i] AS before
    WITH i, r, before, startNode(r) AS s, endNode(r) AS t
    CALL (r, s, t) {
        MATCH (s)<-[:SUBJECT]-(c:Claim {type: type(r), polarity: 'asserted', modality: 'factual'})
              -[:OBJECT]->(t),
              (c)-[:STATED_IN]->(a:Article)
        WHERE ($since IS NULL OR c.date >= $since) AND ($until IS NULL OR c.date <= $until)
          AND (c.status IS NULL OR c.status <> 'rejected')
        WITH c, a ORDER BY c.confidence DESC, c.id LIMIT $evidence_limit
        RETURN collect("""
    + _EVIDENCE_ITEM
    + """) AS evidence
    }
    WITH i, {
        source: s {.id, .name, .kind}, type: type(r), target: t {.id, .name, .kind},
        direction: CASE WHEN s = before THEN 'forward' ELSE 'backward' END,
        evidence_count: r.claims, confidence: r.confidence, evidence: evidence
    } AS hop
    ORDER BY i
    RETURN collect(hop) AS hops
}
RETURN {actors: [n IN nodes(p) | n {.id, .name, .kind}], hops: hops} AS path
"""
)

EXPORT_EDGES: LiteralString = (
    """
MATCH (s:Actor)-[r:"""
    + ANALYST_TYPES
    + """]->(t:Actor)
WHERE type(r) IN $types
  AND ($source_ids IS NULL OR s.id IN $source_ids)
  AND ($target_ids IS NULL OR t.id IN $target_ids)
  AND ($source_kind IS NULL OR s.kind = $source_kind)
  AND ($target_kind IS NULL OR t.kind = $target_kind)
  AND r.confidence >= $min_confidence AND"""
    + _EDGE_IN_PERIOD
    + """
RETURN {
    source: s {.id, .name, .kind}, source_aliases: coalesce(s.aliases, []), type: type(r),
    target: t {.id, .name, .kind}, target_aliases: coalesce(t.aliases, []),
    evidence_count: r.claims, confidence: r.confidence,
    first_seen: r.first_seen, last_seen: r.last_seen
} AS edge
ORDER BY s.id, type(r), t.id
"""
)

NETWORK: LiteralString = (
    """
MATCH (center:Actor {id: $id})
OPTIONAL MATCH p = (center)-[:"""
    + ANALYST_TYPES
    + """*1..2]-(:Actor)
WHERE length(p) <= $depth AND all(r IN relationships(p) WHERE type(r) IN $types AND"""
    + _EDGE_IN_PERIOD
    + """)
UNWIND (CASE WHEN p IS NULL THEN [null] ELSE relationships(p) END) AS r
WITH center, collect(DISTINCT r) AS rels
UNWIND [center] + [r IN rels | startNode(r)] + [r IN rels | endNode(r)] AS n
WITH rels, collect(DISTINCT n {.id, .name, .kind}) AS nodes
RETURN {
    nodes: nodes,
    edges: [r IN rels | {
        source: startNode(r).id, target: endNode(r).id, type: type(r),
        evidence_count: r.claims, confidence: r.confidence
    }]
} AS network
"""
)

_ARTICLE_SUMMARY: LiteralString = """a {
    .id, .title, .source, .published, .url,
    claim_count: COUNT { (a)<-[:STATED_IN]-(:Claim) }
}"""

LIST_ARTICLES: LiteralString = (
    """
MATCH (a:Article)
WITH a ORDER BY a.published DESC, a.id
WITH collect(a) AS found
RETURN {total: size(found), articles: [a IN found[$offset..$offset + $limit] | """
    + _ARTICLE_SUMMARY
    + """]} AS page
"""
)

ARTICLE_DETAIL: LiteralString = """
MATCH (a:Article {id: $id})
RETURN a {
    .id, .title, .source, .published, .url,
    claim_count: COUNT { (a)<-[:STATED_IN]-(:Claim) },
    actors: COLLECT { MATCH (a)-[:MENTIONS]->(x:Actor) RETURN x {.id, .name, .kind} ORDER BY x.id },
    claims: COLLECT {
        MATCH (s:Actor)<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(t:Actor), (c)-[:STATED_IN]->(a)
        WITH c, s, t ORDER BY c.start, c.type, s.id, t.id
        RETURN c {
            claim_id: c.id, .type, source: s {.id, .name, .kind}, target: t {.id, .name, .kind},
            .sentence, .start, .end, .confidence, .pattern, .model,
            features: coalesce(c.features, []), .polarity, .modality, .status
        }
    }
} AS article
"""

CLAIM_DETAIL: LiteralString = """
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim {id: $id})-[:OBJECT]->(t:Actor), (c)-[:STATED_IN]->(a:Article)
RETURN c {
    claim_id: c.id, .type, source: s {.id, .name, .kind}, target: t {.id, .name, .kind},
    .sentence, .start, .end, .confidence, .pattern, .model,
    features: coalesce(c.features, []), .polarity, .modality, .status, .date,
    article_id: a.id, article_title: a.title
} AS claim
"""

STATS: LiteralString = (
    """
RETURN {
    articles: COUNT { (:Article) },
    claims: COUNT { (:Claim) },
    actors_by_kind: COLLECT {
        MATCH (a:Actor) WITH a.kind AS kind, count(*) AS n RETURN {kind: kind, n: n}
    },
    relations_by_type: COLLECT {
        MATCH ()-[r:"""
    + ANALYST_TYPES
    + """]->() WITH type(r) AS type, count(*) AS n RETURN {type: type, n: n}
    }
} AS stats
"""
)

PING: LiteralString = "RETURN 1 AS ok"


_UNAVAILABLE = (
    ServiceUnavailable,
    SessionExpired,
    DatabaseUnavailable,
    OSError,
)
"""What says Neo4j is not there (yet, or for now): worth a retry, so 503."""


def _run(driver: Driver, database: str, query: LiteralString, **parameters: Any) -> list[Any]:
    """Run a read in a managed read transaction. A lost connection becomes GraphUnavailableError
    (503, worth a retry); any other failure of Neo4j's GraphQueryError (500)."""

    try:
        records, _, _ = driver.execute_query(
            query, parameters, database_=database, routing_=RoutingControl.READ
        )
        return [record[0] for record in records]
    except _UNAVAILABLE as error:
        raise GraphUnavailableError("Neo4j did not answer") from error
    except (DriverError, Neo4jError) as error:
        raise GraphQueryError(str(error)) from error


def ping(driver: Driver, database: str) -> bool:
    """Whether Neo4j answers now: one attempt, without the managed transactions' retries, so
    that /health answers at once while Neo4j is down."""
    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            record = session.run(PING).single()
        return record is not None and record[0] == 1
    except (*_UNAVAILABLE, DriverError, Neo4jError):
        return False


def find_actors(driver: Driver, database: str, name: str) -> list[ActorRef]:
    """Actors whose id, name or alias is `name`, compared case- and accent-insensitively."""
    rows = _run(driver, database, FIND_ACTORS, id=name, key=name_key(name))
    return [ActorRef.model_validate(row) for row in rows]


def actor_details(driver: Driver, database: str, ids: list[str]) -> list[ActorSummary]:
    return [ActorSummary.model_validate(r) for r in _run(driver, database, ACTOR_DETAILS, ids=ids)]


MAX_SEARCH_WORDS = 8
"""Words of a name that a full-text search reads: each fuzzy word costs Neo4j an expansion, and
no actor's name has more."""


def _lucene(text: str, fuzzy: bool) -> str:
    """A full-text query from user words: Lucene's syntax escaped, every word required."""
    words = re.findall(r"\w+", name_key(text))[:MAX_SEARCH_WORDS]
    return " AND ".join(f"{word}~" if fuzzy and len(word) > 3 else f"{word}*" for word in words)


def search_actors(
    driver: Driver,
    database: str,
    *,
    text: str | None,
    kind: ActorKind | None,
    limit: int,
    offset: int,
    fuzzy: bool = False,
) -> tuple[int, list[ActorSummary]]:
    """Actors matching `text` by name or alias (all actors without it), best first."""
    kind_value = kind.value if kind else None
    page = {"kind": kind_value, "limit": limit, "offset": offset}
    if text is None:
        (found,) = _run(driver, database, LIST_ACTORS, **page)
    elif lucene := _lucene(text, fuzzy):
        (found,) = _run(driver, database, SEARCH_ACTORS, lucene=lucene, **page)
    else:
        return 0, []
    return found["total"], [ActorSummary.model_validate(a) for a in found["actors"]]


def relations(
    driver: Driver,
    database: str,
    *,
    types: list[RelationType],
    source_ids: list[str] | None = None,
    target_ids: list[str] | None = None,
    either_ids: list[str] | None = None,
    source_kind: ActorKind | None = None,
    target_kind: ActorKind | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_confidence: float = 0.0,
    limit: int = 50,
    offset: int = 0,
    evidence_limit: int = 10,
) -> list[RelationGroup]:
    """Relations grouped by (source, type, target), with the evidence that passes the filters."""
    names_actors = source_ids is not None or target_ids is not None or either_ids is not None
    rows = _run(
        driver,
        database,
        RELATIONS_OF_ACTORS if names_actors else RELATIONS,
        types=[t.value for t in types],
        source_ids=source_ids,
        target_ids=target_ids,
        either_ids=either_ids,
        source_kind=source_kind.value if source_kind else None,
        target_kind=target_kind.value if target_kind else None,
        since=since,
        until=until,
        min_confidence=min_confidence,
        limit=limit,
        offset=offset,
        evidence_limit=evidence_limit,
    )
    return [RelationGroup.model_validate(row) for row in rows]


def paths(
    driver: Driver,
    database: str,
    *,
    from_id: str,
    to_id: str,
    max_hops: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 10,
    evidence_limit: int = 3,
) -> list[ActorPath]:
    """The shortest paths, over edges whose dated claims reach into [since, until]."""
    rows = _run(
        driver,
        database,
        PATHS,
        from_id=from_id,
        to_id=to_id,
        max_hops=max_hops,
        since=since,
        until=until,
        limit=limit,
        evidence_limit=evidence_limit,
    )
    return [ActorPath.model_validate(row) for row in rows]


def network(
    driver: Driver,
    database: str,
    *,
    actor_id: str,
    depth: int,
    types: list[RelationType],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Network:
    """Nodes and edges around the actor, over edges whose dated claims reach into the period."""
    types_ = [t.value for t in types]
    rows = _run(
        driver, database, NETWORK, id=actor_id, depth=depth, types=types_, since=since, until=until
    )
    return Network.model_validate(rows[0])


def export_edges(
    driver: Driver,
    database: str,
    *,
    types: list[RelationType],
    source_ids: list[str] | None = None,
    target_ids: list[str] | None = None,
    source_kind: ActorKind | None = None,
    target_kind: ActorKind | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_confidence: float = 0.0,
) -> list[ExportEdge]:
    """Every edge of the analyst graph that passes the filters (on the edge: its confidence and
    the period its dated claims span), with both actors."""
    rows = _run(
        driver, database, EXPORT_EDGES, types=[t.value for t in types], source_ids=source_ids,
        target_ids=target_ids, source_kind=source_kind.value if source_kind else None,
        target_kind=target_kind.value if target_kind else None, since=since, until=until,
        min_confidence=min_confidence,
    )  # fmt: skip
    return [ExportEdge.model_validate(row) for row in rows]


def list_articles(
    driver: Driver, database: str, *, limit: int, offset: int
) -> tuple[int, list[ArticleSummary]]:
    (page,) = _run(driver, database, LIST_ARTICLES, limit=limit, offset=offset)
    return page["total"], [ArticleSummary.model_validate(a) for a in page["articles"]]


def article_detail(driver: Driver, database: str, article_id: str) -> ArticleDetail | None:
    rows = _run(driver, database, ARTICLE_DETAIL, id=article_id)
    return ArticleDetail.model_validate(rows[0]) if rows else None


def claim_detail(driver: Driver, database: str, claim_id: str) -> ClaimDetail | None:
    rows = _run(driver, database, CLAIM_DETAIL, id=claim_id)
    return ClaimDetail.model_validate(rows[0]) if rows else None


def stats(driver: Driver, database: str) -> Stats:
    (row,) = _run(driver, database, STATS)
    return Stats(
        articles=row["articles"],
        claims=row["claims"],
        actors_by_kind={item["kind"]: item["n"] for item in row["actors_by_kind"]},
        relations_by_type={item["type"]: item["n"] for item in row["relations_by_type"]},
    )
