"""Resolve step: entity mentions in a parsed article to canonical actors.

Known actors come from the actor table (ruled entities, names, capitals, demonyms, spelling
variants); unknown names found by NER become actors of their own, their kind guessed from the
NER label and head words; later short forms ("Mr Pompeo", "Al Kadhimi") join the full name met
earlier in the same article, but only when exactly one earlier name fits.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from graph_schema.models import ArticleActor
from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind
from loaders.lexicon import ActorEntry, actor_table
from loaders.word_classes import word_classes

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NAME_LABELS = {"GPE", "ORG", "PERSON", "NORP", "LOC", "FAC"}

# The word classes resolving reads: loaders/data/word_classes.yaml lists their words and says
# what each is for, with example sentences.
_WORDS = word_classes()
_TITLES = _WORDS.titles.words
_OFFICIAL_TITLES = _WORDS.official_titles.words
_KIND_HEAD_WORDS: tuple[tuple[ActorKind, frozenset[str]], ...] = _WORDS.kind_head_words.table()
_MEDIA = _WORDS.media.words


def is_shouted(text: str) -> bool:
    """An all-capitals line (a wire headline): the model, trained on mixed case, misreads it."""
    return not any(ch.islower() for ch in text)


def skeleton(text: str) -> str:
    """A transliteration-tolerant key: vowels dropped inside words, doubled letters folded.

    Soleimani, Suleimani and Suliemani meet; Kadhim and Kadhimi do not (a final vowel stays).
    """
    words = []
    for word in name_key(text).split():
        core = re.sub(r"(.)\1+", r"\1", word)
        consonants = (
            core[0] + re.sub(r"[aeiouy]", "", core[1:-1]) + (core[-1] if len(core) > 1 else "")
        )
        words.append(re.sub(r"[aeiouy]$", "V", consonants))
    return " ".join(words)


@dataclass(frozen=True)
class ActorIndex:
    """The actor table keyed for look-up: by name, by capital, by demonym, by spelling skeleton."""

    entries: dict[str, ActorEntry]
    names: dict[str, str]
    places: dict[str, str]
    adjectives: dict[str, str]
    skeletons: dict[str, str]

    def find(self, text: str, label: str) -> ActorEntry | None:
        key = name_key(text)
        actor_id = self.names.get(key)
        if actor_id is None and label in _PLACE_LABELS:
            actor_id = self.places.get(key)
        if actor_id is None and (label == "NORP" or label in _PLACE_LABELS):
            # NER tags a demonym as a place now and then ("Kuwaiti tankers": GPE)
            actor_id = self.adjectives.get(key) or self.plural_demonym(key)
        if actor_id is None and len(key) >= 6:
            actor_id = self.skeletons.get(skeleton(key))
        return self.entries[actor_id] if actor_id else None

    def plural_demonym(self, key: str) -> str | None:
        """ "Libyans", "Kuwaitis": the people of a state, which stand for it as "the Iranians"
        do ("Chadian troops killed 384 Libyans")."""
        if key.endswith("s") and key not in self.names:
            return self.adjectives.get(key[:-1])
        return None

    def is_demonym(self, text: str) -> bool:
        """A singular demonym ("Iranian"), not also a name of its actor."""
        key = name_key(text)
        return key in self.adjectives and key not in self.names


@cache
def actor_index() -> ActorIndex:
    entries = {actor.id: actor for actor in actor_table().actors}
    names: dict[str, str] = {}
    places: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    skeletons: dict[str, str] = {}
    ambiguous: set[str] = set()
    for actor in entries.values():
        for name in (actor.name, *actor.aliases):
            names.setdefault(name_key(name), actor.id)
            sk = skeleton(name)
            if skeletons.setdefault(sk, actor.id) != actor.id:
                ambiguous.add(sk)
        for place in actor.places:
            places.setdefault(name_key(place), actor.id)
        for adjective in actor.adjectives:
            adjectives.setdefault(name_key(adjective), actor.id)
    for sk in ambiguous:
        del skeletons[sk]
    return ActorIndex(entries, names, places, adjectives, skeletons)


@dataclass(frozen=True)
class Mention:
    """A stretch of tokens that names one actor."""

    start: int
    end: int
    text: str
    actor_id: str
    is_adjective: bool = False
    """A singular demonym ("Iranian"), which stands for its state only as a modifier: as a
    noun ("the Iranian said") it is one person."""


@dataclass
class ResolvedDoc:
    """A parsed article with every token that names an actor pointed at that actor."""

    doc: Doc
    actors: dict[str, ArticleActor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    _by_token: dict[int, Mention] = field(default_factory=dict)

    def mention_at(self, token: Token) -> Mention | None:
        return self._by_token.get(token.i)

    def actor_at(self, token: Token) -> ArticleActor | None:
        mention = self._by_token.get(token.i)
        return self.actors[mention.actor_id] if mention else None

    def add(self, mention: Mention, actor: ArticleActor) -> None:
        known = self.actors.setdefault(actor.id, actor)
        if mention.text not in known.mentions:
            known.mentions.append(mention.text)
        self.mentions.append(mention)
        for i in range(mention.start, mention.end):
            self._by_token[i] = mention

    def state_of_official_before(self, token: Token, index: "ActorIndex") -> ArticleActor | None:
        """The state of the official named last before `token` whose state the table knows: in
        "Mr Straw said ... called on the government", the government is Britain's."""
        for mention in sorted(self.mentions, key=lambda m: m.start, reverse=True):
            entry = index.entries.get(mention.actor_id)
            if mention.start >= token.i or entry is None or entry.kind is not ActorKind.OFFICIAL:
                continue
            state = index.entries.get(entry.affiliation or "")
            if state is None or state.kind is not ActorKind.GOVERNMENT:
                continue
            return self.actors.setdefault(state.id, _article_actor(state))
        return None

    def last_actor_before(
        self, token: Token, kinds: Collection[ActorKind], within_sentences: int = 3
    ) -> ArticleActor | None:
        """The nearest actor of one of `kinds` named before `token` in the sentences just before
        it: what "he" or "the militia" refers to."""
        sentence_starts = [sent.start for sent in self.doc.sents if sent.start <= token.i]
        horizon = (
            sentence_starts[-within_sentences] if len(sentence_starts) >= within_sentences else 0
        )
        for mention in sorted(self.mentions, key=lambda m: m.start, reverse=True):
            if horizon <= mention.start < token.i:
                actor = self.actors[mention.actor_id]
                if actor.kind in kinds:
                    return actor
        return None


def resolve(doc: Doc, index: ActorIndex | None = None) -> ResolvedDoc:
    """Find every actor mention in `doc` and point it at a canonical actor."""
    index = index or actor_index()
    resolved = ResolvedDoc(doc)
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            _resolve_entity(resolved, ent, index)
    _resolve_stray_tokens(resolved, index)
    _join_short_forms_to_later_names(resolved, index)
    resolved.mentions.sort(key=lambda m: m.start)
    return resolved


def _resolve_entity(resolved: ResolvedDoc, ent: Span, index: ActorIndex) -> None:
    spans = _trimmed(ent)
    if not spans or name_key(spans[-1].text) in _MEDIA:
        return
    # The longest form the table knows wins: "the State Department" is the United States,
    # though "state" is also a title to strip from "Secretary of State Mike Pompeo".
    found = (
        [(spans[-1], index.entries[ent.ent_id_])]
        if ent.ent_id_
        else [(span, entry) for span in spans if (entry := index.find(span.text, ent.label_))]
    )
    span, entry = found[0] if found else (spans[-1], None)
    if entry is not None:
        resolved.add(
            Mention(span.start, span.end, span.text, entry.id, index.is_demonym(span.text)),
            _article_actor(entry),
        )
        return
    if ent.label_ in _PLACE_LABELS or ent.label_ == "NORP":
        return  # a town or a people: where things happen, not who does them
    if (state := _state_before_common_nouns(ent, index)) is not None:
        span, entry = state
        resolved.add(Mention(span.start, span.end, span.text, entry.id), _article_actor(entry))
        return
    if is_shouted(ent.sent.text):
        return  # NER on an all-capitals headline finds "LINK REAGAN": only known names count
    earlier = _earlier_full_name(resolved, span)
    actor = earlier or _new_actor(span, ent)
    resolved.add(Mention(span.start, span.end, span.text, actor.id), actor)


def _state_before_common_nouns(ent: Span, index: ActorIndex) -> tuple[Span, ActorEntry] | None:
    """ "U.S. Arms", "U.S. Officials": wire copy capitalises the word after a state's name, and
    NER takes both for one organisation; the tagger still reads the rest as common nouns."""
    doc = ent.doc
    for end in range(ent.end - 1, ent.start, -1):
        if not all(token.pos_ == "NOUN" for token in doc[end : ent.end]):
            return None
        span = doc[ent.start : end]
        entry = index.find(span.text, "GPE")
        if entry is not None and entry.kind is ActorKind.GOVERNMENT:
            return span, entry
    return None


def _trimmed(ent: Span) -> list[Span]:
    """The entity without a trailing possessive and a leading "the", then without each leading
    title in turn; empty when nothing with a letter in it is left."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end > start and doc[end - 1].text.lower() in {"'s", "'"}:
        end -= 1
    if start < end - 1 and doc[start].lower_ == "the":
        start += 1
    spans = [doc[start:end]]
    while start < end - 1 and doc[start].text.lower().rstrip(".") in _TITLES:
        start += 1
        spans.append(doc[start:end])
    return [span for span in spans if any(ch.isalpha() for ch in span.text)]


def _earlier_full_name(resolved: ResolvedDoc, span: Span) -> ArticleActor | None:
    """The one person named earlier whose full name ends the way this short form does."""
    words = name_key(span.text).split()
    if not words or len(words) > 2:
        return None
    candidates = {
        mention.actor_id
        for mention in resolved.mentions
        if mention.start < span.start
        and resolved.actors[mention.actor_id].kind in (ActorKind.OFFICIAL, ActorKind.PERSON)
        and name_key(mention.text).split()[-len(words) :] == words
        and len(name_key(mention.text).split()) > len(words)
    }
    if len(candidates) == 1:
        return resolved.actors[candidates.pop()]
    return None


def _join_short_forms_to_later_names(resolved: ResolvedDoc, index: ActorIndex) -> None:
    """A short form met before the full name (a headline's "Blair", the article's "Tony
    Blair" below it) joins that name, when exactly one fuller name fits."""
    individuals = (ActorKind.OFFICIAL, ActorKind.PERSON)
    for short in list(resolved.actors.values()):
        words = name_key(short.name).split()
        if short.id in index.entries or short.kind not in individuals or len(words) > 2:
            continue
        fuller = {
            mention.actor_id
            for mention in resolved.mentions
            if mention.actor_id != short.id
            and resolved.actors[mention.actor_id].kind in individuals
            and name_key(mention.text).split()[-len(words) :] == words
            and len(name_key(mention.text).split()) > len(words)
        }
        if len(fuller) != 1:
            continue
        full = resolved.actors[fuller.pop()]
        del resolved.actors[short.id]
        mentions, resolved.mentions = resolved.mentions, []
        for mention in mentions:
            if mention.actor_id == short.id:
                mention = Mention(mention.start, mention.end, mention.text, full.id)
            resolved.add(mention, resolved.actors.get(mention.actor_id, full))


def _new_actor(span: Span, ent: Span) -> ArticleActor:
    return ArticleActor(
        id=slug(span.text), name=span.text, kind=_guess_kind(span, ent), aliases=[span.text]
    )


def _guess_kind(span: Span, ent: Span) -> ActorKind:
    if ent.label_ == "PERSON":
        before = {t.text.lower().rstrip(".") for t in ent.doc[max(ent.start - 3, 0) : span.start]}
        return ActorKind.OFFICIAL if before & _OFFICIAL_TITLES else ActorKind.PERSON
    words = set(name_key(span.text).split())
    for kind, head_words in _KIND_HEAD_WORDS:
        if words & head_words:
            return kind
    return ActorKind.ORGANIZATION


def _resolve_stray_tokens(resolved: ResolvedDoc, index: ActorIndex) -> None:
    """States NER left untagged: exact state names and demonyms ("Iranian missile strikes")."""
    for token in resolved.doc:
        if token.ent_iob_ != "O" or not token.text[:1].isupper() or token.i in resolved._by_token:
            continue
        key = name_key(token.text)
        actor_id = index.names.get(key) or index.adjectives.get(key) or index.plural_demonym(key)
        entry = index.entries.get(actor_id) if actor_id else None
        if entry is None or entry.kind is not ActorKind.GOVERNMENT:
            continue
        resolved.add(
            Mention(token.i, token.i + 1, token.text, entry.id, index.is_demonym(token.text)),
            _article_actor(entry),
        )


def _article_actor(entry: ActorEntry) -> ArticleActor:
    return ArticleActor(
        id=entry.id,
        name=entry.name,
        kind=entry.kind,
        aliases=sorted({entry.name, *entry.aliases, *entry.places, *entry.adjectives}),
    )


def slug(text: str) -> str:
    """A stable id for a name: ASCII, lower case, words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", name_key(text))) or "unnamed"
