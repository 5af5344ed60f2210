"""Writes stay idempotent across processes: any number of API and loader processes may write
one Neo4j at once, and the graph ends as one writer would have left it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from service.settings import Settings
from tests.conftest import graph_contents, reset_graph

ACTORGRAPH = [sys.executable, "-m", "service"]
KEY = "concurrency-key"
ARTICLE = {
    "title": "Strikes and talks",
    "text": "The United States attacked Kataib Hezbollah near Baghdad. Iran pressured Iraq to "
    "expel American troops, and Iraq held talks with Iran.",
    "published": "2020-01-10",
}
NO_CLAIMS = {"title": "A visit", "text": "The Iraqi prime minister visited Tehran on Monday."}
START_SECONDS = 120


def _environment(settings: Settings) -> dict[str, str]:
    return os.environ | {
        "NEO4J_URI": str(settings.neo4j_uri),
        "NEO4J_PASSWORD": str(settings.neo4j_password),
        "ACTORGRAPH_API_KEY": KEY,
    }


@contextmanager
def api_process(settings: Settings, log: Path) -> Iterator[str]:
    """`actorgraph serve` as a process of its own on a free port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*ACTORGRAPH, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=_environment(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, f"no answer on {base_url}: {log.read_text()}"
                try:
                    if httpx.get(f"{base_url}/health").json()["neo4j"] == "up":
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def two_apis(driver: Driver, settings: Settings, tmp_path_factory) -> Iterator[list[str]]:
    logs = tmp_path_factory.mktemp("api-logs")
    with ExitStack() as stack:
        yield [stack.enter_context(api_process(settings, logs / f"api-{i}.log")) for i in (1, 2)]


def _post_concurrently(urls: list[str], body: dict, times: int) -> list[int]:
    def post(i: int) -> int:
        response = httpx.post(
            f"{urls[i % len(urls)]}/articles", json=body, headers={"X-API-Key": KEY}, timeout=120
        )
        assert response.headers["content-type"].startswith("application/json"), response.text
        return response.status_code

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(post, range(times)))


@pytest.mark.parametrize("body", [ARTICLE, NO_CLAIMS], ids=["with-claims", "without-claims"])
def test_one_article_posted_ten_times_at_once_to_two_api_processes_is_written_once(
    two_apis: list[str], driver: Driver, settings: Settings, body: dict
):
    reset_graph(driver, settings)
    assert httpx.post(
        f"{two_apis[0]}/articles", json=body, headers={"X-API-Key": KEY}, timeout=120
    ).is_success
    once = graph_contents(driver)
    reset_graph(driver, settings)
    statuses = _post_concurrently(two_apis, body, times=10)
    assert set(statuses) <= {200, 201}, statuses
    assert graph_contents(driver) == once


def test_two_api_processes_writing_different_articles_on_the_same_pairs_lose_no_count(
    two_apis: list[str], driver: Driver, settings: Settings
):
    """Every article claims that the United States attacked Kataib Hezbollah: the edge must
    count all of them, however the writers interleave."""
    reset_graph(driver, settings)
    bodies = [
        {"title": f"Strike {i}", "text": f"The United States attacked Kataib Hezbollah {i} times."}
        for i in range(12)
    ]

    def post(i: int) -> int:
        return httpx.post(
            f"{two_apis[i % 2]}/articles", json=bodies[i], headers={"X-API-Key": KEY}, timeout=120
        ).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        assert set(pool.map(post, range(len(bodies)))) == {201}
    records, _, _ = driver.execute_query(
        "MATCH (:Actor {id: 'united-states'})-[r:ATTACKS]->(:Actor {id: 'kataib-hezbollah'}) "
        "RETURN r.claims AS claims, r.articles AS articles"
    )
    assert [r.data() for r in records] == [{"claims": 12, "articles": 12}]


def test_two_loaders_at_once_leave_the_graph_one_loader_leaves(
    driver: Driver, settings: Settings, seed_paths: list[Path]
):
    reset_graph(driver, settings)
    command = [*ACTORGRAPH, "load", *map(str, seed_paths)]
    env = _environment(settings)
    assert subprocess.run(command, env=env, capture_output=True, check=False).returncode == 0
    once = graph_contents(driver)
    reset_graph(driver, settings)
    loaders = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for loader in loaders:
        _, errors = loader.communicate(timeout=600)
        assert loader.returncode == 0, errors.decode()
    assert graph_contents(driver) == once
