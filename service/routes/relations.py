import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse
from neo4j import Driver
from pydantic import BaseModel, BeforeValidator
from starlette.responses import Response

from graph_schema.models import RelationsPage
from graph_schema.vocabulary import ActorKind, RelationType
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES, ApiError
from service.exports import CSV_MEDIA_TYPE, CSV_RESPONSE, relations_csv, wants_csv
from service.resolution import resolve_actor_ids
from service.responses import ModelResponse

router = APIRouter(tags=["relations"])

MAX_LIMIT = 500
MAX_EVIDENCE = 50
MAX_OFFSET = 100_000
"""Paging deeper than this is a mistake or an attack, not a reader: 422, never a query."""
MAX_NAME = 200
"""The longest actor name, alias or id a request may give (the longest known is under 100)."""

TypeQuery = Annotated[
    RelationType | None,
    Query(description="Relation type; omit for all four.", examples=["PRESSURES"]),
]


def _iso_day(value: object) -> object:
    """Only a day written YYYY-MM-DD: pydantic would read "0" as 1970-01-01."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("write a day as YYYY-MM-DD")
    return value


SinceQuery = Annotated[
    dt.date | None,
    BeforeValidator(_iso_day),
    Query(
        description="Only evidence dated on or after this day (ISO 8601).", examples=["2020-01-01"]
    ),
]
UntilQuery = Annotated[
    dt.date | None,
    BeforeValidator(_iso_day),
    Query(
        description="Only evidence dated on or before this day (ISO 8601).", examples=["2020-12-31"]
    ),
]
SourceKindQuery = Annotated[
    ActorKind | None,
    Query(description="Only relations whose acting actor is of this kind.", examples=["militia"]),
]
TargetKindQuery = Annotated[
    ActorKind | None,
    Query(description="Only relations whose actor acted on is of this kind.", examples=["militia"]),
]
MinConfidenceQuery = Annotated[
    float, Query(ge=0.0, le=1.0, description="Only evidence at least this confident.")
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Relations at most.")]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip, for paging.")]
EvidenceLimitQuery = Annotated[
    int, Query(ge=1, le=MAX_EVIDENCE, description="Evidence items per relation at most.")
]


def check_period(since: dt.date | None, until: dt.date | None) -> None:
    """400 for a period that ends before it starts."""
    if since and until and since > until:
        raise ApiError(400, "invalid_dates", f"since ({since}) is after until ({until}).")


class RelationFilters(BaseModel):
    """The filters and paging both relation endpoints take, read from the query string.

    A query-parameter model rather than a dependency: FastAPI reads it with the other parameters,
    where a dependency class would cost a trip through its thread pool on every request.
    """

    type: TypeQuery = None
    source_kind: SourceKindQuery = None
    target_kind: TargetKindQuery = None
    since: SinceQuery = None
    until: UntilQuery = None
    min_confidence: MinConfidenceQuery = 0.0
    limit: LimitQuery = 50
    offset: OffsetQuery = 0
    evidence_limit: EvidenceLimitQuery = 10

    def find(
        self,
        driver: Driver,
        database: str,
        *,
        source_ids: list[str] | None = None,
        target_ids: list[str] | None = None,
        either_ids: list[str] | None = None,
    ) -> RelationsPage:
        """The relations between the actors given that pass these filters."""
        check_period(self.since, self.until)
        return RelationsPage(
            relations=queries.relations(
                driver,
                database,
                types=[self.type] if self.type else list(RelationType),
                source_ids=source_ids,
                target_ids=target_ids,
                either_ids=either_ids,
                source_kind=self.source_kind,
                target_kind=self.target_kind,
                since=self.since,
                until=self.until,
                min_confidence=self.min_confidence,
                limit=self.limit,
                offset=self.offset,
                evidence_limit=self.evidence_limit,
            )
        )


FiltersDep = Annotated[RelationFilters, Query()]
AcceptHeader = Annotated[
    str | None, Header(description="`text/csv` for CSV instead of JSON.", examples=["text/csv"])
]


@router.get(
    "/relations",
    summary="Who does what to whom, with the evidence",
    response_model=RelationsPage,
    responses={200: CSV_RESPONSE, **ERROR_RESPONSES},
)
def list_relations(
    driver: DriverDep,
    settings: SettingsDep,
    filters: FiltersDep,
    accept: AcceptHeader = None,
    source: Annotated[
        str | None,
        Query(
            max_length=MAX_NAME, description="Acting actor: id, name or alias.", examples=["Iran"]
        ),
    ] = None,
    target: Annotated[
        str | None,
        Query(
            max_length=MAX_NAME, description="Actor acted on: id, name or alias.", examples=["Iraq"]
        ),
    ] = None,
) -> Response:
    """Relations grouped by (source, type, target), strongest first.

    `type=PRESSURES&target=Iraq` answers "who pressures Iraq?"; `source=Iran&type=FUNDS`
    "whom does Iran fund?"; `type=ATTACKS&since=2020-03-01&until=2020-03-31` "every attack in
    March 2020". Each relation carries its evidence: the sentences it was read from, with
    article, character offsets, date and confidence. With `Accept: text/csv`, one CSV row per
    relation (without the evidence sentences).
    """
    database = settings.neo4j_database
    page = filters.find(
        driver,
        database,
        source_ids=resolve_actor_ids(driver, database, source, "source") if source else None,
        target_ids=resolve_actor_ids(driver, database, target, "target") if target else None,
    )
    if wants_csv(accept):
        return StreamingResponse(relations_csv(page), media_type=CSV_MEDIA_TYPE)
    return ModelResponse(page)
