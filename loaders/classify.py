"""Classify step: coreference, candidate pairs and features, then the trained model decides.

The hand-written patterns (`relate`) run first. What they find is a feature of each pair, and
also a precise cue: a pattern's relation is kept with the pattern's confidence (measured
against the annotations, the patterns are right about as often as those say), and the model
adds the pairs it finds likely enough, with its calibrated probability as confidence.
"""

import datetime as dt
from dataclasses import dataclass, replace

from graph_schema.vocabulary import RelationType
from loaders.candidates import Pair, candidate_pairs, sentence_mentions
from loaders.coref import referents
from loaders.features import (
    Features,
    TriggerIndex,
    names_a_place,
    pair_features,
    rule_hits,
    sentence_features,
    trigger_on_path,
)
from loaders.model import RelationModel
from loaders.relate import Candidate, is_plausible
from loaders.resolve import ActorIndex, ResolvedDoc

MODEL_PATTERN = "model"


@dataclass(frozen=True)
class ScoredPair:
    pair: Pair
    features: Features
    rules: tuple[Candidate, ...]
    """What the hand-written patterns found for this pair in this sentence."""


def featurise(
    resolved: ResolvedDoc,
    rule_candidates: list[Candidate],
    triggers: TriggerIndex,
    published: dt.date | None = None,
    index: ActorIndex | None = None,
) -> list[ScoredPair]:
    """Every candidate pair of the article with its features (`published` and `index` let a
    title refer to its holder on the article's date)."""
    found = referents(resolved, published=published, index=index)
    mentions = sentence_mentions(resolved, found)
    hits = rule_hits(rule_candidates)
    sentences: dict[int, Features] = {}
    scored: list[ScoredPair] = []
    for pair in candidate_pairs(resolved, mentions):
        start = pair.sent.start
        if start not in sentences:
            sentences[start] = sentence_features(pair.sent, triggers)
        features = pair_features(pair, triggers, hits, sentences[start])
        rules = tuple(hits.get((start, pair.source.actor.id, pair.target.actor.id), ()))
        scored.append(ScoredPair(pair, features, rules))
    return scored


def classify(
    scored: list[ScoredPair],
    rule_candidates: list[Candidate],
    model: RelationModel,
    triggers: TriggerIndex,
) -> list[Candidate]:
    """The relations of the article: every pattern's, and the model's where it is sure enough
    and the source names no place; each with the features that weighed most for it in the model."""
    found: list[Candidate] = []
    explained: set[int] = set()
    for item in scored:
        probabilities = model.probabilities(item.features)
        by_rule = {candidate.type.value: candidate for candidate in item.rules}
        for type_name in model.relation_types:
            probability = probabilities[type_name]
            rule = by_rule.get(type_name)
            if rule is None and probability < model.threshold:
                continue
            features = tuple(model.strongest(item.features, type_name))
            if rule is not None:
                explained.add(id(rule))
                found.append(replace(rule, features=features))
                continue
            candidate = _model_candidate(item, type_name, probability, features, triggers)
            if is_plausible(candidate) and not names_a_place(item.pair):
                found.append(candidate)
    # Patterns that read an actor the candidate pairs do not hold ("the militia" a sentence
    # back): kept as the patterns scored them.
    found.extend(c for c in rule_candidates if id(c) not in explained)
    return _one_direction(found)


def _one_direction(candidates: list[Candidate]) -> list[Candidate]:
    """A sentence states a relation between two actors one way: where the model adds the
    reverse of a relation found more surely (by a pattern, or with a higher probability), the
    reverse goes ("Iran struck bases housing US troops" is no US attack on Iran)."""
    surest: dict[tuple[int, str, frozenset[str]], Candidate] = {}
    for candidate in candidates:
        key = _undirected(candidate)
        best = surest.get(key)
        if best is None or _sureness(candidate) > _sureness(best):
            surest[key] = candidate
    return [c for c in candidates if c.pattern != MODEL_PATTERN or surest[_undirected(c)] is c]


def _undirected(candidate: Candidate) -> tuple[int, str, frozenset[str]]:
    pair = frozenset((candidate.source.id, candidate.target.id))
    return (candidate.trigger.sent.start, candidate.type.value, pair)


def _sureness(candidate: Candidate) -> tuple[bool, float]:
    return (candidate.pattern != MODEL_PATTERN, candidate.confidence)


def _model_candidate(
    item: ScoredPair,
    type_name: str,
    probability: float,
    features: tuple[str, ...],
    triggers: TriggerIndex,
) -> Candidate:
    return Candidate(
        type=RelationType(type_name),
        source=item.pair.source.actor,
        target=item.pair.target.actor,
        trigger=trigger_on_path(item.pair, triggers),
        pattern=MODEL_PATTERN,
        confidence=probability,
        features=features,
    )
