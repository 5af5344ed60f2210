"""The data files extraction runs on: the actor table and the relation trigger lexicon.

Both ship in `loaders/data/` as YAML; curated entries win over the ones generated from the
PETRARCH/Phoenix dictionaries (see `scripts/build_lexicons.py`).
"""

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, Field

from graph_schema.vocabulary import ActorKind, RelationType

CURATED_ACTORS = "actors.yaml"
GENERATED_ACTORS = "phoenix_actors.yaml"
RELATION_TRIGGERS = "relations.yaml"


class ActorEntry(BaseModel):
    """One canonical actor and the ways texts name it."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    kind: ActorKind
    aliases: list[str] = []
    """Names found in any spelling by the entity ruler (distinctive, safe to match anywhere)."""
    places: list[str] = []
    """Capitals and seats standing for a state (Washington, Tehran); resolved only where NER
    tags a place, never fed to the ruler, so longer names that contain them stay intact."""
    adjectives: list[str] = []
    """Demonyms standing for the actor where they modify an actor noun (Iranian missile strikes)."""
    affiliation: str | None = None
    """Id of the state or group an official or militia belongs to."""


class ActorTable(BaseModel):
    actors: list[ActorEntry]


class TriggerSet(BaseModel):
    """The words that state one relation type."""

    verbs: dict[str, list[str]] = {}
    """Verb lemma -> where its target stands: `dobj`, a preposition (`with`, `on`, `against`),
    or `dobj+to` (a direct object counted only when an infinitive follows: "asked X to leave")."""
    nouns: dict[str, list[str]] = {}
    """Noun lemma -> prepositions that introduce its target ("talks with X", "strikes on X")."""
    participles: list[str] = []
    """Second halves of hyphenated compounds: "Iran-backed militia" -> Iran FUNDS militia."""


class RelationLexicon(BaseModel):
    relations: dict[RelationType, TriggerSet]


def _read_yaml(name: str) -> object:
    return yaml.safe_load(resources.files("loaders").joinpath("data", name).read_text("utf-8"))


@cache
def actor_table() -> ActorTable:
    """Curated actors, then generated ones whose id and names the curated table does not claim."""
    curated = ActorTable.model_validate(_read_yaml(CURATED_ACTORS))
    generated = ActorTable.model_validate(_read_yaml(GENERATED_ACTORS))
    claimed_ids = {entry.id for entry in curated.actors}
    claimed_names = {
        name.casefold() for entry in curated.actors for name in (entry.name, *entry.aliases)
    }
    extra = [
        entry
        for entry in generated.actors
        if entry.id not in claimed_ids
        and not {n.casefold() for n in (entry.name, *entry.aliases)} & claimed_names
    ]
    return ActorTable(actors=[*curated.actors, *extra])


@cache
def relation_lexicon() -> RelationLexicon:
    return RelationLexicon.model_validate(_read_yaml(RELATION_TRIGGERS))
