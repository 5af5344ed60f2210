"""The extraction pipeline: read → annotate → resolve → relate → qualify, one article at a time.

This is the one entry point the CLI and the service use to turn text into graph content.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice
from typing import Literal, Protocol

from neo4j import Driver
from spacy.language import Language
from spacy.tokens import Doc

from graph_schema.models import Article, Claim, Evidence, ExtractedArticle, WriteSummary
from loaders.annotate import BATCH_SIZE, annotate, joined, load_nlp, text_pieces
from loaders.classify import MODEL_PATTERN, ScoredPair, classify, featurise
from loaders.features import TriggerIndex
from loaders.lexicon import RelationLexicon, relation_lexicon
from loaders.model import RelationModel, model_version, relation_model
from loaders.relate import Candidate, qualify, relate
from loaders.resolve import ResolvedDoc, actor_index, resolve
from loaders.write import WRITE_BATCH, already_written, write_articles

UNKNOWN_ACTOR_FACTOR = 0.9
"""An actor the table does not know was found by NER alone: a little less sure."""

__all__ = ["ArticleExtractor", "Extractor", "load_articles", "load_nlp"]


class ArticleExtractor(Protocol):
    """What `load_articles` extracts with: an `Extractor`, or a pool of them elsewhere
    (`loaders.distributed.ExtractionPool`, on Ray)."""

    def extract(
        self, articles: Iterable[Article], batch_size: int = ..., n_process: int = ...
    ) -> Iterator[ExtractedArticle]: ...


@dataclass(frozen=True)
class ReadArticle:
    """An article as read before the model decides (`Extractor.read`): training reads each
    article once and lets every model it tries decide on the same reading."""

    article: Article
    resolved: ResolvedDoc
    rule_candidates: list[Candidate]
    scored: list[ScoredPair]


class Extractor:
    """Holds the loaded model and lexicons; call `extract` for any number of articles."""

    def __init__(
        self,
        nlp: Language | None = None,
        lexicon: RelationLexicon | None = None,
        model: RelationModel | Literal["shipped"] | None = "shipped",
    ):
        """`model`: the trained relation model that decides; None for the patterns alone."""
        self.nlp = nlp or load_nlp()
        self.lexicon = lexicon or relation_lexicon()
        self.index = actor_index()
        self.triggers = TriggerIndex.of(self.lexicon)
        self.model = relation_model() if model == "shipped" else model
        self.model_version = model_version(self.model) if self.model is not None else None

    def extract(
        self, articles: Iterable[Article], batch_size: int = BATCH_SIZE, n_process: int = 1
    ) -> Iterator[ExtractedArticle]:
        """Extract each article, parsing in `n_process` processes (see `annotate`)."""
        for article, doc in annotate(self.nlp, articles, batch_size, n_process):
            yield self.extract_doc(article, doc)

    def extract_in_turns(
        self, article: Article, turn: AbstractContextManager[object]
    ) -> ExtractedArticle:
        """One article, its pieces parsed one at a time and each, like the extraction after
        them, inside `turn` (a lock shared by the threads that share this extractor): while a
        long text is parsed, other articles get their turns between its pieces."""
        parsed: list[Doc] = []
        for piece in text_pieces(article):
            with turn:
                parsed.append(self.nlp(piece))
        with turn:
            return self.extract_doc(article, joined(parsed))

    def extract_doc(self, article: Article, doc: Doc) -> ExtractedArticle:
        return self.decide(self.read(article, doc))

    def read(self, article: Article, doc: Doc) -> "ReadArticle":
        """Everything extraction reads of a parsed article before the model decides: its
        actors, the patterns' relations and every candidate pair's features."""
        resolved = resolve(doc, self.index)
        candidates = relate(resolved, self.lexicon)
        scored = featurise(resolved, candidates, self.triggers, article.published, self.index)
        return ReadArticle(article, resolved, candidates, scored)

    def decide(self, read: "ReadArticle") -> ExtractedArticle:
        """The claims the patterns and this extractor's model make of what was read."""
        article, resolved, candidates = read.article, read.resolved, read.rule_candidates
        if self.model is not None:
            candidates = classify(read.scored, candidates, self.model, self.triggers)
        claims = [self._claim(article, candidate) for candidate in candidates]
        in_claims = {actor.id for claim in claims for actor in (claim.source, claim.target)}
        actors = [
            actor
            for actor in resolved.actors.values()
            if actor.id in self.index.entries or actor.id in in_claims
        ]
        return ExtractedArticle(article=article, actors=actors, claims=claims)

    def _claim(self, article: Article, candidate: Candidate) -> Claim:
        polarity, modality = qualify(candidate.trigger)
        confidence = candidate.confidence
        scored = candidate.features is not None
        for actor in (candidate.source, candidate.target):
            # The model's probability already weighs what it knows of the actors; a pattern's
            # confidence does not.
            if actor.id not in self.index.entries and candidate.pattern != MODEL_PATTERN:
                confidence *= UNKNOWN_ACTOR_FACTOR
        return Claim(
            article_id=article.id,
            type=candidate.type,
            source=candidate.source,
            target=candidate.target,
            evidence=_evidence(article, candidate),
            date=article.published,
            pattern=candidate.pattern,
            confidence=round(confidence, 3),
            polarity=polarity,
            modality=modality,
            model=self.model_version if scored else None,
            features=list(candidate.features or ()),
        )


def _evidence(article: Article, candidate: Candidate) -> Evidence:
    """The trigger's sentence, as the article spells it, without surrounding white space."""
    sent = candidate.trigger.sent
    raw = article.text[sent.start_char : sent.end_char]
    start = sent.start_char + (len(raw) - len(raw.lstrip()))
    end = sent.start_char + len(raw.rstrip())
    return Evidence(sentence=article.text[start:end], start=start, end=end)


def load_articles(
    extractor: ArticleExtractor,
    driver: Driver,
    database: str,
    articles: Iterable[Article],
    n_process: int = 1,
    on_article: Callable[[], None] = lambda: None,
) -> Iterator[tuple[list[ExtractedArticle], WriteSummary]]:
    """Extract articles and write them, one transaction per batch: what `load` and the API run.

    An article the graph holds already (the same text, read by this extraction, under its id or
    another) is recognised before it is parsed. Yields each batch as it is written, with what
    it added, and last what was recognised; `on_article` is called once per article, as it is
    recognised or extracted.
    """
    recognised = WriteSummary()

    def to_parse() -> Iterator[Article]:
        remaining = iter(articles)
        while batch := list(islice(remaining, WRITE_BATCH)):
            unchanged, duplicates = already_written(driver, database, batch)
            recognised.unchanged += len(unchanged)
            recognised.duplicates += duplicates
            skipped = unchanged | {duplicate.id for duplicate in duplicates}
            for article in batch:
                if article.id in skipped:
                    on_article()
                else:
                    yield article

    def counted(extracted: Iterable[ExtractedArticle]) -> Iterator[ExtractedArticle]:
        for one in extracted:
            on_article()
            yield one

    yield from write_articles(
        driver, database, counted(extractor.extract(to_parse(), n_process=n_process))
    )
    yield [], recognised
