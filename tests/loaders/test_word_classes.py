"""The word classes of `loaders/data/word_classes.yaml`: every example in the file holds when run
through the extractor's rules (without the relation model, which weighs other evidence than the
class), and the file's model refuses what a slip would write."""

from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.word_classes import Example, WordClasses, WordSet, parse_word_classes, word_classes

EXAMPLES = [
    pytest.param(example, id=f"{name}-{i}")
    for name, word_class in word_classes().classes().items()
    for i, example in enumerate(word_class.examples, start=1)
]


@pytest.fixture(scope="module")
def rules(extractor: Extractor) -> Extractor:
    """The session's extractor without the relation model: the patterns alone."""
    return Extractor(nlp=extractor.nlp, model=None)


def asserted(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    (extracted,) = extractor.extract([article_from_text("t", "Headline\n" + text)])
    return {(c.source.name, c.type.value, c.target.name) for c in extracted.claims if c.is_asserted}


@pytest.mark.parametrize("example", EXAMPLES)
def test_example(rules: Extractor, example: Example) -> None:
    found = asserted(rules, example.text)
    if example.expect == "none":
        assert example.absent is not None
        source, relation, target = example.absent
        assert (source, relation.value, target) not in found
    else:
        source, relation, target = example.expect
        assert (source, relation.value, target) in found


def _word_set(words: list[str], **example: Any) -> dict[str, Any]:
    example = example or {
        "text": "Syria attacked Turkey.",
        "expect": ["Syria", "ATTACKS", "Turkey"],
    }
    return {"about": "Words for a test.", "words": words, "examples": [example]}


def test_a_word_set_reads_its_words() -> None:
    assert WordSet.model_validate(_word_set(["force", "troop"])).words == {"force", "troop"}


@pytest.mark.parametrize(
    "word_set",
    [
        _word_set(["force", "force"]),  # a word twice
        _word_set(["Troop"]),  # not lower case
        _word_set(["force"], text="Syria attacked Turkey.", expect="none"),  # no `absent`
        _word_set(
            ["force"], text="Syria attacked Turkey.", expect=["Syria", "HITS", "Turkey"]
        ),  # no such type
        _word_set(
            ["force"],
            text="Syria attacked Turkey.",
            expect=["Syria", "ATTACKS", "Turkey"],
            absent=["Turkey", "ATTACKS", "Syria"],
        ),  # `absent` without `expect: none`
        {"about": "Words for a test.", "words": ["force"], "examples": []},  # no example
    ],
)
def test_a_slip_in_a_word_set_is_refused(word_set: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        WordSet.model_validate(word_set)


def test_a_class_the_code_does_not_read_is_refused() -> None:
    shipped = word_classes().model_dump(mode="json")
    with pytest.raises(ValidationError, match="extra_nouns"):
        WordClasses.model_validate({**shipped, "extra_nouns": _word_set(["thing"])})


def test_a_class_given_twice_is_refused() -> None:
    text = yaml.safe_dump({"pronouns": _word_set(["he"])})
    with pytest.raises(yaml.YAMLError, match="more than once: pronouns"):
        parse_word_classes(text + text)
