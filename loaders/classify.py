"""Classify step: coreference, candidate pairs and features, then the trained model decides.

The hand-written patterns (`relate`) run first; what they find is a feature of each pair,
not the decision.
"""

from dataclasses import dataclass

from loaders.candidates import Pair, candidate_pairs, sentence_mentions
from loaders.coref import referents
from loaders.features import Features, TriggerIndex, pair_features, rule_hits, trigger_on_path
from loaders.model import RelationModel
from loaders.relate import Candidate, is_plausible
from loaders.resolve import ResolvedDoc


@dataclass(frozen=True)
class ScoredPair:
    pair: Pair
    features: Features


def featurise(
    resolved: ResolvedDoc, rule_candidates: list[Candidate], triggers: TriggerIndex
) -> list[ScoredPair]:
    """Every candidate pair of the article with its features."""
    mentions = sentence_mentions(resolved, referents(resolved))
    hits = rule_hits(rule_candidates)
    return [
        ScoredPair(pair, pair_features(pair, triggers, hits))
        for pair in candidate_pairs(resolved, mentions)
    ]


def classify(
    scored: list[ScoredPair], model: RelationModel, triggers: TriggerIndex
) -> list[Candidate]:
    """The pairs the model takes for relations, as candidates with its probability."""
    found = []
    for item in scored:
        prediction = model.predict(item.features)
        if prediction is None:
            continue
        relation_type, probability = prediction
        candidate = Candidate(
            type=relation_type,
            source=item.pair.source.actor,
            target=item.pair.target.actor,
            trigger=trigger_on_path(item.pair, triggers),
            pattern="model",
            confidence=probability,
            features=tuple(model.strongest(item.features, relation_type.value)),
        )
        if is_plausible(candidate):
            found.append(candidate)
    return found
