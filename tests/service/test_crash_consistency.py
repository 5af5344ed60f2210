"""A crash loses nothing that was committed and leaves nothing half-written: a writer or Neo4j
killed (SIGKILL) with a write transaction open, then the same load run again, ends as one clean
load does."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from neo4j import Driver

from loaders.pipeline import Extractor, load_articles
from loaders.read import read_article
from service.local_neo4j import LocalNeo4j
from service.settings import Settings
from tests.conftest import graph_contents, reset_graph

# A writer that writes the articles with the loader's own batch step into a transaction it
# never commits, says so, and waits to be killed.
HOLD_A_WRITE_OPEN = """
import sys
from pathlib import Path
from neo4j import GraphDatabase
from loaders.pipeline import Extractor
from loaders.read import read_article
from loaders.write import _write_batch

uri, password, *paths = sys.argv[1:]
extracted = list(Extractor().extract(read_article(Path(p)) for p in paths))
with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
    with driver.session() as session:
        transaction = session.begin_transaction()
        _write_batch(transaction, extracted)
        print("written, not committed", flush=True)
        sys.stdin.read()
"""


def _load(extractor: Extractor, driver: Driver, settings: Settings, paths: list[Path]) -> None:
    articles = [read_article(p) for p in paths]
    for _ in load_articles(extractor, driver, settings.neo4j_database, articles):
        pass


@contextmanager
def _writer_with_an_open_transaction(
    settings: Settings, paths: list[Path]
) -> Iterator[subprocess.Popen]:
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_WRITE_OPEN, str(settings.neo4j_uri),
         str(settings.neo4j_password), *map(str, paths)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None
        said = writer.stdout.readline().strip()
        assert said == "written, not committed", said or writer.communicate(timeout=30)[1]
        yield writer
    finally:
        writer.kill()
        writer.communicate(timeout=30)


def _wait_until_closed(port: int, timeout: float = 60) -> None:
    """A killed JVM takes a moment to die; until it has, its ports still answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"port {port} still answers {timeout} s after SIGKILL")


@pytest.fixture
def clean_load(
    driver: Driver, settings: Settings, extractor: Extractor, seed_paths: list[Path]
) -> dict[str, object]:
    """What loading the seeds into an empty graph leaves; the graph is emptied again after."""
    reset_graph(driver, settings)
    _load(extractor, driver, settings, seed_paths)
    contents = graph_contents(driver)
    reset_graph(driver, settings)
    return contents


def test_a_writer_killed_with_a_write_open_leaves_nothing_and_a_rerun_completes(
    clean_load: dict[str, object],
    driver: Driver,
    settings: Settings,
    extractor: Extractor,
    seed_paths: list[Path],
):
    _load(extractor, driver, settings, seed_paths[:2])  # committed before the crash
    with _writer_with_an_open_transaction(settings, seed_paths[2:]) as writer:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert graph_contents(driver)["articles"] == 2
    _load(extractor, driver, settings, seed_paths)
    assert graph_contents(driver) == clean_load


def test_neo4j_killed_with_a_write_open_recovers_and_a_rerun_completes(
    clean_load: dict[str, object],
    driver: Driver,
    settings: Settings,
    extractor: Extractor,
    seed_paths: list[Path],
    local_server: LocalNeo4j | None,
):
    if local_server is None:
        pytest.skip("NEO4J_URI names a server this suite does not control")
    _load(extractor, driver, settings, seed_paths[:2])
    pid = int((local_server.home / "run" / "actorgraph.pid").read_text())
    try:
        with _writer_with_an_open_transaction(settings, seed_paths[2:]):
            os.kill(pid, signal.SIGKILL)
        _wait_until_closed(local_server.bolt_port)
    finally:
        local_server.stop()  # reaps the killed server
        local_server.start()
    assert graph_contents(driver)["articles"] == 2
    _load(extractor, driver, settings, seed_paths)
    assert graph_contents(driver) == clean_load
