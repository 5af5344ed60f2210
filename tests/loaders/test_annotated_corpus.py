"""The committed annotated corpus (annotations/): valid against its texts, large enough, and
its test split frozen. This is `actorgraph annotations check`, run on every change."""

import re

from graph_schema.vocabulary import RelationType
from loaders.annotations import QUOTE_WORDS, Corpus, check_corpus, load_annotation
from service.local_neo4j import PROJECT_ROOT

ANNOTATIONS = PROJECT_ROOT / "annotations"
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


def test_the_committed_corpus_is_valid_and_large_enough():
    """`actorgraph annotations check` on annotations/: what issue 10 asks of the corpus."""
    report = check_corpus(Corpus(ANNOTATIONS, CORPUS))
    assert report.ok, report.problems[:20]
    scored = [report.counts[split] for split in ("train", "dev", "test")]
    assert sum(c.articles for c in scored) >= 200
    required = sum((c.required for c in scored), start=type(scored[0].required)())
    assert sum(required.values()) >= 500
    assert min(required[t] for t in RelationType) >= 80


def test_the_test_split_is_frozen():
    manifest = (ANNOTATIONS / "test" / "FROZEN.sha256").read_text("utf-8").splitlines()
    assert len(manifest) == len(list((ANNOTATIONS / "test").glob("*.json")))


def test_the_frozen_test_split_is_a_quarter_of_the_first_round_and_later_rounds_skip_it():
    """The first round (350 articles) was split 60/15/25; later rounds go to train and dev
    (about 85/15), never to the frozen test; written texts are train-only."""
    report = check_corpus(Corpus(ANNOTATIONS, CORPUS))
    articles = {split: report.counts[split].articles for split in ("train", "dev", "test")}
    first_round = 350
    assert abs(articles["test"] / first_round - 0.25) < 0.02
    assert abs(articles["dev"] / (articles["train"] + articles["dev"]) - 0.15) < 0.05
    for split in ("train", "dev", "test"):
        assert all(
            load_annotation(p).origin == "corpus" for p in (ANNOTATIONS / split).glob("*.json")
        )


def test_no_annotation_file_holds_the_text_of_a_corpus_article():
    """The corpus licences allow research use, not redistribution: offsets and hashes only.

    Names and mentions are short; annotators' notes are their own words and quote no run of
    `QUOTE_WORDS` words of the article in a row.
    """
    for split in ("train", "dev", "test"):
        for path in (ANNOTATIONS / split).glob("*.json"):
            article = load_annotation(path)
            text_runs = _runs((CORPUS / article.path).read_text("utf-8"))
            for actor in article.actors:
                assert all(len(form) <= 80 for form in actor.forms), path
            for item in [*article.relations, *article.negatives]:
                for mention in (item.source_mention, item.target_mention):
                    assert mention is None or len(mention.text) <= 80, path
                assert not (_runs(item.note or "") & text_runs), f"{path}: {item.note}"


def _runs(text: str, length: int = QUOTE_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}
