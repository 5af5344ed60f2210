"""Coreference, candidate pairs and features: each step alone, on short written sentences."""

import pytest

from graph_schema.vocabulary import RelationType
from loaders.annotate import annotate
from loaders.candidates import Pair, candidate_pairs, sentence_mentions
from loaders.coref import coreference_table, referents
from loaders.features import ModelCues, model_cues, pair_features, rule_hits, trigger_on_path
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.relate import relate
from loaders.resolve import ResolvedDoc, resolve


def resolved_of(extractor: Extractor, text: str) -> ResolvedDoc:
    [(_, doc)] = annotate(extractor.nlp, [article_from_text("t", "Headline\n" + text)])
    return resolve(doc, extractor.index)


def pairs_of(extractor: Extractor, text: str) -> list[Pair]:
    resolved = resolved_of(extractor, text)
    return candidate_pairs(resolved, sentence_mentions(resolved, referents(resolved)))


def names(pair: Pair) -> tuple[str, str]:
    return (pair.source.actor.name, pair.target.actor.name)


@pytest.mark.parametrize("example", coreference_table().examples, ids=lambda e: e.word)
def test_every_example_of_the_coreference_table_resolves(extractor: Extractor, example):
    resolved = resolved_of(extractor, example.text)
    found = {(r.token.text, r.actor.name) for r in referents(resolved)}
    assert (example.word, example.refers_to) in found


@pytest.mark.parametrize(
    ("text", "word", "actor", "rule"),
    [
        ("On Monday Asaib Ahl al-Haq fired rockets at the base. The militia denied it later.",
         "militia", "Asaib Ahl al-Haq", "description:militia"),
        ("Hoshyar Zebari arrived in Tehran. He met officials there.",
         "He", "Hoshyar Zebari", "pronoun:he"),
        ("The Trade Bank of Iraq opened a branch. The bank lends to ministries.",
         "bank", "Trade Bank of Iraq", "description:bank"),
    ],
)  # fmt: skip
def test_a_pronoun_or_description_points_at_the_last_actor_of_its_kind(
    extractor: Extractor, text, word, actor, rule
):
    resolved = resolved_of(extractor, text)
    found = {(r.token.text, r.actor.name, r.rule) for r in referents(resolved)}
    assert (word, actor, rule) in found


def test_an_indefinite_noun_refers_to_nothing(extractor: Extractor):
    resolved = resolved_of(extractor, "Kataib Hezbollah fired rockets. A group of men fled.")
    assert referents(resolved) == []


def test_a_description_with_its_own_name_is_not_a_referent(extractor: Extractor):
    resolved = resolved_of(extractor, "Iran warned Iraq. The Iraqi government said nothing.")
    assert all(r.token.text != "government" for r in referents(resolved))


def test_every_ordered_pair_of_actors_in_a_sentence_is_a_candidate(extractor: Extractor):
    pairs = pairs_of(extractor, "On Monday Britain and France urged Iran to halt enrichment.")
    assert {names(p) for p in pairs} == {
        ("United Kingdom", "France"), ("France", "United Kingdom"), ("United Kingdom", "Iran"),
        ("Iran", "United Kingdom"), ("France", "Iran"), ("Iran", "France"),
    }  # fmt: skip


def test_actors_in_different_sentences_make_no_pair(extractor: Extractor):
    assert pairs_of(extractor, "Iran protested. Iraq said nothing.") == []


def test_a_coreferent_word_makes_pairs_across_sentences(extractor: Extractor):
    pairs = pairs_of(
        extractor, "Kataib Hezbollah claimed the attack. The group also struck Iraq's army."
    )
    [pair] = [p for p in pairs if names(p) == ("Kataib Hezbollah", "Iraq")]
    assert pair.source.via == "description:group"


def scored_pair(extractor: Extractor, text: str, between: tuple[str, str]) -> tuple[Pair, dict]:
    """The candidate pair of the actors `between` in `text`, and its features."""
    resolved = resolved_of(extractor, text)
    mentions = sentence_mentions(resolved, referents(resolved))
    hits = rule_hits(relate(resolved, extractor.lexicon))
    [pair] = [p for p in candidate_pairs(resolved, mentions) if names(p) == between]
    return pair, pair_features(pair, extractor.triggers, hits)


def test_features_read_the_path_its_triggers_and_the_patterns_that_fire(extractor: Extractor):
    pair, features = scored_pair(extractor, "Iran sold missiles to Iraq.", ("Iran", "Iraq"))
    assert features["kinds=government>government"] == 1.0
    assert features["source_first"] == 1.0
    assert features["lca=sell"] == 1.0
    assert features["rule=FUNDS"] == 1.0
    assert features["target_prep=to"] == 1.0
    assert trigger_on_path(pair, extractor.triggers).lemma_ == "sell"


def test_the_reverse_pair_sees_the_pattern_reversed(extractor: Extractor):
    _, features = scored_pair(extractor, "Iran sold missiles to Iraq.", ("Iraq", "Iran"))
    assert "rule=FUNDS" not in features
    assert features["rule_reversed=FUNDS"] == 1.0
    assert features["target_first"] == 1.0


def test_negation_and_modality_on_the_path_are_features(extractor: Extractor):
    _, features = scored_pair(extractor, "Iraq will not negotiate with Iran.", ("Iraq", "Iran"))
    assert features["path_negated"] == 1.0
    assert features["path_modal=will"] == 1.0


def test_broad_cue_words_are_features_where_no_pattern_fires(extractor: Extractor):
    """ "granted ... to" is no FUNDS pattern (precision first); as cues, the model weighs them."""
    _, features = scored_pair(
        extractor,
        "Britain granted 50 mln stg to India for its coal mines.",
        ("United Kingdom", "India"),
    )
    assert "rule=FUNDS" not in features
    assert features["path_cue=FUNDS"] >= 1.0
    assert features["sentence_cue=FUNDS"] >= 1.0


def test_the_cue_file_is_lower_case_lemmas_each_once():
    with pytest.raises(ValueError, match="lower-case"):
        ModelCues.model_validate({"FUNDS": ["Grant"]})
    with pytest.raises(ValueError, match="twice"):
        ModelCues.model_validate({"FUNDS": ["grant", "grant"]})
    assert RelationType.FUNDS in model_cues()["loan"]
