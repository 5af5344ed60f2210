"""The API's errors: one body shape everywhere, `{"error": {"code", "message", "details"}}`."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

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
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 413:
            return JSONResponse(
                error_body(
                    "body_too_large",
                    f"The body is larger than the {max_body_bytes:,} bytes this server accepts "
                    "(ACTORGRAPH_MAX_BODY_BYTES).",
                ),
                413,
            )
        return JSONResponse(
            error_body("http_error", str(error.detail)), error.status_code, headers=error.headers
        )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "An actor named in the request is not in the graph."},
    422: {"model": ErrorBody, "description": "A parameter is missing or malformed."},
    500: {"model": ErrorBody, "description": "Neo4j failed the query; the server log says why."},
    503: {"model": ErrorBody, "description": "Neo4j is unreachable; retry after `Retry-After`."},
}

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The article has no usable text."},
    401: {"model": ErrorBody, "description": "No X-API-Key header."},
    403: {"model": ErrorBody, "description": "Wrong key, or writes disabled on this server."},
    413: {"model": ErrorBody, "description": "The body is larger than the server accepts."},
    422: ERROR_RESPONSES[422],
    500: ERROR_RESPONSES[500],
    503: ERROR_RESPONSES[503],
}
