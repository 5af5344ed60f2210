"""Turning the actor a request names (id, name or alias) into graph ids, or a helpful 404."""

from neo4j import Driver

from graph_schema.models import ActorRef
from service import queries
from service.errors import ApiError


def resolve_actor_ids(driver: Driver, database: str, name: str, parameter: str) -> list[str]:
    """Ids of the actors called `name`; 404 with close matches when there are none."""
    return [actor.id for actor in resolve_actors(driver, database, name, parameter)]


def resolve_actors(driver: Driver, database: str, name: str, parameter: str) -> list[ActorRef]:
    actors = queries.find_actors(driver, database, name)
    if actors:
        return actors
    _, close = queries.search_actors(
        driver, database, text=name, kind=None, limit=5, offset=0, fuzzy=True
    )
    raise ApiError(
        404,
        "actor_not_found",
        f"No actor in the graph is called {name!r}. Use an id, a name or an alias"
        + (f"; did you mean {', '.join(repr(a.name) for a in close)}?" if close else "."),
        {"parameter": parameter, "suggestions": [a.model_dump(mode="json") for a in close]},
    )
