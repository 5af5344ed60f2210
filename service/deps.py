"""Dependencies the routes declare: the process's one driver, its settings and the write key."""

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request
from neo4j import Driver

from service.errors import ApiError
from service.settings import Settings


# Async although they do not wait: FastAPI runs a plain `def` dependency in its thread pool, a hop
# that costs more than the attribute read it would carry out.
async def get_driver(request: Request) -> Driver:
    return request.app.state.driver


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


DriverDep = Annotated[Driver, Depends(get_driver)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[
        str | None, Header(description="The key set in ACTORGRAPH_API_KEY on the server.")
    ] = None,
) -> None:
    """Writes need the configured key; without one configured, writes are refused."""
    expected = settings.actorgraph_api_key
    if not expected:  # an empty key is no key: it would let an empty header write
        raise ApiError(
            403, "writes_disabled", "Writes are disabled: the server has no ACTORGRAPH_API_KEY."
        )
    if x_api_key is None:
        raise ApiError(401, "api_key_missing", "Send the API key in the X-API-Key header.")
    if not hmac.compare_digest(x_api_key.encode(), expected.encode()):
        raise ApiError(
            403, "api_key_invalid", "The X-API-Key header does not match the server's key."
        )
