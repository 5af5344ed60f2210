"""Exports of the analyst graph (GET /export), CSV answers, and unknown parameters refused."""

import io
import json
from collections.abc import Iterator

import networkx
import pandas
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from service.app import create_app
from service.settings import Settings


@pytest.fixture(scope="module")
def client(seeded: Driver, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def edge_count(seeded: Driver) -> int:
    records, _, _ = seeded.execute_query(
        "MATCH (:Actor)-[r:PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH]->(:Actor) RETURN count(r) AS n"
    )
    return records[0]["n"]


def test_the_csv_export_opens_in_pandas_one_edge_a_row(client: TestClient, edge_count: int):
    response = client.get("/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = pandas.read_csv(io.StringIO(response.text))
    assert len(table) == edge_count
    assert {"source_name", "type", "target_name", "evidence_count", "confidence"} <= set(table)
    funds = table[table["type"] == "FUNDS"]
    # The seeds' gold FUNDS relations (an earlier version named a false one of an older model)
    assert set(zip(funds["source_id"], funds["target_id"], strict=True)) >= {
        ("iraq", "iran"),
        ("united-states", "iraq"),
    }


def test_the_graphml_export_opens_in_networkx_with_kinds_and_types(
    client: TestClient, edge_count: int
):
    response = client.get("/export", params={"format": "graphml"})
    graph = networkx.read_graphml(io.BytesIO(response.content))
    assert graph.number_of_edges() == edge_count
    assert graph.nodes["kataib-hezbollah"]["kind"] == "militia"
    assert "Kataib Hezbollah" in graph.nodes["kataib-hezbollah"]["aliases"]
    types = {data["type"] for _, _, data in graph.edges(data=True)}
    assert types <= {"PRESSURES", "FUNDS", "ATTACKS", "NEGOTIATES_WITH"}


def test_the_json_export_holds_actors_and_edges_and_takes_the_relations_filters(
    client: TestClient,
):
    whole = json.loads(client.get("/export").text)
    assert {"actors", "edges"} == whole.keys()
    attacks = json.loads(client.get("/export", params={"type": "ATTACKS", "source": "US"}).text)
    assert attacks["edges"]
    assert {(e["source_id"], e["type"]) for e in attacks["edges"]} == {("united-states", "ATTACKS")}
    ids = {a["id"] for a in attacks["actors"]}
    assert ids == {e["source_id"] for e in attacks["edges"]} | {
        e["target_id"] for e in attacks["edges"]
    }


def test_relations_and_actors_answer_csv_when_asked(client: TestClient):
    relations = client.get(
        "/relations", params={"type": "PRESSURES", "target": "Iraq"}, headers={"Accept": "text/csv"}
    )
    assert relations.headers["content-type"].startswith("text/csv")
    table = pandas.read_csv(io.StringIO(relations.text))
    assert "united-states" in set(table["source_id"])
    actors = client.get("/actors", params={"q": "hezbollah"}, headers={"Accept": "text/csv"})
    assert "kataib-hezbollah" in set(pandas.read_csv(io.StringIO(actors.text))["id"])
    assert client.get("/actors", params={"q": "hezbollah"}).json()["actors"]


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        ("/relations", {"tpye": "FUNDS"}, "tpye"),
        ("/actors/Iran/network", {"dept": "2"}, "dept"),
        ("/ask", {"q": "who funds Iraq?", "format": "csv"}, "format"),
        ("/export", {"fromat": "csv"}, "fromat"),
    ],
)
def test_an_unknown_query_parameter_is_422_naming_it(
    client: TestClient, path: str, params: dict, unknown: str
):
    response = client.get(path, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_parameter"
    assert repr(unknown) in error["message"]


def test_every_declared_parameter_is_still_accepted(client: TestClient):
    every = {
        "type": "PRESSURES", "source_kind": "government", "target_kind": "government",
        "since": "2000-01-01", "until": "2030-01-01", "min_confidence": 0, "limit": 5,
        "offset": 0, "evidence_limit": 1, "source": "US", "target": "Iraq",
    }  # fmt: skip
    assert client.get("/relations", params=every).status_code == 200
