"""Features step: what the trained model reads about a candidate pair.

The dependency path between the two mentions and the lemmas on it, the lexicon's trigger words
on and near the path, which hand-written patterns fire for the pair, the actors' kinds, order
and distance, negation, modality and attribution cues. Each feature is a readable string, so
that a claim's strongest features explain it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pydantic import RootModel, field_validator
from spacy.tokens import Span, Token

from graph_schema.vocabulary import RelationType
from loaders.candidates import Pair
from loaders.lexicon import RelationLexicon, read_data
from loaders.relate import ASSET_NOUNS, Candidate


class ModelCues(RootModel[dict[RelationType, list[str]]]):
    """`model_cues.yaml`: broad cue lemmas of each relation type, features only."""

    @field_validator("root")
    @classmethod
    def _lower_case_and_once(cls, cues: dict[RelationType, list[str]]) -> dict:
        for relation_type, words in cues.items():
            if any(word != word.lower() or not word.strip() for word in words):
                raise ValueError(f"{relation_type}: cues are lower-case lemmas")
            if len(set(words)) != len(words):
                raise ValueError(f"{relation_type}: a cue is listed twice")
        return cues


@cache
def model_cues() -> dict[str, frozenset[RelationType]]:
    """Lemma -> the relation types it is a cue of."""
    cues: dict[str, set[RelationType]] = {}
    for relation_type, words in ModelCues.model_validate(read_data("model_cues.yaml")).root.items():
        for word in words:
            cues.setdefault(word, set()).add(relation_type)
    return {word: frozenset(types) for word, types in cues.items()}


Features = dict[str, float]
RuleHits = dict[tuple[int, str, str], list[Candidate]]
"""(sentence start, source id, target id) -> what the hand-written patterns found there."""

_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADP"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_PLANNING = frozenset({"will", "plan", "schedule", "set", "expect", "due", "propose", "seek"})
_REPORTING = frozenset({"say", "report", "tell", "announce", "claim", "quote", "accuse"})
_MAX_BETWEEN = 12
PLACE_NOUNS = ASSET_NOUNS | {"base", "position", "facility", "installation", "border"}
_OWNER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_CARRIER_DEPS = frozenset({"conj", "appos", "compound", "amod", "poss", "nmod", "pobj", "nsubj"})
"""Links that carry an actor up to the word acting for it: "Iran and Syria", "US forces",
"Iran's navy", "by US jets" (pobj of the agent's "by")."""
_LIGHT_VERB_OBJECTS = frozenset({"dobj", "xcomp", "attr"})
_MAX_CLIMB = 4


@dataclass(frozen=True)
class TriggerIndex:
    """Lemma -> the relation types the lexicon lists it under, as a verb or a noun."""

    verbs: dict[str, frozenset[RelationType]]
    nouns: dict[str, frozenset[RelationType]]
    participles: dict[str, frozenset[RelationType]]

    @classmethod
    def of(cls, lexicon: RelationLexicon) -> "TriggerIndex":
        verbs: dict[str, set[RelationType]] = {}
        nouns: dict[str, set[RelationType]] = {}
        participles: dict[str, set[RelationType]] = {}
        for relation_type, triggers in lexicon.relations.items():
            for lemma in triggers.verbs:
                verbs.setdefault(lemma, set()).add(relation_type)
            for lemma in triggers.nouns:
                nouns.setdefault(lemma, set()).add(relation_type)
            for word in triggers.participles:
                participles.setdefault(word, set()).add(relation_type)

        def frozen(table: dict[str, set[RelationType]]) -> dict[str, frozenset[RelationType]]:
            return {key: frozenset(value) for key, value in table.items()}

        return cls(frozen(verbs), frozen(nouns), frozen(participles))

    def types_of(self, token: Token) -> frozenset[RelationType]:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX"):
            found = self.verbs.get(lemma, frozenset())
        elif token.pos_ in ("NOUN", "PROPN"):
            found = self.nouns.get(lemma, frozenset())
        else:
            found = frozenset()
        if "-" in token.text:
            found |= self.participles.get(token.lower_.rsplit("-", 1)[-1], frozenset())
        return found | self.participles.get(token.lower_, frozenset())


def rule_hits(candidates: Iterable[Candidate]) -> RuleHits:
    hits: RuleHits = {}
    for candidate in candidates:
        key = (candidate.trigger.sent.start, candidate.source.id, candidate.target.id)
        hits.setdefault(key, []).append(candidate)
    return hits


def dependency_path(a: Token, b: Token) -> tuple[list[Token], list[Token], Token]:
    """Tokens from `a` up to the lowest common ancestor, and from `b` up to it; and the ancestor."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_b = {t.i for t in up_b}
    common = next((t for t in up_a if t.i in ids_b), up_a[-1])
    left = up_a[: [t.i for t in up_a].index(common.i)]
    right = up_b[: [t.i for t in up_b].index(common.i)] if common.i in ids_b else up_b
    return left, right, common


def trigger_on_path(pair: Pair, triggers: TriggerIndex) -> Token:
    """The word that most likely states the relation: a lexicon trigger on the path, else the
    lowest common ancestor of the two mentions."""
    source, target = pair.source.head(pair.sent), pair.target.head(pair.sent)
    left, right, common = dependency_path(source, target)
    for token in [common, *reversed(left[1:]), *reversed(right[1:])]:
        if triggers.types_of(token):
            return token
    return common


def sentence_features(sent: Span, triggers: TriggerIndex) -> Features:
    """What the whole sentence says, whichever pair is asked about: its cue words, its
    triggers, a negation anywhere in it. The same for every pair of the sentence."""
    features: Features = {}

    def add(name: str) -> None:
        features[name] = features.get(name, 0.0) + 1.0

    for token in sent:
        for relation_type in model_cues().get(token.lemma_.lower(), ()):
            add(f"sentence_cue={relation_type}")
        for relation_type in triggers.types_of(token):
            add(f"sentence_trigger={relation_type}")
            add(f"sentence_trigger_lemma={token.lemma_.lower()}")
        if token.dep_ == "neg":
            add("sentence_negated")
    return features


def pair_features(
    pair: Pair, triggers: TriggerIndex, hits: RuleHits, sentence: Features | None = None
) -> Features:
    """The features of one candidate pair, as {name: value}; `sentence`: the pair's
    `sentence_features`, when the caller has them already."""
    sent = pair.sent
    source, target = pair.source.head(sent), pair.target.head(sent)
    left, right, common = dependency_path(source, target)
    features: Features = {"bias": 1.0}

    def add(name: str, value: float = 1.0) -> None:
        features[name] = features.get(name, 0.0) + value

    kinds = (pair.source.actor.kind.value, pair.target.actor.kind.value)
    add(f"kinds={kinds[0]}>{kinds[1]}")
    add(f"source_kind={kinds[0]}")
    add(f"target_kind={kinds[1]}")
    add("source_first" if pair.source.start < pair.target.start else "target_first")
    gap = max(pair.target.start - pair.source.end, pair.source.start - pair.target.end, 0)
    add(f"gap={_bucket(gap, (0, 2, 5, 10, 20))}")
    add(f"path_length={_bucket(len(left) + len(right), (1, 2, 3, 4, 6, 9))}")
    add(f"source_via={pair.source.via.split(':')[0]}")
    add(f"target_via={pair.target.via.split(':')[0]}")
    add(f"source_dep={source.dep_}")
    add(f"target_dep={target.dep_}")
    add(f"source_dep_head={source.dep_}:{source.head.lemma_.lower()}")
    add(f"target_dep_head={target.dep_}:{target.head.lemma_.lower()}")
    if target.head.dep_ == "prep" or target.dep_ == "pobj":
        add(f"target_prep={target.head.lower_}")
    if source.dep_ == "pobj":
        add(f"source_prep={source.head.lower_}")
    for side, mention in (("source", pair.source), ("target", pair.target)):
        doc = sent.doc
        for offset, i in ((-2, mention.start - 2), (-1, mention.start - 1), (1, mention.end)):
            if sent.start <= i < sent.end:
                add(f"{side}_window{offset:+d}={doc[i].lemma_.lower()}")
    ups = "^".join(t.dep_ for t in left)
    downs = "v".join(t.dep_ for t in reversed(right))
    common_lemma = common.lemma_.lower()
    add(f"path={ups}|{downs}")
    add(f"path_lca={ups}|{common_lemma}|{downs}")
    add(f"lca={common_lemma}")
    add(f"lca_pos={common.pos_}")
    roles = f"{source.dep_}>{target.dep_}"
    add(f"lca_roles={common_lemma}|{roles}")
    on_path = [*left[1:], common, *right[1:]]
    for token in on_path:
        if token.i in (source.i, target.i):
            continue
        lemma = token.lemma_.lower()
        add(f"path_lemma={lemma}")
        for relation_type in triggers.types_of(token):
            add(f"path_trigger={relation_type}")
            add(f"path_trigger={relation_type}:{lemma}")
            add(f"path_trigger_roles={relation_type}|{roles}")
            add(f"path_trigger_kinds={relation_type}|{kinds[0]}>{kinds[1]}")
        if token.dep_ in ("auxpass", "agent") or any(c.dep_ == "auxpass" for c in token.children):
            add("path_passive")
        if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in token.children):
            add("path_negated")
        for child in token.children:
            if child.tag_ == "MD":
                add(f"path_modal={child.lower_}")
            if child.dep_ == "agent":
                add("path_agent")
        for relation_type in model_cues().get(lemma, ()):
            add(f"path_cue={relation_type}")
        if lemma in _PLANNING:
            add("path_planning")
        if lemma in _REPORTING:
            add("path_reporting")
    first, second = sorted((pair.source, pair.target), key=lambda m: m.start)
    between = sent.doc[first.end : max(first.end, second.start)]
    if len(between) <= _MAX_BETWEEN:
        for token in between:
            if token.pos_ in _CONTENT:
                add(f"between={token.lemma_.lower()}")
    for token in between:
        for relation_type in triggers.types_of(token):
            add(f"between_trigger={relation_type}")
        for relation_type in model_cues().get(token.lemma_.lower(), ()):
            add(f"between_cue={relation_type}")
    features.update(sentence if sentence is not None else sentence_features(sent, triggers))
    sent_start = sent.start
    for candidate in hits.get((sent_start, pair.source.actor.id, pair.target.actor.id), []):
        add(f"rule={candidate.type}")
        add(f"rule={candidate.type}:{candidate.pattern}")
    for candidate in hits.get((sent_start, pair.target.actor.id, pair.source.actor.id), []):
        add(f"rule_reversed={candidate.type}")
    # Who acts on the trigger, read from the parse: weighed by the model, not a hard filter.
    trigger = trigger_on_path(pair, triggers)
    acts = source_acts(pair, trigger)
    add(f"source_acts={acts}")
    for relation_type in triggers.types_of(trigger):
        add(f"source_acts={acts}|{relation_type}")
    if names_a_place(pair):
        add("source_names_a_place")
    return features


def _bucket(value: int, bounds: tuple[int, ...]) -> str:
    for bound in bounds:
        if value <= bound:
            return f"<={bound}"
    return f">{bounds[-1]}"


def source_acts(pair: Pair, trigger: Token) -> bool:
    """Whether the source is the one who acts on the trigger: its subject or by-agent, or the
    owner of a nominal trigger ("US strikes", "Iran's attack"), through coordination and the
    nouns standing for it ("US forces attacked"); never its object ("strikes on bases housing
    US troops", "a rocket killed an American contractor")."""
    token = pair.source.head(pair.sent)
    for _ in range(_MAX_CLIMB):
        head = token.head
        if head.i == token.i:
            return False
        if head.i == trigger.i:
            return _is_agent(token)
        if head.i == trigger.head.i and trigger.dep_ in _LIGHT_VERB_OBJECTS:
            return token.dep_ in _SUBJECT_DEPS  # "Iran held talks with Iraq"
        if token.dep_ not in _CARRIER_DEPS:
            return False
        token = head
    return False


def _is_agent(token: Token) -> bool:
    if token.dep_ in _SUBJECT_DEPS or token.dep_ in _OWNER_DEPS:
        return True
    return token.dep_ == "agent"  # "was struck by US jets": by is the agent


def names_a_place(pair: Pair) -> bool:
    """ "a rocket assault on an Iraqi base killed ...": a state named as the owner of a base or
    an asset says where something happened, not who did it; it is never the source."""
    head = pair.source.head(pair.sent)
    owned = head.head
    # the lemmatiser reads "bases" as "basis": the plural's form less its "s" is asked too
    names = {owned.lemma_.lower(), owned.lower_.removesuffix("s")}
    return head.dep_ in _OWNER_DEPS and bool(names & PLACE_NOUNS)
