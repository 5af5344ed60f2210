from fastapi import APIRouter

from graph_schema.models import Health, Stats
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import READ_RESPONSES
from service.responses import ModelResponse

router = APIRouter(tags=["health"])


@router.get("/health", summary="Whether the API is up and Neo4j answers", response_model=Health)
def health(driver: DriverDep, settings: SettingsDep) -> ModelResponse:
    """Always 200 while the process runs; `neo4j` says whether the graph database answers."""
    up = queries.ping(driver, settings.neo4j_database)
    return ModelResponse(Health(status="ok", neo4j="up" if up else "down"))


@router.get(
    "/stats", summary="What the graph holds", response_model=Stats, responses=READ_RESPONSES
)
def stats(driver: DriverDep, settings: SettingsDep) -> ModelResponse:
    """Articles, claims, actors by kind and relations by type."""
    return ModelResponse(queries.stats(driver, settings.neo4j_database))
