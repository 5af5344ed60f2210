"""The data files extraction runs on: the actor table and the relation trigger lexicon.

Both ship in `loaders/data/` as YAML; curated entries win over the ones generated from the
PETRARCH/Phoenix dictionaries (see `scripts/build_lexicons.py`).
"""

import json
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, Field

from graph_schema.vocabulary import ActorKind, RelationType

CURATED_ACTORS = "actors.yaml"
GENERATED_ACTORS = "phoenix_actors.json"
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
    about: list[str] = []
    """Where the table comes from (the generated table's header)."""
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


def read_data(name: str) -> object:
    """A data file of `loaders/data/`: the curated ones are YAML, the generated ones JSON."""
    text = resources.files("loaders").joinpath("data", name).read_text("utf-8")
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


@cache
def _curated_actors() -> ActorTable:
    return ActorTable.model_validate(read_data(CURATED_ACTORS))


@cache
def actor_table() -> ActorTable:
    """Curated actors, then generated ones whose id and names the curated table does not claim."""
    curated = _curated_actors()
    generated = ActorTable.model_validate(read_data(GENERATED_ACTORS))
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


def ruled_actors() -> list[ActorEntry]:
    """The actors whose names the entity ruler matches ahead of NER.

    Every curated actor, and the generated groups and bodies that NER mislabels. The thousands
    of generated officials are left to NER, which tags personal names well, and are matched
    by name after it: ruling them all would add seconds to every start for no gain.
    """
    curated_ids = {entry.id for entry in _curated_actors().actors}
    return [
        entry
        for entry in actor_table().actors
        if entry.id in curated_ids or entry.kind not in (ActorKind.OFFICIAL, ActorKind.PERSON)
    ]


@cache
def relation_lexicon() -> RelationLexicon:
    return RelationLexicon.model_validate(read_data(RELATION_TRIGGERS))


QUESTION_WORDS = "question_words.yaml"


class QuestionWordSet(BaseModel):
    verbs: list[str] = []
    nouns: list[str] = []


class QuestionExample(BaseModel):
    question: str
    relation: RelationType


class QuestionWords(BaseModel):
    """What questions to the API (/ask) say beside the extraction lexicon (question_words.yaml)."""

    relations: dict[RelationType, QuestionWordSet]
    kinds: dict[ActorKind, list[str]]
    connections: list[str]
    relation_nouns: list[str]
    actor_nouns: list[str]
    examples: list[QuestionExample]


@cache
def question_words() -> QuestionWords:
    return QuestionWords.model_validate(read_data(QUESTION_WORDS))
