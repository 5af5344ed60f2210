"""Coreference step, light and explainable: pronouns and definite descriptions ("the group",
"he") pointed at the nearest earlier actor of a fitting kind, with the rule that did it.

The word classes are data (`loaders/data/coreference.yaml`); this module holds the mechanism.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, Field
from spacy.tokens import Token

from graph_schema.models import ArticleActor
from graph_schema.vocabulary import ActorKind
from loaders.lexicon import read_data
from loaders.officials import role_holder, roles_of_title
from loaders.resolve import ActorIndex, ResolvedDoc

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
    return CoreferenceTable.model_validate(read_data(COREFERENCE_TABLE))


@dataclass(frozen=True)
class Referent:
    """A word that refers back to an actor, and the rule that said so."""

    token: Token
    actor: ArticleActor
    rule: str
    """`pronoun:he`, `description:group`: why the word was read as that actor."""


def referents(
    resolved: ResolvedDoc,
    table: CoreferenceTable | None = None,
    published: dt.date | None = None,
    index: ActorIndex | None = None,
) -> list[Referent]:
    """Every pronoun or definite description in the article that refers to a named actor.

    With the article's date, a title ("the prime minister", "the Iraqi foreign minister")
    refers to whoever held that office in that state on that day (`loaders.officials`).
    """
    table = table or coreference_table()
    found: list[Referent] = []
    holders: dict[str, ArticleActor] = {}
    """Title -> its holder named earlier: a later bare "the prime minister" is the same man."""
    for token in resolved.doc:
        if resolved.mention_at(token) is not None:
            continue
        lower = token.lower_
        if published is not None and index is not None and token.pos_ == "NOUN":
            holder = _title_holder(resolved, token, published, index, holders)
            if holder is not None:
                found.append(holder)
                continue
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


def _title_holder(
    resolved: ResolvedDoc,
    noun: Token,
    published: dt.date,
    index: ActorIndex,
    holders: dict[str, ArticleActor],
) -> Referent | None:
    """ "the Iraqi foreign minister" on 2021-03-01: the holder of that office that day. The
    state is the title's own modifier ("Iraqi", "U.S.") or the state named last before it."""
    if not _is_definite(noun) and not any(c.dep_ == "poss" for c in noun.children):
        return None
    words = [
        c.lower_
        for c in noun.children
        if c.dep_ in ("amod", "compound") and resolved.mention_at(c) is None and c.i < noun.i
    ]
    of_state = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
    title = " ".join([*words, noun.lower_])
    if of_state and any(g.lower_ == "state" for g in of_state[0].children):
        title += " of state"
    if not roles_of_title(title):
        return None
    own_state = next(
        (actor for c in noun.lefts if (actor := resolved.actor_at(c)) is not None), None
    )
    if own_state is None and title in holders:
        return Referent(noun, holders[title], f"title:{title}")
    state = own_state or resolved.last_actor_before(noun, [ActorKind.GOVERNMENT])
    if state is None or state.kind is not ActorKind.GOVERNMENT:
        return None
    term = role_holder(title, state.id, published)
    if term is None:
        return None
    entry = index.entries.get(term.actor_id)
    actor = resolved.actors.setdefault(
        term.actor_id,
        ArticleActor(
            id=term.actor_id,
            name=entry.name if entry else term.person,
            kind=ActorKind.OFFICIAL,
            aliases=sorted({entry.name, *entry.aliases}) if entry else [term.person],
        ),
    )
    holders[title] = actor
    return Referent(noun, actor, f"title:{title}")


def _is_definite(noun: Token) -> bool:
    """ "the group", "this militia": a determiner that points back; not "a group", "groups"."""
    return noun.tag_ == "NN" and any(
        child.dep_ == "det" and child.lower_ in _DEFINITE for child in noun.children
    )


def _names_own_actor(resolved: ResolvedDoc, noun: Token) -> bool:
    """ "the Iraqi government", "the Kataib Hezbollah group": the noun's own modifier names it."""
    return any(resolved.mention_at(child) is not None for child in noun.children)
