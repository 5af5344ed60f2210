from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from graph_schema.models import ActorsPage, ActorSummary, Network, RelationsPage
from graph_schema.vocabulary import ActorKind, RelationType
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES
from service.exports import CSV_MEDIA_TYPE, CSV_RESPONSE, actors_csv, wants_csv
from service.resolution import resolve_actor_ids
from service.responses import ModelResponse
from service.routes.relations import (
    MAX_NAME,
    AcceptHeader,
    FiltersDep,
    OffsetQuery,
    SinceQuery,
    UntilQuery,
)

router = APIRouter(prefix="/actors", tags=["actors"])

ActorPath = Annotated[
    str,
    Path(
        max_length=MAX_NAME,
        description="Id, name or alias, in any case and with or without accents.",
        examples=["Iran"],
    ),
]


@router.get(
    "",
    summary="Search actors by name or alias",
    response_model=ActorsPage,
    responses={200: CSV_RESPONSE, **ERROR_RESPONSES},
)
def search_actors(
    driver: DriverDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
    q: Annotated[
        str | None,
        Query(max_length=MAX_NAME, description="Words of a name or alias.", examples=["hezbollah"]),
    ] = None,
    kind: Annotated[ActorKind | None, Query(description="Only actors of this kind.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: OffsetQuery = 0,
) -> Response:
    """Actors whose name or alias matches `q` (full-text, best first); all actors without it.
    With `Accept: text/csv`, one CSV row per actor, aliases joined by "; "."""
    total, actors = queries.search_actors(
        driver, settings.neo4j_database, text=q, kind=kind, limit=limit, offset=offset
    )
    page = ActorsPage(actors=actors, total=total, limit=limit, offset=offset)
    if wants_csv(accept):
        return StreamingResponse(actors_csv(page), media_type=CSV_MEDIA_TYPE)
    return ModelResponse(page)


@router.get(
    "/{actor}",
    summary="One actor, its aliases and evidence counts",
    response_model=ActorSummary,
    responses=ERROR_RESPONSES,
)
def get_actor(actor: ActorPath, driver: DriverDep, settings: SettingsDep) -> ModelResponse:
    """The actor named; an unknown name answers 404 with close matches as suggestions."""
    ids = resolve_actor_ids(driver, settings.neo4j_database, actor, "actor")
    return ModelResponse(queries.actor_details(driver, settings.neo4j_database, ids[:1])[0])


@router.get(
    "/{actor}/relations",
    summary="An actor's relations, with evidence",
    response_model=RelationsPage,
    responses=ERROR_RESPONSES,
)
def actor_relations(
    actor: ActorPath,
    driver: DriverDep,
    settings: SettingsDep,
    filters: FiltersDep,
    direction: Annotated[
        Literal["in", "out", "both"],
        Query(description="`out`: what the actor does; `in`: what is done to it."),
    ] = "both",
) -> ModelResponse:
    """The actor's relations grouped by counterpart and type, strongest first."""
    database = settings.neo4j_database
    ids = resolve_actor_ids(driver, database, actor, "actor")
    return ModelResponse(
        filters.find(
            driver,
            database,
            source_ids=ids if direction == "out" else None,
            target_ids=ids if direction == "in" else None,
            either_ids=ids if direction == "both" else None,
        )
    )


@router.get(
    "/{actor}/network",
    summary="An actor's neighbourhood as nodes and edges",
    response_model=Network,
    responses=ERROR_RESPONSES,
)
def actor_network(
    actor: ActorPath,
    driver: DriverDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=2, description="Hops from the actor: 1 or 2.")] = 1,
    types: Annotated[
        list[RelationType] | None, Query(description="Relation types to follow; omit for all.")
    ] = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> ModelResponse:
    """Nodes and edges around the actor, ready for a graph-drawing library; with `since` or
    `until`, only edges whose dated evidence reaches into that period."""
    database = settings.neo4j_database
    (actor_id, *_) = resolve_actor_ids(driver, database, actor, "actor")
    found = queries.network(
        driver, database, actor_id=actor_id, depth=depth,
        types=types or list(RelationType), since=since, until=until,
    )  # fmt: skip
    return ModelResponse(found)
