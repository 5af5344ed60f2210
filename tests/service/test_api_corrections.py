"""/corrections: analysts correct the graph over HTTP, behind the write key, and reads show it."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from service.app import create_app
from service.settings import Settings

KEY = "test-key-1234"
HEADERS = {"X-API-Key": KEY}
GULF = {
    "title": "Gulf",
    "text": "Iran's Revolutionary Guards attacked Kuwaiti tankers. The Iranian Navy also "
    "shelled Kuwait. The United States imposed sanctions on Iran on Tuesday.",
    "published": "1987-10-19",
}


@pytest.fixture
def client(graph: Driver, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"actorgraph_api_key": KEY}))) as client:
        yield client


@pytest.fixture
def gulf(client: TestClient) -> dict:
    response = client.post("/articles", json=GULF, headers=HEADERS)
    assert response.status_code == 201, response.text
    return response.json()


def claim_of(article: dict, source: str, target: str) -> str:
    return next(
        c["claim_id"]
        for c in article["claims"]
        if (c["source"]["id"], c["target"]["id"]) == (source, target)
    )


def test_a_merge_is_answered_with_the_stored_correction_and_reads_show_it(
    client: TestClient, gulf: dict
):
    body = {"action": "merge", "actor": "navy", "into": "iran", "author": "ana", "reason": "same"}
    response = client.post("/corrections", json=body, headers=HEADERS)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made.keys() >= {"id", "at", "author", "reason", "before"}
    assert made["before"]["name"] == "Navy"
    # "Navy" is now a name of Iran: asking for it finds Iran.
    assert client.get("/actors/navy").json()["id"] == "iran"
    attacks = client.get("/relations", params={"source": "iran", "type": "ATTACKS"}).json()
    assert [r["target"]["id"] for r in attacks["relations"]] == ["kuwait"]
    listed = client.get("/corrections").json()["corrections"]
    assert [c["id"] for c in listed] == [made["id"]]


def test_a_rejected_claim_leaves_the_relations_but_shows_as_rejected(
    client: TestClient, gulf: dict
):
    sanctions = claim_of(gulf, "united-states", "iran")
    body = {"action": "reject", "claim": sanctions, "author": "ana", "reason": "not pressure"}
    assert client.post("/corrections", json=body, headers=HEADERS).status_code == 201
    pressures = client.get("/relations", params={"type": "PRESSURES", "target": "iran"}).json()
    assert pressures["relations"] == []
    assert client.get(f"/claims/{sanctions}").json()["status"] == "rejected"
    article = client.get(f"/articles/{gulf['article_id']}").json()
    statuses = {c["claim_id"]: c["status"] for c in article["claims"]}
    assert statuses[sanctions] == "rejected"


def test_undo_restores_the_graph_and_keeps_the_correction_listed_as_undone(
    client: TestClient, gulf: dict
):
    sanctions = claim_of(gulf, "united-states", "iran")
    body = {"action": "reject", "claim": sanctions, "author": "ana", "reason": "not pressure"}
    made = client.post("/corrections", json=body, headers=HEADERS).json()
    response = client.post(
        f"/corrections/{made['id']}/undo", json={"author": "ben"}, headers=HEADERS
    )
    assert response.status_code == 200, response.text
    assert response.json()["undone_by"] == "ben"
    pressures = client.get("/relations", params={"type": "PRESSURES", "target": "iran"}).json()
    assert len(pressures["relations"]) == 1
    assert client.get(f"/claims/{sanctions}").json()["status"] is None
    again = client.post(f"/corrections/{made['id']}/undo", json={"author": "ben"}, headers=HEADERS)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_undone")
    (listed,) = client.get("/corrections").json()["corrections"]
    assert listed["undone_by"] == "ben"
    active = client.get("/corrections", params={"include_undone": "false"}).json()
    assert active["corrections"] == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"action": "merge", "actor": "nobody", "into": "iran"}, 404, "actor_not_found"),
        ({"action": "confirm", "claim": "nothing"}, 404, "claim_not_found"),
        ({"action": "remove_alias", "actor": "iran", "alias": "Atlantis"}, 422, "alias_not_found"),
        ({"action": "merge", "actor": "iran"}, 422, "invalid_request"),
        ({"action": "set_kind", "actor": "iran", "kind": "empire"}, 422, "invalid_request"),
    ],
)
def test_a_correction_that_cannot_apply_is_refused_with_its_reason(
    client: TestClient, gulf: dict, body: dict, status: int, code: str
):
    response = client.post(
        "/corrections", json=body | {"author": "ana", "reason": "r"}, headers=HEADERS
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert client.get("/corrections").json()["corrections"] == []


def test_corrections_need_the_write_key(client: TestClient, gulf: dict):
    body = {"action": "merge", "actor": "navy", "into": "iran", "author": "ana", "reason": "r"}
    assert client.post("/corrections", json=body).status_code == 401
    wrong = client.post("/corrections", json=body, headers={"X-API-Key": "wrong"})
    assert wrong.status_code == 403
    undo = client.post("/corrections/abc/undo", json={"author": "ana"})
    assert undo.status_code == 401
    assert client.get("/actors/navy").json()["id"] == "navy"
