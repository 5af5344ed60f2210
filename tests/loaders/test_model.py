"""The trained relation model: its predictions, its explanations, and training itself."""

import datetime as dt
from pathlib import Path

import pytest

from loaders import train as training
from loaders.annotate import annotate
from loaders.annotations import Corpus, read_split
from loaders.classify import featurise
from loaders.coref import referents
from loaders.model import (
    RelationModel,
    TrainingRecord,
    model_version,
    relation_model,
    shipped_model_path,
)
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.relate import relate
from loaders.resolve import resolve
from loaders.version import extraction_version
from service.local_neo4j import PROJECT_ROOT

GUNBOATS = "Iranian gunboats attacked a Saudi tanker in the Gulf on Friday."
ANNOTATIONS = PROJECT_ROOT / "annotations"
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
SMALL_CORPUS = 60


def asserted(extractor: Extractor, text: str, published: dt.date | None = None) -> set:
    article = article_from_text("t", "Headline\n" + text, published=published)
    (extracted,) = extractor.extract([article])
    return {(c.source.name, c.type.value, c.target.name) for c in extracted.claims if c.is_asserted}


def test_a_model_ships_with_the_package_small_and_trained_on_the_corpus():
    model = relation_model()
    assert model is not None
    assert shipped_model_path().stat().st_size < 50_000_000
    assert model.classes == ["ATTACKS", "FUNDS", "NEGOTIATES_WITH", "NONE", "PRESSURES"]
    assert model.record.articles >= 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The World Bank approved a loan of 100 mln dlrs to Brazil.",
         ("World Bank", "FUNDS", "Brazil")),
        ("Iraqi jets struck an Iranian oil platform on Monday.", ("Iraq", "ATTACKS", "Iran")),
        ("Egypt urged Israel to halt the raids.", ("Egypt", "PRESSURES", "Israel")),
        ("Jordan held talks with Syria on Sunday.", ("Jordan", "NEGOTIATES_WITH", "Syria")),
    ],
)  # fmt: skip
def test_the_extractor_finds_relations_in_sentences_it_never_saw(extractor, text, expected):
    """Patterns and model together, as `extract` and `load` run them."""
    assert expected in asserted(extractor, text)


def test_the_model_scores_a_stated_relation_above_its_reverse(extractor: Extractor):
    model = relation_model()
    assert model is not None
    [(_, doc)] = annotate(extractor.nlp, [article_from_text("t", "Headline\n" + GUNBOATS)])
    resolved = resolve(doc, extractor.index)
    scored = featurise(resolved, relate(resolved, extractor.lexicon), extractor.triggers)
    attacks = {
        (s.pair.source.actor.name, s.pair.target.actor.name): model.probabilities(s.features)[
            "ATTACKS"
        ]
        for s in scored
    }
    assert attacks[("Iran", "Saudi Arabia")] > 2 * attacks[("Saudi Arabia", "Iran")]


def test_a_relation_stated_the_other_way_round_is_not_reversed(extractor: Extractor):
    found = asserted(extractor, "Iran fired missiles at bases housing American troops.")
    assert ("United States", "ATTACKS", "Iran") not in found


@pytest.mark.parametrize(
    ("published", "holder"),
    [
        (dt.date(2021, 3, 1), "Mustafa al-Kadhimi"),
        (dt.date(2005, 3, 1), "Ayad Allawi"),
        (dt.date(1987, 3, 1), None),  # the table knows no Iraqi prime minister then
    ],
)
def test_a_title_is_read_as_its_holder_on_the_articles_date(extractor, published, holder):
    text = "Headline\nThe Iraqi prime minister met officials in Basra. The prime minister left."
    [(_, doc)] = annotate(extractor.nlp, [article_from_text("t", text, published=published)])
    resolved = resolve(doc, extractor.index)
    found = referents(resolved, published=published, index=extractor.index)
    titles = [r.actor.name for r in found if r.rule == "title:prime minister"]
    assert titles == ([holder, holder] if holder else [])


def test_every_claim_the_model_scores_says_which_model_and_why(extractor: Extractor):
    model = relation_model()
    assert model is not None
    article = article_from_text("t", "Headline\nEgypt urged Israel to halt the raids.")
    (extracted,) = extractor.extract([article])
    scored = [c for c in extracted.claims if c.model]
    assert scored
    for claim in scored:
        assert claim.model == model_version(model)
        assert claim.features, claim


def test_the_extraction_version_is_a_hash_of_code_data_and_model():
    assert len(extraction_version()) == 12
    assert int(extraction_version(), 16) >= 0


@pytest.fixture(scope="module")
def written(extractor: Extractor) -> list[training.Parsed]:
    """Sixty team-written texts, parsed once: a small corpus to train on in a test."""
    texts = sorted(
        read_split(Corpus(ANNOTATIONS, CORPUS), ["written"]), key=lambda item: item.annotation.path
    )
    return training.parse(extractor, texts[:SMALL_CORPUS])


def test_training_is_reproducible(extractor: Extractor, written: list[training.Parsed]):
    rules_only = Extractor(nlp=extractor.nlp, model=None)
    examples = training.examples(rules_only, written)
    first = training.fit(examples, regularisation=0.3, seed=0)
    second = training.fit(examples, regularisation=0.3, seed=0)
    assert first.model_dump_json() == second.model_dump_json()
    labels = {example.label for example in examples}
    assert labels == {"NONE", "PRESSURES", "FUNDS", "ATTACKS", "NEGOTIATES_WITH"}


def test_a_trained_model_learns_what_it_was_shown(extractor, written):
    rules_only = Extractor(nlp=extractor.nlp, model=None)
    model = training.fit(training.examples(rules_only, written), regularisation=1.0, seed=0)
    report = training.evaluate_model(rules_only, model, written)
    assert report.overall.recall > training.evaluate_model(rules_only, None, written).overall.recall


def test_cross_validation_scores_every_article_once_by_a_model_that_never_saw_it(
    extractor: Extractor, written: list[training.Parsed]
):
    rules_only = Extractor(nlp=extractor.nlp, model=None)
    reads = training.read_all(rules_only, written)
    folds = {training.fold_of(read) for read in reads}
    assert folds == set(range(training.FOLDS))

    validation = training.cross_validate(rules_only, reads, [], regularisation=1.0, seed=0)

    everything = training.evaluate_model(rules_only, None, written).overall.required
    assert [trial.threshold for trial in validation.trials] == list(training.THRESHOLDS)
    assert all(trial.report.overall.required == everything for trial in validation.trials)
    assert len(validation.held_out) == sum(len(read.examples) for read in reads)
    assert len(validation.fold_models) == training.FOLDS
    for fold, model in enumerate(validation.fold_models):
        unseen = [read for read in reads if training.fold_of(read) == fold]
        assert model.record.examples == sum(len(r.examples) for r in reads) - sum(
            len(r.examples) for r in unseen
        )


def test_tuning_ships_a_calibrated_model_that_decides_as_the_threshold_chosen(
    extractor: Extractor, written: list[training.Parsed]
):
    rules_only = Extractor(nlp=extractor.nlp, model=None)
    reads = training.read_all(rules_only, written)

    model, best = training.tune(rules_only, reads, [], seed=0)

    assert model.record.articles == len(reads)
    assert model.record.regularisation in training.REGULARISATION
    assert model.record.cv_f1 == round(best.report.overall.f1, 4)
    assert model.threshold == best.threshold
    assert any(model.calibrated(raw) == model.threshold for raw in training.THRESHOLDS)
    assert model.calibration != (1.0, 0.0)
    assert model.calibrated(0.3) < model.calibrated(0.6) < model.calibrated(0.9)


def test_a_model_round_trips_through_its_json(tmp_path: Path):
    model = RelationModel(
        classes=["NONE", "ATTACKS"],
        intercepts=[0.0, -1.0],
        weights={"rule=ATTACKS": [0.0, 3.0]},
        threshold=0.5,
        record=TrainingRecord(articles=1, examples=2, regularisation=1.0, seed=0),
    )
    path = tmp_path / "model.json"
    path.write_text(model.model_dump_json(), "utf-8")
    again = RelationModel.model_validate_json(path.read_text("utf-8"))
    assert again.predict({"rule=ATTACKS": 1.0}) == again.predict({"rule=ATTACKS": 1.0})
    prediction = again.predict({"bias": 1.0, "rule=ATTACKS": 1.0})
    assert prediction is not None
    assert prediction[0] == "ATTACKS"
    assert again.predict({"bias": 1.0}) is None
    assert again.strongest({"rule=ATTACKS": 1.0, "other": 1.0}, "ATTACKS") == ["rule=ATTACKS"]
