"""Dependencies the routes declare: the process's one driver and its settings."""

from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from service.settings import Settings


# Async although they do not wait: FastAPI runs a plain `def` dependency in its thread pool, a hop
# that costs more than the attribute read it would carry out.
async def get_driver(request: Request) -> Driver:
    return request.app.state.driver


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


DriverDep = Annotated[Driver, Depends(get_driver)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
