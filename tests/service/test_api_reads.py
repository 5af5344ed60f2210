"""The read API on the seeds: every endpoint's normal answers and its errors, in one shape."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from service import queries
from service.app import create_app
from service.settings import Settings


@pytest.fixture(scope="module")
def client(seeded: Driver, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def test_health_says_neo4j_is_up(client: TestClient):
    assert client.get("/health").json() == {"status": "ok", "neo4j": "up"}


def test_the_united_states_and_iran_pressure_iraq_with_evidence_from_the_articles(
    client: TestClient, seed_paths: list[Path]
):
    response = client.get("/relations", params={"type": "PRESSURES", "target": "Iraq"})
    assert response.status_code == 200
    relations = response.json()["relations"]
    sources = {r["source"]["name"] for r in relations}
    assert {"United States", "Iran"} <= sources
    texts = {p.stem: p.read_text("utf-8") for p in seed_paths}
    for relation in relations:
        assert relation["type"] == "PRESSURES"
        assert relation["target"]["id"] == "iraq"
        assert relation["evidence_count"] >= len(relation["evidence"]) >= 1
        for item in relation["evidence"]:
            text = texts[item["article_id"]]
            assert text[item["start"] : item["end"]] == item["sentence"]


def test_relations_are_ordered_strongest_first(client: TestClient):
    relations = client.get("/relations", params={"target": "Iraq"}).json()["relations"]
    confidences = [r["confidence"] for r in relations]
    assert confidences == sorted(confidences, reverse=True)


@pytest.mark.parametrize("alias", ["Baghdad", "iraq", "the Iraqi government"])
def test_a_target_is_found_by_any_alias_in_any_case(client: TestClient, alias: str):
    response = client.get("/relations", params={"type": "PRESSURES", "target": alias})
    assert response.status_code == 200
    assert {r["target"]["id"] for r in response.json()["relations"]} == {"iraq"}


def test_relations_can_be_narrowed_to_one_kind_of_actor_on_either_side(client: TestClient):
    attacks = {"type": "ATTACKS", "source": "United States"}
    every = client.get("/relations", params=attacks).json()["relations"]
    militias = client.get("/relations", params={**attacks, "target_kind": "militia"}).json()
    assert {r["target"]["kind"] for r in every} > {"militia"}
    assert {r["target"]["kind"] for r in militias["relations"]} == {"militia"}
    assert "kataib-hezbollah" in {r["target"]["id"] for r in militias["relations"]}
    governments = client.get("/relations", params={"target": "Iraq", "source_kind": "government"})
    assert {r["source"]["kind"] for r in governments.json()["relations"]} == {"government"}


def test_ask_which_militias_narrows_the_answer_to_militias(client: TestClient):
    answer = client.get("/ask", params={"q": "which militias did the United States attack?"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["query"]["target_kind"] == "militia"
    relations = answer.json()["relations"]
    assert {r["target"]["kind"] for r in relations} == {"militia"}
    assert "kataib-hezbollah" in {r["target"]["id"] for r in relations}


def test_an_unknown_actor_is_a_404_that_says_what_to_try(client: TestClient):
    response = client.get("/relations", params={"target": "Atlantis"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "actor_not_found"
    assert "Atlantis" in error["message"]


def test_an_unknown_relation_type_is_a_422_in_the_same_error_shape(client: TestClient):
    response = client.get("/relations", params={"type": "LIKES", "target": "Iraq"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.json()["error"]["details"][0]["where"] == "query.type"


def test_every_attack_in_a_date_range_and_confidence_filters_narrow_the_evidence(
    client: TestClient,
):
    everything = client.get("/relations", params={"type": "ATTACKS"}).json()["relations"]
    assert everything
    in_2021 = client.get(
        "/relations", params={"type": "ATTACKS", "since": "2021-01-01", "until": "2021-12-31"}
    ).json()["relations"]
    for relation in in_2021:
        assert all(
            item["date"] and item["date"].startswith("2021") for item in relation["evidence"]
        )
    strict = client.get("/relations", params={"type": "ATTACKS", "min_confidence": 0.99})
    assert all(
        item["confidence"] >= 0.99 for r in strict.json()["relations"] for item in r["evidence"]
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"since": "2020-13-01"}, "query.since"),
        ({"limit": 0}, "query.limit"),
        ({"min_confidence": 2}, "query.min_confidence"),
    ],
)
def test_malformed_parameters_are_422_naming_the_parameter(
    client: TestClient, params: dict, fragment: str
):
    response = client.get("/relations", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["where"] == fragment


def test_since_after_until_is_a_400(client: TestClient):
    response = client.get("/relations", params={"since": "2021-01-01", "until": "2020-01-01"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_dates"


def test_whom_iran_funds_and_that_the_united_states_attacks_kataib_hezbollah(client: TestClient):
    attacks = client.get(
        "/relations", params={"source": "US", "type": "ATTACKS", "target": "Kataib Hezbollah"}
    ).json()["relations"]
    assert [(r["source"]["id"], r["target"]["id"]) for r in attacks] == [
        ("united-states", "kataib-hezbollah")
    ]


@pytest.mark.parametrize("name", ["Washington", "united states", "US", "U.S.", "united-states"])
def test_an_actor_is_found_by_id_name_or_alias_in_any_case(client: TestClient, name: str):
    response = client.get(f"/actors/{name}")
    assert response.status_code == 200
    actor = response.json()
    assert actor["id"] == "united-states"
    assert actor["kind"] == "government"
    assert actor["article_count"] >= 4
    assert actor["evidence_count"] > 0


def test_an_unknown_actor_is_404_with_close_matches(client: TestClient):
    response = client.get("/actors/Kataib Hezbolah")
    assert response.status_code == 404
    suggestions = response.json()["error"]["details"]["suggestions"]
    assert "kataib-hezbollah" in [s["id"] for s in suggestions]


def test_actor_search_by_alias_with_kind_filter_and_paging(client: TestClient):
    found = client.get("/actors", params={"q": "hezbollah"}).json()
    assert "kataib-hezbollah" in [a["id"] for a in found["actors"]]
    militias = client.get("/actors", params={"kind": "militia", "limit": 2}).json()
    assert militias["total"] >= len(militias["actors"])
    assert len(militias["actors"]) <= 2
    assert all(a["kind"] == "militia" for a in militias["actors"])
    second = client.get("/actors", params={"kind": "militia", "limit": 2, "offset": 2}).json()
    assert not {a["id"] for a in second["actors"]} & {a["id"] for a in militias["actors"]}


def test_an_actors_relations_by_direction(client: TestClient):
    outgoing = client.get("/actors/Iran/relations", params={"direction": "out"}).json()
    incoming = client.get("/actors/Iran/relations", params={"direction": "in"}).json()
    both = client.get("/actors/Iran/relations").json()
    assert all(r["source"]["id"] == "iran" for r in outgoing["relations"])
    assert all(r["target"]["id"] == "iran" for r in incoming["relations"])
    assert len(both["relations"]) == len(outgoing["relations"]) + len(incoming["relations"])


def test_a_network_is_nodes_and_edges_that_refer_to_them(client: TestClient):
    network = client.get("/actors/Iraq/network", params={"depth": 2}).json()
    ids = {node["id"] for node in network["nodes"]}
    assert "iraq" in ids
    assert network["edges"]
    assert all(e["source"] in ids and e["target"] in ids for e in network["edges"])
    only_funds = client.get("/actors/Iraq/network", params={"types": "FUNDS"}).json()
    assert all(e["type"] == "FUNDS" for e in only_funds["edges"])


def test_paths_connect_two_actors_hop_by_hop_with_evidence(client: TestClient):
    response = client.get("/paths", params={"from": "Soleimani", "to": "Iraq", "max_hops": 3})
    assert response.status_code == 200
    answer = response.json()
    assert answer["source"]["id"] == "qassem-soleimani"
    assert answer["paths"]
    for path in answer["paths"]:
        assert path["actors"][0]["id"] == "qassem-soleimani"
        assert path["actors"][-1]["id"] == "iraq"
        assert len(path["hops"]) <= 3
        assert all(hop["evidence"] for hop in path["hops"])


def test_max_hops_is_bounded(client: TestClient):
    response = client.get("/paths", params={"from": "Iran", "to": "Iraq", "max_hops": 5})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("question", "endpoint"),
    [
        ("who pressures Iraq?", "/relations"),
        ("who does Iran fund?", "/relations"),
        ("who attacked the United States?", "/relations"),
        ("how is Soleimani connected to Iraq?", "/paths"),
    ],
)
def test_ask_answers_with_the_query_it_ran(client: TestClient, question: str, endpoint: str):
    response = client.get("/ask", params={"q": question})
    assert response.status_code == 200, response.text
    assert response.json()["query"]["endpoint"] == endpoint


def test_ask_who_pressures_iraq_names_the_united_states(client: TestClient):
    relations = client.get("/ask", params={"q": "who pressures Iraq?"}).json()["relations"]
    assert "united-states" in {r["source"]["id"] for r in relations}


def test_a_question_ask_cannot_parse_is_422_saying_why_with_close_forms(client: TestClient):
    response = client.get("/ask", params={"q": "what is the capital of Iraq?"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "names a relation" in error["message"]
    assert error["details"]["close_forms"]


def test_an_actor_ask_cannot_find_is_404_naming_only_the_words_it_took_for_it(
    client: TestClient,
):
    response = client.get("/ask", params={"q": "who pressures Atlantis since 2021?"})
    assert response.status_code == 404
    assert "'Atlantis'" in response.json()["error"]["message"]
    assert "2021" not in response.json()["error"]["message"]


def test_a_yes_no_question_answers_yes_with_evidence_or_says_none_was_found(client: TestClient):
    yes = client.get("/ask", params={"q": "did the US strike Kataib Hezbollah?"}).json()
    assert yes["answer"] == "yes"
    assert yes["relations"][0]["evidence"]
    no = client.get("/ask", params={"q": "has Kataib Hezbollah funded the United States?"}).json()
    assert (no["answer"], no["relations"]) == ("no evidence found", [])


def test_talks_are_asked_in_either_direction(client: TestClient):
    answer = client.get("/ask", params={"q": "who talked with al-Kadhimi?"}).json()
    assert answer["query"]["either_direction"] is True
    assert "united-states" in {r["target"]["id"] for r in answer["relations"]}


def test_a_misspelt_actor_is_corrected_when_one_is_clearly_closest_and_the_answer_says_so(
    client: TestClient,
):
    answer = client.get("/ask", params={"q": "who pressures Irak?"}).json()
    assert answer["query"]["target"] == ["iraq"]
    assert "'Irak' read as 'Iraq'" in answer["understood"]


def test_articles_are_listed_and_each_shows_its_claims(client: TestClient, seed_paths: list[Path]):
    page = client.get("/articles", params={"limit": 2}).json()
    assert page["total"] == len(seed_paths)
    assert len(page["articles"]) == 2
    article = client.get(f"/articles/{seed_paths[0].stem}").json()
    assert article["published"] == "2021-04-07"
    assert article["claims"]
    assert {"polarity", "modality", "sentence"} <= article["claims"][0].keys()
    assert client.get("/articles/nope").status_code == 404


def test_stats_count_what_the_graph_holds(client: TestClient, seed_paths: list[Path]):
    stats = client.get("/stats").json()
    assert stats["articles"] == len(seed_paths)
    assert stats["actors_by_kind"]["government"] >= 4
    assert stats["relations_by_type"]["PRESSURES"] >= 2


def test_the_openapi_documents_every_endpoint(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/actors", "/actors/{actor}", "/actors/{actor}/relations",
                 "/actors/{actor}/network", "/relations", "/ask", "/paths", "/articles",
                 "/articles/{article_id}", "/stats", "/health"]:  # fmt: skip
        assert path in paths


def test_every_request_is_logged_with_its_status_and_time(
    client: TestClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level("INFO", logger="actorgraph.requests"):
        client.get("/actors/Atlantis")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "actorgraph.requests"]
    assert line.startswith("GET /actors/Atlantis -> 404 in ")
    assert line.endswith(" ms")


def test_a_claim_shows_why_it_was_made(client: TestClient, seed_paths: list[Path]):
    article = client.get(f"/articles/{seed_paths[0].stem}").json()
    claim_id = article["claims"][0]["claim_id"]
    claim = client.get(f"/claims/{claim_id}").json()
    assert claim["article_id"] == seed_paths[0].stem
    assert claim["sentence"] == article["claims"][0]["sentence"]
    assert claim["pattern"]
    assert claim["model"] is None or len(claim["model"]) == 12
    assert claim["model"] is None or claim["features"]
    missing = client.get("/claims/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "claim_not_found"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/actors/" + "x" * 201, {}),
        ("/relations", {"target": "x" * 201}),
        ("/paths", {"from": "x" * 201, "to": "Iraq"}),
        ("/actors", {"q": "x" * 201}),
        ("/claims/" + "x" * 201, {}),
    ],
)
def test_a_name_longer_than_200_characters_is_refused_naming_the_limit(
    client: TestClient, path: str, params: dict
):
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert "200 characters" in response.text


def test_paging_beyond_the_documented_offset_is_refused(client: TestClient):
    response = client.get("/relations", params={"offset": 2**31})
    assert response.status_code == 422
    assert "100000" in response.text


def test_a_day_that_is_not_written_as_a_date_is_refused(client: TestClient):
    response = client.get("/relations", params={"since": "0"})
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text


def test_a_control_character_in_a_path_cannot_forge_a_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level("INFO", logger="actorgraph.requests"):
        client.get("/actors/Iran%0AGET /forged -> 200 in 0.1 ms")
    lines = [r.getMessage() for r in caplog.records if r.name == "actorgraph.requests"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert "\\n" in lines[0]


def test_a_query_neo4j_fails_is_a_500_in_the_usual_shape_not_an_outage(
    seeded: Driver, settings: Settings
):
    """Only a lost connection is 503; a Cypher or server error is the server's fault, 500,
    and the body carries neither the driver's text nor Neo4j's address."""
    app = create_app(settings)

    @app.get("/failing")
    def failing() -> list:
        return queries._run(seeded, settings.neo4j_database, "RETURN 1 / 0 AS x")

    with TestClient(app) as client:
        response = client.get("/failing")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "graph_error"
    assert "Retry-After" not in response.headers
    assert "/ by zero" not in response.text
    assert str(settings.neo4j_uri) not in response.text


def test_the_api_applies_the_schema_at_start_up(seeded: Driver, settings: Settings):
    """A fresh database has no full-text index until something applies the schema: the API
    does at start-up, so that its first search does not fail."""
    seeded.execute_query("DROP INDEX actor_names IF EXISTS", database_=settings.neo4j_database)
    with TestClient(create_app(settings)) as client:
        response = client.get("/actors", params={"q": "hezbollah"})
    assert response.status_code == 200
    assert response.json()["actors"]


def test_paths_and_networks_keep_to_a_period_when_given_one(client: TestClient):
    """Only edges whose dated evidence reaches into the period: as /relations counts them (of
    the seeds, only 000 has a date, 2021-04-07)."""
    since = {"since": "2021-01-01"}
    dated = {
        (r["source"]["id"], r["type"], r["target"]["id"])
        for r in client.get("/relations", params=since).json()["relations"]
        if "iran" in (r["source"]["id"], r["target"]["id"])
    }
    network = client.get("/actors/Iran/network", params=since).json()
    assert dated
    assert {(e["source"], e["type"], e["target"]) for e in network["edges"]} == dated
    before = client.get("/actors/Iran/network", params={"depth": 2, "until": "2018-12-31"}).json()
    assert (before["edges"], [n["id"] for n in before["nodes"]]) == ([], ["iran"])
    path = {"from": "Soleimani", "to": "Iraq", "max_hops": 3}
    assert client.get("/paths", params=path).json()["paths"]
    assert client.get("/paths", params={**path, "until": "2018-12-31"}).json()["paths"] == []
    asked = client.get("/ask", params={"q": "how is Soleimani connected to Iraq before 2019?"})
    assert asked.json()["query"]["until"] == "2018-12-31"
    assert asked.json()["paths"] == []
