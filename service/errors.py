"""The API's errors: one body shape everywhere, `{"error": {"code", "message", "details"}}`."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from service.database import GraphQueryError, GraphUnavailableError

RETRY_AFTER_SECONDS = 5

log = logging.getLogger("actorgraph.errors")


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error the API answers with deliberately: a status, a code and a helpful message."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return ErrorBody(error=ErrorDetail(code=code, message=message, details=details)).model_dump()


def install_error_handlers(app: FastAPI, max_body_bytes: int) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message, error.details), error.status)

    @app.exception_handler(GraphUnavailableError)
    async def graph_unavailable(_: Request, error: GraphUnavailableError) -> JSONResponse:
        return JSONResponse(
            error_body("graph_unavailable", f"The graph database is unavailable: {error}"),
            503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(GraphQueryError)
    async def graph_failed(_: Request, error: GraphQueryError) -> JSONResponse:
        log.error("Neo4j failed a query: %s", error, exc_info=error.__cause__)
        return JSONResponse(
            error_body(
                "graph_error", "The graph database failed to answer; the server log says why."
            ),
            500,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(part) for part in e["loc"]), "problem": e["msg"]}
            for e in error.errors()
        ]
        return JSONResponse(
            error_body("invalid_request", "The request's parameters are not valid.", details), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 413:
            return JSONResponse(
                error_body(
                    "body_too_large",
                    f"The body is larger than the {max_body_bytes:,} bytes this server accepts "
                    "(ACTORGRAPH_MAX_BODY_BYTES).",
                ),
                413,
            )
        headers = error.headers
        if error.status_code == 405:  # Starlette names the first route's methods, not all
            headers = {"Allow": ", ".join(allowed_methods(request))}
        return JSONResponse(
            error_body("http_error", str(error.detail)), error.status_code, headers=headers
        )


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path, OPTIONS included."""
    routes = request.app.router.routes
    return [
        "OPTIONS",
        *(
            method
            for method in HTTP_METHODS
            if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
        ),
    ]


READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "A parameter is missing or malformed."},
    429: {
        "model": ErrorBody,
        "description": "Too many reads from this client; retry after `Retry-After` seconds.",
    },
    500: {"model": ErrorBody, "description": "Neo4j failed the query; the server log says why."},
    503: {"model": ErrorBody, "description": "Neo4j is unreachable; retry after `Retry-After`."},
}
"""What any read may answer besides 200."""

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "What the request names is not in the graph."},
    **READ_RESPONSES,
}
"""What a read that names an actor, article or claim may answer besides 200."""

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The article has no usable text."},
    401: {"model": ErrorBody, "description": "No X-API-Key header."},
    403: {"model": ErrorBody, "description": "Wrong key, or writes disabled on this server."},
    413: {"model": ErrorBody, "description": "The body is larger than the server accepts."},
    422: READ_RESPONSES[422],
    500: READ_RESPONSES[500],
    503: READ_RESPONSES[503],
}


async def reject_unknown_parameters(request: Request) -> None:
    """422 naming a query parameter the endpoint does not take: `tpye=FUNDS` would otherwise be
    ignored, and the answer hold every type."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise ApiError(
            422,
            "unknown_parameter",
            f"{request.url.path} takes no parameter {unknown[0]!r}; it takes: "
            + (", ".join(sorted(known)) or "none"),
            {"unknown": unknown, "known": sorted(known)},
        )


def _query_names(route: APIRoute) -> frozenset[str]:
    """The query parameters a route declares, with its dependencies' and the fields of a
    parameter model (`RelationFilters`)."""
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for field in dependant.query_params:
            annotation = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names |= {info.alias or name for name, info in annotation.model_fields.items()}
            else:
                names.add(field.alias)
    return frozenset(names)
