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
