"""The pydantic models that flow between the packages and out of the API."""

import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    computed_field,
    field_validator,
    model_validator,
)

from graph_schema.vocabulary import (
    ActorKind,
    ClaimStatus,
    CorrectionAction,
    Modality,
    Polarity,
    RelationType,
)


def _to_native(value: Any) -> Any:
    """Neo4j's temporal values become Python's, so answers validate straight from Cypher."""
    return value.to_native() if hasattr(value, "to_native") else value


GraphDate = Annotated[dt.date | None, BeforeValidator(_to_native)]


class Article(BaseModel):
    """One news article as read from a file or posted to the API."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    text: str
    """The full text; every character offset in the graph points into it."""
    source: str | None = None
    published: dt.date | None = None
    url: str | None = None

    @computed_field
    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @computed_field
    @property
    def text_key(self) -> str:
        """The same for two texts that differ only in white space: one article, not two."""
        return hashlib.sha256(" ".join(self.text.split()).encode("utf-8")).hexdigest()


class ActorRef(BaseModel):
    """An actor as it appears inside other answers."""

    id: str
    name: str
    kind: ActorKind


class ArticleActor(ActorRef):
    """An actor found in one article, with the forms the article names it by."""

    aliases: list[str] = []
    """Every name the actor table knows it by, for look-up by alias."""
    mentions: list[str] = []
    """The surface forms used in this article, in order of first appearance."""


class Evidence(BaseModel):
    """Where a claim is stated: the sentence and its character span in the article."""

    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Claim(BaseModel):
    """One statement that `source` stands in relation `type` to `target`, with its evidence."""

    article_id: str
    type: RelationType
    source: ActorRef
    target: ActorRef
    evidence: Evidence
    date: dt.date | None = None
    pattern: str
    """The extraction pattern that produced it (`model` where the trained model alone found
    it), so an analyst can judge how it was read."""
    confidence: float = Field(ge=0.0, le=1.0)
    model: str | None = None
    """The version of the trained model that scored it; None for a pattern alone."""
    features: list[str] = []
    """The features that weighed most for it in the model, strongest first: why it was made."""
    polarity: Polarity = Polarity.ASSERTED
    modality: Modality = Modality.FACTUAL

    @computed_field
    @property
    def id(self) -> str:
        key = "|".join(
            (
                self.article_id,
                str(self.evidence.start),
                str(self.evidence.end),
                self.type,
                self.source.id,
                self.target.id,
            )
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    @property
    def is_asserted(self) -> bool:
        """Whether the claim may back an analyst edge: stated as fact, not denied."""
        return self.polarity is Polarity.ASSERTED and self.modality is Modality.FACTUAL


class ExtractedArticle(BaseModel):
    """Everything extraction found in one article: what the writer writes for it."""

    article: Article
    actors: list[ArticleActor]
    claims: list[Claim]


class DuplicateArticle(BaseModel):
    """An article left out because another holds the same text (white space aside)."""

    id: str
    duplicate_of: str


class WriteSummary(BaseModel):
    """What one write added to the graph."""

    articles: int = 0
    actors: int = 0
    claims: int = 0
    relationships: int = 0
    unchanged: int = 0
    """Articles already in the graph with the same text, skipped."""
    replaced: int = 0
    """Articles already in the graph whose text or extraction changed: their claims replaced."""
    duplicates: list[DuplicateArticle] = []
    """Articles whose text another article already holds under another id: counted once."""

    def __add__(self, other: "WriteSummary") -> "WriteSummary":
        return WriteSummary(
            **{name: getattr(self, name) + getattr(other, name) for name in type(self).model_fields}
        )


class DeleteSummary(BaseModel):
    """What deleting articles took out of the graph."""

    articles: list[str]
    """Ids of the articles deleted."""
    missing: list[str] = []
    """Ids asked for that no article has."""
    claims: int = 0
    actors: int = 0
    """Actors left with no claim and no mention, deleted with them."""


# --- API answers ---------------------------------------------------------------------------


class EvidenceItem(BaseModel):
    """One claim behind an edge, as an analyst reads it."""

    claim_id: str
    article_id: str
    article_title: str
    sentence: str
    start: int
    end: int
    date: GraphDate
    confidence: float
    pattern: str
    model: str | None = None
    features: list[str] = []
    status: ClaimStatus | None = None
    """`confirmed` where an analyst vouched for the claim (rejected claims back no edge)."""


class RelationGroup(BaseModel):
    """All the evidence that `source` stands in relation `type` to `target`."""

    source: ActorRef
    type: RelationType
    target: ActorRef
    evidence_count: int
    confidence: float
    first_seen: GraphDate
    last_seen: GraphDate
    evidence: list[EvidenceItem]


class RelationsPage(BaseModel):
    """Relations matching a query, strongest first."""

    relations: list[RelationGroup]


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    neo4j: str = Field(examples=["up", "down"])


class ActorSummary(ActorRef):
    """An actor with its names and how much the graph says about it."""

    aliases: list[str]
    article_count: int = Field(description="Articles that mention the actor.")
    evidence_count: int = Field(description="Claims in which the actor is source or target.")


class ActorsPage(BaseModel):
    actors: list[ActorSummary]
    total: int
    limit: int
    offset: int


class PathHop(BaseModel):
    """One step of a path, with the direction the relation runs relative to the path."""

    source: ActorRef
    type: RelationType
    target: ActorRef
    direction: Literal["forward", "backward"]
    evidence_count: int
    confidence: float
    evidence: list[EvidenceItem]


class ActorPath(BaseModel):
    actors: list[ActorRef]
    hops: list[PathHop]


class PathsAnswer(BaseModel):
    source: ActorRef
    target: ActorRef
    paths: list[ActorPath]


class AskQuery(BaseModel):
    """What /ask ran for a question: the endpoint and its filters, actors as graph ids."""

    endpoint: Literal["/relations", "/paths"]
    types: list[RelationType] = []
    source: list[str] | None = None
    """Ids of the acting actors; for /paths, where the path starts."""
    target: list[str] | None = None
    """Ids of the actors acted on; for /paths, where the path ends."""
    either_direction: bool = False
    """Relations the other way round count too: talks, and "relations between X and Y"."""
    source_kind: ActorKind | None = None
    target_kind: ActorKind | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    yes_no: bool = False
    """A yes/no question ("did X attack Y?"): `answer` says yes or that nothing was found."""
    max_hops: int | None = None


class AskAnswer(BaseModel):
    """The structured query a question became, what was understood, and the result."""

    question: str
    understood: str
    """The question as /ask read it, with any word it corrected or set aside."""
    query: AskQuery
    answer: Literal["yes", "no evidence found"] | None = None
    """For a yes/no question: "yes" with the relations as evidence, or that none was found."""
    relations: list[RelationGroup] | None = None
    paths: list[ActorPath] | None = None


class ExportEdge(BaseModel):
    """One edge of the analyst graph, with both actors, as /export writes it."""

    source: ActorRef
    source_aliases: list[str] = []
    type: RelationType
    target: ActorRef
    target_aliases: list[str] = []
    evidence_count: int
    confidence: float
    first_seen: GraphDate = None
    last_seen: GraphDate = None


class NetworkEdge(BaseModel):
    source: str
    target: str
    type: RelationType
    evidence_count: int
    confidence: float


class Network(BaseModel):
    """A neighbourhood as nodes and edges, ready for a graph-drawing library."""

    nodes: list[ActorRef]
    edges: list[NetworkEdge]


class ArticleSummary(BaseModel):
    id: str
    title: str
    source: str | None
    published: GraphDate
    url: str | None
    claim_count: int


class ArticlesPage(BaseModel):
    articles: list[ArticleSummary]
    total: int
    limit: int
    offset: int


class ArticleClaim(BaseModel):
    """A claim as extracted from one article, asserted or not."""

    claim_id: str
    type: RelationType
    source: ActorRef
    target: ActorRef
    sentence: str
    start: int
    end: int
    confidence: float
    pattern: str
    model: str | None = None
    """The trained model's version, where it scored the claim."""
    features: list[str] = []
    """The model's strongest features for the claim: why it was made."""
    polarity: Polarity
    modality: Modality
    status: ClaimStatus | None = None
    """An analyst's verdict (see /corrections): a rejected claim backs no edge."""


class ClaimDetail(ArticleClaim):
    """One claim with its article: what was read where, and why (pattern, model, features)."""

    article_id: str
    article_title: str
    date: GraphDate


class ArticleDetail(ArticleSummary):
    actors: list[ActorRef]
    claims: list[ArticleClaim]


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
"""Zero-width characters: a text of these alone is empty to a reader."""


class ArticleIn(BaseModel):
    """An article to ingest."""

    title: str = Field(min_length=1, max_length=1000, examples=["Iraq asks US to withdraw"])
    text: str = Field(
        min_length=1,
        examples=["Iraq has asked Washington to work out how it will withdraw its troops."],
    )
    published: dt.date | None = Field(default=None, examples=["2020-01-10"])
    source: str | None = Field(default=None, examples=["Financial Times"])
    url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        max_length=2000,
        examples=["https://example.org/iraq-asks-us"],
    )

    @field_validator("text")
    @classmethod
    def _readable(cls, text: str) -> str:
        """As the command line refuses binary and empty files, refuse NUL and invisible text."""
        if "\x00" in text:
            raise ValueError("the text holds a NUL character: binary, not an article")
        if not _INVISIBLE.sub("", text).strip():
            raise ValueError("the text has no visible character")
        return text


class IngestResult(BaseModel):
    article_id: str
    """The article's id; for a text the graph already holds, the id it is held under."""
    added: WriteSummary
    claims: list[ArticleClaim]


class Stats(BaseModel):
    articles: int
    claims: int
    actors_by_kind: dict[str, int]
    relations_by_type: dict[str, int]


_NEEDS: dict[CorrectionAction, tuple[str, ...]] = {
    CorrectionAction.MERGE: ("actor", "into"),
    CorrectionAction.SPLIT: ("actor", "alias"),
    CorrectionAction.ADD_ALIAS: ("actor", "alias"),
    CorrectionAction.REMOVE_ALIAS: ("actor", "alias"),
    CorrectionAction.SET_KIND: ("actor", "kind"),
    CorrectionAction.REJECT: ("claim",),
    CorrectionAction.CONFIRM: ("claim",),
}
"""The fields each action needs; any other target field must be left out."""
_TARGETS = ("actor", "into", "alias", "name", "kind", "claim")
_MAY_ALSO = {CorrectionAction.SPLIT: ("name", "kind")}
"""A split may name the new actor (else the alias names it) and give its kind (else the old
actor's)."""


class CorrectionIn(BaseModel):
    """A correction an analyst makes: what, to what, by whom and why."""

    model_config = ConfigDict(extra="forbid")

    action: CorrectionAction = Field(examples=["merge"])
    actor: str | None = Field(default=None, max_length=200, examples=["reagan"])
    """The actor corrected (its id)."""
    into: str | None = Field(default=None, max_length=200, examples=["ronald-reagan"])
    """merge: the actor kept."""
    alias: str | None = Field(default=None, min_length=1, max_length=200)
    """split, add_alias, remove_alias: the name as articles write it."""
    name: str | None = Field(default=None, min_length=1, max_length=200)
    """split: the new actor's name (default: the alias)."""
    kind: ActorKind | None = None
    """set_kind: the new kind; split: the new actor's kind (default: the old actor's)."""
    claim: str | None = Field(default=None, max_length=200)
    """reject, confirm: the claim's id."""
    author: str = Field(min_length=1, max_length=200, examples=["analyst@example.org"])
    reason: str = Field(min_length=1, max_length=2000, examples=["The same person."])

    @model_validator(mode="after")
    def _fields_fit_action(self) -> "CorrectionIn":
        needs = _NEEDS[self.action]
        allowed = needs + _MAY_ALSO.get(self.action, ())
        missing = [name for name in needs if getattr(self, name) is None]
        extra = [n for n in _TARGETS if n not in allowed and getattr(self, n) is not None]
        if missing:
            raise ValueError(f"{self.action.value} needs {', '.join(missing)}")
        if extra:
            raise ValueError(f"{self.action.value} takes no {', '.join(extra)}")
        if self.action is CorrectionAction.MERGE and self.actor == self.into:
            raise ValueError("an actor cannot be merged into itself")
        return self


class Correction(CorrectionIn):
    """A stored correction. `before` keeps what it changed, so that it can be undone."""

    id: str
    at: dt.datetime
    undone_at: dt.datetime | None = None
    undone_by: str | None = None
    before: dict[str, Any] = {}
    """What the correction replaced: the merged actor's name, kind and aliases; the old kind."""

    @property
    def active(self) -> bool:
        return self.undone_at is None


class CorrectionsFile(BaseModel):
    """Every correction, as `actorgraph curate export` writes it and `import` reads it."""

    model_config = ConfigDict(extra="forbid")

    corrections: list[Correction]


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    author: str = Field(min_length=1, max_length=200)
