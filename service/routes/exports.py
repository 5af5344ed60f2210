from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from graph_schema.vocabulary import RelationType
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES
from service.exports import MEDIA_TYPES, ExportFormat, export
from service.resolution import resolve_actor_ids
from service.routes.relations import (
    MAX_NAME,
    MinConfidenceQuery,
    SinceQuery,
    SourceKindQuery,
    TargetKindQuery,
    TypeQuery,
    UntilQuery,
    check_period,
)

router = APIRouter(tags=["export"])

_FORMAT_RESPONSES = {
    200: {
        "description": "The analyst graph: actors with kind and aliases; edges with type, "
        "evidence count, confidence, first and last seen.",
        "content": {media: {} for media in MEDIA_TYPES.values()},
    },
    **ERROR_RESPONSES,
}


@router.get(
    "/export", summary="The analyst graph as CSV, GraphML or JSON", responses=_FORMAT_RESPONSES
)
def export_graph(
    driver: DriverDep,
    settings: SettingsDep,
    format: Annotated[
        ExportFormat,
        Query(description="csv (one edge a row, for pandas), graphml (Gephi), json."),
    ] = "json",
    type: TypeQuery = None,
    source: Annotated[str | None, Query(max_length=MAX_NAME, description="Acting actor.")] = None,
    target: Annotated[str | None, Query(max_length=MAX_NAME, description="Actor acted on.")] = None,
    source_kind: SourceKindQuery = None,
    target_kind: TargetKindQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
    min_confidence: MinConfidenceQuery = 0.0,
) -> StreamingResponse:
    """Every edge that passes the filters of `/relations`, with both actors, streamed.
    `min_confidence` and the period apply to the edge: its confidence, and the span of its
    dated claims (an undated edge passes no date filter)."""
    check_period(since, until)
    database = settings.neo4j_database
    edges = queries.export_edges(
        driver, database, types=[type] if type else list(RelationType),
        source_ids=resolve_actor_ids(driver, database, source, "source") if source else None,
        target_ids=resolve_actor_ids(driver, database, target, "target") if target else None,
        source_kind=source_kind, target_kind=target_kind, since=since, until=until,
        min_confidence=min_confidence,
    )  # fmt: skip
    return StreamingResponse(
        export(edges, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="actorgraph.{format}"'},
    )
