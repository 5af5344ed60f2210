"""Candidate step: every ordered pair of distinct actors that one sentence mentions.

A mention is a name the resolve step found or a word the coreference step pointed at an
actor. For each pair of actors the closest pair of their mentions in the sentence is kept:
the features read the words between and around those two.
"""

from dataclasses import dataclass
from itertools import permutations

from spacy.tokens import Span, Token

from graph_schema.models import ArticleActor
from loaders.coref import Referent
from loaders.resolve import ResolvedDoc, is_shouted


@dataclass(frozen=True)
class ActorMention:
    """Where one actor is mentioned in a sentence: tokens [start, end) of the doc."""

    actor: ArticleActor
    start: int
    end: int
    via: str
    """`name`, or the coreference rule that found it (`pronoun:he`)."""

    def head(self, doc_tokens: Span) -> Token:
        """The mention's syntactic head: its token whose head lies outside it."""
        tokens = [doc_tokens.doc[i] for i in range(self.start, self.end)]
        for token in tokens:
            if not (self.start <= token.head.i < self.end) or token.head.i == token.i:
                return token
        return tokens[-1]


@dataclass(frozen=True)
class Pair:
    """An ordered pair of distinct actors mentioned in one sentence: a possible relation."""

    sent: Span
    source: ActorMention
    target: ActorMention


def sentence_mentions(resolved: ResolvedDoc, referents: list[Referent]) -> list[ActorMention]:
    """Every actor mention of the article, names and coreferent words, in text order."""
    named = [
        ActorMention(resolved.actors[m.actor_id], m.start, m.end, "name")
        for m in resolved.mentions
        if m.actor_id in resolved.actors
    ]
    referred = [ActorMention(r.actor, r.token.i, r.token.i + 1, r.rule) for r in referents]
    return sorted([*named, *referred], key=lambda m: m.start)


def candidate_pairs(resolved: ResolvedDoc, mentions: list[ActorMention]) -> list[Pair]:
    """Ordered pairs of distinct actors per sentence, each by its closest two mentions.

    All-capitals headlines are not read (NER on them is unreliable, and the body repeats them).
    """
    pairs: list[Pair] = []
    by_sentence: dict[int, list[ActorMention]] = {}
    for mention in mentions:
        by_sentence.setdefault(resolved.doc[mention.start].sent.start, []).append(mention)
    for sent_start, in_sentence in by_sentence.items():
        sent = resolved.doc[sent_start].sent
        if is_shouted(sent.text):
            continue
        by_actor: dict[str, list[ActorMention]] = {}
        for mention in in_sentence:
            by_actor.setdefault(mention.actor.id, []).append(mention)
        for source_id, target_id in permutations(by_actor, 2):
            source, target = min(
                ((s, t) for s in by_actor[source_id] for t in by_actor[target_id]),
                key=lambda st: (_gap(*st), st[0].via != "name", st[1].via != "name"),
            )
            pairs.append(Pair(sent, source, target))
    return pairs


def _gap(a: ActorMention, b: ActorMention) -> int:
    return max(b.start - a.end, a.start - b.end, 0)
