"""Training the relation model from the annotated corpus (`actorgraph train`).

Candidate pairs are labelled by the annotations: a pair whose two actors the annotators related
in that sentence takes the relation's type, every other pair `NONE`; pairs of optional
relations are left out. A logistic regression is fitted for each regularisation strength.

The strength and the probability threshold are chosen by five-fold cross-validation over
`train` and `dev` together (the team-written texts are always trained on): each fold's
articles are extracted by a model fitted on the other folds, so every score is of articles the
scoring model never saw, and a choice rests on some 600 articles rather than dev's 90. The
model that ships is then fitted on all of them, and its probabilities are calibrated on the
folds' held-out predictions. Nothing reads `test`. Needs scikit-learn (`pip install -e
'.[train]'`).
"""

import hashlib
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from graph_schema.models import Article, ArticleActor, ExtractedArticle
from graph_schema.names import name_key
from loaders.annotate import annotate
from loaders.annotations import AnnotatedArticle, AnnotatedText
from loaders.classify import ScoredPair
from loaders.evaluate import Report, gold_from_annotations, score
from loaders.features import Features
from loaders.model import NO_RELATION, RelationModel, TrainingRecord, logit
from loaders.pipeline import Extractor, ReadArticle
from loaders.read import article_from_text

REGULARISATION = (0.3, 1.0, 3.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""On the fitted model's own probabilities: weighted by their rarity, relations are
over-predicted, so the best threshold lies high before calibration moves it."""
FOLDS = 5
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


@dataclass(frozen=True)
class Read:
    """An annotated article read once (actors, patterns, candidate pairs and their features),
    with its labelled pairs: every model training tries decides on this same reading."""

    parsed: Parsed
    reading: ReadArticle
    examples: list[Example]

    @property
    def split(self) -> str:
        return self.parsed.item.annotation.split


def read_all(extractor: Extractor, parsed: Iterable[Parsed]) -> list[Read]:
    found: list[Read] = []
    for item in parsed:
        reading = extractor.read(item.article, item.doc)
        found.append(Read(item, reading, list(_labelled(item.item.annotation, reading.scored))))
    return found


def examples(extractor: Extractor, parsed: Iterable[Parsed]) -> list[Example]:
    """Every candidate pair of the articles, labelled by their annotations."""
    return [example for read in read_all(extractor, parsed) for example in read.examples]


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
    return _scored(model, read_all(extractor, parsed), extractor)


def _scored(model: RelationModel | None, reads: Sequence[Read], extractor: Extractor) -> Report:
    extracted = [_deciding(extractor, model).decide(read.reading) for read in reads]
    return score(gold_from_annotations(read.parsed.item for read in reads), extracted)


def _deciding(extractor: Extractor, model: RelationModel | None) -> Extractor:
    """An extractor deciding with `model`, on the parser and lexicon of `extractor`."""
    return Extractor(nlp=extractor.nlp, lexicon=extractor.lexicon, model=model)


@dataclass(frozen=True)
class Trial:
    """One regularisation strength and threshold, scored out of fold over train and dev, and
    on dev's articles alone."""

    regularisation: float
    threshold: float
    report: Report
    dev_report: Report


@dataclass(frozen=True)
class CrossValidation:
    regularisation: float
    trials: list[Trial]
    held_out: list[tuple[dict[str, float], str]]
    """Each pair's raw probabilities from the model that did not see it, and its label."""
    fold_models: list[RelationModel]


def fold_of(read: Read, folds: int = FOLDS) -> int:
    """An article's fold, by a hash of its id: stable whatever else is added to the corpus."""
    digest = hashlib.sha256(read.parsed.article.id.encode("utf-8")).hexdigest()
    return int(digest, 16) % folds


def cross_validate(
    extractor: Extractor,
    pool: Sequence[Read],
    always: Sequence[Example],
    regularisation: float,
    seed: int,
    fraction: float = 1.0,
) -> CrossValidation:
    """Fit on all folds but one (`fraction` of their articles, seeded) plus `always`, extract
    the fold left out at each threshold; every fold in turn."""
    extracted: dict[float, list[ExtractedArticle]] = {threshold: [] for threshold in THRESHOLDS}
    held_out: list[tuple[dict[str, float], str]] = []
    fold_models: list[RelationModel] = []
    ordered: list[Read] = []
    for fold in range(FOLDS):
        rest = [read for read in pool if fold_of(read) != fold]
        held = [read for read in pool if fold_of(read) == fold]
        training = [e for read in subsample(rest, fraction, seed) for e in read.examples]
        model = fit([*training, *always], regularisation, seed)
        fold_models.append(model)
        held_out.extend(
            (model.raw_probabilities(e.features), e.label) for read in held for e in read.examples
        )
        for threshold in THRESHOLDS:
            deciding = _deciding(extractor, model.model_copy(update={"threshold": threshold}))
            extracted[threshold].extend(deciding.decide(read.reading) for read in held)
        ordered.extend(held)
    trials = _trials(regularisation, ordered, extracted)
    return CrossValidation(regularisation, trials, held_out, fold_models)


def _trials(
    regularisation: float, reads: Sequence[Read], extracted: dict[float, list[ExtractedArticle]]
) -> list[Trial]:
    """A trial per threshold: what was extracted at it from `reads`, scored over them all and
    over dev's articles alone."""
    gold = gold_from_annotations(read.parsed.item for read in reads)
    on_dev = {read.parsed.article.id for read in reads if read.split == "dev"}
    return [
        Trial(
            regularisation,
            threshold,
            score(gold, found),
            score(gold, [item for item in found if item.article.id in on_dev]),
        )
        for threshold, found in extracted.items()
    ]


def tune(
    extractor: Extractor, pool: Sequence[Read], always: Sequence[Example], seed: int
) -> tuple[RelationModel, Trial]:
    """Cross-validate each regularisation strength; keep the strength and threshold with the
    best F1 among those whose precision is at least that of the hand-written patterns alone
    (the model adds recall, not noise); the most precise if none is. The model is then fitted
    on the whole pool, calibrated on the held-out predictions, and its threshold moved to the
    calibrated scale (calibration keeps the order, so it decides exactly as chosen)."""
    floor = _scored(None, pool, extractor).overall.precision
    validations = {
        regularisation: cross_validate(extractor, pool, always, regularisation, seed)
        for regularisation in REGULARISATION
    }
    trials = [trial for validation in validations.values() for trial in validation.trials]
    precise = [t for t in trials if t.report.overall.precision >= floor]
    if precise:
        best = max(precise, key=lambda t: (t.report.overall.f1, -t.regularisation))
    else:
        best = max(trials, key=lambda t: (t.report.overall.precision, t.report.overall.f1))
    chosen = validations[best.regularisation]
    examples = [*(e for read in pool for e in read.examples), *always]
    model = calibrate(fit(examples, best.regularisation, seed), chosen.held_out)
    threshold = model.calibrated(best.threshold)
    best = _calibrated_trial(extractor, pool, chosen, best, model.calibration, threshold)
    record = model.record.model_copy(
        update={
            "articles": len(pool),
            "cv_f1": round(best.report.overall.f1, 4),
            "dev_f1": round(best.dev_report.overall.f1, 4),
        }
    )
    return model.model_copy(update={"threshold": threshold, "record": record}), best


def _calibrated_trial(
    extractor: Extractor,
    pool: Sequence[Read],
    chosen: CrossValidation,
    best: Trial,
    calibration: tuple[float, float],
    threshold: float,
) -> Trial:
    """The chosen trial again, each fold's model calibrated as the shipped one is, so that the
    report's calibration error is that of the confidences claims will carry."""
    found: list[ExtractedArticle] = []
    for fold, model in enumerate(chosen.fold_models):
        update = {"calibration": calibration, "threshold": threshold}
        deciding = _deciding(extractor, model.model_copy(update=update))
        found.extend(deciding.decide(read.reading) for read in pool if fold_of(read) == fold)
    [trial] = _trials(best.regularisation, pool, {threshold: found})
    return trial


def calibrate(
    model: RelationModel, held_out: Sequence[tuple[dict[str, float], str]]
) -> RelationModel:
    """The model with Platt scaling fitted on held-out pairs: for every pair and relation type,
    the raw log-odds (from a model that did not see the pair) against whether the pair really
    stands in that relation."""
    from sklearn.linear_model import LogisticRegression

    rows: list[list[float]] = []
    truth: list[bool] = []
    for raw, label in held_out:
        for type_name in model.relation_types:
            rows.append([logit(raw[type_name])])
            truth.append(label == type_name)
    if len(set(truth)) < 2:
        return model
    scaler = LogisticRegression(C=1e6, max_iter=1000).fit(rows, truth)
    slope = float(numpy.asarray(scaler.coef_)[0, 0])
    offset = float(numpy.asarray(scaler.intercept_)[0])
    return model.model_copy(update={"calibration": (round(slope, 5), round(offset, 5))})


def subsample(reads: Sequence[Read], fraction: float, seed: int) -> list[Read]:
    """A seeded random `fraction` of the articles (for the learning curve)."""
    if fraction >= 1.0:
        return list(reads)
    chosen = random.Random(seed).sample(list(reads), max(1, round(len(reads) * fraction)))
    return sorted(chosen, key=lambda read: read.parsed.article.id)
