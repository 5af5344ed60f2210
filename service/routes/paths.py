from typing import Annotated

from fastapi import APIRouter, Query

from graph_schema.models import PathsAnswer
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES
from service.resolution import resolve_actors
from service.responses import ModelResponse
from service.routes.relations import MAX_NAME, SinceQuery, UntilQuery

router = APIRouter(tags=["paths"])

MAX_HOPS = 4


@router.get(
    "/paths",
    summary="How two actors are connected",
    response_model=PathsAnswer,
    responses=ERROR_RESPONSES,
)
def find_paths(
    driver: DriverDep,
    settings: SettingsDep,
    from_: Annotated[
        str,
        Query(
            alias="from",
            max_length=MAX_NAME,
            description="Id, name or alias.",
            examples=["Soleimani"],
        ),
    ],
    to: Annotated[
        str,
        Query(
            max_length=MAX_NAME, description="Id, name or alias.", examples=["Trade Bank of Iraq"]
        ),
    ],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="Longest path, in hops.")] = 3,
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> ModelResponse:
    """The shortest connections between two actors, each hop with type, direction and evidence.

    Relations are followed in either direction; `direction` says whether a hop runs along the
    path (`forward`) or against it (`backward`). With `since` or `until`, only edges whose dated
    evidence reaches into that period, and only that evidence.
    """
    database = settings.neo4j_database
    source = resolve_actors(driver, database, from_, "from")[0]
    target = resolve_actors(driver, database, to, "to")[0]
    found = queries.paths(
        driver, database, from_id=source.id, to_id=target.id, max_hops=max_hops,
        since=since, until=until,
    )  # fmt: skip
    return ModelResponse(PathsAnswer(source=source, target=target, paths=found))
