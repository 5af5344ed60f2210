"""Wire copy's case errors are undone the way the article writes each word (team-written texts)."""

from loaders.annotate import annotate
from loaders.candidates import candidate_pairs, sentence_mentions
from loaders.coref import referents
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.resolve import resolve
from loaders.truecase import truecase

WIRE = (
    "BRITAIN GIVES FAMINE AID TO MOZAMBIQUE, U.K. SAYS\n"
    "\n"
    "LONDON, March 31 - Britain said it would send famine aid to\n"
    "Mozambique. The aid follows talks in Maputo.\n"
)


def test_a_capitals_headline_takes_the_case_its_body_writes():
    headline = truecase(WIRE).splitlines()[0]

    assert headline == "Britain gives famine aid to Mozambique, U.K. says"


def test_only_letters_change_case_so_offsets_hold():
    recased = truecase(WIRE)

    assert len(recased) == len(WIRE)
    assert recased.lower() == WIRE.lower()
    assert recased[len(recased.splitlines()[0]) :] == WIRE[len(WIRE.splitlines()[0]) :]


def test_a_word_capitalised_only_to_open_a_sentence_is_read_in_lower_case():
    text = "THE TALKS ENDED\nThe talks with Iran ended. Talks resume soon.\n"

    assert truecase(text).splitlines()[0] == "The talks ended"


def test_a_name_the_body_writes_only_at_sentence_starts_keeps_its_capital():
    text = "OPEC MEETS IN VIENNA\nVienna hosted OPEC. Ministers came.\n"

    assert truecase(text).splitlines()[0] == "OPEC meets in Vienna"


def test_a_line_start_in_wrapped_copy_is_not_a_sentence_start():
    text = "TALKS WITH IRAN\nThe minister held talks with\nIran on Monday.\n"

    assert truecase(text).splitlines()[0] == "Talks with Iran"


def test_a_name_in_capitals_the_body_spells_otherwise_keeps_its_capitals():
    text = "IRAN VOWS REVENGE ON US RAID\nIran said the U.S. raid would be avenged.\n"

    assert truecase(text).splitlines()[0] == "Iran vows revenge on US raid"


def test_a_word_capitalised_after_an_abbreviation_takes_its_case_from_the_article():
    text = (
        "Talks\n"
        "The U.S. Said its warships left. U.S. Warships and U.S. Officials said so.\n"
        "Two officials said the warships sailed to the U.S. Navy base.\n"
    )

    assert truecase(text).splitlines()[1] == (
        "The U.S. said its warships left. U.S. warships and U.S. officials said so."
    )
    assert "the U.S. Navy base" in truecase(text)  # the article writes Navy capitalised


def test_a_sentence_that_opens_after_an_abbreviation_keeps_its_capital():
    text = "Talks\nIran warned the U.S. It said it would respond.\n"

    assert truecase(text) == text


def test_headlines_already_in_mixed_case_and_texts_without_a_body_are_left_alone():
    mixed = "Britain gives aid to Mozambique\nBritain said it gave aid.\n"

    assert truecase(mixed) == mixed
    assert truecase("BRITAIN GIVES AID") == "BRITAIN GIVES AID"


def test_the_extractor_reads_the_actors_of_a_capitals_headline_and_shows_it_as_written(
    extractor: Extractor,
):
    article = article_from_text("wire-famine-aid", WIRE, origin=None)
    [(_, doc)] = list(annotate(extractor.nlp, [article]))
    resolved = resolve(doc, extractor.index)
    pairs = candidate_pairs(resolved, sentence_mentions(resolved, referents(resolved)))

    headline = [p for p in pairs if p.sent.start == 0]
    assert {(p.source.actor.name, p.target.actor.name) for p in headline} >= {
        ("United Kingdom", "Mozambique")
    }
    assert WIRE[headline[0].sent.start_char : headline[0].sent.end_char].startswith("BRITAIN")
