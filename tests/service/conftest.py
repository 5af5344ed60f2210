"""Fixtures the API's tests share."""

from pathlib import Path

import pytest
from neo4j import Driver

from loaders.pipeline import Extractor, load_articles
from loaders.read import read_article
from service.settings import Settings
from tests.conftest import reset_graph


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
