"""Training the relation model from the annotated corpus (`actorgraph train`).

Candidate pairs of `train` (and the team-written texts) are labelled by the annotations: a pair
whose two actors the annotators related in that sentence takes the relation's type, every other
pair `NONE`; pairs of optional relations are left out. A logistic regression is fitted for each
regularisation strength, and the strength and the probability threshold that score best on
`dev` are kept. Nothing reads `test`. Needs scikit-learn (`pip install -e '.[train]'`).
"""

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from graph_schema.models import Article, ArticleActor
from graph_schema.names import name_key
from loaders.annotate import annotate
from loaders.annotations import AnnotatedArticle, AnnotatedText
from loaders.classify import ScoredPair, featurise
from loaders.evaluate import Report, gold_from_annotations, score
from loaders.features import Features
from loaders.model import NO_RELATION, RelationModel, TrainingRecord, logit
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.relate import relate
from loaders.resolve import resolve

REGULARISATION = (0.3, 1.0, 3.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MIN_FEATURE_COUNT = 2
"""A feature seen in fewer training pairs than this is left out: it cannot generalise."""


@dataclass(frozen=True)
class Parsed:
    """An annotated article, parsed once and reused by every fit."""

    item: AnnotatedText
    article: Article
    doc: Doc


@dataclass(frozen=True)
class Example:
    features: Features
    label: str


def parse(extractor: Extractor, items: Iterable[AnnotatedText]) -> list[Parsed]:
    items = list(items)
    articles = [
        article_from_text(item.annotation.article_id, item.text, origin=None) for item in items
    ]
    return [
        Parsed(item, article, doc)
        for item, (article, doc) in zip(items, annotate(extractor.nlp, articles), strict=True)
    ]


def examples(extractor: Extractor, parsed: Iterable[Parsed]) -> list[Example]:
    """Every candidate pair of the articles, labelled by their annotations."""
    found: list[Example] = []
    for item in parsed:
        resolved = resolve(item.doc, extractor.index)
        candidates = relate(resolved, extractor.lexicon)
        scored = featurise(
            resolved, candidates, extractor.triggers, item.article.published, extractor.index
        )
        found.extend(_labelled(item.item.annotation, scored))
    return found


def _labelled(annotation: AnnotatedArticle, scored: list[ScoredPair]) -> Iterable[Example]:
    canonical = _canonical_names(annotation)
    related = {(r.source, r.target) for r in annotation.relations}
    for item in scored:
        source = canonical(item.pair.source.actor)
        target = canonical(item.pair.target.actor)
        sent = item.pair.sent
        labels = {
            (relation.relation.value, relation.optional)
            for relation in annotation.relations
            if (relation.source, relation.target) == (source, target)
            and relation.sentence.start < sent.end_char
            and sent.start_char < relation.sentence.end
        }
        if any(optional for _, optional in labels):
            continue  # a borderline statement teaches nothing either way
        if not labels and (source, target) in related:
            # Annotators label a relation once, not in every sentence that repeats it: another
            # sentence with the same two actors may state it too, so it is no sure negative.
            continue
        label = min(labels)[0] if labels else NO_RELATION
        yield Example(item.features, label)


def _canonical_names(annotation: AnnotatedArticle) -> Callable[[ArticleActor], str | None]:
    keys = {
        actor.name: {name_key(form) for form in (actor.name, *actor.forms)}
        for actor in annotation.actors
    }

    def canonical(actor: ArticleActor) -> str | None:
        own = {name_key(n) for n in (actor.id, actor.name, *actor.aliases, *actor.mentions)}
        return next((name for name, forms in keys.items() if own & forms), None)

    return canonical


def fit(training: Sequence[Example], regularisation: float, seed: int) -> RelationModel:
    """A multinomial logistic regression over the examples' features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for example in training:
        for name in example.features:
            counts[name] = counts.get(name, 0) + 1
    kept = {name for name, count in counts.items() if count >= MIN_FEATURE_COUNT}
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        [{k: v for k, v in e.features.items() if k in kept} for e in training]
    )
    labels = [example.label for example in training]
    # Related pairs are about one in twenty: weighted by their rarity, they are not drowned
    # (cross-validated over train and dev, recall at precision 0.8 rises from 0.24 to 0.30).
    classifier = LogisticRegression(
        C=regularisation, class_weight="balanced", max_iter=5000, random_state=seed
    )
    classifier.fit(matrix, labels)
    classes = [str(c) for c in classifier.classes_]
    coefficients = numpy.asarray(classifier.coef_)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): [round(float(w), 5) for w in coefficients[:, j]]
        for j, name in enumerate(names)
        if any(abs(w) > 1e-4 for w in coefficients[:, j])
    }
    return RelationModel(
        classes=classes,
        intercepts=[round(float(b), 5) for b in numpy.asarray(classifier.intercept_)],
        weights=weights,
        threshold=0.5,
        record=TrainingRecord(
            articles=0, examples=len(training), regularisation=regularisation, seed=seed
        ),
    )


def evaluate_model(
    extractor: Extractor, model: RelationModel | None, parsed: list[Parsed]
) -> Report:
    """Extraction with `model` (None: the patterns alone) scored on parsed annotated articles."""
    scoring = Extractor(nlp=extractor.nlp, lexicon=extractor.lexicon, model=model)
    extracted = [scoring.extract_doc(p.article, p.doc) for p in parsed]
    return score(gold_from_annotations(p.item for p in parsed), extracted)


@dataclass(frozen=True)
class Trial:
    regularisation: float
    threshold: float
    report: Report


def tune(
    extractor: Extractor, training: Sequence[Example], dev: list[Parsed], seed: int
) -> tuple[RelationModel, Trial]:
    """Fit each regularisation strength; keep the fit and threshold with the best dev F1 among
    those whose dev precision is at least that of the hand-written patterns alone (the model
    adds recall, not noise); the most precise if none is."""
    floor = evaluate_model(extractor, None, dev).overall.precision
    dev_examples = examples(extractor, dev)
    trials: list[Trial] = []
    models: dict[float, RelationModel] = {}
    for regularisation in REGULARISATION:
        model = calibrate(fit(training, regularisation, seed), dev_examples)
        models[regularisation] = model
        for threshold in THRESHOLDS:
            candidate = model.model_copy(update={"threshold": threshold})
            trials.append(
                Trial(regularisation, threshold, evaluate_model(extractor, candidate, dev))
            )
    precise = [t for t in trials if t.report.overall.precision >= floor]
    if precise:
        best = max(precise, key=lambda t: (t.report.overall.f1, -t.regularisation))
    else:
        best = max(trials, key=lambda t: (t.report.overall.precision, t.report.overall.f1))
    chosen = models[best.regularisation]
    record = chosen.record.model_copy(update={"dev_f1": round(best.report.overall.f1, 4)})
    return chosen.model_copy(update={"threshold": best.threshold, "record": record}), best


def calibrate(model: RelationModel, held_out: Sequence[Example]) -> RelationModel:
    """The model with Platt scaling fitted on held-out pairs: for every pair and relation type,
    the raw log-odds against whether the pair really stands in that relation."""
    from sklearn.linear_model import LogisticRegression

    rows: list[list[float]] = []
    truth: list[bool] = []
    for example in held_out:
        raw = model.raw_probabilities(example.features)
        for type_name in model.relation_types:
            rows.append([logit(raw[type_name])])
            truth.append(example.label == type_name)
    if len(set(truth)) < 2:
        return model
    scaler = LogisticRegression(C=1e6, max_iter=1000).fit(rows, truth)
    slope = float(numpy.asarray(scaler.coef_)[0, 0])
    offset = float(numpy.asarray(scaler.intercept_)[0])
    return model.model_copy(update={"calibration": (round(slope, 5), round(offset, 5))})


def subsample(parsed: list[Parsed], fraction: float, seed: int) -> list[Parsed]:
    """A seeded random `fraction` of the articles (for the learning curve)."""
    if fraction >= 1.0:
        return parsed
    chosen = random.Random(seed).sample(parsed, max(1, round(len(parsed) * fraction)))
    return sorted(chosen, key=lambda p: p.article.id)
