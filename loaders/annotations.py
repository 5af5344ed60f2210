"""The annotated corpus: hand annotations of real articles, anchored by offsets, never the text.

An annotator writes a *draft* (YAML: actors with the forms the article uses, relations and
negatives with their evidence quoted). `anchor` turns a draft into an `AnnotatedArticle`, which
names the article by its path and SHA-256 and every evidence sentence and actor mention by
character offsets: the repository holds that, and the corpus keeps the text. `check_corpus`
validates every annotation file against the texts. Format and rules: `annotations/README.md`
and `annotations/GUIDELINES.md`.
"""

import hashlib
import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from spacy.language import Language

from graph_schema.vocabulary import ActorKind, RelationType
from loaders.annotate import normalise

Split = Literal["train", "dev", "test", "written"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test", "written")
SCORED_SPLITS: tuple[Split, ...] = ("train", "dev", "test")
FROZEN_MANIFEST = "FROZEN.sha256"
"""In `test/`: the SHA-256 of every test annotation file as frozen; the check refuses changes."""
WRITTEN_TEXTS = "texts"
"""In `written/`: the team-written texts, which (unlike corpus texts) live in the repository."""


class NegativeReason(StrEnum):
    """Why a statement that names a relation does not assert it."""

    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
    PLANNED = "planned"
    DENIED = "denied"
    QUESTION = "question"


class AnnotationError(Exception):
    """An annotation that does not fit its text or the format; the message says where."""


# ----------------------------------------------------------------------------------- drafts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DraftActor(_Strict):
    name: str = Field(min_length=1)
    kind: ActorKind
    forms: list[str] = Field(default_factory=list)
    """The surface forms the article uses for the actor, as written ("U.S.", "Washington")."""


class DraftStatement(_Strict):
    source: str
    relation: RelationType
    target: str
    evidence: str = Field(min_length=3)
    """A verbatim quote of the sentence (or the clause) that states it."""
    source_mention: str | None = None
    target_mention: str | None = None
    note: str | None = None


class DraftRelation(DraftStatement):
    optional: bool = False


class DraftNegative(DraftStatement):
    why: NegativeReason


class Draft(_Strict):
    """What an annotator writes for one article (YAML), before anchoring."""

    article: str
    """The article's path below the corpus folder (or below `written/` for written texts)."""
    actors: list[DraftActor] = Field(default_factory=list)
    relations: list[DraftRelation] = Field(default_factory=list)
    negatives: list[DraftNegative] = Field(default_factory=list)


# ---------------------------------------------------------------------------------- anchored


class Span(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end <= self.start:
            raise ValueError(f"empty span {self.start}-{self.end}")
        return self


class Mention(Span):
    text: str
    """The words as written: a name, a title or a pronoun (never a sentence)."""


class Evidence(Span):
    sha256: str = Field(pattern=r"^[0-9a-f]{16}$")
    """First 16 hex digits of the SHA-256 of the folded evidence text: proves the offsets
    still point at what the annotator quoted, without keeping the quote."""


class AnnotatedActor(_Strict):
    name: str = Field(min_length=1)
    kind: ActorKind
    forms: list[str]
    mentions: list[Span]
    """Every occurrence of the forms in the text."""


class AnnotatedStatement(_Strict):
    source: str
    relation: RelationType
    target: str
    evidence: Evidence
    sentence: Span
    """The sentence(s) around the evidence, as the extractor's parser splits the text."""
    source_mention: Mention | None = None
    target_mention: Mention | None = None
    """None: the side is not written in the sentence (it must come from coreference)."""
    note: str | None = None

    @property
    def triple(self) -> tuple[str, RelationType, str]:
        return (self.source, self.relation, self.target)


class AnnotatedRelation(AnnotatedStatement):
    optional: bool = False


class AnnotatedNegative(AnnotatedStatement):
    why: NegativeReason


class AnnotatedArticle(_Strict):
    """One article's annotations, anchored to its text by offsets and hashes."""

    path: str
    origin: Literal["corpus", "written"] = "corpus"
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    split: Split
    stratum: str
    """The group it was drawn from and stratified by (source and section)."""
    actors: list[AnnotatedActor]
    relations: list[AnnotatedRelation]
    negatives: list[AnnotatedNegative]

    @property
    def article_id(self) -> str:
        """The id the article gets when read for extraction: its path, without `.txt`."""
        return self.path.removesuffix(".txt").replace("/", "-")

    @property
    def file_name(self) -> str:
        return self.path.removesuffix(".txt").replace("/", "__") + ".json"


# ------------------------------------------------------------------------------- text helpers


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", normalise(text)).strip()


def evidence_hash(text: str) -> str:
    return hashlib.sha256(_fold(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _FoldedText:
    """The text with typography folded and white space runs made one space, mapped back."""

    folded: str
    origin: list[int]
    """For each folded character, its offset in the original text."""

    @classmethod
    def of(cls, text: str) -> "_FoldedText":
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(normalise(text)):
            if char.isspace():
                if chars and chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            origin.append(index)
        return cls("".join(chars), origin)

    def spans(self, quote: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
        """The original spans of every occurrence of `quote` (folded) within [start, end)."""
        needle = _fold(quote)
        if not needle:
            return
        lo = bisect_left(self.origin, start)
        hi = len(self.folded) if end is None else bisect_left(self.origin, end)
        for at in _occurrences(self.folded, needle, lo, hi):
            yield Span(start=self.origin[at], end=self.origin[at + len(needle) - 1] + 1)

    def find(self, quote: str, start: int = 0, end: int | None = None) -> Span | None:
        """The original span of the first occurrence of `quote` (folded) within [start, end)."""
        return next(self.spans(quote, start, end), None)


def _occurrences(haystack: str, needle: str, lo: int, hi: int) -> Iterator[int]:
    """Offsets of `needle` in haystack[lo:hi], on word boundaries where the needle has words."""
    pattern = re.escape(needle)
    if needle[:1].isalnum():
        pattern = r"(?<![\w])" + pattern
    if needle[-1:].isalnum():
        pattern += r"(?![\w])"
    for match in re.compile(pattern).finditer(haystack, lo, hi):
        yield match.start()


def form_mentions(folded: _FoldedText, forms: Iterable[str]) -> list[Span]:
    """Every occurrence of any form in the text, longest forms first, never overlapping."""
    taken: list[Span] = []
    for form in sorted(set(forms), key=len, reverse=True):
        for span in folded.spans(form):
            if not any(span.start < t.end and t.start < span.end for t in taken):
                taken.append(span)
    return sorted(taken, key=lambda s: s.start)


# ----------------------------------------------------------------------------------- anchoring

SentenceSplitter = Callable[[str], list[Span]]
"""Sentence spans of a text, as the extractor's parser splits it."""


def anchor(
    draft: Draft, text: str, sentences: list[Span], *, split: Split, stratum: str, origin: str
) -> AnnotatedArticle:
    """The draft anchored to `text`; raises `AnnotationError` listing everything that is off."""
    problems: list[str] = []
    folded = _FoldedText.of(text)
    actors = {actor.name: actor for actor in draft.actors}
    if len(actors) != len(draft.actors):
        problems.append("an actor is listed twice")
    annotated_actors = []
    for actor in draft.actors:
        mentions = form_mentions(folded, actor.forms)
        missing = [f for f in actor.forms if folded.find(f) is None]
        if missing:
            problems.append(f"actor {actor.name!r}: forms not in the text: {missing}")
        annotated_actors.append(
            AnnotatedActor(name=actor.name, kind=actor.kind, forms=actor.forms, mentions=mentions)
        )

    def statement(item: DraftStatement, what: str) -> dict | None:
        where = f"{what} {item.source} {item.relation} {item.target}"
        for side in (item.source, item.target):
            if side not in actors:
                problems.append(f"{where}: actor {side!r} is not in the actors list")
        if item.source == item.target:
            problems.append(f"{where}: source and target are the same actor")
        span = folded.find(item.evidence)
        if span is None:
            problems.append(f"{where}: evidence not found in the text: {item.evidence[:60]!r}")
            return None
        quoted = text[span.start : span.end]
        fields: dict = {
            "source": item.source,
            "relation": item.relation,
            "target": item.target,
            "evidence": Evidence(start=span.start, end=span.end, sha256=evidence_hash(quoted)),
            "sentence": _sentence_of(span, sentences),
            "note": without_quotes(item.note, text) if item.note else None,
        }
        for side, name, given in (
            ("source_mention", item.source, item.source_mention),
            ("target_mention", item.target, item.target_mention),
        ):
            forms = [given] if given else (actors[name].forms if name in actors else [])
            found = _mention_in(text, folded, forms, span)
            if given and found is None:
                problems.append(f"{where}: {side} {given!r} is not in the evidence")
            fields[side] = found
        return fields

    relations = []
    for relation in draft.relations:
        if (fields := statement(relation, "relation")) is not None:
            relations.append(AnnotatedRelation(optional=relation.optional, **fields))
    negatives = []
    for negative in draft.negatives:
        if (fields := statement(negative, "negative")) is not None:
            negatives.append(AnnotatedNegative(why=negative.why, **fields))
    article = AnnotatedArticle(
        path=draft.article,
        origin="written" if origin == "written" else "corpus",
        sha256=text_sha256(text),
        split=split,
        stratum=stratum,
        actors=annotated_actors,
        relations=relations,
        negatives=negatives,
    )
    problems.extend(_conflicts(article))
    if problems:
        raise AnnotationError("; ".join(problems))
    return article


QUOTE_WORDS = 6
"""A note that repeats this many words of its article in a row quotes it."""


def without_quotes(note: str, text: str) -> str:
    """The note with every run of `QUOTE_WORDS` or more words of the article cut to "[...]":
    notes keep the annotator's reasons, never the article's text."""
    text_words = [w.lower() for w in re.findall(r"\w+", text)]
    runs = {
        tuple(text_words[i : i + QUOTE_WORDS]) for i in range(len(text_words) - QUOTE_WORDS + 1)
    }
    words = list(re.finditer(r"\w+", note))
    spans: list[tuple[int, int]] = []
    for i in range(len(words) - QUOTE_WORDS + 1):
        if tuple(w.group().lower() for w in words[i : i + QUOTE_WORDS]) in runs:
            start, end = words[i].start(), words[i + QUOTE_WORDS - 1].end()
            if spans and start <= spans[-1][1]:
                start = spans.pop()[0]
            spans.append((start, end))
    for start, end in reversed(spans):
        note = note[:start] + "[...]" + note[end:]
    return note


def _mention_in(text: str, folded: _FoldedText, forms: list[str], within: Span) -> Mention | None:
    """The first of `forms` (longest first) written inside `within`, case-sensitive."""
    best: Span | None = None
    for form in sorted(forms, key=len, reverse=True):
        span = folded.find(form, within.start, within.end)
        if span is not None and (best is None or span.start < best.start):
            best = span
    if best is None:
        return None
    return Mention(start=best.start, end=best.end, text=text[best.start : best.end])


def _sentence_of(span: Span, sentences: list[Span]) -> Span:
    """The union of the sentences the span overlaps (the span itself if none do)."""
    overlapping = [s for s in sentences if s.start < span.end and span.start < s.end]
    if not overlapping:
        return span
    return Span(start=min(s.start for s in overlapping), end=max(s.end for s in overlapping))


def _conflicts(article: AnnotatedArticle) -> list[str]:
    required = {r.triple for r in article.relations if not r.optional}
    return [
        f"triple {' '.join(n.triple)} is both required and negative"
        for n in article.negatives
        if n.triple in required
    ]


# ------------------------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class Corpus:
    """Where annotations and texts live."""

    annotations: Path
    texts: Path
    """The corpus folder the annotations' paths are below (`../shared/corpus`)."""

    def text_path(self, article: AnnotatedArticle | Draft, origin: str = "corpus") -> Path:
        path = article.path if isinstance(article, AnnotatedArticle) else article.article
        if isinstance(article, AnnotatedArticle):
            origin = article.origin
        if origin == "written":
            return self.annotations / "written" / path
        return self.texts / path

    def files(self, splits: Iterable[Split] = SPLITS) -> Iterator[tuple[Split, Path]]:
        for split in splits:
            for path in sorted((self.annotations / split).glob("*.json")):
                yield split, path


def read_text(path: Path) -> str:
    """An article's text exactly as the extractor reads it (UTF-8, BOM dropped)."""
    return path.read_bytes().decode("utf-8-sig")


def load_annotation(path: Path) -> AnnotatedArticle:
    try:
        return AnnotatedArticle.model_validate_json(path.read_text("utf-8"))
    except ValidationError as error:
        raise AnnotationError(f"{path}: {_validation_message(error)}") from None


def _validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False)
    )


def dump_annotation(article: AnnotatedArticle) -> str:
    return json.dumps(article.model_dump(mode="json", exclude_none=True), indent=1) + "\n"


def load_draft(path: Path) -> Draft:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        return Draft.model_validate(data)
    except yaml.YAMLError as error:
        raise AnnotationError(f"{path}: not valid YAML: {error}") from None
    except ValidationError as error:
        raise AnnotationError(f"{path}: {_validation_message(error)}") from None


# ----------------------------------------------------------------------------------- checking


@dataclass
class SplitCounts:
    articles: int = 0
    required: Counter = field(default_factory=Counter)
    optional: Counter = field(default_factory=Counter)
    negatives: Counter = field(default_factory=Counter)


@dataclass
class CheckReport:
    counts: dict[Split, SplitCounts]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> SplitCounts:
        total = SplitCounts()
        for counts in self.counts.values():
            total.articles += counts.articles
            total.required += counts.required
            total.optional += counts.optional
            total.negatives += counts.negatives
        return total


def check_article(article: AnnotatedArticle, text: str) -> list[str]:
    """Everything about one annotated article that does not fit its text or the rules."""
    problems: list[str] = []
    if text_sha256(text) != article.sha256:
        problems.append("the text changed since it was annotated (SHA-256 differs)")
        return problems
    names = [actor.name for actor in article.actors]
    if len(set(names)) != len(names):
        problems.append("an actor is listed twice")
    for actor in article.actors:
        for span in actor.mentions:
            if span.end > len(text) or _fold(text[span.start : span.end]) not in map(
                _fold, actor.forms
            ):
                problems.append(f"actor {actor.name!r}: mention {span.start}-{span.end} is off")
    for item in [*article.relations, *article.negatives]:
        where = f"{' '.join(item.triple)} at {item.evidence.start}"
        for side in (item.source, item.target):
            if side not in names:
                problems.append(f"{where}: actor {side!r} is not listed")
        if item.evidence.end > len(text):
            problems.append(f"{where}: evidence runs past the text")
            continue
        if evidence_hash(text[item.evidence.start : item.evidence.end]) != item.evidence.sha256:
            problems.append(f"{where}: the evidence is not the text at its offsets")
        sentence, evidence = item.sentence, item.evidence
        if not (sentence.start <= evidence.start and evidence.end <= sentence.end):
            problems.append(f"{where}: the sentence does not hold the evidence")
        for mention in (item.source_mention, item.target_mention):
            if mention is None:
                continue
            inside = item.sentence.start <= mention.start and mention.end <= item.sentence.end
            if not inside or _fold(text[mention.start : mention.end]) != _fold(mention.text):
                problems.append(f"{where}: mention {mention.text!r} is not at its offsets")
    problems.extend(_conflicts(article))
    return problems


def frozen_hashes(corpus: Corpus) -> dict[str, str]:
    manifest = corpus.annotations / "test" / FROZEN_MANIFEST
    if not manifest.exists():
        return {}
    pairs = (line.split() for line in manifest.read_text("utf-8").splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def hashes_of_test_files(corpus: Corpus) -> dict[str, str]:
    """File name -> SHA-256 of every annotation file of the test split, as they are now."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for _, path in corpus.files(["test"])
    }


def freeze_test_split(corpus: Corpus) -> int:
    """Write the test split's manifest; returns how many files it names."""
    hashes = hashes_of_test_files(corpus)
    lines = [f"{digest}  {name}\n" for name, digest in hashes.items()]
    (corpus.annotations / "test" / FROZEN_MANIFEST).write_text("".join(lines), "utf-8")
    return len(hashes)


def check_corpus(corpus: Corpus) -> CheckReport:
    """Validate every annotation file against its text; count articles and statements."""
    counts: dict[Split, SplitCounts] = {split: SplitCounts() for split in SPLITS}
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for split, path in corpus.files():
        try:
            article = load_annotation(path)
        except AnnotationError as error:
            problems.append(str(error))
            continue
        where = f"{path}"
        if article.split != split:
            problems.append(f"{where}: says split {article.split!r} but is in {split}/")
        if path.name != article.file_name:
            problems.append(f"{where}: should be named {article.file_name}")
        if (split == "written") != (article.origin == "written"):
            problems.append(f"{where}: written texts go in written/ and nowhere else")
        if (first := seen.setdefault(article.path, path)) != path:
            problems.append(f"{where}: {article.path} is annotated twice (also {first})")
        text_path = corpus.text_path(article)
        if not text_path.is_file():
            problems.append(f"{where}: the text {text_path} is missing")
            continue
        problems.extend(f"{where}: {p}" for p in check_article(article, read_text(text_path)))
        tally = counts[split]
        tally.articles += 1
        for relation in {(r.triple, r.optional) for r in article.relations}:
            (tally.optional if relation[1] else tally.required)[relation[0][1]] += 1
        for negative in {n.triple for n in article.negatives}:
            tally.negatives[negative[1]] += 1
    problems.extend(_frozen_problems(corpus))
    return CheckReport(counts=counts, problems=problems)


def _frozen_problems(corpus: Corpus) -> list[str]:
    frozen = frozen_hashes(corpus)
    if not frozen:
        return []
    present = hashes_of_test_files(corpus)
    problems = [
        f"test/{name}: the test split is frozen; this file changed"
        for name, digest in frozen.items()
        if name in present and present[name] != digest
    ]
    problems += [f"test/{name}: frozen, but missing" for name in frozen if name not in present]
    problems += [
        f"test/{name}: added after the test split was frozen"
        for name in present
        if name not in frozen
    ]
    return problems


# --------------------------------------------------------------------------------- assignment

SPLITS_TABLE = "splits.tsv"
"""`path<TAB>stratum<TAB>split` for every chosen corpus article, written before annotating."""


def split_table(corpus: Corpus) -> dict[str, tuple[str, Split]]:
    """Article path -> (stratum, split), as assigned before annotation began."""
    table = corpus.annotations / SPLITS_TABLE
    if not table.exists():
        return {}
    rows = [line.split("\t") for line in table.read_text("utf-8").splitlines()[1:] if line]
    return {path: (stratum, split) for path, stratum, split in rows}  # type: ignore[misc]


def sentence_splitter(nlp: Language | None = None) -> SentenceSplitter:
    """Sentences as the extractor's parser finds them (the model without NER: faster)."""
    from loaders.annotate import load_nlp, prepared

    nlp = nlp or load_nlp()

    def split(text: str) -> list[Span]:
        with nlp.select_pipes(enable=["tok2vec", "tagger", "paragraph_breaks", "parser"]):
            doc = nlp(prepared(text))
        spans = []
        for sent in doc.sents:
            raw = text[sent.start_char : sent.end_char]
            start = sent.start_char + len(raw) - len(raw.lstrip())
            end = sent.start_char + len(raw.rstrip())
            if end > start:
                spans.append(Span(start=start, end=end))
        return spans

    return split


def add_drafts(
    corpus: Corpus,
    drafts: Iterable[Path],
    splitter: SentenceSplitter,
    *,
    split: Split | None = None,
    stratum: str | None = None,
    write: bool = True,
) -> Iterator[tuple[Path, AnnotatedArticle | AnnotationError]]:
    """Anchor each draft and (with `write`) save it in its split; yields each result.

    A draft's split and stratum come from `splits.tsv`, or from `split`/`stratum` for written
    texts and articles chosen later. A file of the frozen test split is never rewritten.
    """
    assigned = split_table(corpus)
    frozen = frozen_hashes(corpus)
    for path in drafts:
        try:
            draft = load_draft(path)
            origin = "written" if split == "written" else "corpus"
            where_split, where_stratum = _placement(draft, assigned, split, stratum)
            text_path = corpus.text_path(draft, origin)
            if not text_path.is_file():
                raise AnnotationError(f"{path}: no text at {text_path}")
            text = read_text(text_path)
            article = anchor(
                draft,
                text,
                splitter(text),
                split=where_split,
                stratum=where_stratum,
                origin=origin,
            )
            if where_split == "test" and article.file_name in frozen:
                raise AnnotationError(f"{path}: the test split is frozen")
            if write:
                target = corpus.annotations / where_split / article.file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(dump_annotation(article), "utf-8")
            yield path, article
        except AnnotationError as error:
            message = str(error)
            if not message.startswith(str(path)):
                message = f"{path}: {message}"
            yield path, AnnotationError(message)


def _placement(
    draft: Draft, assigned: dict[str, tuple[str, Split]], split: Split | None, stratum: str | None
) -> tuple[Split, str]:
    if draft.article in assigned:
        chosen_stratum, chosen_split = assigned[draft.article]
        if split is not None and split != chosen_split:
            raise AnnotationError(f"{draft.article} belongs to {chosen_split}, not {split}")
        return chosen_split, chosen_stratum
    if split is None or stratum is None:
        raise AnnotationError(
            f"{draft.article} is not in {SPLITS_TABLE}: give its split and stratum"
        )
    return split, stratum


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class AnnotatedText:
    """An annotated article with its text, read and verified against its hash."""

    annotation: AnnotatedArticle
    text: str


def read_split(corpus: Corpus, splits: Iterable[Split]) -> Iterator[AnnotatedText]:
    """Every annotated article of `splits` with its text; a missing or changed text raises
    `AnnotationError` naming it (a score over fewer articles than annotated would mislead)."""
    for _, path in corpus.files(splits):
        annotation = load_annotation(path)
        text_path = corpus.text_path(annotation)
        if not text_path.is_file():
            raise AnnotationError(f"{path}: the text {text_path} is missing")
        text = read_text(text_path)
        if text_sha256(text) != annotation.sha256:
            raise AnnotationError(f"{path}: the text {text_path} changed since it was annotated")
        yield AnnotatedText(annotation, text)
