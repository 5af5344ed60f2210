"""Corrections: analysts' fixes, stored apart from what extraction produced and applied whenever
claims, mentions and edges are written.

A correction is a `:Correction` node: what was corrected, by whom, when and why, and what it
replaced (so that it can be undone). Extraction's own reading stays on every claim
(`extracted_source`, `extracted_target`) and every mention (`form_actors`: the actor each form
was read as), so the graph is always extraction's reading seen through the active corrections:

- a correction, or its undo, re-points the claims and mentions of the actors it names and
  recounts their edges, in one transaction;
- a load or `POST /articles` passes what it extracted through the same corrections before
  writing it (`write.py`), so that reloading or re-extracting every article brings no fixed
  mistake back.

Undo goes newest first: a correction cannot be undone while a later active one touches the same
actor or claim, so that an undo always restores exactly what its correction replaced.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import Driver, ManagedTransaction

from graph_schema.models import Correction, CorrectionIn
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind, CorrectionAction
from loaders.corrections import Corrections, read_corrections
from loaders.write import DROP_ORPHAN_ACTORS, REBUILD_EDGES, edge_pair_rows

Action = CorrectionAction

SAVE_CORRECTION: LiteralString = """
MERGE (c:Correction {id: $correction.id})
ON CREATE SET c = $correction
RETURN c.at = $correction.at AS created
"""

MARK_UNDONE: LiteralString = """
MATCH (c:Correction {id: $id})
SET c.undone_at = $at, c.undone_by = $author
"""

ACTOR: LiteralString = """
MATCH (a:Actor {id: $id})
RETURN a {.id, .name, .kind, aliases: coalesce(a.aliases, [])} AS actor
"""

CLAIM_EXISTS: LiteralString = "MATCH (c:Claim {id: $id}) RETURN c.id AS id"

# `SET a.touched` write-locks the actor before its aliases are read and changed.
SET_ACTOR: LiteralString = """
MERGE (a:Actor {id: $actor.id})
ON CREATE SET a.name = $actor.name
SET a.kind = $actor.kind, a.aliases = $actor.aliases, a.keys = $actor.keys
WITH a
CALL (a) {
    WITH a, [label IN labels(a) WHERE label <> 'Actor'] AS old
    UNWIND old AS label
    REMOVE a:$(label)
}
SET a:$($actor.label)
"""

DELETE_ACTOR: LiteralString = "MATCH (a:Actor {id: $id}) DETACH DELETE a"

CLAIMS_OF_ACTORS: LiteralString = """
UNWIND $ids AS id
MATCH (:Actor {id: id})<-[:SUBJECT|OBJECT]-(c:Claim)
WITH DISTINCT c
MATCH (s:Actor)<-[:SUBJECT]-(c)-[:OBJECT]->(t:Actor)
RETURN c.id AS id, c.type AS type, c.sentence AS sentence, s.id AS source, t.id AS target,
       coalesce(c.extracted_source, s.id) AS extracted_source,
       coalesce(c.extracted_target, t.id) AS extracted_target
"""

REPOINT_CLAIMS: LiteralString = """
UNWIND $claims AS claim
MATCH (c:Claim {id: claim.id})-[old:SUBJECT|OBJECT]->()
DELETE old
WITH DISTINCT c, claim
MATCH (s:Actor {id: claim.source}), (t:Actor {id: claim.target})
CREATE (s)<-[:SUBJECT]-(c)-[:OBJECT]->(t)
SET c.extracted_source = claim.extracted_source, c.extracted_target = claim.extracted_target
"""

MENTIONS_OF_ACTORS: LiteralString = """
UNWIND $ids AS id
MATCH (article:Article)-[m:MENTIONS]->(a:Actor {id: id})
RETURN article.id AS article, a.id AS actor, coalesce(m.forms, []) AS forms,
       coalesce(m.form_actors, [f IN coalesce(m.forms, []) | a.id]) AS form_actors
"""

REMOVE_MENTIONS_OF_ACTORS: LiteralString = """
UNWIND $ids AS id
MATCH (:Article)-[m:MENTIONS]->(:Actor {id: id})
DELETE m
"""

MERGE_MENTIONS: LiteralString = """
UNWIND $mentions AS mention
MATCH (article:Article {id: mention.article}), (a:Actor {id: mention.actor})
MERGE (article)-[m:MENTIONS]->(a)
SET m.forms = coalesce(m.forms, []) + mention.forms,
    m.form_actors = coalesce(m.form_actors, []) + mention.form_actors
"""

CLAIM_PAIR: LiteralString = """
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim {id: $id})-[:OBJECT]->(t:Actor)
SET c.status = $status
RETURN s.id AS source, c.type AS type, t.id AS target
"""


class CorrectionError(Exception):
    """A correction that cannot be made; `code` names why, as the API reports it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def list_corrections(
    driver: Driver, database: str, include_undone: bool = True
) -> list[Correction]:
    with driver.session(database=database) as session:
        return session.execute_read(read_corrections, include_undone)


def _to_node(correction: Correction) -> dict[str, Any]:
    node = correction.model_dump(mode="json", exclude_none=True)
    node["before"] = json.dumps(correction.before, sort_keys=True)
    node["at"] = correction.at
    if correction.undone_at is not None:
        node["undone_at"] = correction.undone_at
    return node


def correction_id(request: CorrectionIn, at: dt.datetime) -> str:
    """Stable for one correction made at one moment, so an import recognises it."""
    content = request.model_dump_json(exclude_none=True) + at.isoformat()
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------- making


def make_correction(
    driver: Driver, database: str, request: CorrectionIn, at: dt.datetime | None = None
) -> Correction:
    """Store a correction and apply it to the graph, in one transaction."""
    moment = at or dt.datetime.now(dt.UTC)
    with driver.session(database=database) as session:
        return session.execute_write(_make, request, moment)


def _make(
    tx: ManagedTransaction, request: CorrectionIn, at: dt.datetime, known_id: str | None = None
) -> Correction:
    """`known_id`: the id an imported correction had where it was made."""
    before = _check_and_snapshot(tx, request)
    fields = request.model_dump()
    if request.action is Action.SPLIT:
        fields["name"] = request.name or request.alias
        fields["kind"] = request.kind or before["old_kind"]
    correction = Correction(
        **fields, id=known_id or correction_id(request, at), at=at, before=before
    )
    tx.run(SAVE_CORRECTION, correction=_to_node(correction)).consume()
    active = Corrections.of(read_corrections(tx))
    _apply_to_actors(tx, correction, active, undo=False)
    _recount(tx, correction, active)
    return correction


def _actor(tx: ManagedTransaction, actor_id: str) -> dict[str, Any]:
    record = tx.run(ACTOR, id=actor_id).single()
    if record is None:
        raise CorrectionError("actor_not_found", f"No actor has the id {actor_id!r}.")
    return record["actor"]


def _check_and_snapshot(tx: ManagedTransaction, request: CorrectionIn) -> dict[str, Any]:
    """Refuse a correction that cannot apply; return what it will replace."""
    action = request.action
    if action is Action.REJECT or action is Action.CONFIRM:
        if tx.run(CLAIM_EXISTS, id=request.claim).single() is None:
            raise CorrectionError("claim_not_found", f"No claim has the id {request.claim!r}.")
        return {}
    assert request.actor is not None
    actor = _actor(tx, request.actor)
    aliases = {name_key(alias) for alias in actor["aliases"]}
    if action is Action.MERGE:
        assert request.into is not None
        into = _actor(tx, request.into)
        return {
            "name": actor["name"],
            "kind": actor["kind"],
            "aliases": actor["aliases"],
            "into_name": into["name"],
            "into_kind": into["kind"],
            "into_aliases": into["aliases"],
        }
    if action is Action.SET_KIND:
        if request.kind == actor["kind"]:
            raise CorrectionError("no_change", f"{actor['name']} is already a {request.kind}.")
        return {"kind": actor["kind"]}
    assert request.alias is not None
    key = name_key(request.alias)
    if action is Action.ADD_ALIAS:
        if key in aliases:
            raise CorrectionError(
                "no_change", f"{request.alias!r} is already an alias of {actor['name']}."
            )
        return {}
    if key not in aliases:
        raise CorrectionError(
            "alias_not_found",
            f"{request.alias!r} is not an alias of {actor['name']}; its aliases are "
            + ", ".join(repr(alias) for alias in actor["aliases"]),
        )
    if key == name_key(actor["name"]):
        raise CorrectionError(
            "alias_is_name",
            f"{request.alias!r} is {actor['name']}'s own name; merge or split its other names.",
        )
    if action is Action.REMOVE_ALIAS:
        return {}
    from loaders.resolve import slug  # resolve imports spaCy; only a split needs a new id

    new_id = slug(request.name or request.alias)
    if new_id == actor["id"]:
        raise CorrectionError("alias_is_name", f"{request.alias!r} would name {actor['name']}.")
    existing = tx.run(ACTOR, id=new_id).single()
    return {"old_kind": actor["kind"], "new_id": new_id, "created": existing is None}


def undo_correction(driver: Driver, database: str, correction_id: str, author: str) -> Correction:
    """Undo a correction: the graph goes back to what it replaced. Newest first."""
    with driver.session(database=database) as session:
        return session.execute_write(_undo, correction_id, author, dt.datetime.now(dt.UTC))


def _undo(tx: ManagedTransaction, correction_id: str, author: str, at: dt.datetime) -> Correction:
    everything = read_corrections(tx, include_undone=True)
    correction = next((c for c in everything if c.id == correction_id), None)
    if correction is None:
        raise CorrectionError(
            "correction_not_found", f"No correction has the id {correction_id!r}."
        )
    if not correction.active:
        raise CorrectionError("already_undone", f"Correction {correction_id} was undone already.")
    later = [
        c
        for c in everything
        if c.active
        and (c.at, c.id) > (correction.at, correction.id)
        and _touches(c) & _touches(correction)
    ]
    if later:
        raise CorrectionError(
            "undo_later_first",
            f"Undo the later correction {later[-1].id} ({later[-1].action.value}) first: it "
            "touches the same actor or claim.",
        )
    tx.run(MARK_UNDONE, id=correction.id, at=at, author=author).consume()
    active = Corrections.of(c for c in everything if c.active and c.id != correction.id)
    _apply_to_actors(tx, correction, active, undo=True)
    _recount(tx, correction, active)
    return correction.model_copy(update={"undone_at": at, "undone_by": author})


def _touches(correction: Correction) -> set[str]:
    """The actors and claim a correction changes."""
    ids = {correction.actor, correction.into, correction.claim, correction.before.get("new_id")}
    return {i for i in ids if i is not None}


def import_corrections(
    driver: Driver, database: str, corrections: Sequence[Correction]
) -> tuple[int, int]:
    """Make every correction of a file the graph has not seen, in the order they were made;
    one undone in the file is made and undone. Returns (made, already there)."""
    made = known = 0
    with driver.session(database=database) as session:
        stored = {c.id for c in session.execute_read(read_corrections, True)}
        for correction in sorted(corrections, key=lambda c: (c.at, c.id)):
            if correction.id in stored:
                known += 1
                continue
            request = CorrectionIn.model_validate(
                correction.model_dump(include=set(CorrectionIn.model_fields))
            )
            session.execute_write(_make, request, correction.at, correction.id)
            if not correction.active:
                assert correction.undone_at is not None
                session.execute_write(
                    _undo, correction.id, correction.undone_by or "", correction.undone_at
                )
            made += 1
    return made, known


# ---------------------------------------------------------------------------------- applying


def _apply_to_actors(
    tx: ManagedTransaction, correction: Correction, corrections: Corrections, undo: bool
) -> None:
    """What a correction (or its undo) changes on actor nodes themselves: names, aliases and
    kinds; claims and mentions follow in `_recount`."""
    action, before = correction.action, correction.before
    if action is Action.REJECT or action is Action.CONFIRM:
        return
    assert correction.actor is not None
    actor_id = correction.actor
    if action is Action.MERGE:
        assert correction.into is not None
        gained = [a for a in before["aliases"] if a not in before["into_aliases"]]
        if undo:
            _set_actor(tx, actor_id, before["name"], before["kind"], before["aliases"])
            _edit_aliases(tx, correction.into, remove=gained)
        else:
            _edit_aliases(tx, correction.into, add=gained)
        return
    if action is Action.SET_KIND:
        current = _actor(tx, actor_id)
        kind = before["kind"] if undo else correction.kind
        assert kind is not None
        _set_actor(tx, actor_id, current["name"], kind, current["aliases"])
        return
    assert correction.alias is not None
    alias = correction.alias
    if action is Action.ADD_ALIAS:
        _edit_aliases(tx, actor_id, **({"remove": [alias]} if undo else {"add": [alias]}))
    elif action is Action.REMOVE_ALIAS:
        _edit_aliases(tx, actor_id, **({"add": [alias]} if undo else {"remove": [alias]}))
    elif action is Action.SPLIT:
        new_id = before["new_id"]
        if undo:
            _edit_aliases(tx, actor_id, add=[alias])
            _edit_aliases(tx, new_id, remove=[alias])
        else:
            _edit_aliases(tx, actor_id, remove=[alias])
            assert correction.name is not None
            assert correction.kind is not None
            if before["created"]:
                _set_actor(tx, new_id, correction.name, correction.kind, [correction.name, alias])
            else:
                _edit_aliases(tx, new_id, add=[alias])


def _set_actor(
    tx: ManagedTransaction, actor_id: str, name: str, kind: str, aliases: Sequence[str]
) -> None:
    names = sorted({name, *aliases})
    tx.run(
        SET_ACTOR,
        actor={
            "id": actor_id,
            "name": name,
            "kind": kind,
            "label": ActorKind(kind).label,
            "aliases": names,
            "keys": sorted({name_key(actor_id), *map(name_key, names)}),
        },
    ).consume()


def _edit_aliases(
    tx: ManagedTransaction, actor_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> None:
    record = tx.run(ACTOR, id=actor_id).single()
    if record is None:  # gone with its last claim and mention: nothing to edit
        return
    actor = record["actor"]
    dropped = {name_key(alias) for alias in remove} - {name_key(actor["name"])}
    aliases = [a for a in actor["aliases"] if name_key(a) not in dropped]
    aliases += [a for a in add if a not in aliases]
    _set_actor(tx, actor_id, actor["name"], actor["kind"], aliases)


def _recount(tx: ManagedTransaction, correction: Correction, corrections: Corrections) -> None:
    """Re-point the claims and mentions of the actors a correction names through the active
    corrections, recount the edges they back, and drop actors left with nothing."""
    if correction.claim is not None:
        status = corrections.claim_status.get(correction.claim)
        pair = tx.run(CLAIM_PAIR, id=correction.claim, status=status and status.value).single()
        assert pair is not None
        pairs = {(pair["source"], pair["type"], pair["target"])}
        tx.run(REBUILD_EDGES, pairs=edge_pair_rows(pairs)).consume()
        return
    ids = sorted(_touches(correction))
    claims = tx.run(CLAIMS_OF_ACTORS, ids=ids).data()
    pairs: set[tuple[str, str, str]] = set()
    moved = []
    for claim in claims:
        source = corrections.actor_for(claim["extracted_source"], claim["sentence"])
        target = corrections.actor_for(claim["extracted_target"], claim["sentence"])
        pairs |= {
            (claim["source"], claim["type"], claim["target"]),
            (source, claim["type"], target),
        }
        if (source, target) != (claim["source"], claim["target"]):
            moved.append(
                {
                    "id": claim["id"],
                    "source": source,
                    "target": target,
                    "extracted_source": claim["extracted_source"],
                    "extracted_target": claim["extracted_target"],
                }
            )
    regrouped = corrections.mention_rows(
        (mention["article"], form, extracted)
        for mention in tx.run(MENTIONS_OF_ACTORS, ids=ids).data()
        for form, extracted in zip(mention["forms"], mention["form_actors"], strict=True)
    )
    _ensure_actors(
        tx,
        {row["actor"] for row in regrouped}
        | {actor for row in moved for actor in (row["source"], row["target"])},
        corrections,
    )
    tx.run(REPOINT_CLAIMS, claims=moved).consume()
    tx.run(REMOVE_MENTIONS_OF_ACTORS, ids=ids).consume()
    tx.run(MERGE_MENTIONS, mentions=regrouped).consume()
    tx.run(REBUILD_EDGES, pairs=edge_pair_rows(pairs)).consume()
    touched = set(ids) | {actor for pair in pairs for actor in (pair[0], pair[2])}
    tx.run(DROP_ORPHAN_ACTORS, ids=sorted(touched)).consume()


def _ensure_actors(tx: ManagedTransaction, ids: set[str], corrections: Corrections) -> None:
    """Actors that claims or mentions are about to point at, made again where a correction
    knows them but the graph lost them (a merge target whose own articles were deleted)."""
    for actor_id in sorted(ids):
        if tx.run(ACTOR, id=actor_id).single() is None:
            name, kind = corrections.actors[actor_id]
            _set_actor(tx, actor_id, name, corrections.kind_of(actor_id, kind), [name])
