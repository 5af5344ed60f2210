"""The active corrections as the write step applies them to what extraction read: which actor
an extracted actor is, which aliases it keeps, its kind, and each claim's verdict.

`curate.py` makes and undoes corrections; this module only reads and applies them, so that the
write step can import it.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import ManagedTransaction

from graph_schema.models import Correction
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind, ClaimStatus, CorrectionAction

Action = CorrectionAction

READ_CORRECTIONS: LiteralString = """
MATCH (c:Correction)
WHERE $all OR c.undone_at IS NULL
RETURN c {.*} AS correction
ORDER BY c.at, c.id
"""


def says(text: str, alias_key: str) -> bool:
    """Whether `text` writes the name whose key is `alias_key` (as whole words)."""
    return f" {alias_key} " in f" {name_key(text)} "


@dataclass
class Corrections:
    """The active corrections, as the write step and the graph apply them."""

    merges: dict[str, str] = field(default_factory=dict)
    """Actor id -> the actor it was merged into."""
    splits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Actor id -> (alias key, id of the actor the alias names now)."""
    removed_aliases: dict[str, set[str]] = field(default_factory=dict)
    """Actor id -> keys of the aliases it must not take again."""
    added_aliases: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, ActorKind] = field(default_factory=dict)
    actors: dict[str, tuple[str, ActorKind]] = field(default_factory=dict)
    """Name and kind of the actors corrections point at, for when a load creates them again."""
    claim_status: dict[str, ClaimStatus] = field(default_factory=dict)

    @classmethod
    def of(cls, corrections: Iterable[Correction]) -> "Corrections":
        """The effect of corrections, applied in the order they were made."""
        made = cls()
        for correction in corrections:
            if correction.active:
                made._add(correction)
        return made

    def _add(self, c: Correction) -> None:
        if c.action is Action.REJECT or c.action is Action.CONFIRM:
            assert c.claim is not None
            status = ClaimStatus.REJECTED if c.action is Action.REJECT else ClaimStatus.CONFIRMED
            self.claim_status[c.claim] = status
            return
        assert c.actor is not None
        if c.action is Action.MERGE:
            assert c.into is not None
            self.merges[c.actor] = c.into
            self.actors[c.into] = (c.before["into_name"], ActorKind(c.before["into_kind"]))
        elif c.action is Action.SPLIT:
            assert c.alias is not None
            assert c.kind is not None
            assert c.name is not None
            new_id = c.before["new_id"]
            self.splits.setdefault(c.actor, []).append((name_key(c.alias), new_id))
            self.removed_aliases.setdefault(c.actor, set()).add(name_key(c.alias))
            self.actors[new_id] = (c.name, c.kind)
        elif c.action is Action.ADD_ALIAS:
            assert c.alias is not None
            self.added_aliases.setdefault(c.actor, []).append(c.alias)
            self.removed_aliases.get(c.actor, set()).discard(name_key(c.alias))
        elif c.action is Action.REMOVE_ALIAS:
            assert c.alias is not None
            self.removed_aliases.setdefault(c.actor, set()).add(name_key(c.alias))
        elif c.action is Action.SET_KIND:
            assert c.kind is not None
            self.kinds[c.actor] = c.kind

    def actor_for(self, extracted_id: str, words: str) -> str:
        """The actor that an actor extraction read from `words` (a form or a sentence) is,
        once splits (by the words) and merges (by id) are followed."""
        current, seen = extracted_id, set()
        while current not in seen:
            seen.add(current)
            moved = next(
                (new for key, new in self.splits.get(current, ()) if says(words, key)), None
            )
            current = moved or self.merges.get(current, current)
        return current

    def kind_of(self, actor_id: str, extracted: ActorKind) -> ActorKind:
        if actor_id in self.kinds:
            return self.kinds[actor_id]
        return self.actors[actor_id][1] if actor_id in self.actors else extracted

    def keeps_alias(self, actor_id: str, alias: str) -> bool:
        return name_key(alias) not in self.removed_aliases.get(actor_id, set())

    def mention_rows(self, forms: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
        """One mention per article and actor (as corrected), from (article, form, actor
        extraction read the form as): each form keeps that actor, so that a correction, or its
        undo, can regroup them."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for article, form, extracted in forms:
            actor = self.actor_for(extracted, form)
            row = rows.setdefault(
                (article, actor),
                {"article": article, "actor": actor, "forms": [], "form_actors": []},
            )
            row["forms"].append(form)
            row["form_actors"].append(extracted)
        return list(rows.values())


NO_CORRECTIONS = Corrections()


def read_corrections(tx: ManagedTransaction, include_undone: bool = False) -> list[Correction]:
    return [
        _from_node(record["correction"]) for record in tx.run(READ_CORRECTIONS, all=include_undone)
    ]


def _from_node(node: dict[str, Any]) -> Correction:
    fields = dict(node)
    fields["before"] = json.loads(fields.get("before") or "{}")
    for moment in ("at", "undone_at"):
        if hasattr(fields.get(moment), "to_native"):
            fields[moment] = fields[moment].to_native()
    return Correction.model_validate(fields)
