"""The extraction pipeline as `load` and `extract` run it."""

from pathlib import Path

from spacy.tokens import Doc

from loaders.annotate import annotate, pieces, prepared
from loaders.pipeline import Extractor
from loaders.read import article_from_text, read_article


def test_parsing_in_two_processes_extracts_exactly_what_one_process_does(
    extractor: Extractor, seed_paths: list[Path]
):
    articles = [read_article(path) for path in seed_paths]
    one = [e.model_dump() for e in extractor.extract(articles)]
    two = [e.model_dump() for e in extractor.extract(articles, n_process=2)]
    assert two == one
    assert any(e["claims"] for e in one)


def test_a_text_parsed_in_pieces_keeps_its_offsets_and_its_claims(extractor: Extractor):
    paragraphs = [
        "Iran attacked Iraq on Monday, officials said.",
        "The United States imposed sanctions on Iran over the strikes.",
        "Saudi Arabia held talks with Iraq in Riyadh.",
    ]
    article = article_from_text("long", "Gulf tensions\n\n" + "\n\n".join(paragraphs) * 3)
    [(_, whole)] = annotate(extractor.nlp, [article])
    [(_, cut)] = annotate(extractor.nlp, [article], piece_chars=120)
    assert cut.text == whole.text == prepared(article.text)
    assert [(t.idx, t.text) for t in cut] == [(t.idx, t.text) for t in whole]

    def claims(doc: Doc) -> list[tuple]:
        return [
            (c.source.id, c.type, c.target.id, c.evidence.start, c.evidence.end)
            for c in extractor.extract_doc(article, doc).claims
        ]

    assert claims(cut) == claims(whole)
    for claim in extractor.extract_doc(article, cut).claims:
        assert article.text[claim.evidence.start : claim.evidence.end] == claim.evidence.sentence


def test_pieces_end_at_paragraphs_and_rebuild_the_text():
    text = "First paragraph here.\n\nSecond one, longer than the first.\nA line. Words words words"
    found = pieces(text, 30)
    assert "".join(found) == text
    assert all(len(piece) <= 30 for piece in found)
    assert found[0] == "First paragraph here.\n\n"
    assert pieces("no spaces at all" * 3, 10)[0] == "no spaces "
    assert pieces("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
