"""HTTP as clients and proxies expect it: rate limits on reads, OPTIONS and 405 naming every
method, and an OpenAPI that lists every status an operation may answer."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from service.app import create_app
from service.settings import Settings


@pytest.fixture
def limited(graph: Driver, settings: Settings) -> Iterator[TestClient]:
    """An API allowing each client 3 reads at once, then one every 100 seconds."""
    limits = {"actorgraph_read_burst": 3, "actorgraph_read_rate": 0.01}
    with TestClient(create_app(settings.model_copy(update=limits))) as client:
        yield client


def test_reads_are_rate_limited_by_default():
    assert Settings(neo4j_password="x").actorgraph_read_rate > 0


def test_a_client_past_its_reads_gets_429_with_retry_after_in_the_usual_shape(
    limited: TestClient,
):
    assert [limited.get("/stats").status_code for _ in range(3)] == [200, 200, 200]
    refused = limited.get("/stats")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert "ACTORGRAPH_READ_RATE" in error["message"]


def test_the_limit_is_per_client_and_spares_health_and_writes(graph: Driver, settings: Settings):
    limits = {"actorgraph_read_burst": 1, "actorgraph_read_rate": 0.01}
    app = create_app(settings.model_copy(update=limits))
    with TestClient(app, client=("192.0.2.1", 50000)) as first:
        second = TestClient(app, client=("192.0.2.2", 50000))  # the app is started by `first`
        assert first.get("/stats").status_code == 200
        assert first.get("/stats").status_code == 429
        assert second.get("/stats").status_code == 200
        assert first.get("/health").status_code == 200
        # a write is refused for want of a key, not for the reads before it
        assert first.post("/articles", json={"text": "Iran funds Hezbollah."}).status_code == 403


def test_a_zero_rate_turns_the_limit_off(graph: Driver, settings: Settings):
    limits = {"actorgraph_read_burst": 1, "actorgraph_read_rate": 0}
    with TestClient(create_app(settings.model_copy(update=limits))) as client:
        assert {client.get("/stats").status_code for _ in range(5)} == {200}


def test_options_and_405_name_every_method_a_path_answers(graph: Driver, settings: Settings):
    with TestClient(create_app(settings)) as client:
        options = client.options("/articles")
        assert options.status_code == 204
        assert set(options.headers["Allow"].split(", ")) == {"OPTIONS", "GET", "POST"}
        assert client.options("/actors/Iraq").headers["Allow"] == "OPTIONS, GET"
        not_allowed = client.delete("/articles")
        assert not_allowed.status_code == 405
        assert "POST" in not_allowed.headers["Allow"]
        nowhere = client.options("/nowhere")
        assert nowhere.status_code == 404
        assert nowhere.json()["error"]["code"] == "not_found"


def test_the_openapi_lists_every_status_each_operation_may_answer(settings: Settings):
    spec = create_app(settings).openapi()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if path == "/health":
                assert statuses == {"200"}, "health answers 200, saying whether Neo4j is up"
            elif method == "get":
                assert {"200", "422", "429", "500", "503"} <= statuses, (method, path)
            elif method == "delete":
                assert {"200", "401", "403", "404", "422", "500", "503"} <= statuses
            elif path == "/articles":
                assert {"201", "400", "401", "403", "413", "422", "500", "503"} <= statuses
            else:  # a correction, or its undo
                success = "201" if path == "/corrections" else "200"
                writes = {"401", "403", "404", "409", "413", "422", "500", "503"}
                assert {success, *writes} <= statuses, (method, path)
