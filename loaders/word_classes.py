"""The word classes the extraction rules read, from `loaders/data/word_classes.yaml`.

The rules in `loaders/relate.py` and `loaders/resolve.py` are mechanism; which words make a
stand-in noun, a light verb or a title is knowledge, kept in that one file so that it can be
changed without changing code. Each class carries what it is for and example sentences with the
relation the extractor draws from them (checked by `tests/loaders/test_word_classes.py`).
"""

from collections import Counter
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graph_schema.vocabulary import ActorKind, RelationType

WORD_CLASSES = "word_classes.yaml"


def _lower_case_word(word: str) -> str:
    if not word or word != word.strip() or word != word.lower():
        raise ValueError(f"not a lower-case word without surrounding spaces: {word!r}")
    return word


def _no_duplicates(words: Any) -> Any:
    if isinstance(words, list):
        repeated = sorted(word for word, n in Counter(map(str, words)).items() if n > 1)
        if repeated:
            raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return words


def _one_line(text: str) -> str:
    if not text.strip() or "\n" in text:
        raise ValueError("must be one line of text")
    return text


Word = Annotated[str, AfterValidator(_lower_case_word)]
Words = Annotated[frozenset[Word], BeforeValidator(_no_duplicates)]
Triple = tuple[str, RelationType, str]
"""A relation as the tests read it off a claim: source name, type, target name."""


class Example(BaseModel):
    """A sentence with the class at work, and the relation the extractor draws from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    expect: Triple | Literal["none"]
    """The relation asserted; `none` where the class keeps one from being drawn..."""
    absent: Triple | None = None
    """...and then that relation, which must not be asserted."""

    @model_validator(mode="after")
    def _absent_exactly_with_none(self) -> "Example":
        if (self.expect == "none") != (self.absent is not None):
            raise ValueError("`absent` names the relation kept out, and only with `expect: none`")
        return self


class WordClass(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    about: Annotated[str, AfterValidator(_one_line)]
    examples: list[Example] = Field(min_length=1)


class WordSet(WordClass):
    """Words (lemmas for verbs, nouns and adjectives; otherwise as written)."""

    words: Words


class WordEndings(WordClass):
    """Word endings, in a tuple as `str.endswith` takes them."""

    words: Annotated[tuple[Word, ...], BeforeValidator(_no_duplicates)] = Field(min_length=1)


class WordsWithParticles(WordClass):
    """Words, each with the prepositions or particles that go with it."""

    words: dict[Word, Words]


class WordsOfKind(WordClass):
    """Words, each naming a kind of actor."""

    words: dict[Word, ActorKind]


class KindWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ActorKind
    words: Words


class KindHeadWords(WordClass):
    """Kinds of actor, each with the words that give it away; the first that matches wins."""

    kinds: list[KindWords] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_kind_once(self) -> "KindHeadWords":
        _no_duplicates([entry.kind.value for entry in self.kinds])
        return self

    def table(self) -> tuple[tuple[ActorKind, frozenset[str]], ...]:
        return tuple((entry.kind, entry.words) for entry in self.kinds)


class WordClasses(BaseModel):
    """Every word class the rules read; one the code does not read is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # loaders/relate.py
    stand_in_nouns: WordSet
    representative_prepositions: WordsWithParticles
    asset_nouns: WordSet
    carrier_verbs: WordSet
    light_verbs: WordSet
    experiencer_verbs: WordSet
    yielding_verbs: WordSet
    yielding_phrasal_verbs: WordsWithParticles
    relational_nouns: WordSet
    source_prepositions: WordSet
    topic_prepositions: WordSet
    pronouns: WordSet
    relative_pronouns: WordSet
    forecast_modals: WordSet
    hypothetical_modals: WordSet
    permission_adverbs: WordSet
    conditional_marks: WordSet
    denial_verbs: WordSet
    intent_verbs: WordSet
    presupposing_verbs: WordSet
    continuative_verbs: WordSet
    transfer_verbs: WordSet
    transfer_nouns: WordSet
    material_nouns: WordSet
    money_nouns: WordSet
    verbal_sense_attacks: WordSet
    definite_kind_nouns: WordsOfKind
    listing_verbs: WordSet
    listing_words: WordSet
    assistance_verbs: WordSet
    disarming_nouns: WordSet
    collective_demonym_endings: WordEndings
    naming_verbs: WordSet
    reporting_verbs: WordSet
    statement_verbs: WordSet
    # loaders/resolve.py
    titles: WordSet
    official_titles: WordSet
    kind_head_words: KindHeadWords
    media: WordSet
    # loaders/truecase.py
    sentence_openers: WordSet

    def classes(self) -> dict[str, WordClass]:
        """Each class by its name in the file, in the file's order."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
    if repeated:
        raise yaml.constructor.ConstructorError(
            None, None, f"key given more than once: {', '.join(repeated)}", node.start_mark
        )
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def parse_word_classes(text: str) -> WordClasses:
    return WordClasses.model_validate(yaml.load(text, Loader=_UniqueKeyLoader))


@cache
def word_classes() -> WordClasses:
    """The shipped word classes, read and validated once."""
    return parse_word_classes(
        resources.files("loaders").joinpath("data", WORD_CLASSES).read_text("utf-8")
    )
