"""Plain-English questions to structured queries, read from spaCy's parse of the question.

The words are the extraction lexicon's (`loaders/data/relations.yaml`: every verb and noun of the
four relation types) and the question words beside it (`question_words.yaml`), so that what
/ask understands and what extraction finds never drift apart. The reading goes by the question's
tokens around its relation word (the trigger): the words before it (a wh-word, auxiliaries, an
actor), the words after it (a preposition, an actor, "by" and an agent), the voice and the mood.
Time phrases ("in 1987", "since 2021") become dates, attributions ("according to Reuters") are
set aside, and what was set aside or corrected is said in `notes`.
"""

import calendar
import datetime as dt
import difflib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from graph_schema.vocabulary import ActorKind, RelationType
from loaders.annotate import load_nlp
from loaders.lexicon import question_words, relation_lexicon

QUESTION_FORMS = [
    "who pressures Iraq?",
    "who is pressured by the United States?",
    "who does Iran fund?",
    "which militias does Iran fund?",
    "did the US strike Kataib Hezbollah?",
    "has Iran threatened the United States?",
    "who talked with al-Kadhimi?",
    "show me all attacks on Iraq",
    "who attacks whom?",
    "what are the relations between Iran and Iraq?",
    "who pressures Iraq and Iran since 2021?",
    "how is Soleimani connected to the Trade Bank of Iraq?",
]
"""Examples of the forms /ask reads, shown when a question is not understood."""

_WH = frozenset({"who", "whom", "which", "what", "whose"})
_SOMEONE = frozenset({"anyone", "anybody", "someone", "somebody", "everyone", "everybody"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "'re", "get", "got"})
_AUXILIARIES = _BE | frozenset(
    {"do", "does", "did", "has", "have", "had", "will", "would", "can", "could", "should",
     "may", "might", "'ve", "'d", "'ll"}
)  # fmt: skip
_FILLER = frozenset(
    {"all", "any", "every", "the", "a", "an", "there", "me", "us", "please", "ever", "really",
     "currently", "recently", "lately", "still", "now", "also", "actually", "so", "far",
     "not", "n't", "been", "how", "anyone", "anybody", "someone", "somebody", "other", "others"}
)  # fmt: skip
"""Words that are no part of an actor's name at either end of the words taken for it."""
_AGENT = "by"
_PAIRING = frozenset({"and", "&", "to", "with"})
_PUNCTUATION = re.compile(r"[?!.,;:]+$")

_POLITE = re.compile(
    r"^(?:please\s+)?(?:(?:can|could|would)\s+you\s+(?:please\s+)?)?"
    r"(?:(?:tell|show|give|list|find|get)\s+(?-i:me|us)\s+|(?:list|show|find|give)\s+|"
    r"i\s+(?:want|would\s+like|'d\s+like)\s+to\s+(?:know|see)\s+)",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"[,;]?\s*\b(?:according\s+to|as\s+reported\s+by|reported\s+by|per|says)\s+[^,?!]+",
    re.IGNORECASE,
)
_MONTH_NAMES = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name
}
_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_YEAR = r"(?:1[89]|20)\d\d"
_PERIOD = rf"(?:(?P<month>{_MONTH})\.?\s+)?(?P<year>{_YEAR})"


@dataclass(frozen=True)
class ParsedQuestion:
    """What a question asks, with the actors as the words it names them by."""

    types: tuple[RelationType, ...] = ()
    source: str | None = None
    target: str | None = None
    paths: bool = False
    """A connection between two actors (`source`, `target`), not relations."""
    either_direction: bool = False
    """Relations in either direction: talks, and "relations between X and Y"."""
    source_kind: ActorKind | None = None
    target_kind: ActorKind | None = None
    yes_no: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    notes: tuple[str, ...] = ()
    """What was set aside or corrected, in words for the answer."""


class QuestionNotUnderstood(ValueError):
    """The question fits no form /ask reads; the message says which part, `close` the forms
    nearest to it."""

    def __init__(self, message: str, close: Sequence[str]) -> None:
        super().__init__(message)
        self.close = list(close)


@dataclass(frozen=True)
class _Words:
    """The lemmas /ask reads, from the lexicons."""

    verbs: dict[str, RelationType]
    nouns: dict[str, RelationType]
    kinds: dict[str, ActorKind]
    connections: frozenset[str]
    relation_nouns: frozenset[str]
    actor_nouns: frozenset[str]
    spellings: dict[str, str] = field(default_factory=dict)
    """Inflected forms of every relation word, to correct a misspelt one: form -> lemma."""


@cache
def _words() -> _Words:
    lexicon, asked = relation_lexicon(), question_words()
    verbs: dict[str, RelationType] = {}
    nouns: dict[str, RelationType] = {}
    for rtype, triggers in lexicon.relations.items():
        for lemma in [*triggers.verbs, *asked.relations[rtype].verbs]:
            verbs.setdefault(lemma, rtype)
        for lemma in [*triggers.nouns, *asked.relations[rtype].nouns]:
            nouns.setdefault(lemma, rtype)
    spellings = {form: lemma for lemma in verbs | nouns for form in _inflections(lemma)}
    return _Words(
        verbs=verbs,
        nouns=nouns,
        kinds={noun: kind for kind, words in asked.kinds.items() for noun in words},
        connections=frozenset(asked.connections),
        relation_nouns=frozenset(asked.relation_nouns),
        actor_nouns=frozenset(asked.actor_nouns),
        spellings=spellings,
    )


_IRREGULAR = {"strike": "struck", "fight": "fought", "shoot": "shot", "meet": "met", "pay": "paid"}


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma in _IRREGULAR:
        forms.add(_IRREGULAR[lemma])
    return forms


_nlp_lock = threading.Lock()


@cache
def question_nlp() -> Language:
    """The extraction pipeline, actor names ruled as entities: loaded once per process."""
    return load_nlp()


def parse_question(question: str, today: dt.date | None = None) -> ParsedQuestion:
    """The query a question asks for; raises QuestionNotUnderstood, saying why, otherwise."""
    today = today or dt.date.today()
    notes: list[str] = []
    text = _POLITE.sub("", " ".join(question.split()))
    text, since, until = _take_time(text, today)
    text = _ATTRIBUTION.sub(lambda m: _set_aside(m, notes), text)
    text = _PUNCTUATION.sub("", text.strip()).strip()
    text = re.sub(r"\s+(?:please|pls|plz|thanks)$", "", text, flags=re.IGNORECASE)
    if not text:
        raise QuestionNotUnderstood("The question is empty.", QUESTION_FORMS[:3])
    nlp = question_nlp()
    with _nlp_lock:
        doc = nlp(text)
    return replace(_read(doc, notes), since=since, until=until, notes=tuple(notes))


def _set_aside(match: re.Match[str], notes: list[str]) -> str:
    notes.append(f"{match[0].strip(' ,;')!r} set aside: /ask does not filter by source")
    return ""


def _take_time(text: str, today: dt.date) -> tuple[str, dt.date | None, dt.date | None]:
    """The question without its time phrase, and the dates the phrase gives."""
    flags = re.IGNORECASE
    if m := re.search(
        rf"\b(?:from|between)\s+({_YEAR})\s+(?:and|to|until)\s+({_YEAR})\b", text, flags
    ):
        since, until = dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31)
    elif m := re.search(rf"\b(?:in|during|throughout)\s+{_PERIOD}\b", text, flags):
        since, until = _period(m)
    elif m := re.search(rf"\b(?:since|from)\s+{_PERIOD}\b", text, flags):
        since, until = _period(m)[0], None
    elif m := re.search(rf"\b(?:before|until|till|prior\s+to)\s+{_PERIOD}\b", text, flags):
        since, until = None, _period(m)[0] - dt.timedelta(days=1)
    elif m := re.search(rf"\bafter\s+{_PERIOD}\b", text, flags):
        since, until = _period(m)[1] + dt.timedelta(days=1), None
    elif m := re.search(r"\b(?:in\s+|during\s+)?(last|this)\s+year\b", text, flags):
        year = today.year - (m[1].lower() == "last")
        since, until = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif m := re.search(r"\b(?:in\s+|over\s+)?the\s+(?:last|past)\s+(\d+)\s+years\b", text, flags):
        since, until = dt.date(today.year - int(m[1]), 1, 1), None
    else:
        return text, None, None
    return (text[: m.start()] + text[m.end() :]).strip(), since, until


def _period(match: re.Match[str]) -> tuple[dt.date, dt.date]:
    year = int(match["year"])
    if match["month"]:
        month = _MONTH_NAMES[match["month"].lower()]
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# -- reading the parse ------------------------------------------------------------------------


def _read(doc: Doc, notes: list[str]) -> ParsedQuestion:
    words = _words()
    in_names = {token.i for ent in doc.ents for token in ent}
    if (connection := _connection_word(doc, words, in_names)) is not None:
        return _read_connection(doc, connection, words)
    trigger, rtype = _trigger(doc, words, in_names, notes)
    types, after = _joined_triggers(doc, trigger, rtype, words)
    head, tail = list(doc[: trigger.i]), list(doc[after:])
    wh, kind = _question_word(head, words)
    if trigger.pos_ == "NOUN" and trigger.lemma_.lower() in words.nouns:
        # "every rocket attack on US troops": before a noun, only names stand for actors
        head = [t for t in head if t.pos_ in {"PROPN", "ADJ", "PART"} or t.ent_type_ or
                t.text.isupper() or t.lower_ in _AUXILIARIES | _WH | _SOMEONE]  # fmt: skip
    auxiliaries = [t for t in head if t.lower_ in _AUXILIARIES or t.pos_ == "AUX"]
    yes_no = wh is None and bool(head) and head[0].lower_ in _AUXILIARIES
    passive = _is_passive(trigger, auxiliaries, tail, words)
    named = _actor_words(head)
    agent = _agent(tail)
    between = _between(tail)
    object_words = _object(tail, words, rtype)
    object_kind = _kind_named(object_words, words)
    if object_kind is not None:
        object_words = None
    either = types == (RelationType.NEGOTIATES_WITH,)
    if between is not None:
        source, target, either = between[0], between[1], True
    elif passive:
        source, target = agent, named
    elif wh is not None and named is None:  # "who pressures Iraq": the asked one acts
        source, target = agent, object_words
    else:  # "who does Iran fund", "did the US strike KH", "US sanctions on Iran"
        source, target = named or agent, object_words
    asked_is_source = wh is not None and named is None and not passive
    source_kind = kind if asked_is_source else None
    target_kind = kind if (wh is not None and not asked_is_source) else None
    if object_kind is not None:
        target_kind = object_kind
    if source is None and target is None and wh is None and not _asks_all(doc):
        raise QuestionNotUnderstood(
            f"Found {trigger.text!r} ({rtype.value}) but no actor it is about.",
            _close_forms(doc.text),
        )
    return ParsedQuestion(
        types=types,
        source=source,
        target=target,
        either_direction=either,
        source_kind=source_kind,
        target_kind=target_kind,
        yes_no=yes_no,
    )


def _joined_triggers(
    doc: Doc, trigger: Token, rtype: RelationType, words: _Words
) -> tuple[tuple[RelationType, ...], int]:
    """ "threatened or attacked": every type asked, in the lexicon's order, and where the words
    after the relation words begin."""
    types = {rtype}
    position = trigger.i + 1
    while position + 1 < len(doc) and doc[position].lower_ in {"or", "and"}:
        lemma = doc[position + 1].lemma_.lower()
        joined = words.verbs.get(lemma) or words.nouns.get(lemma)
        if joined is None:
            break
        types.add(joined)
        position += 2
    return tuple(t for t in RelationType if t in types), position


def _asks_all(doc: Doc) -> bool:
    """ "show me all attacks": every relation of a type."""
    return any(t.lower_ in {"all", "every", "any"} for t in doc)


def _trigger(
    doc: Doc, words: _Words, in_names: set[int], notes: list[str]
) -> tuple[Token, RelationType]:
    """The relation word: a verb of the lexicon, else a noun, else a misspelling of either."""
    ranked: list[tuple[int, int, Token, RelationType]] = []
    for token in doc:
        if token.i in in_names or token.lemma_.lower() in words.actor_nouns:
            continue
        lemma = token.lemma_.lower()
        if lemma in words.verbs and token.pos_ in {"VERB", "AUX"}:
            ranked.append((0, token.i, token, words.verbs[lemma]))
        elif lemma in words.nouns:
            ranked.append((1, token.i, token, words.nouns[lemma]))
        elif lemma in words.verbs or token.lower_ in words.verbs:
            ranked.append((2, token.i, token, words.verbs.get(lemma) or words.verbs[token.lower_]))
    if ranked:
        _, _, token, rtype = min(ranked, key=lambda r: (r[0], r[1]))
        return token, rtype
    for token in doc:
        if token.i in in_names or not token.is_alpha or len(token) < 4 or token.is_stop:
            continue
        close = difflib.get_close_matches(token.lower_, words.spellings, n=3, cutoff=0.8)
        types = {_type_of(words.spellings[c], words) for c in close}
        if len(types) == 1:  # "threatn": threaten or threat, a PRESSURES word either way
            notes.append(f"{token.text!r} read as {close[0]!r}")
            return token, types.pop()
    raise QuestionNotUnderstood(
        f"No word in {doc.text!r} names a relation /ask knows: pressure, fund, attack or "
        "negotiate, or one of their synonyms; or a connection between two actors.",
        _close_forms(doc.text),
    )


def _type_of(lemma: str, words: _Words) -> RelationType:
    return words.verbs.get(lemma) or words.nouns[lemma]


def _question_word(head: list[Token], words: _Words) -> tuple[Token | None, ActorKind | None]:
    """The wh-word (or "anyone") and the kind it asks for ("which militias"); taken off `head`."""
    if not head:
        return None, None
    first = head[0]
    if first.lower_ not in _WH and first.lower_ not in _SOMEONE:
        return None, None
    head.pop(0)
    kind = None
    while head and (head[0].lemma_.lower() in words.kinds or head[0].pos_ == "ADJ"):
        token = head.pop(0)
        kind = words.kinds.get(token.lemma_.lower(), kind)
    return first, kind


def _is_passive(trigger: Token, auxiliaries: list[Token], tail: list[Token], words: _Words) -> bool:
    """ "is pressured by", "were attacked": a form of be, then a past participle."""
    if not auxiliaries or auxiliaries[-1].lower_ not in _BE or trigger.tag_ == "VBG":
        return False
    if trigger.tag_.startswith("NN") and trigger.lemma_.lower() in words.nouns:
        return False  # "are there attacks on Iraq by Iran": a noun has no voice
    return trigger.tag_ in {"VBN", "VBD"} or any(t.lower_ == _AGENT for t in tail)


def _actor_words(tokens: Sequence[Token]) -> str | None:
    """The words naming an actor among `tokens`: what is left without auxiliaries, other verbs,
    adverbs and fillers at either end."""
    kept = [
        t
        for t in tokens
        if not (t.lower_ in _AUXILIARIES or t.pos_ in {"AUX", "ADV", "PUNCT"})
        and not (t.pos_ == "VERB" and t.ent_type_ == "")
        and not (t.pos_ == "ADP" and t.ent_type_ == "" and t.lower_ not in {"of"})
    ]
    while kept and (_is_filler(kept[0]) or kept[0].lower_ in _WH):
        kept.pop(0)
    while kept and (_is_filler(kept[-1]) or kept[-1].pos_ in {"ADP", "CCONJ", "PART"}):
        kept.pop()
    if not kept:
        return None
    text = kept[0].doc.text[kept[0].idx : kept[-1].idx + len(kept[-1])]
    return None if text.lower() in _WH else text


def _agent(tail: list[Token]) -> str | None:
    """The words after "by": who acts, in a passive or after a noun ("attacks by KH")."""
    for position, token in enumerate(tail):
        if token.lower_ == _AGENT:
            return _span_text(tail[position + 1 :])
    return None


def _between(tail: list[Token]) -> tuple[str, str] | None:
    """ "talks between X and Y": the two sides."""
    for position, token in enumerate(tail):
        if token.lower_ == "between":
            pair = _two_actors(tail[position + 1 :])
            if pair is not None:
                return pair
    return None


def _object(tail: list[Token], words: _Words, rtype: RelationType | None = None) -> str | None:
    """The words after the relation word, up to "by" or a verb: its target ("pressures Iraq",
    "attacks on Iraq", "imposed sanctions on Iran", "urged Kadhimi to act"), without
    prepositions and relation nouns before it; for talks, what follows "with" ("discussed troop
    withdrawal with Baghdad")."""
    end = next((i for i, t in enumerate(tail) if t.lower_ in {_AGENT, "between"}), len(tail))
    tokens = tail[:end]
    if rtype is RelationType.NEGOTIATES_WITH:
        withs = [i for i, t in enumerate(tokens) if t.lower_ == "with"]
        if withs:
            tokens = tokens[withs[-1] + 1 :]
    verb = next(
        (i for i, t in enumerate(tokens) if i > 0 and not t.ent_type_ and
         (t.pos_ == "VERB" or (t.lower_ == "to" and t.pos_ == "PART"))),
        len(tokens),
    )  # fmt: skip
    tokens = tokens[:verb]
    while tokens and (
        tokens[0].pos_ in {"ADP", "DET", "PART", "AUX"}
        or tokens[0].lemma_.lower() in words.nouns
        or _is_filler(tokens[0])
    ):
        tokens = tokens[1:]
    return _span_text(tokens)


def _kind_named(object_words: str | None, words: _Words) -> ActorKind | None:
    """ "who funds militias", "who attacks which groups": a kind where an actor would be."""
    if object_words is None:
        return None
    last = object_words.lower().split()
    if len(last) > 2 or last[0] not in {"which", "what", "any", "other", "all"} | {last[-1]}:
        return None
    noun = last[-1]
    singular = noun[:-1] if noun.endswith("s") else noun
    if noun == "people":
        singular = "people"
    return words.kinds.get(singular)


def _is_filler(token: Token) -> bool:
    """A filler word, "us" among them, but not "US"."""
    if token.lower_ == "us" and token.i > 0 and token.doc[token.i - 1].lower_ == "the":
        return False  # "the us": the United States, typed in lower case
    return token.lower_ in _FILLER and not token.text.isupper()


def _span_text(tokens: Sequence[Token]) -> str | None:
    kept = list(tokens)
    while kept and (_is_filler(kept[-1]) or kept[-1].pos_ in {"ADV", "PUNCT", "ADP"}):
        kept.pop()
    while kept and _is_filler(kept[0]):
        kept.pop(0)
    if not kept or all(t.lower_ in _WH for t in kept):
        return None
    return kept[0].doc.text[kept[0].idx : kept[-1].idx + len(kept[-1])]


def _two_actors(tokens: Sequence[Token]) -> tuple[str, str] | None:
    """ "Iran and Iraq", "Soleimani to the Trade Bank of Iraq": split at the last pairing word
    outside a name."""
    for position in range(len(tokens) - 1, 0, -1):
        token = tokens[position]
        if token.lower_ in _PAIRING and token.ent_iob_ in {"O", ""}:
            left, right = _span_text(tokens[:position]), _span_text(tokens[position + 1 :])
            if left and right:
                return left, right
    return None


# -- connections and "relations between" --------------------------------------------------------


def _connection_word(doc: Doc, words: _Words, in_names: set[int]) -> Token | None:
    for token in doc:
        lemma = token.lemma_.lower()
        if token.i not in in_names and (
            lemma in words.connections
            or token.lower_ in words.connections
            or lemma in words.relation_nouns
        ):
            return token
    return None


def _read_connection(doc: Doc, word: Token, words: _Words) -> ParsedQuestion:
    """ "how is X connected to Y", "what links X and Y", "the connection between X and Y" (a
    path); "relations between X and Y", "how does X relate to Y" (every relation, both ways)."""
    lemma = word.lemma_.lower()
    head, tail = list(doc[: word.i]), list(doc[word.i + 1 :])
    relations = lemma in words.relation_nouns or (
        lemma == "relate" and any(t.lower_ in {"do", "does", "did"} for t in head)
    )
    # "the connection between X and Y", "what links X and Y": both actors follow the word
    both_after = word.pos_ == "NOUN" or not head[1:]
    pair = (_between(tail) or _two_actors(tail)) if both_after else None
    if pair is None:
        named = _actor_words(head)
        other = _object(tail, words)
        if named and other:
            pair = (named, other)
        elif named:
            pair = _two_actors([t for t in head if t.lower_ not in _AUXILIARIES | _WH])
        elif other:
            pair = _two_actors(tail)
    if pair is None:
        raise QuestionNotUnderstood(
            f"Found {word.text!r} but not the two actors it is about.", _close_forms(doc.text)
        )
    if relations:
        return ParsedQuestion(
            types=tuple(RelationType), source=pair[0], target=pair[1], either_direction=True
        )
    return ParsedQuestion(paths=True, source=pair[0], target=pair[1])


def _close_forms(text: str) -> list[str]:
    return difflib.get_close_matches(text.lower(), QUESTION_FORMS, n=3, cutoff=0.0)
