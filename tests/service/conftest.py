"""Fixtures the API's tests share."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from neo4j import Driver
from playwright.sync_api import Browser

from loaders.pipeline import Extractor, load_articles
from loaders.read import read_article
from service.app import create_app
from service.settings import Settings
from tests.conftest import reset_graph
from tests.service.explorer_page import launched_browser

README_API_KEY = "change-me"
"""The key the README's POST example sends; the served API takes it."""


@pytest.fixture(scope="module")
def seeded(
    driver: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
) -> Driver:
    """A clean graph holding the seed articles, loaded once per test module."""
    reset_graph(driver, settings)
    articles = [read_article(p) for p in seed_paths]
    for _ in load_articles(extractor, driver, settings.neo4j_database, articles):
        pass
    return driver


@pytest.fixture(scope="module")
def base_url(seeded: Driver, settings: Settings) -> Iterator[str]:
    """The real API, served by uvicorn on a free loopback port in a background thread."""
    app = create_app(settings.model_copy(update={"actorgraph_api_key": README_API_KEY}))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped before it started serving"
            assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright."""
    yield from launched_browser()
