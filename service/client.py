"""A small typed client for the actorgraph API: one method per endpoint, answers as models.

with ActorGraphClient("http://127.0.0.1:8000") as client:
    page = client.relations(type="PRESSURES", target="Iraq")
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar
from urllib.parse import quote

import httpx2
from pydantic import BaseModel

from graph_schema.models import (
    ActorPath,
    ActorsPage,
    ActorSummary,
    ArticleDetail,
    ArticleIn,
    ArticlesPage,
    AskAnswer,
    Correction,
    CorrectionIn,
    CorrectionsFile,
    Health,
    IngestResult,
    Network,
    PathsAnswer,
    RelationGroup,
    RelationsPage,
    Stats,
)
from graph_schema.vocabulary import ActorKind, CorrectionAction, RelationType

if TYPE_CHECKING:
    import pandas

DEFAULT_URL = "http://127.0.0.1:8000"

Answer = TypeVar("Answer", bound=BaseModel)
Params = Mapping[str, str | int | float | Sequence[str] | dt.date | None]


class ActorGraphError(Exception):
    """An error answer from the API: its HTTP status and the body's code, message and details."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details


class ActorGraphClient:
    """The actorgraph API over HTTP; actors may be named by id, name or alias everywhere."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        api_key: str | None = None,
        timeout: float = 30.0,
        http: httpx2.Client | None = None,
    ) -> None:
        """Talk to `base_url`, or through `http` (which then stays open after `close`)."""
        self.api_key = api_key
        self._owns_http = http is None
        self._http = http or httpx2.Client(base_url=base_url, timeout=timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool, unless it was handed in."""
        if self._owns_http:
            self._http.close()

    def health(self) -> Health:
        """Whether the API is up and Neo4j answers."""
        return self._get("/health", Health)

    def stats(self) -> Stats:
        """What the graph holds: articles, claims, actors by kind, relations by type."""
        return self._get("/stats", Stats)

    def search_actors(
        self,
        q: str | None = None,
        kind: ActorKind | str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> ActorsPage:
        """Actors whose name or alias matches `q`, best first; all actors without it."""
        return self._get(
            "/actors", ActorsPage, {"q": q, "kind": kind, "limit": limit, "offset": offset}
        )

    def actor(self, name: str) -> ActorSummary:
        """One actor, its aliases and evidence counts."""
        return self._get(f"/actors/{_segment(name)}", ActorSummary)

    def actor_relations(
        self,
        name: str,
        type: RelationType | str | None = None,
        direction: Literal["in", "out", "both"] = "both",
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        min_confidence: float = 0.0,
        limit: int = 50,
        offset: int = 0,
        evidence_limit: int = 10,
    ) -> RelationsPage:
        """The actor's relations (`out`: what it does; `in`: what is done to it)."""
        params = {
            "type": type, "direction": direction, "since": since, "until": until,
            "min_confidence": min_confidence, "limit": limit, "offset": offset,
            "evidence_limit": evidence_limit,
        }  # fmt: skip
        return self._get(f"/actors/{_segment(name)}/relations", RelationsPage, params)

    def network(
        self, name: str, depth: int = 1, types: Sequence[RelationType | str] | None = None
    ) -> Network:
        """Nodes and edges up to `depth` hops (1 or 2) around the actor."""
        return self._get(
            f"/actors/{_segment(name)}/network", Network, {"depth": depth, "types": types}
        )

    def relations(
        self,
        source: str | None = None,
        type: RelationType | str | None = None,
        target: str | None = None,
        source_kind: ActorKind | str | None = None,
        target_kind: ActorKind | str | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        min_confidence: float = 0.0,
        limit: int = 50,
        offset: int = 0,
        evidence_limit: int = 10,
    ) -> RelationsPage:
        """Who does what to whom, grouped by (source, type, target), with the evidence;
        `source_kind`/`target_kind` keep one kind of actor on that side ("militia")."""
        params = {
            "source": source, "type": type, "target": target, "source_kind": source_kind,
            "target_kind": target_kind, "since": since, "until": until,
            "min_confidence": min_confidence, "limit": limit, "offset": offset,
            "evidence_limit": evidence_limit,
        }  # fmt: skip
        return self._get("/relations", RelationsPage, params)

    def ask(self, q: str) -> AskAnswer:
        """A plain-English question, such as "who pressures Iraq?", and its answer."""
        return self._get("/ask", AskAnswer, {"q": q})

    def paths(self, from_: str, to: str, max_hops: int = 3) -> PathsAnswer:
        """The shortest connections between two actors, hop by hop with evidence."""
        return self._get("/paths", PathsAnswer, {"from": from_, "to": to, "max_hops": max_hops})

    def articles(self, limit: int = 20, offset: int = 0) -> ArticlesPage:
        """Articles in the graph, newest first."""
        return self._get("/articles", ArticlesPage, {"limit": limit, "offset": offset})

    def article(self, id: str) -> ArticleDetail:
        """One article and every claim extracted from it."""
        return self._get(f"/articles/{_segment(id)}", ArticleDetail)

    def post_article(
        self,
        title: str,
        text: str,
        published: dt.date | str | None = None,
        source: str | None = None,
        url: str | None = None,
    ) -> IngestResult:
        """Ingest one article with the API key; the same text posted twice adds nothing."""
        body = ArticleIn.model_validate(
            {"title": title, "text": text, "published": published, "source": source, "url": url}
        )
        return self._post(
            "/articles", body.model_dump(mode="json", exclude_none=True), IngestResult
        )

    def corrections(self, include_undone: bool = True) -> CorrectionsFile:
        """Every correction analysts made, oldest first."""
        return self._get("/corrections", CorrectionsFile, {"include_undone": str(include_undone)})

    def correct(
        self, action: CorrectionAction | str, author: str, reason: str, **target: Any
    ) -> Correction:
        """Make a correction with the API key: `client.correct("merge", "ana", "same person",
        actor="reagan", into="ronald-reagan")`, or `"reject"` with `claim=`, and so on."""
        body = CorrectionIn.model_validate(
            {"action": action, "author": author, "reason": reason, **target}
        )
        return self._post(
            "/corrections", body.model_dump(mode="json", exclude_none=True), Correction
        )

    def undo(self, correction_id: str, author: str) -> Correction:
        """Undo a correction with the API key (newest first where two touch one actor)."""
        path = f"/corrections/{_segment(correction_id)}/undo"
        return self._post(path, {"author": author}, Correction)

    def _post(self, path: str, body: dict[str, Any], model: type[Answer]) -> Answer:
        headers = {"X-API-Key": self.api_key} if self.api_key is not None else {}
        return _parse(self._http.post(path, json=body, headers=headers), model)

    def _get(self, path: str, model: type[Answer], params: Params | None = None) -> Answer:
        response = self._http.get(path, params=_query(params or {}))
        return _parse(response, model)


def to_dataframe(
    answer: RelationsPage | ActorsPage | Network | AskAnswer | PathsAnswer,
) -> "pandas.DataFrame":
    """A pandas DataFrame of any answer: one row per relation (relations, and /ask's relations),
    per actor, per network edge, or per hop of a path (paths, and /ask's paths)."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_dataframe needs pandas: pip install 'actorgraph[dataframes]'"
        ) from None
    if isinstance(answer, AskAnswer):
        rows = (
            _hop_rows(answer.paths)
            if answer.paths is not None
            else _relation_rows(answer.relations or [])
        )
    elif isinstance(answer, PathsAnswer):
        rows = _hop_rows(answer.paths)
    elif isinstance(answer, RelationsPage):
        rows = _relation_rows(answer.relations)
    elif isinstance(answer, ActorsPage):
        rows = [a.model_dump(mode="json") for a in answer.actors]
    else:
        names = {node.id: node.name for node in answer.nodes}
        rows = [
            {
                "source": names[e.source], "type": e.type.value, "target": names[e.target],
                "evidence_count": e.evidence_count, "confidence": e.confidence,
                "source_id": e.source, "target_id": e.target,
            }
            for e in answer.edges
        ]  # fmt: skip
    return pandas.DataFrame(rows)


def _relation_rows(relations: list[RelationGroup]) -> list[dict[str, Any]]:
    return [
        {
            "source": r.source.name, "type": r.type.value, "target": r.target.name,
            "evidence_count": r.evidence_count, "confidence": r.confidence,
            "first_seen": r.first_seen, "last_seen": r.last_seen,
            "first_evidence": r.evidence[0].sentence if r.evidence else None,
            "source_id": r.source.id, "target_id": r.target.id,
        }
        for r in relations
    ]  # fmt: skip


def _hop_rows(paths: list[ActorPath]) -> list[dict[str, Any]]:
    return [
        {
            "path": number, "hop": position, "source": hop.source.name, "type": hop.type.value,
            "target": hop.target.name, "direction": hop.direction,
            "evidence_count": hop.evidence_count, "confidence": hop.confidence,
            "first_evidence": hop.evidence[0].sentence if hop.evidence else None,
            "source_id": hop.source.id, "target_id": hop.target.id,
        }
        for number, path in enumerate(paths)
        for position, hop in enumerate(path.hops)
    ]  # fmt: skip


def _segment(name: str) -> str:
    """A name as one URL path segment, slashes and all."""
    return quote(name, safe="")


def _query(params: Params) -> dict[str, str | list[str]]:
    """Query parameters as strings, leaving out the unset ones."""
    query: dict[str, str | list[str]] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, dt.date):
            query[key] = value.isoformat()
        elif isinstance(value, str | int | float):
            query[key] = str(value)
        else:
            query[key] = [str(item) for item in value]
    return query


def _parse(response: httpx2.Response, model: type[Answer]) -> Answer:
    """The answer as `model`, or an ActorGraphError made from the API's error body."""
    if response.is_success:
        return model.model_validate(response.json())
    try:
        error = response.json()["error"]
        code, message, details = error["code"], error["message"], error.get("details")
    except (ValueError, KeyError, TypeError):
        code, message, details = "http_error", response.text or response.reason_phrase, None
    raise ActorGraphError(response.status_code, code, message, details)
