"""The read routes' response: a model built from Neo4j's rows, serialised once."""

from pydantic import BaseModel
from starlette.responses import Response


class ModelResponse(Response):
    """JSON of a pydantic model, written by pydantic-core straight to bytes.

    A route that returns the model itself has FastAPI validate it again against the response
    model (for a `def` route, on a second trip through the thread pool) before serialising it,
    although the query layer built it by validating Neo4j's rows. Routes that return this declare
    `response_model=`, so that OpenAPI documents the same shape.
    """

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return content.model_dump_json().encode()
