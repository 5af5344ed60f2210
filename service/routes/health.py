from fastapi import APIRouter

from graph_schema.models import Health, Stats
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES

router = APIRouter(tags=["health"])


@router.get("/health", summary="Whether the API is up and Neo4j answers")
def health(driver: DriverDep, settings: SettingsDep) -> Health:
    """Always 200 while the process runs; `neo4j` says whether the graph database answers."""
    up = queries.ping(driver, settings.neo4j_database)
    return Health(status="ok", neo4j="up" if up else "down")


@router.get("/stats", summary="What the graph holds", responses=ERROR_RESPONSES)
def stats(driver: DriverDep, settings: SettingsDep) -> Stats:
    """Articles, claims, actors by kind and relations by type."""
    return queries.stats(driver, settings.neo4j_database)
