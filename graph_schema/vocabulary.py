"""The closed vocabularies of the graph: actor kinds, relation types, claim qualifiers."""

from enum import StrEnum


class ActorKind(StrEnum):
    """What an actor is; each kind is also a Neo4j label beside `:Actor`."""

    GOVERNMENT = "government"
    MILITIA = "militia"
    OFFICIAL = "official"
    BANK = "bank"
    ORGANIZATION = "organization"
    PERSON = "person"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RelationType(StrEnum):
    """The typed edges analysts query; each is a Neo4j relationship type."""

    PRESSURES = "PRESSURES"
    FUNDS = "FUNDS"
    ATTACKS = "ATTACKS"
    NEGOTIATES_WITH = "NEGOTIATES_WITH"


class Polarity(StrEnum):
    """Whether the sentence asserts the relation or denies it."""

    ASSERTED = "asserted"
    NEGATED = "negated"


class Modality(StrEnum):
    """Whether the sentence reports the relation as fact or as possibility."""

    FACTUAL = "factual"
    HYPOTHETICAL = "hypothetical"


class CorrectionAction(StrEnum):
    """What an analyst can correct; each is stored as a correction, apart from extraction."""

    MERGE = "merge"
    """`actor` is the same as `into`: its claims and mentions go to `into`."""
    SPLIT = "split"
    """The alias `alias` of `actor` names another actor, `name` (of `kind`)."""
    ADD_ALIAS = "add_alias"
    REMOVE_ALIAS = "remove_alias"
    SET_KIND = "set_kind"
    REJECT = "reject"
    """The claim is wrong: it backs no edge, and stays visible as rejected."""
    CONFIRM = "confirm"
    """An analyst vouches for the claim: it backs its edge with confidence 1."""


class ClaimStatus(StrEnum):
    """An analyst's verdict on a claim; a claim without one is as extraction made it."""

    REJECTED = "rejected"
    CONFIRMED = "confirmed"
