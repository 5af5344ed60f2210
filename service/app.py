"""The FastAPI application: one Neo4j driver per process, opened at start-up, closed at shutdown."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from graph_schema.schema import apply_schema
from service.database import open_driver
from service.errors import (
    ApiError,
    allowed_methods,
    install_error_handlers,
    reject_unknown_parameters,
)
from service.middleware import ReadRateLimit, RequestGuard
from service.routes import (
    actors,
    articles,
    ask,
    claims,
    corrections,
    exports,
    health,
    paths,
    relations,
)
from service.settings import Settings, get_settings

DESCRIPTION = """
A knowledge graph of political actors (governments, militias, officials, banks) and how
they relate (`PRESSURES`, `FUNDS`, `ATTACKS`, `NEGOTIATES_WITH`), read from news articles.

Every relation carries its evidence: the sentences it was extracted from, with the article,
character offsets, date and confidence, so that you can always ask *why is this edge here?*

Wherever an actor is named, an id, a name or an alias works, in any case and with or without
accents: `Washington`, `united states` and `US` all mean the United States.
"""


API_RETRY_SECONDS = 3.0
"""How long a request's reads retry an unreachable Neo4j before it answers 503 with Retry-After."""


log = logging.getLogger("actorgraph")


def _apply_schema_if_reachable(driver: Driver, database: str) -> None:
    """A fresh database gets its constraints and full-text index at start-up, so that its first
    searches do not fail; a Neo4j that is down then gets them from the first load instead."""
    try:
        apply_schema(driver, database)
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        log.warning("Neo4j is not reachable at start-up (%s); schema not applied", error)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.driver = open_driver(settings, retry_seconds=API_RETRY_SECONDS)
        app.state.extractor = None
        _apply_schema_if_reachable(app.state.driver, settings.neo4j_database)
        try:
            yield
        finally:
            app.state.driver.close()

    app = FastAPI(
        title="actorgraph",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(reject_unknown_parameters)],
    )
    install_error_handlers(app, max_body_bytes=settings.actorgraph_max_body_bytes)
    for module in (relations, actors, paths, ask, articles, claims, corrections, exports, health):
        app.include_router(module.router)

    _serve_pages(app)

    @app.options("/{path:path}", include_in_schema=False)
    async def options(request: Request) -> Response:
        """What each path answers, in `Allow` (CORS preflights are answered before this)."""
        methods = allowed_methods(request)
        if methods == ["OPTIONS"]:
            raise ApiError(404, "not_found", f"Nothing is served at {request.url.path}.")
        return Response(status_code=204, headers={"Allow": ", ".join(methods)})

    if settings.actorgraph_read_rate > 0:
        app.add_middleware(
            ReadRateLimit,
            per_second=settings.actorgraph_read_rate,
            burst=settings.actorgraph_read_burst,
        )
    app.add_middleware(RequestGuard, max_body_bytes=settings.actorgraph_max_body_bytes)
    if settings.actorgraph_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.actorgraph_cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )
    return app


STATIC = Path(__file__).parent / "static"
"""Files the service serves itself; `vendor/` holds npm packages (scripts/vendor_web_assets.py)."""


def _serve_pages(app: FastAPI) -> None:
    """The explorer at / and the API's reference at /docs (Swagger UI) and /redoc (ReDoc), from
    files shipped in the package, never a CDN: they work on a machine without internet."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def explorer() -> FileResponse:
        return FileResponse(STATIC / "explorer" / "index.html")

    swagger, redoc = "/static/vendor/swagger-ui-dist", "/static/vendor/redoc"
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=oauth2_redirect,
            swagger_js_url=f"{swagger}/swagger-ui-bundle.js",
            swagger_css_url=f"{swagger}/swagger-ui.css",
            swagger_favicon_url=f"{swagger}/favicon-32x32.png",
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc_ui() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{redoc}/redoc.standalone.js",
            redoc_favicon_url=f"{swagger}/favicon-32x32.png",
            with_google_fonts=False,
        )
