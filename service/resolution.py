"""Turning the actor a request names (id, name or alias) into graph ids, or a helpful 404."""

import difflib
import itertools
import re
from functools import cache

from neo4j import Driver

from graph_schema.models import ActorRef, ActorSummary
from graph_schema.names import name_key
from loaders.lexicon import actor_table, question_words
from service import queries
from service.errors import ApiError

_SEVERAL = re.compile(r"\s*(?:,|&|\band\b|\bor\b)\s*", re.IGNORECASE)
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|')$")
_CLOSE_ENOUGH = 0.7
"""How alike a misspelt name and an actor's name must be, at least, for /ask to correct it."""


def resolve_actor_ids(driver: Driver, database: str, name: str, parameter: str) -> list[str]:
    """Ids of the actors called `name`; 404 with close matches when there are none."""
    return [actor.id for actor in resolve_actors(driver, database, name, parameter)]


def resolve_actors(driver: Driver, database: str, name: str, parameter: str) -> list[ActorRef]:
    actors = queries.find_actors(driver, database, name)
    if actors:
        return actors
    raise _not_found(name, parameter, _fuzzy(driver, database, name))


def resolve_question_actors(
    driver: Driver, database: str, words: str
) -> tuple[list[ActorRef], list[str]]:
    """The actors a question's words name, and notes on any reading that was not literal.

    Tried in turn: the words as a name; without an article, possessive or trailing common noun
    ("the US", "Iran's", "US troops", "the Iraqi government"); as a demonym or seat of the actor
    table ("American", "Tehran"); as several actors ("Iraq and Iran"); as a misspelling, when
    one actor's name is clearly the closest ("Irak"). Else 404 naming the words.
    """
    found = _named(driver, database, words)
    if found:
        return found, []
    parts = [part for part in _SEVERAL.split(words) if part]
    if len(parts) > 1:
        each = [_named(driver, database, part) for part in parts]
        if all(each):
            return _unique([actor for actors in each for actor in actors]), []
    close = _fuzzy(driver, database, words)
    corrected = _closest(words, close)
    if corrected is not None:
        return [corrected], [f"{words!r} read as {corrected.name!r}"]
    raise _not_found(words, "q", close)


def _named(driver: Driver, database: str, words: str) -> list[ActorRef]:
    actor_nouns = question_words().actor_nouns
    candidates = [words]
    bare = _POSSESSIVE.sub("", _DETERMINER.sub("", words.strip()))
    candidates.append(bare)
    tokens = bare.split()
    while len(tokens) > 1 and _singular(tokens[-1].lower()) in actor_nouns:
        tokens.pop()
        candidates.append(" ".join(tokens))
    for candidate in dict.fromkeys(candidates):
        found = queries.find_actors(driver, database, candidate)
        if found:
            return found
        table_id = _table_names().get(name_key(candidate))
        if table_id is not None and (found := queries.find_actors(driver, database, table_id)):
            return found
    return []


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@cache
def _table_names() -> dict[str, str]:
    """Demonyms and seats of the actor table, which the graph does not store: key -> actor id."""
    return {
        name_key(name): entry.id
        for entry in actor_table().actors
        for name in (*entry.adjectives, *entry.places)
    }


def _fuzzy(driver: Driver, database: str, name: str) -> list[ActorSummary]:
    """The actors whose names are near `name`, best first: the suggestions of a 404."""
    _, close = queries.search_actors(
        driver, database, text=name, kind=None, limit=5, offset=0, fuzzy=True
    )
    return close


def _closest(words: str, close: list[ActorSummary]) -> ActorRef | None:
    """The actor of `close` whose name is clearly the closest to misspelt `words`, if one is:
    most alike, sounding alike breaking ties ("Irak": Iraq, not Iran)."""
    wanted = words.lower()
    scored = sorted(
        (
            (
                max(difflib.SequenceMatcher(None, wanted, n.lower()).ratio()
                    for n in (actor.name, *actor.aliases)),
                _sound(wanted) == _sound(actor.name.lower()),
                actor,
            )
            for actor in close
        ),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )  # fmt: skip
    if not scored or scored[0][0] < _CLOSE_ENOUGH:
        return None
    best = scored[0]
    if len(scored) > 1 and (scored[1][0], scored[1][1]) == (best[0], best[1]):
        return None
    return ActorRef(id=best[2].id, name=best[2].name, kind=best[2].kind)


_SOUNDEX = {c: d for letters, d in (("bfpv", "1"), ("cgjkqsxz", "2"), ("dt", "3"), ("l", "4"),
                                     ("mn", "5"), ("r", "6")) for c in letters}  # fmt: skip


def _sound(word: str) -> str:
    """Soundex: letters that sound alike share a digit ("Irak" and "Iraq" are I62)."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return ""
    digits = [_SOUNDEX.get(c, "") for c in letters]
    code = [letters[0]]
    for previous, digit in itertools.pairwise(digits):
        if digit and digit != previous:
            code.append(digit)
    return "".join(code)[:4]


def _unique(actors: list[ActorRef]) -> list[ActorRef]:
    return list({actor.id: actor for actor in actors}.values())


def _not_found(name: str, parameter: str, close: list[ActorSummary]) -> ApiError:
    return ApiError(
        404,
        "actor_not_found",
        f"No actor in the graph is called {name!r}. Use an id, a name or an alias"
        + (f"; did you mean {', '.join(repr(a.name) for a in close)}?" if close else "."),
        {"parameter": parameter, "suggestions": [a.model_dump(mode="json") for a in close]},
    )
