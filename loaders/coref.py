"""Coreference step, light and explainable: pronouns and definite descriptions ("the group",
"he") pointed at the nearest earlier actor of a fitting kind, with the rule that did it.

The word classes are data (`loaders/data/coreference.yaml`); this module holds the mechanism.
"""

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, Field
from spacy.tokens import Token

from graph_schema.models import ArticleActor
from graph_schema.vocabulary import ActorKind
from loaders.resolve import ResolvedDoc

COREFERENCE_TABLE = "coreference.yaml"
_DEFINITE = frozenset({"the", "this", "that"})


class CoreferenceExample(BaseModel):
    text: str
    word: str
    refers_to: str


class CoreferenceTable(BaseModel):
    horizon: int = Field(ge=1, le=10)
    pronouns: dict[str, list[ActorKind]]
    descriptions: dict[str, list[ActorKind]]
    examples: list[CoreferenceExample] = []


@cache
def coreference_table() -> CoreferenceTable:
    text = resources.files("loaders").joinpath("data", COREFERENCE_TABLE).read_text("utf-8")
    return CoreferenceTable.model_validate(yaml.safe_load(text))


@dataclass(frozen=True)
class Referent:
    """A word that refers back to an actor, and the rule that said so."""

    token: Token
    actor: ArticleActor
    rule: str
    """`pronoun:he`, `description:group`: why the word was read as that actor."""


def referents(resolved: ResolvedDoc, table: CoreferenceTable | None = None) -> list[Referent]:
    """Every pronoun or definite description in the article that refers to a named actor."""
    table = table or coreference_table()
    found: list[Referent] = []
    for token in resolved.doc:
        if resolved.mention_at(token) is not None:
            continue
        lower = token.lower_
        if token.pos_ == "PRON" or token.tag_ == "PRP$":
            kinds, rule = table.pronouns.get(lower), f"pronoun:{lower}"
        elif token.pos_ == "NOUN" and _is_definite(token) and not _names_own_actor(resolved, token):
            lemma = token.lemma_.lower()
            kinds, rule = table.descriptions.get(lemma), f"description:{lemma}"
        else:
            continue
        if not kinds:
            continue
        actor = resolved.last_actor_before(token, kinds, within_sentences=table.horizon)
        if actor is not None:
            found.append(Referent(token, actor, rule))
    return found


def _is_definite(noun: Token) -> bool:
    """ "the group", "this militia": a determiner that points back; not "a group", "groups"."""
    return noun.tag_ == "NN" and any(
        child.dep_ == "det" and child.lower_ in _DEFINITE for child in noun.children
    )


def _names_own_actor(resolved: ResolvedDoc, noun: Token) -> bool:
    """ "the Iraqi government", "the Kataib Hezbollah group": the noun's own modifier names it."""
    return any(resolved.mention_at(child) is not None for child in noun.children)
