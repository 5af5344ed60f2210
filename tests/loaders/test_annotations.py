"""The annotated corpus: drafts anchored to texts by offsets, and the check that guards it."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_schema.vocabulary import RelationType
from loaders.annotations import (
    AnnotationError,
    Corpus,
    Draft,
    SentenceSplitter,
    add_drafts,
    anchor,
    check_corpus,
    freeze_test_split,
    sentence_splitter,
    without_quotes,
)
from loaders.pipeline import Extractor
from service.cli import app

TEXT = (
    "Iran warns Iraq\n\n"
    "Iran warned Iraq on Monday to stop shelling its border towns.\n"
    "Iraqi jets struck an Iranian oil terminal, the Iraqi military said.\n"
    "Iraq will hold talks with Iran next month, officials said.\n"
)


def draft(**changes) -> Draft:
    data = {
        "article": "texts/w900.txt",
        "actors": [
            {"name": "Iran", "kind": "government", "forms": ["Iran", "Iranian"]},
            {"name": "Iraq", "kind": "government", "forms": ["Iraq", "Iraqi"]},
        ],
        "relations": [
            {
                "source": "Iran",
                "relation": "PRESSURES",
                "target": "Iraq",
                "evidence": "Iran warned Iraq on Monday to stop shelling its border towns.",
            },
            {
                "source": "Iraq",
                "relation": "ATTACKS",
                "target": "Iran",
                "evidence": "Iraqi jets struck an Iranian oil terminal",
                "source_mention": "Iraqi jets",
            },
        ],
        "negatives": [
            {
                "source": "Iraq",
                "relation": "NEGOTIATES_WITH",
                "target": "Iran",
                "evidence": "Iraq will hold talks with Iran next month",
                "why": "planned",
            }
        ],
    }
    return Draft.model_validate(data | changes)


@pytest.fixture(scope="module")
def splitter(extractor: Extractor) -> SentenceSplitter:
    return sentence_splitter(extractor.nlp)


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """An annotations folder of its own, with one team-written text."""
    texts = tmp_path / "annotations" / "written" / "texts"
    texts.mkdir(parents=True)
    (texts / "w900.txt").write_text(TEXT, "utf-8")
    return Corpus(tmp_path / "annotations", tmp_path / "corpus")


def anchored(splitter: SentenceSplitter, item: Draft | None = None):
    return anchor(
        item or draft(), TEXT, splitter(TEXT), split="written", stratum="t", origin="written"
    )


def test_anchoring_keeps_offsets_and_a_hash_of_the_evidence_never_its_text(splitter):
    article = anchored(splitter)
    pressure, attack = article.relations
    assert TEXT[pressure.evidence.start : pressure.evidence.end].startswith("Iran warned Iraq")
    assert TEXT[attack.sentence.start : attack.sentence.end] == (
        "Iraqi jets struck an Iranian oil terminal, the Iraqi military said."
    )
    assert (attack.source_mention and attack.source_mention.text) == "Iraqi jets"
    assert (attack.target_mention and attack.target_mention.text) == "Iranian"
    assert "warned" not in json.dumps(article.model_dump(mode="json"))


def test_every_mention_of_an_actor_is_found_by_its_forms(splitter):
    iran = anchored(splitter).actors[0]
    assert [TEXT[s.start : s.end] for s in iran.mentions] == ["Iran", "Iran", "Iranian", "Iran"]


def test_a_quote_that_is_not_in_the_text_is_refused_by_name(splitter):
    wrong = draft(
        relations=[
            {"source": "Iran", "relation": "ATTACKS", "target": "Iraq", "evidence": "Iran bombed"}
        ]
    )
    with pytest.raises(AnnotationError, match="evidence not found in the text: 'Iran bombed'"):
        anchored(splitter, wrong)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": "Syria"}, "actor 'Syria' is not in the actors list"),
        ({"source_mention": "Tehran"}, "source_mention 'Tehran' is not in the evidence"),
        ({"target": "Iran"}, "source and target are the same actor"),
    ],
)
def test_a_relation_must_fit_its_actors_and_evidence(splitter, change, message):
    relation = {
        "source": "Iran",
        "relation": "PRESSURES",
        "target": "Iraq",
        "evidence": "Iran warned Iraq",
    }
    with pytest.raises(AnnotationError, match=message):
        anchored(splitter, draft(relations=[relation | change]))


def test_a_triple_cannot_be_both_required_and_negative(splitter):
    negative = {
        "source": "Iran",
        "relation": "PRESSURES",
        "target": "Iraq",
        "evidence": "Iran warned Iraq",
        "why": "negated",
    }
    with pytest.raises(AnnotationError, match="both required and negative"):
        anchored(splitter, draft(negatives=[negative]))


def test_added_drafts_pass_the_check_and_are_counted(corpus, splitter, tmp_path):
    path = tmp_path / "w900.yaml"
    path.write_text(json.dumps(draft().model_dump(mode="json")), "utf-8")
    [(_, article)] = add_drafts(corpus, [path], splitter, split="written", stratum="t")
    assert not isinstance(article, Exception)
    report = check_corpus(corpus)
    assert report.ok, report.problems
    written = report.counts["written"]
    assert written.articles == 1
    assert written.required == {RelationType.PRESSURES: 1, RelationType.ATTACKS: 1}
    assert written.negatives == {RelationType.NEGOTIATES_WITH: 1}


def test_a_changed_text_is_reported_by_name(corpus, splitter, tmp_path):
    path = tmp_path / "w900.yaml"
    path.write_text(json.dumps(draft().model_dump(mode="json")), "utf-8")
    list(add_drafts(corpus, [path], splitter, split="written", stratum="t"))
    (corpus.annotations / "written" / "texts" / "w900.txt").write_text(TEXT + "More.\n", "utf-8")
    assert check_corpus(corpus).problems == [
        f"{corpus.annotations}/written/texts__w900.json: the text changed since it was "
        "annotated (SHA-256 differs)"
    ]


def test_a_frozen_test_file_that_changes_fails_the_check(corpus, splitter, tmp_path):
    path = tmp_path / "w900.yaml"
    path.write_text(json.dumps(draft().model_dump(mode="json")), "utf-8")
    list(add_drafts(corpus, [path], splitter, split="written", stratum="t"))
    test_dir = corpus.annotations / "test"
    test_dir.mkdir()
    moved = test_dir / "texts__w900.json"
    (corpus.annotations / "written" / "texts__w900.json").rename(moved)
    freeze_test_split(corpus)
    moved.write_text(moved.read_text("utf-8").replace('"optional"', ' "optional"'), "utf-8")
    problems = check_corpus(corpus).problems
    assert "test/texts__w900.json: the test split is frozen; this file changed" in problems


def test_eval_scores_a_split_and_prints_json(corpus, splitter, tmp_path):
    path = tmp_path / "w900.yaml"
    path.write_text(json.dumps(draft().model_dump(mode="json")), "utf-8")
    list(add_drafts(corpus, [path], splitter, split="written", stratum="t"))
    (corpus.annotations / "written" / "texts__w900.json").rename(corpus.annotations / "dev.json")
    dev = corpus.annotations / "dev"
    dev.mkdir()
    data = json.loads((corpus.annotations / "dev.json").read_text("utf-8"))
    # A dev file names a corpus text: put the written text where the corpus would hold it.
    data |= {"split": "dev", "origin": "corpus", "path": "set/w900.txt"}
    (dev / "set__w900.json").write_text(json.dumps(data), "utf-8")
    (corpus.texts / "set").mkdir(parents=True)
    (corpus.texts / "set" / "w900.txt").write_text(TEXT, "utf-8")
    args = ["eval", "--split", "dev", "--json", "--annotations", str(corpus.annotations)]
    result = CliRunner().invoke(app, [*args, "--corpus", str(corpus.texts)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) >= {"precision", "recall", "f1", "per_type", "negatives_produced"}
    assert scores["per_type"]["ATTACKS"]["required"] == 1


def test_eval_names_a_missing_text(corpus, tmp_path):
    dev = corpus.annotations / "dev"
    dev.mkdir()
    article = {
        "path": "set/gone.txt",
        "sha256": "0" * 64,
        "split": "dev",
        "stratum": "t",
        "actors": [],
        "relations": [],
        "negatives": [],
    }
    (dev / "set__gone.json").write_text(json.dumps(article), "utf-8")
    args = ["eval", "--split", "dev", "--annotations", str(corpus.annotations)]
    result = CliRunner().invoke(app, [*args, "--corpus", str(corpus.texts)])
    assert result.exit_code == 1
    assert "set/gone.txt is missing" in result.output


def test_a_note_keeps_the_annotators_words_but_never_quotes_the_article():
    note = "urges Iraq: Iran warned Iraq on Monday to stop shelling, so required"
    assert without_quotes(note, TEXT) == "urges [...], so required"


def test_eval_on_the_test_split_lists_no_errors(corpus, splitter, tmp_path):
    """The frozen test split is scored, never learnt from: its misses are not printed."""
    path = tmp_path / "w900.yaml"
    path.write_text(json.dumps(draft().model_dump(mode="json")), "utf-8")
    list(add_drafts(corpus, [path], splitter, split="written", stratum="t"))
    data = json.loads((corpus.annotations / "written" / "texts__w900.json").read_text("utf-8"))
    data |= {"split": "test", "origin": "corpus", "path": "set/w900.txt"}
    (corpus.annotations / "test").mkdir()
    (corpus.annotations / "test" / "set__w900.json").write_text(json.dumps(data), "utf-8")
    (corpus.texts / "set").mkdir(parents=True)
    (corpus.texts / "set" / "w900.txt").write_text(TEXT, "utf-8")
    args = ["eval", "--split", "test", "--annotations", str(corpus.annotations)]
    result = CliRunner().invoke(app, [*args, "--corpus", str(corpus.texts)])
    assert result.exit_code == 0, result.output
    assert "overall" in result.output
    assert "the errors of the frozen test split are not listed" in result.output
    assert "misses" not in result.output
