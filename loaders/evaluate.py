"""Scoring extraction against hand annotations in the format of `shared/gold/` (its README).

Distinct (article, source, relation, target) triples are compared after mapping each
extracted actor to a gold actor by id, name or alias. A triple matching an optional gold line
counts as correct but is not required; a triple a negative line forbids, from that sentence,
is a false positive of its own kind.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph_schema.models import ActorRef, ArticleActor, ExtractedArticle
from graph_schema.names import name_key
from graph_schema.vocabulary import RelationType

if TYPE_CHECKING:
    from loaders.annotations import AnnotatedText

Triple = tuple[str, str, RelationType, str]


@dataclass(frozen=True)
class GoldRelation:
    triple: Triple
    evidence: str
    optional: bool


@dataclass(frozen=True)
class Gold:
    relations: list[GoldRelation]
    negatives: list[GoldRelation]
    actors: dict[str, set[str]]
    """Gold actor name -> every name key it goes by."""

    def canonical(self, actor: ActorRef | ArticleActor) -> str:
        """The gold name of an extracted actor, or its own name if gold does not know it."""
        keys = {name_key(actor.id), name_key(actor.name)}
        keys |= {name_key(alias) for alias in getattr(actor, "aliases", [])}
        for gold_name, gold_keys in self.actors.items():
            if keys & gold_keys:
                return gold_name
        return actor.name


def _lines(path: Path) -> Iterable[dict]:
    return (json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip())


def load_gold(directory: Path) -> Gold:
    """Read every `*_relations.jsonl`, `*_negatives.jsonl` and `*_actors.jsonl` in `directory`."""

    def relation(row: dict) -> GoldRelation:
        triple = (row["article"], row["source"], RelationType(row["relation"]), row["target"])
        return GoldRelation(triple, row["evidence"], bool(row.get("optional", False)))

    actors: dict[str, set[str]] = {}
    for path in sorted(directory.glob("*_actors.jsonl")):
        for row in _lines(path):
            forms = [row["name"], *row.get("aliases_in_seeds", [])]
            actors[row["name"]] = {name_key(form) for form in forms}
    return Gold(
        relations=[
            relation(r) for p in sorted(directory.glob("*_relations.jsonl")) for r in _lines(p)
        ],
        negatives=[
            relation(r) for p in sorted(directory.glob("*_negatives.jsonl")) for r in _lines(p)
        ],
        actors=actors,
    )


def gold_from_annotations(items: Iterable["AnnotatedText"]) -> Gold:
    """The gold of annotated articles (`annotations/`), in the same form as `load_gold`'s."""
    relations: list[GoldRelation] = []
    negatives: list[GoldRelation] = []
    actors: dict[str, set[str]] = defaultdict(set)
    for item in items:
        article, text = item.annotation, item.text
        for actor in article.actors:
            actors[actor.name] |= {name_key(form) for form in (actor.name, *actor.forms)}
        for relation in article.relations:
            triple = (article.article_id, relation.source, relation.relation, relation.target)
            evidence = text[relation.sentence.start : relation.sentence.end]
            relations.append(GoldRelation(triple, evidence, relation.optional))
        for negative in article.negatives:
            triple = (article.article_id, negative.source, negative.relation, negative.target)
            evidence = text[negative.evidence.start : negative.evidence.end]
            negatives.append(GoldRelation(triple, evidence, False))
    return Gold(relations=relations, negatives=negatives, actors=dict(actors))


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u00a0", " ")).strip()


@dataclass
class TypeScore:
    predicted: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    by_type: dict[RelationType, TypeScore]
    overall: TypeScore
    misses: list[GoldRelation]
    false_positives: list[tuple[Triple, str]]
    negatives_produced: list[tuple[GoldRelation, str]]
    duplicated_actors: dict[str, list[str]] = field(default_factory=dict)
    """Gold actor -> the several extracted actor ids it was split into."""
    merged_actors: dict[str, list[str]] = field(default_factory=dict)
    """Extracted actor id -> the several gold actors it wrongly joins."""
    calibration_error: float = 0.0
    """Expected calibration error of the predicted relations' confidences (0: perfect)."""

    def summary(self) -> dict:
        """The scores as `eval --json` prints them."""

        def scores(s: TypeScore) -> dict:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                **{f: getattr(s, f) for f in ("predicted", "correct", "required", "found")},
            }

        return {
            **scores(self.overall),
            "per_type": {t.value: scores(s) for t, s in self.by_type.items()},
            "negatives_produced": len(self.negatives_produced),
            "calibration_error": round(self.calibration_error, 4),
        }


CALIBRATION_BINS = 10


def score(gold: Gold, extracted: Iterable[ExtractedArticle], min_confidence: float = 0.0) -> Report:
    """Precision, recall and F1 per relation type and overall, with the errors listed.

    Only claims of at least `min_confidence` count, as the API's `min_confidence` filters them.
    """
    articles = list(extracted)
    predicted: dict[Triple, str] = {}
    confidence: dict[Triple, float] = {}
    for item in articles:
        for claim in item.claims:
            if claim.is_asserted and claim.confidence >= min_confidence:
                triple = (
                    item.article.id,
                    gold.canonical(claim.source),
                    claim.type,
                    gold.canonical(claim.target),
                )
                predicted.setdefault(triple, claim.evidence.sentence)
                confidence[triple] = max(confidence.get(triple, 0.0), claim.confidence)
    scored_articles = {item.article.id for item in articles}
    gold_in_scope = [g for g in gold.relations if g.triple[0] in scored_articles]
    required = {g.triple for g in gold_in_scope if not g.optional}
    acceptable = {g.triple for g in gold_in_scope}

    by_type = {t: TypeScore() for t in RelationType}
    for triple in predicted:
        by_type[triple[2]].predicted += 1
        by_type[triple[2]].correct += triple in acceptable
    for triple in required:
        by_type[triple[2]].required += 1
        by_type[triple[2]].found += triple in predicted
    overall = TypeScore(
        *(
            sum(getattr(s, f) for s in by_type.values())
            for f in ("predicted", "correct", "required", "found")
        )
    )
    negatives = [
        (negative, predicted[negative.triple])
        for negative in gold.negatives
        if negative.triple in predicted
        and _folded(negative.evidence) in _folded(predicted[negative.triple])
    ]
    return Report(
        by_type=by_type,
        overall=overall,
        misses=sorted(
            (g for g in gold_in_scope if not g.optional and g.triple not in predicted),
            key=lambda g: g.triple,
        ),
        false_positives=sorted(
            (triple, sentence) for triple, sentence in predicted.items() if triple not in acceptable
        ),
        negatives_produced=negatives,
        calibration_error=_calibration_error([(confidence[t], t in acceptable) for t in predicted]),
        **_actor_errors(gold, articles),
    )


def _calibration_error(predictions: list[tuple[float, bool]]) -> float:
    """Expected calibration error: how far each predicted relation's confidence (its surest
    claim's) is from the share of relations of that confidence that are right, in ten bins."""
    if not predictions:
        return 0.0
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for value, right in predictions:
        bins[min(int(value * CALIBRATION_BINS), CALIBRATION_BINS - 1)].append((value, right))
    return sum(
        len(items)
        / len(predictions)
        * abs(sum(v for v, _ in items) / len(items) - sum(r for _, r in items) / len(items))
        for items in bins.values()
    )


def _actor_errors(gold: Gold, articles: list[ExtractedArticle]) -> dict[str, dict[str, list[str]]]:
    """Gold actors split over several extracted ids, and ids joining several gold actors."""
    ids_by_gold: dict[str, set[str]] = defaultdict(set)
    gold_by_id: dict[str, set[str]] = defaultdict(set)
    for item in articles:
        for actor in item.actors:
            for mention in actor.mentions:
                for gold_name, keys in gold.actors.items():
                    if name_key(mention) in keys:
                        ids_by_gold[gold_name].add(actor.id)
                        gold_by_id[actor.id].add(gold_name)
    return {
        "duplicated_actors": {
            g: sorted(ids) for g, ids in sorted(ids_by_gold.items()) if len(ids) > 1
        },
        "merged_actors": {i: sorted(gs) for i, gs in sorted(gold_by_id.items()) if len(gs) > 1},
    }
