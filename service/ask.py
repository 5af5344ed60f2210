"""Plain-English questions to structured queries: a small grammar, not a language model."""

import re
from dataclasses import dataclass

from graph_schema.vocabulary import ActorKind, RelationType

QUESTION_FORMS = [
    "who pressures Iraq?",
    "who does Iran fund?",
    "which militias does Iran fund?",
    "who attacked the United States?",
    "who negotiates with Kataib Hezbollah?",
    "how is Soleimani connected to the Trade Bank of Iraq?",
]

_VERBS: dict[RelationType, tuple[str, ...]] = {
    RelationType.PRESSURES: (
        "pressure", "pressures", "pressured", "pressuring", "press", "presses", "pressed",
        "pressing", "threaten", "threatens", "threatened", "threatening", "sanction",
        "sanctions", "sanctioned", "sanctioning", "coerce", "coerces", "coerced", "coercing",
        "urge", "urges", "urged", "urging", "demand", "demands", "demanded", "demanding",
        "put pressure on", "puts pressure on", "put pressure", "puts pressure",
    ),
    RelationType.FUNDS: (
        "fund", "funds", "funded", "funding", "finance", "finances", "financed", "financing",
        "back", "backs", "backed", "backing", "arm", "arms", "armed", "arming", "pay", "pays",
        "paid", "paying", "bankroll", "bankrolls", "bankrolled", "sponsor", "sponsors",
        "sponsored", "support", "supports", "supported", "supporting",
    ),
    RelationType.ATTACKS: (
        "attack", "attacks", "attacked", "attacking", "strike", "strikes", "struck", "striking",
        "kill", "kills", "killed", "killing", "bomb", "bombs", "bombed", "bombing", "hit",
        "hits", "hitting", "assassinate", "assassinates", "assassinated", "assassinating",
        "target", "targets", "targeted", "targeting", "fire on", "fired on", "fire at",
        "fired at",
    ),
    RelationType.NEGOTIATES_WITH: (
        "negotiate with", "negotiates with", "negotiated with", "negotiating with",
        "talk with", "talks with", "talked with", "talking with", "talk to", "talks to",
        "talked to", "meet with", "meets with", "met with", "meeting with", "meet", "meets",
        "met", "negotiate", "negotiates", "negotiated", "negotiating", "hold talks with",
        "holds talks with", "held talks with",
    ),
}  # fmt: skip

_KINDS: dict[str, ActorKind] = {
    "governments": ActorKind.GOVERNMENT, "states": ActorKind.GOVERNMENT,
    "countries": ActorKind.GOVERNMENT, "militias": ActorKind.MILITIA,
    "officials": ActorKind.OFFICIAL, "leaders": ActorKind.OFFICIAL, "banks": ActorKind.BANK,
    "organizations": ActorKind.ORGANIZATION, "organisations": ActorKind.ORGANIZATION,
    "people": ActorKind.PERSON, "persons": ActorKind.PERSON,
}  # fmt: skip
"""Plural nouns after "which", and the kind of actor they ask for."""

_VERB_TYPE = {form: rtype for rtype, forms in _VERBS.items() for form in forms}
_VERB = "|".join(sorted(map(re.escape, _VERB_TYPE), key=len, reverse=True))
_AUX = r"(?:(?:is|are|was|were|has|have|had|did|does|do|will)\s+(?:been\s+)?)"
_PREP = r"(?:\s+(?:on|at|with|to|against))?"

_WHO = rf"(?:whom?|which\s+(?P<kind>{'|'.join(_KINDS)}))"
_SOURCE_FORM = re.compile(
    rf"^{_WHO}\s+(?:does|did|do|is|was|has|have|will)\s+(?P<source>.+?)\s+(?P<verb>{_VERB}){_PREP}$"
)
_TARGET_FORM = re.compile(rf"^{_WHO}\s+{_AUX}?(?P<verb>{_VERB}){_PREP}\s+(?P<target>.+)$")
_CONNECT_FORMS = (
    re.compile(
        r"^how\s+(?:is|are|was|were)\s+(?P<a>.+?)\s+(?:connected|linked|related|tied)\s+"
        r"(?:to|with)\s+(?P<b>.+)$"
    ),
    re.compile(r"^how\s+are\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+(?:connected|linked|related)$"),
    re.compile(r"^what\s+(?:connects|links)\s+(?P<a>.+?)\s+(?:and|to|with)\s+(?P<b>.+)$"),
)


class QuestionNotUnderstood(ValueError):
    """The question fits none of the forms in QUESTION_FORMS."""


@dataclass(frozen=True)
class ParsedQuestion:
    type: RelationType | None = None
    source: str | None = None
    target: str | None = None
    connect: tuple[str, str] | None = None
    kind: ActorKind | None = None
    """The kind of the actors asked for ("which militias ..."); None for "who"."""


def parse_question(question: str) -> ParsedQuestion:
    """The query a question asks for; raises QuestionNotUnderstood otherwise."""
    text = re.sub(r"\s+", " ", question).strip().rstrip("?!. ").strip()
    lowered = text.lower()
    for form in _CONNECT_FORMS:
        if match := form.match(lowered):
            return ParsedQuestion(
                connect=(_original(text, match, "a"), _original(text, match, "b"))
            )
    if match := _SOURCE_FORM.match(lowered):
        return ParsedQuestion(
            type=_VERB_TYPE[match["verb"]],
            source=_original(text, match, "source"),
            kind=_KINDS.get(match["kind"] or ""),
        )
    if match := _TARGET_FORM.match(lowered):
        return ParsedQuestion(
            type=_VERB_TYPE[match["verb"]],
            target=_original(text, match, "target"),
            kind=_KINDS.get(match["kind"] or ""),
        )
    raise QuestionNotUnderstood(question)


def _original(text: str, match: re.Match[str], group: str) -> str:
    """The actor's name as the user typed it (matching ran on the lower-cased question)."""
    return text[match.start(group) : match.end(group)]
