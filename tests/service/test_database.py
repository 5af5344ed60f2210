"""The service's driver: how it talks to Neo4j, whatever the graph holds yet."""

import logging

import pytest

from service.database import open_driver
from service.settings import Settings


def test_reading_a_property_no_article_has_yet_raises_no_server_warning(
    settings: Settings, caplog: pytest.LogCaptureFixture
):
    # A first load on a new database reads properties nothing has written yet.
    with open_driver(settings) as driver, caplog.at_level(logging.WARNING):
        driver.execute_query(
            "MATCH (a:Article) RETURN a.property_never_written AS value",
            database_=settings.neo4j_database,
        )
    assert not [r for r in caplog.records if r.name.startswith("neo4j")]
