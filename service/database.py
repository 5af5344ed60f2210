"""The one place that turns settings into a Neo4j driver, and driver failures into ours."""

from neo4j import Driver, GraphDatabase, NotificationDisabledCategory

from service.local_neo4j import DEFAULT_HOME, LocalNeo4j
from service.settings import Settings


class GraphUnavailableError(Exception):
    """Neo4j cannot be reached or refused us; the message says where and what to do."""


class GraphQueryError(Exception):
    """Neo4j was reached but failed a query (a Cypher, limit or server error): not an outage,
    so not a 503; the client learns no more than that, the server log has the details."""


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(DEFAULT_HOME, password=settings.neo4j_password)


def connection(settings: Settings) -> tuple[str, tuple[str, str]]:
    """The URI and credentials to use: the configured server, else the local one."""
    if settings.neo4j_uri is not None:
        if settings.neo4j_password is None:
            raise GraphUnavailableError(
                f"NEO4J_URI is set to {settings.neo4j_uri} but NEO4J_PASSWORD is not."
            )
        return settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password)
    server = local_server(settings)
    return server.bolt_uri, ("neo4j", server.password())


def open_driver(settings: Settings, *, retry_seconds: float = 30.0) -> Driver:
    """A driver for the configured graph; it connects lazily, on first use.

    Managed transactions retry failures the driver deems transient (a server that is down among
    them) for up to `retry_seconds`: long for a bulk load, too long for a request to wait.
    """
    uri, auth = connection(settings)
    # A retry that starts just before `retry_seconds` is up may still wait a connection timeout:
    # a third of the budget keeps the whole wait near `retry_seconds` (a 503 in about 3 s).
    # On a graph that holds no article yet, reads name properties that nothing has written; the
    # server's "unknown property" warnings then say nothing a user should act on.
    return GraphDatabase.driver(
        uri,
        auth=auth,
        max_transaction_retry_time=retry_seconds,
        connection_timeout=min(retry_seconds / 3, 30.0),
        notifications_disabled_categories=[NotificationDisabledCategory.UNRECOGNIZED],
    )
