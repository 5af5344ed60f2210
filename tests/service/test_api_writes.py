"""POST /articles: ingesting with the API key, and every way a write is refused."""

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from spacy.tokens import Doc

from graph_schema.models import Article
from loaders import pipeline
from loaders.annotate import joined, text_pieces
from service.app import create_app
from service.settings import Settings

KEY = "test-key-1234"
ARTICLE = {
    "title": "Iran and Iraq",
    "text": "Iran pressured Iraq to expel American troops. The United States attacked Kataib "
    "Hezbollah on Friday.",
    "published": "2020-01-10",
    "source": "Test Wire",
}


@pytest.fixture
def client(graph: Driver, settings: Settings) -> Iterator[TestClient]:
    keyed = settings.model_copy(
        update={"actorgraph_api_key": KEY, "actorgraph_max_body_bytes": 20_000}
    )
    with TestClient(create_app(keyed)) as client:
        yield client


def test_a_posted_article_is_extracted_and_written_like_a_loaded_file(client: TestClient):
    response = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY})
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["added"]["articles"] == 1
    assert {("iran", "PRESSURES", "iraq"), ("united-states", "ATTACKS", "kataib-hezbollah")} <= {
        (c["source"]["id"], c["type"], c["target"]["id"]) for c in result["claims"]
    }
    relations = client.get("/relations", params={"type": "PRESSURES", "target": "Iraq"}).json()
    evidence = relations["relations"][0]["evidence"][0]
    assert evidence["article_id"] == result["article_id"]
    assert evidence["date"] == "2020-01-10"


def test_the_same_text_posted_twice_adds_nothing(client: TestClient):
    first = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY}).json()
    second = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY}).json()
    assert second["article_id"] == first["article_id"]
    assert second["added"] == {
        **second["added"],
        "articles": 0,
        "actors": 0,
        "claims": 0,
        "unchanged": 1,
    }


def test_writes_without_a_key_are_401_and_with_a_wrong_key_403(client: TestClient):
    missing = client.post("/articles", json=ARTICLE)
    wrong = client.post("/articles", json=ARTICLE, headers={"X-API-Key": "nope"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "api_key_missing")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "api_key_invalid")


def test_writes_are_refused_when_the_server_has_no_key(graph: Driver, settings: Settings):
    with TestClient(create_app(settings)) as client:
        response = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "writes_disabled")


def test_a_body_over_the_limit_is_413(client: TestClient):
    huge = {**ARTICLE, "text": "Iran pressured Iraq. " * 2000}
    response = client.post("/articles", json=huge, headers={"X-API-Key": KEY})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_a_streamed_body_over_the_limit_is_413_although_it_declares_no_length(
    client: TestClient,
):
    chunks = (b'{"title": "t", "text": "' + b"x" * 1000 for _ in range(40))
    response = client.post(
        "/articles",
        content=chunks,
        headers={"X-API-Key": KEY, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"title": "t"}, 422), ({"title": "t", "text": "   \n "}, 422), ({"text": "x"}, 422)],
)
def test_a_body_without_usable_text_is_refused_with_what_to_change(
    client: TestClient, body: dict, status: int
):
    response = client.post("/articles", json=body, headers={"X-API-Key": KEY})
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_an_empty_api_key_disables_writes_rather_than_accepting_an_empty_header(
    graph: Driver, settings: Settings
):
    empty = settings.model_copy(update={"actorgraph_api_key": ""})
    with TestClient(create_app(empty)) as client:
        response = client.post("/articles", json=ARTICLE, headers={"X-API-Key": ""})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "writes_disabled"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"url": "ftp://example.org/a"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"text": "Iran\x00Iraq"}, "NUL"),
        ({"text": "\u200b\u200b \u2060"}, "no visible character"),
    ],
)
def test_a_body_the_command_line_would_refuse_is_refused(client: TestClient, change, problem):
    response = client.post("/articles", json=ARTICLE | change, headers={"X-API-Key": KEY})
    assert response.status_code == 422
    assert problem in response.text


def test_a_long_article_does_not_hold_up_a_short_one_posted_while_it_is_parsed(
    graph: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """Ingests share one parser and take turns a piece of text at a time (pieces of 2,000
    characters here, 100,000 in service), in the order they asked."""
    long_parse_started, long_parse_done = threading.Event(), threading.Event()

    def small_pieces(article: Article) -> list[str]:
        if len(article.text) > 10_000:
            long_parse_started.set()
        return text_pieces(article, 2_000)

    def noting_joined(parsed: list[Doc]) -> Doc:
        if len(parsed) > 1:
            long_parse_done.set()
        return joined(parsed)

    monkeypatch.setattr(pipeline, "text_pieces", small_pieces)
    monkeypatch.setattr(pipeline, "joined", noting_joined)
    long_text = " ".join(f"The weather in Baghdad was mild on day {i}." for i in range(2000))
    posted: dict[str, int] = {}
    keyed = settings.model_copy(update={"actorgraph_api_key": KEY})
    with TestClient(create_app(keyed)) as client:
        headers = {"X-API-Key": KEY}
        # loads the model, so that both posts below only parse
        assert client.post("/articles", json=ARTICLE, headers=headers).status_code == 201

        def post_long() -> None:
            body = {"title": "A long one", "text": long_text}
            posted["long"] = client.post("/articles", json=body, headers=headers).status_code

        long_post = threading.Thread(target=post_long)
        long_post.start()
        assert long_parse_started.wait(timeout=120)
        short = {**ARTICLE, "text": ARTICLE["text"] + " Again."}
        assert client.post("/articles", json=short, headers=headers).status_code == 201
        short_done_first = not long_parse_done.is_set()
        long_post.join(timeout=600)
    assert short_done_first
    assert posted["long"] == 201


def test_a_text_posted_again_with_other_white_space_is_the_same_article(client: TestClient):
    first = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY}).json()
    spaced = {**ARTICLE, "text": ARTICLE["text"].replace(" ", "  ") + "\n"}
    again = client.post("/articles", json=spaced, headers={"X-API-Key": KEY}).json()
    assert again["article_id"] == first["article_id"]
    assert again["added"]["articles"] == again["added"]["claims"] == 0
    assert again["added"]["duplicates"][0]["duplicate_of"] == first["article_id"]
    assert {c["claim_id"] for c in again["claims"]} == {c["claim_id"] for c in first["claims"]}


def test_delete_needs_the_key_and_takes_the_article_out(client: TestClient):
    posted = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY}).json()
    path = f"/articles/{posted['article_id']}"
    assert client.delete(path).status_code == 401
    deleted = client.delete(path, headers={"X-API-Key": KEY})
    assert deleted.status_code == 200
    assert deleted.json()["articles"] == [posted["article_id"]]
    assert deleted.json()["claims"] == len(posted["claims"])
    assert client.get(path).status_code == 404
    stats = client.get("/stats").json()
    assert (stats["articles"], stats["claims"]) == (0, 0)
    # the actors only it named went with it
    assert client.get("/actors/Iraq").status_code == 404
    again = client.delete(path, headers={"X-API-Key": KEY})
    assert (again.status_code, again.json()["error"]["code"]) == (404, "article_not_found")
