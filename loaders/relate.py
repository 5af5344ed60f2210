"""Relate step: typed relations between resolved actors, read off the dependency parse.

Each pattern family is one small function from a trigger token to candidate relations:
verbs with subject and object, passives with a `by` agent, nominal triggers ("US air strikes
against X", "pressure from Tehran on Baghdad"), demands whose content names the target
("demanding that Baghdad halt ..."), and hyphenated compounds ("Iran-backed militia").
Arguments are read through coordination, apposition, relative pronouns, "he"/"she", and nouns
that stand for an actor ("US forces", "Iraqi action", "Kataib Hezbollah's leaders").
The qualify step then marks what is negated or hypothetical.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from graph_schema.models import ArticleActor
from graph_schema.vocabulary import ActorKind, Modality, Polarity, RelationType
from loaders.lexicon import RelationLexicon
from loaders.resolve import ResolvedDoc, actor_index, is_shouted
from loaders.word_classes import word_classes

_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_INHERITING = {"xcomp", "conj", "advcl", "acomp", "pcomp"}
"""A verb attached this way shares the subject of the verb it hangs on ("vowed to respond")."""

_NOMINAL_PATH = {"pobj", "prep", "dobj", "conj", "appos", "compound"}
_MODIFIER_DEPS = {"amod", "compound", "npadvmod", "nmod", "poss"}
INDIVIDUALS = frozenset({ActorKind.OFFICIAL, ActorKind.PERSON})

# The word classes the patterns read: loaders/data/word_classes.yaml lists their words and says
# what each is for, with example sentences.
_WORDS = word_classes()
STAND_IN_NOUNS = _WORDS.stand_in_nouns.words
REPRESENTATIVE_PREPOSITIONS = _WORDS.representative_prepositions.words
ASSET_NOUNS = _WORDS.asset_nouns.words
CARRIER_VERBS = _WORDS.carrier_verbs.words
LIGHT_VERBS = _WORDS.light_verbs.words
EXPERIENCER_VERBS = _WORDS.experiencer_verbs.words
YIELDING_VERBS = _WORDS.yielding_verbs.words
YIELDING_PHRASAL_VERBS = _WORDS.yielding_phrasal_verbs.words
RELATIONAL_NOUNS = _WORDS.relational_nouns.words
SOURCE_PREPOSITIONS = _WORDS.source_prepositions.words
TOPIC_PREPOSITIONS = _WORDS.topic_prepositions.words
PRONOUNS = _WORDS.pronouns.words
RELATIVE_PRONOUNS = _WORDS.relative_pronouns.words
FORECAST_MODALS = _WORDS.forecast_modals.words
HYPOTHETICAL_MODALS = _WORDS.hypothetical_modals.words
PERMISSION_ADVERBS = _WORDS.permission_adverbs.words
CONDITIONAL_MARKS = _WORDS.conditional_marks.words
DENIAL_VERBS = _WORDS.denial_verbs.words
INTENT_VERBS = _WORDS.intent_verbs.words
PRESUPPOSING_VERBS = _WORDS.presupposing_verbs.words
CONTINUATIVE_VERBS = _WORDS.continuative_verbs.words
TRANSFER_VERBS = _WORDS.transfer_verbs.words
TRANSFER_NOUNS = _WORDS.transfer_nouns.words
MATERIAL_NOUNS = _WORDS.material_nouns.words
MONEY_NOUNS = _WORDS.money_nouns.words
VERBAL_SENSE_ATTACKS = _WORDS.verbal_sense_attacks.words
DEFINITE_KIND_NOUNS = _WORDS.definite_kind_nouns.words
LISTING_VERBS = _WORDS.listing_verbs.words
LISTING_WORDS = _WORDS.listing_words.words
ASSISTANCE_VERBS = _WORDS.assistance_verbs.words
DISARMING_NOUNS = _WORDS.disarming_nouns.words
COLLECTIVE_DEMONYM_ENDINGS = _WORDS.collective_demonym_endings.words
NAMING_VERBS = _WORDS.naming_verbs.words
REPORTING_VERBS = _WORDS.reporting_verbs.words
STATEMENT_VERBS = _WORDS.statement_verbs.words


@dataclass(frozen=True)
class Candidate:
    """A relation read off one sentence, before qualification and scoring."""

    type: RelationType
    source: ArticleActor
    target: ArticleActor
    trigger: Token
    pattern: str
    confidence: float
    features: tuple[str, ...] | None = None
    """Where the model scored it: the features that weighed most for it (None: not scored)."""


def relate(resolved: ResolvedDoc, lexicon: RelationLexicon) -> list[Candidate]:
    """Every candidate relation in the article, one per (sentence, type, source, target)."""
    seen: set[tuple[int, RelationType, str, str]] = set()
    found: list[Candidate] = []
    tokens = (token for sent in resolved.doc.sents if not is_shouted(sent.text) for token in sent)
    for token in tokens:
        for candidate in _candidates_at(resolved, lexicon, token):
            key = (
                candidate.trigger.sent.start,
                candidate.type,
                candidate.source.id,
                candidate.target.id,
            )
            if key not in seen and is_plausible(candidate):
                seen.add(key)
                found.append(candidate)
    return found


def is_plausible(candidate: Candidate) -> bool:
    """Whether the relation can hold between these two actors, whatever the trigger says.

    An actor does not act on itself. One individual's attack on another is made of words
    ("the opposition leader attacked the chancellor for ..."), and so is an individual's attack
    on anyone for or over something ("attacked the government over Iraq"); killings and
    shootings keep their sense. Two private persons who meet are not negotiating.
    """
    source, target = candidate.source, candidate.target
    if source.id == target.id:
        return False
    if candidate.type is RelationType.ATTACKS:
        trigger = candidate.trigger
        if trigger.lemma_.lower() not in VERBAL_SENSE_ATTACKS or source.kind not in INDIVIDUALS:
            return True
        # "attacked the government over Iraq": a reason given makes it criticism
        reasoned = any(c.dep_ == "prep" and c.lower_ in ("over", "for") for c in trigger.children)
        return not (target.kind in INDIVIDUALS or reasoned)
    if candidate.type is RelationType.NEGOTIATES_WITH:
        return not (source.kind is ActorKind.PERSON and target.kind is ActorKind.PERSON)
    return True


def _candidates_at(
    resolved: ResolvedDoc, lexicon: RelationLexicon, token: Token
) -> Iterator[Candidate]:
    # Reading a token's attributes crosses into Cython each time: once per token, not per type.
    lemma, pos, lower = token.lemma_.lower(), token.pos_, token.lower_
    is_verb, is_noun = pos in ("VERB", "AUX"), pos in ("NOUN", "PROPN")
    if pos == "PROPN" and token.is_sent_start and lower.endswith("s"):
        lemma = lower[:-1]  # the tagger takes a capitalised plural opening a sentence for a name
    if is_verb and lemma in LISTING_VERBS:
        yield from _listings(resolved, token)
    if is_verb and lemma in TRANSFER_VERBS:
        yield from _verb_transfers(resolved, token)
    elif is_noun and lemma in TRANSFER_NOUNS:
        yield from _noun_transfers(resolved, token)
    for relation_type, triggers in lexicon.relations.items():
        if is_verb and lemma in triggers.verbs:
            yield from _verb_relations(resolved, token, relation_type, triggers.verbs[lemma])
        elif is_noun and lemma in triggers.nouns:
            yield from _noun_relations(resolved, token, relation_type, triggers.nouns[lemma])
        if lower in triggers.participles:
            yield from _compound_relations(resolved, token, relation_type)


# --- pattern families ----------------------------------------------------------------------


def _verb_relations(
    resolved: ResolvedDoc, verb: Token, relation_type: RelationType, slots: list[str]
) -> Iterator[Candidate]:
    """ "X killed Y", "X negotiates with Y", "Y was pressured by X", "X asked Y to leave"."""
    if _is_passive(verb):
        sources = _agent_actors(resolved, verb)
        # The subject of a passive is the object of the active verb: it counts where an object
        # would ("was told by X to leave" is a demand; "was told by X there was no time" is not).
        object_counts = "dobj" in slots or ("dobj+to" in slots and _has_complement_clause(verb))
        targets = _subjects(resolved, verb) if object_counts else []
        pattern, confidence = "verb-passive", 0.85
    else:
        sources = _subjects(resolved, verb)
        targets = _verb_targets(resolved, verb, slots)
        pattern, confidence = "verb-object", 0.9
    if relation_type is RelationType.PRESSURES and _is_forecast(verb):
        return
    if not targets and relation_type is RelationType.PRESSURES and "dobj" in slots:
        targets = _demanded_of(resolved, verb)
        pattern, confidence = "verb-demand-clause", 0.75
    if (
        not targets
        and relation_type is RelationType.NEGOTIATES_WITH
        and not _is_passive(verb)
        and not ("dobj" in slots and _children(verb, "dobj"))  # "met the deadline"
    ):
        yield from _reciprocal(relation_type, sources, verb, "verb-reciprocal", 0.7)
        return
    yield from _pairs(relation_type, sources, targets, verb, pattern, confidence)


def _noun_relations(
    resolved: ResolvedDoc, noun: Token, relation_type: RelationType, target_preps: list[str]
) -> Iterator[Candidate]:
    """ "US air strikes against X", "pressure from Tehran on Baghdad", "exert pressure on X",
    "sanctions on X were announced by Y"."""
    verb = _governing_verb(noun)
    light = verb is not None and verb.lemma_.lower() in LIGHT_VERBS
    # "exerting pressure on Tehran": the parser often hangs the target on the light verb.
    holders = [noun, verb] if light and verb is not None and noun.dep_ == "dobj" else [noun]
    if relation_type is RelationType.FUNDS and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        # "US aid is vital to Iraq": the recipient hangs on the copula or its adjective
        holders += [noun.head, *_children(noun.head, "acomp")]
    targets = [
        actor
        for holder in holders
        for prep in holder.children
        if prep.dep_ == "prep" and prep.lower_ in target_preps
        for obj in _children(prep, "pobj")
        # "the destruction of Iraq's chemical weapons" is disarmament, not an attack on Iraq
        if not (noun.lemma_.lower() in DISARMING_NOUNS and _is_material(obj))
        for actor in _actors_of(resolved, obj)
    ]
    if not targets and relation_type is RelationType.PRESSURES:
        targets = _yielding_subjects(resolved, noun)
    if not targets:
        if relation_type is RelationType.NEGOTIATES_WITH:
            bilateral = list(_bilateral_relations(resolved, noun, relation_type))
            yield from bilateral
            if not bilateral and light and verb is not None and noun.dep_ == "dobj":
                sides = _subjects(resolved, verb)
                yield from _reciprocal(relation_type, sides, noun, "noun-reciprocal", 0.65)
        return
    source_preps = [
        prep for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in SOURCE_PREPOSITIONS
    ]
    sources = _modifier_actors(resolved, noun) or [
        actor for prep in source_preps for actor in _objects_of(resolved, prep)
    ]
    pattern, confidence = "noun-modifier", 0.8
    if not sources and noun.dep_ == "nsubjpass":
        sources = _agent_actors(resolved, noun.head)
        pattern = "noun-passive-agent"
    if not sources and not source_preps and verb is not None:
        sources = _subjects(resolved, verb)
        pattern, confidence = ("noun-light-verb", 0.75) if light else ("noun-governing-verb", 0.6)
    yield from _pairs(relation_type, sources, targets, noun, pattern, confidence)


def _listings(resolved: ResolvedDoc, verb: Token) -> Iterator[Candidate]:
    """ "the US designated Asaib Ahl al-Haq a terrorist organisation", "X was designated as a
    terrorist group by Y": the parser reads the name as object, predicate or complement."""
    if not any(
        t.lemma_.lower() in LISTING_WORDS or t.lower_ in LISTING_WORDS for t in verb.subtree
    ):
        return
    if _is_passive(verb):
        # the parser may hang "by Washington" on the predicate noun ("a terrorist group by X")
        agents = _children(verb, "agent") + [
            prep
            for child in verb.children
            if child.dep_ in ("dobj", "oprd")
            for prep in _children(child, "prep")
            if prep.lower_ == "by"
        ]
        sources = [a for agent in agents for a in _objects_of(resolved, agent)]
        targets = [
            a for s in verb.children if s.dep_ in _PASSIVE_SUBJECTS for a in _actors_of(resolved, s)
        ]
    else:
        sources = _subjects(resolved, verb)
        targets = [
            actor
            for child in verb.children
            if child.dep_ in ("dobj", "xcomp", "oprd", "ccomp")
            for actor in _actors_of(resolved, child, stand_ins=False)
        ]
    yield from _pairs(RelationType.PRESSURES, sources, targets, verb, "verb-listing", 0.8)


def _verb_transfers(resolved: ResolvedDoc, verb: Token) -> Iterator[Candidate]:
    """ "the US sold arms to Iran", "Tehran sent Hezbollah money", "Moscow supplied Baghdad
    with missiles"."""
    objects = [c for c in _with_shared_object(verb) if c.dep_ in ("dobj", "nsubjpass")]
    supplied_with = [
        token
        for prep in _children(verb, "prep")
        if prep.lower_ == "with"
        for obj in _children(prep, "pobj")
        for token in _with_conjuncts(obj)
    ]
    if any(_is_material(token) for token in supplied_with):
        targets = [a for obj in objects for a in _actors_of(resolved, obj)]
    elif any(_is_material(token) for obj in objects for token in _with_conjuncts(obj)):
        targets = _children_actors(resolved, verb, "to") + [
            a
            for dative in _children(verb, "dative")
            for a in (
                _objects_of(resolved, dative)
                if dative.lower_ == "to"
                else _actors_of(resolved, dative)
            )
        ]
    else:
        return
    sources = _agent_actors(resolved, verb) if _is_passive(verb) else _subjects(resolved, verb)
    yield from _pairs(RelationType.FUNDS, sources, targets, verb, "verb-transfer", 0.75)


def _noun_transfers(resolved: ResolvedDoc, noun: Token) -> Iterator[Candidate]:
    """ "US arms sales to Iran", "the flow of dollars to Iran", "an arms supplier to Iraq"."""
    goods = [c for c in noun.children if c.dep_ == "compound"] + [
        obj for prep in noun.children if prep.lower_ == "of" for obj in _children(prep, "pobj")
    ]
    if not any(_is_material(token) for token in goods):
        return
    targets = _children_actors(resolved, noun, "to")
    if not targets and noun.dep_ == "dobj":
        targets = _children_actors(resolved, noun.head, "to")  # "halt the flow of X to Iran"
    sources = _modifier_actors(resolved, noun)
    pattern, confidence = "noun-transfer", 0.7
    if not sources and noun.dep_ == "attr":
        sources = _subjects(resolved, noun.head)  # "Moscow is an arms supplier to Iraq"
    elif (
        not sources
        and (verb := _governing_verb(noun)) is not None
        and (verb.lemma_.lower() in LIGHT_VERBS | PRESUPPOSING_VERBS | CONTINUATIVE_VERBS)
    ):
        # "Baghdad halted the flow of dollars to Iran"; not "Reagan banned arms sales to Iran"
        sources = _subjects(resolved, verb)
        pattern, confidence = "noun-transfer-governing-verb", 0.6
    if not sources:
        # the weapons' maker: "the sale of Russian weapons to Syria" (not "of U.S. dollars")
        sources = [
            actor
            for token in goods
            if _is_weapon(token)
            for actor in _modifier_actors(resolved, token)
        ]
        pattern, confidence = "noun-transfer-maker", 0.6
    yield from _pairs(RelationType.FUNDS, sources, targets, noun, pattern, confidence)


def _is_weapon(token: Token) -> bool:
    return _is_material(token) and not _is_noun_of(token, MONEY_NOUNS)


def _is_material(token: Token) -> bool:
    if token.lower_ == "arm":
        return False  # weapons are "arms"; "sold its insurance arm" sold a business
    return _is_noun_of(token, MATERIAL_NOUNS)


def _children_actors(resolved: ResolvedDoc, token: Token, preposition: str) -> list[ArticleActor]:
    """Actors after `preposition` hung on `token` (the parser may call a "to" a dative)."""
    return [
        actor
        for prep in token.children
        if prep.dep_ in ("prep", "dative") and prep.lower_ == preposition
        for actor in _objects_of(resolved, prep)
    ]


def _bilateral_relations(
    resolved: ResolvedDoc, noun: Token, relation_type: RelationType
) -> Iterator[Candidate]:
    """ "the Iraq-US talks", "talks between France and Iran": each side negotiates with the
    other."""
    sides = [
        actors
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ == "between"
        for obj in _children(prep, "pobj")
        # "between X, Y and the Prime Minister": two names read of three sides are not a pair
        if len(_with_conjuncts(obj)) == 2
        for actors in [_unique(_actors_of(resolved, obj))]
        if len(actors) == 2
    ]
    for first, second in sides:
        yield from _pairs(relation_type, [first], [second], noun, "noun-between", 0.7)
        yield from _pairs(relation_type, [second], [first], noun, "noun-between", 0.7)
    doc = noun.doc
    for token in doc[noun.left_edge.i : noun.i]:
        if token.i + 2 < noun.i and doc[token.i + 1].text == "-":
            first, second = resolved.actor_at(token), resolved.actor_at(doc[token.i + 2])
            if first is not None and second is not None:
                yield from _pairs(relation_type, [first], [second], noun, "noun-bilateral", 0.7)
                yield from _pairs(relation_type, [second], [first], noun, "noun-bilateral", 0.7)


def _reciprocal(
    relation_type: RelationType,
    sides: list[ArticleActor],
    trigger: Token,
    pattern: str,
    confidence: float,
) -> Iterator[Candidate]:
    """ "Egypt and Sudan held talks", "Egypt and Sudan negotiated": with no partner named, the
    coordinated subjects talk with each other, each way.

    Not when the sides are the object of the verb above ("met X and Y to talk about ...": the
    one who met them talks with each), nor after a singular verb form, which two coordinated
    subjects cannot take: that "talks" is a noun ("Iraq and Syria in WTO talks")."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    if verb.tag_ == "VBZ" or (verb.dep_ == "xcomp" and _children(verb.head, "dobj")):
        return
    sides = _unique(sides)
    if len(sides) < 2:
        return
    for source in sides:
        yield from _pairs(
            relation_type,
            [source],
            [s for s in sides if s is not source],
            trigger,
            pattern,
            confidence,
        )


def _compound_relations(
    resolved: ResolvedDoc, participle: Token, relation_type: RelationType
) -> Iterator[Candidate]:
    """ "the Iran-backed Kataib Hezbollah": the first half acts on the noun it modifies."""
    doc = participle.doc
    if participle.i < 2 or doc[participle.i - 1].text != "-":
        return
    source = resolved.actor_at(doc[participle.i - 2])
    if source is None:
        return
    head = participle.head if participle.head.i != participle.i else participle
    targets = _actors_of(resolved, head, stand_ins=False)
    yield from _pairs(relation_type, [source], targets, participle, "compound-participle", 0.75)


def _is_forecast(verb: Token) -> bool:
    """A warning that something could happen: "warned Blair that the war could be illegal"."""
    return verb.lemma_.lower() == "warn" and any(
        aux.tag_ == "MD" and aux.lower_ in FORECAST_MODALS
        for clause in _children(verb, "ccomp")
        for aux in _children(clause, "aux")
    )


def _demanded_of(resolved: ResolvedDoc, verb: Token) -> list[ArticleActor]:
    """ "demanding that Baghdad halt ...": whoever must do the demanded thing is the target.

    Only a clause in the subjunctive states a demand: a bare verb after a singular subject
    ("that Baghdad halt", "Iran use", which the tagger may call VBP), with no modal; "said that
    Iraq is important" and "warned that Labour members would not forgive" do not.
    """
    return [
        actor
        for clause in _children(verb, "ccomp")
        # What is demanded follows the demand; a clause before it is another statement.
        if clause.i > verb.i and not any(aux.tag_ == "MD" for aux in _children(clause, "aux"))
        for subject in clause.children
        if subject.dep_ in _SUBJECTS
        and (clause.tag_ == "VB" or (clause.tag_ == "VBP" and subject.tag_ in ("NN", "NNP")))
        for actor in _actors_of(resolved, subject)
    ]


def _pairs(
    relation_type: RelationType,
    sources: list[ArticleActor],
    targets: list[ArticleActor],
    trigger: Token,
    pattern: str,
    confidence: float,
) -> Iterator[Candidate]:
    for source in _unique(sources):
        for target in _unique(targets):
            yield Candidate(relation_type, source, target, trigger, pattern, confidence)


def _unique(actors: list[ArticleActor]) -> list[ArticleActor]:
    return list({actor.id: actor for actor in actors}.values())


# --- arguments -----------------------------------------------------------------------------


def _subjects(resolved: ResolvedDoc, verb: Token) -> list[ArticleActor]:
    """Who does `verb`: its own subject, else the subject of the verb it hangs on, or that
    verb's object when it has one: in "urged Jordan to stop attacking Syria" Jordan attacks."""
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS]
        if subjects:
            return [a for s in subjects for a in _actors_of(resolved, s)]
        if current.dep_ not in _INHERITING or current.head.i == current.i:
            return []
        if current.dep_ == "xcomp" and (objects := _children(current.head, "dobj")):
            return [a for o in objects for a in _actors_of(resolved, o)]
        current = current.head
    return []


def _verb_targets(resolved: ResolvedDoc, verb: Token, slots: list[str]) -> list[ArticleActor]:
    targets: list[ArticleActor] = []
    for child in _with_shared_object(verb):
        if child.dep_ in ("dobj", "dative") and (
            "dobj" in slots or ("dobj+to" in slots and _has_complement_clause(verb))
        ):
            targets += _actors_of(resolved, child)
        elif child.dep_ == "prep" and child.lower_ in slots:
            targets += _objects_of(resolved, child)
        if child.dep_ == "dobj" and "with" in slots and not _is_relational(child):
            # "discussed the idea with Mr McCain": the parser hangs the partner on the object
            targets += _children_actors(resolved, child, "with")
    return targets


def _is_relational(noun: Token) -> bool:
    return _is_noun_of(noun, RELATIONAL_NOUNS)


def _with_shared_object(verb: Token) -> list[Token]:
    """The verb's children, and the object it shares with the verb coordinated after it:
    "attacked and destroyed an Iranian platform"."""
    children = list(verb.children)
    if any(c.dep_ in ("dobj", "dative", "prep", "ccomp", "xcomp") for c in children):
        return children
    shared = [
        child
        for conjunct in children
        if conjunct.dep_ == "conj" and conjunct.pos_ == "VERB"
        for child in conjunct.children
        if child.dep_ == "dobj"
    ]
    return children + shared


def _agent_actors(resolved: ResolvedDoc, verb: Token) -> list[ArticleActor]:
    """Who does a passive verb: the actors of its "by" agent."""
    return [a for agent in _children(verb, "agent") for a in _objects_of(resolved, agent)]


def _objects_of(resolved: ResolvedDoc, preposition: Token) -> list[ArticleActor]:
    return [a for obj in _children(preposition, "pobj") for a in _actors_of(resolved, obj)]


def _actors_of(resolved: ResolvedDoc, token: Token, stand_ins: bool = True) -> list[ArticleActor]:
    """The actors a noun phrase's head refers to, with everything coordinated with it."""
    if _is_named_asset(resolved, token):
        return []
    actors: list[ArticleActor] = []
    for head in _with_conjuncts(token):
        if _is_one_person_of(resolved, head):
            continue
        actor = resolved.actor_at(head) or _pronoun_antecedent(resolved, head)
        if actor is not None:
            actors += [actor, *_attached_people(resolved, head)]
        elif head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            actors += _actors_of(resolved, head.head.head, stand_ins)
        elif _is_asset(head):
            if stand_ins:
                actors += [
                    actor
                    for actor in _modifier_actors(resolved, head)
                    if actor.id in actor_index().entries
                ]
        elif appositions := _children(head, "appos"):
            actors += [a for appos in appositions for a in _actors_of(resolved, appos, stand_ins)]
        elif named := _named_as(resolved, head):
            actors += named
        elif stand_ins and _stands_in(head):
            actors += (
                _modifier_actors(resolved, head)
                + _carried_actors(resolved, head)
                + _represented_actors(resolved, head)
            )
        elif stand_ins and head.lemma_.lower() in REPRESENTATIVE_PREPOSITIONS:
            actors += _represented_actors(resolved, head)
    return actors


def _is_one_person_of(resolved: ResolvedDoc, head: Token) -> bool:
    """ "The Chilean will meet X", "the Iranian said": a singular demonym heading its noun phrase
    is one person of that state, not the state ("the Iranians", "the British" are)."""
    mention = resolved.mention_at(head)
    return (
        mention is not None
        and mention.is_adjective
        and head.dep_ not in _MODIFIER_DEPS
        and not head.lower_.endswith(COLLECTIVE_DEMONYM_ENDINGS)
    )


def _named_as(resolved: ResolvedDoc, noun: Token) -> list[ArticleActor]:
    """ "a group called Saraya Awliya al-Dam", "a militia known as Kataib Hezbollah"."""
    return [
        actor
        for clause in noun.children
        if clause.dep_ == "acl" and clause.lemma_.lower() in NAMING_VERBS
        for name in clause.children
        if name.dep_ in ("oprd", "attr", "xcomp", "prep")
        for actor in (
            _objects_of(resolved, name)
            if name.dep_ == "prep"
            else _actors_of(resolved, name, False)
        )
        if name.dep_ != "prep" or name.lower_ == "as"
    ]


def _is_noun_of(token: Token, nouns: frozenset[str]) -> bool:
    """Whether the token is one of `nouns`, by its lemma or, where the tagger missed a plural
    ("Warships" as a name), by its form less a final "s"."""
    return token.lemma_.lower() in nouns or token.lower_.rstrip("s") in nouns


def _stands_in(token: Token) -> bool:
    return _is_noun_of(token, STAND_IN_NOUNS)


def _is_asset(token: Token) -> bool:
    return _is_noun_of(token, ASSET_NOUNS)


def _is_named_asset(resolved: ResolvedDoc, name: Token) -> bool:
    """ "the destroyers Kidd and Hoel", "the tanker Sea Isle City": a name the table does not
    know, after an asset noun, names the asset (and so do names coordinated with it)."""
    actor = resolved.actor_at(name)
    return (
        actor is not None
        and actor.id not in actor_index().entries
        and any(c.dep_ == "compound" and _is_asset(c) for c in name.children)
    )


def _pronoun_antecedent(resolved: ResolvedDoc, token: Token) -> ArticleActor | None:
    """ "he" is the person named last, "the militia" the militia named last; "they" the nearest
    plural actor noun before it."""
    if token.lower_ in PRONOUNS:
        return resolved.last_actor_before(token, INDIVIDUALS)
    if (kind := DEFINITE_KIND_NOUNS.get(token.lower_)) is not None and [
        left.lower_ for left in token.lefts
    ] == ["the"]:
        return resolved.last_actor_before(token, {kind})
    if _is_bare_government(token):
        return resolved.state_of_official_before(token, actor_index())
    if token.lower_ == "it":
        return _reporter(resolved, token) or _previous_subject(resolved, token)
    if token.lower_ == "they":
        for earlier in reversed(token.doc[token.sent.start : token.i]):
            if earlier.tag_ in ("NNS", "NNPS") and _stands_in(earlier):
                found = _modifier_actors(resolved, earlier)
                if found:
                    return found[0]
    return None


def _is_bare_government(token: Token) -> bool:
    """ "the government" with nothing to say whose: not "the government of Iraq", "the
    government in Cairo", "the Iraqi government", "a government"."""
    return (
        token.lower_ == "government"
        and [left.lower_ for left in token.lefts] == ["the"]
        and not any(c.dep_ == "prep" and c.lower_ in ("of", "in") for c in token.children)
    )


def _reporter(resolved: ResolvedDoc, pronoun: Token) -> ArticleActor | None:
    """ "The EU announced that it will open talks": an "it" subject of a clause that a verb of
    saying reports is that verb's subject, if that is one state or group. So is an "its" or
    "their" on that subject: "Iraq said its warplanes struck ..."."""
    subject = pronoun.head if pronoun.dep_ == "poss" else pronoun
    if pronoun.dep_ == "poss" and pronoun.lower_ not in ("its", "their"):
        return None
    clause = subject.head
    if subject.dep_ not in _SUBJECTS or clause.dep_ != "ccomp":
        return None
    if clause.head.lemma_.lower() not in REPORTING_VERBS | STATEMENT_VERBS:
        return None
    subjects = [
        actor
        for subject in clause.head.children
        if subject.dep_ in _SUBJECTS
        and (actor := resolved.actor_at(subject)) is not None
        and actor.kind not in (ActorKind.OFFICIAL, ActorKind.PERSON)
    ]
    return subjects[0] if len(subjects) == 1 else None


def _previous_subject(resolved: ResolvedDoc, pronoun: Token) -> ArticleActor | None:
    """ "Moscow is neutral. It is an arms supplier to Iraq": an "it" opening a sentence as its
    subject is the state or group the sentence before is about, if that one names it as its
    subject; anything else ("the attack", an "it" further in) is left unread."""
    sent = pronoun.sent
    if pronoun.i != sent.start or pronoun.dep_ not in _SUBJECTS or pronoun.head.dep_ != "ROOT":
        return None
    if sent.start == 0:
        return None
    previous = pronoun.doc[sent.start - 1].sent
    subjects = [
        actor
        for subject in previous.root.children
        if subject.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS
        and (actor := resolved.actor_at(subject)) is not None
        and actor.kind not in (ActorKind.OFFICIAL, ActorKind.PERSON)
    ]
    return subjects[0] if len(subjects) == 1 else None


def _represented_actors(resolved: ResolvedDoc, noun: Token) -> list[ArticleActor]:
    """ "a spokesman for Kataib Hezbollah", "the representative of the Soviet Union"."""
    preps = REPRESENTATIVE_PREPOSITIONS.get(noun.lemma_.lower(), set())
    return [
        actor
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for actor in _objects_of(resolved, prep)
    ]


def _attached_people(resolved: ResolvedDoc, name: Token) -> list[ArticleActor]:
    """People the parser hung on another name instead of coordinating them."""
    return [
        actor
        for child in name.children
        if child.dep_ == "nmod"
        for actor in _actors_of(resolved, child, stand_ins=False)
        if actor.kind in (ActorKind.OFFICIAL, ActorKind.PERSON)
    ]


def _modifier_actors(resolved: ResolvedDoc, noun: Token) -> list[ArticleActor]:
    """Actors named inside the noun phrase before its head: "US air strikes", "Iran's pressure"."""
    actors: list[ArticleActor] = []
    for child in noun.lefts:
        if child.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod"):
            actor = resolved.actor_at(child)
            if actor is None and child.dep_ == "poss":
                actor = _reporter(resolved, child)
            if actor is not None:
                actors.append(actor)
            elif child.dep_ == "compound":
                actors += _modifier_actors(resolved, child)
    return actors


def _carried_actors(resolved: ResolvedDoc, noun: Token) -> list[ArticleActor]:
    """ "bases housing American troops", "facilities belonging to Kataib Hezbollah".

    The participle right after the noun counts even where the parser attached it elsewhere.
    """
    clauses = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
    if noun.i + 1 < len(noun.doc) and noun.doc[noun.i + 1].tag_ in ("VBG", "VBN"):
        clauses.append(noun.doc[noun.i + 1])
    actors: list[ArticleActor] = []
    for clause in clauses:
        if clause.lemma_.lower() in CARRIER_VERBS:
            for child in clause.children:
                if child.dep_ == "dobj":
                    actors += _actors_of(resolved, child)
                elif child.dep_ == "prep":
                    actors += _objects_of(resolved, child)
    return actors


def _yielding_subjects(resolved: ResolvedDoc, noun: Token) -> list[ArticleActor]:
    """ "Iraq faces US pressure", "Baghdad bowed to Iranian pressure", "came under pressure":
    whoever undergoes the pressure is the subject of the verb that takes it."""
    current = noun
    for _ in range(3):
        if current.dep_ not in ("dobj", "pobj", "prep") or current.head.i == current.i:
            return []
        current = current.head
        if current.pos_ == "VERB":
            lemma = current.lemma_.lower()
            particles = {c.lower_ for c in current.children if c.dep_ in ("prt", "prep")}
            if lemma in YIELDING_VERBS or (
                lemma in YIELDING_PHRASAL_VERBS and YIELDING_PHRASAL_VERBS[lemma] & particles
            ):
                return _subjects(resolved, current)
            return []
    return []


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose subject stands behind a nominal trigger: "exerted pressure on X",
    "retaliated with strikes on X", "reinforcing their strategy of pressure on X"."""
    current = noun
    for _ in range(5):
        if current.dep_ not in _NOMINAL_PATH or current.head.i == current.i:
            return None
        if current.dep_ == "pobj" and current.head.lower_ in TOPIC_PREPOSITIONS:
            return None
        current = current.head
        if current.pos_ == "VERB":
            return None if current.lemma_.lower() in EXPERIENCER_VERBS else current
    return None


def _with_conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found += _with_conjuncts(child)
    return found


def _children(token: Token, dep: str) -> list[Token]:
    return [child for child in token.children if child.dep_ == dep]


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in _PASSIVE_SUBJECTS | {"auxpass", "agent"} for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("conj", "acl") and bool(_children(verb, "agent"))
    )


def _has_complement_clause(verb: Token) -> bool:
    """An infinitive says what the object is to do: "asked Washington to withdraw". Asking for
    help ("asked Britain to lease tankers") is an appeal, not a demand."""
    appeal = verb.lemma_.lower() == "ask"
    return any(
        clause.dep_ in ("xcomp", "ccomp", "advcl")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
        and not (appeal and clause.lemma_.lower() in ASSISTANCE_VERBS)
        for clause in verb.children
    )


# --- qualify -------------------------------------------------------------------------------


def qualify(trigger: Token) -> tuple[Polarity, Modality]:
    """Whether the statement around `trigger` is denied or only possible.

    Walks from the trigger up to the clause that carries it, stopping at verbs of saying
    (attribution keeps a statement factual) and at verbs that presuppose their complement.
    A verb reached from a coordinated verb does not lend it its meaning: in "denied the report
    and warned Iraq" the warning is not denied.
    """
    polarity, modality = Polarity.ASSERTED, Modality.FACTUAL
    current: Token | None = trigger
    settled_modality = via_conjunct = False
    while current is not None:
        lemma = current.lemma_.lower()
        lexical = current is not trigger and not via_conjunct
        if current is not trigger and lemma in PRESUPPOSING_VERBS:
            break
        settled_modality |= current is not trigger and lemma in CONTINUATIVE_VERBS
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children) or any(
            c.dep_ == "det" and c.lower_ == "no" for c in children
        ):
            polarity = Polarity.NEGATED
        if current is trigger and any(c.dep_ == "det" and c.lower_ == "any" for c in children):
            modality = Modality.HYPOTHETICAL  # "any US strike on Iran" names no strike that was
        if lexical and lemma in DENIAL_VERBS:
            polarity = Polarity.NEGATED
        if not settled_modality and (
            any(_is_hypothetical_modal(c, children) for c in children)
            or any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children)
            or (lexical and lemma in INTENT_VERBS and current.pos_ in ("VERB", "ADJ"))
        ):
            modality = Modality.HYPOTHETICAL
        # A report named as a noun ("denied a report that ...") is what is judged, not who says.
        says = lemma in REPORTING_VERBS and current.pos_ == "VERB"
        if (current is not trigger and says) or _is_presupposed(current):
            break
        via_conjunct = current.dep_ == "conj"
        current = None if current.head.i == current.i else current.head
    return polarity, modality


def _is_hypothetical_modal(child: Token, siblings: list[Token]) -> bool:
    if child.tag_ != "MD" or child.lower_ not in HYPOTHETICAL_MODALS:
        return False
    return not (child.lower_ == "may" and any(s.lower_ in PERMISSION_ADVERBS for s in siblings))


def _is_presupposed(token: Token) -> bool:
    """A modifier or a subject names something that is there whatever the clause says of it:
    "the Iran-backed militia denied ...", "US strikes on X did not stop ..."."""
    return token.dep_ in _MODIFIER_DEPS or (
        token.pos_ in ("NOUN", "PROPN") and token.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS
    )
