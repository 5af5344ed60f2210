"""/ask on the question set (ask_questions.yaml): questions worded as analysts type them, each
with the structured query it must run, answered from the seeds."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from neo4j import Driver

from service.app import create_app
from service.settings import Settings

QUESTIONS = yaml.safe_load((Path(__file__).parent / "ask_questions.yaml").read_text("utf-8"))
DEFAULTS: dict[str, Any] = {
    "types": [],
    "source": None,
    "target": None,
    "either_direction": False,
    "source_kind": None,
    "target_kind": None,
    "since": None,
    "until": None,
    "yes_no": False,
}


@pytest.fixture(scope="module")
def client(seeded: Driver, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"actorgraph_read_rate": 0}))) as c:
        yield c


def _expected(expect: dict[str, Any]) -> dict[str, Any]:
    last_year = str(dt.date.today().year - 1)
    wanted = {**DEFAULTS, **expect} if expect["endpoint"] == "/relations" else dict(expect)
    return {
        key: value.replace("{last_year}", last_year) if isinstance(value, str) else value
        for key, value in wanted.items()
    }


def test_the_question_set_is_large_and_covers_every_type_and_form():
    assert len(QUESTIONS) >= 150
    asked_types = {t for entry in QUESTIONS for t in entry["expect"].get("types", [])}
    assert asked_types == {"PRESSURES", "FUNDS", "ATTACKS", "NEGOTIATES_WITH"}
    assert {e["expect"]["endpoint"] for e in QUESTIONS} == {"/relations", "/paths"}
    assert any(e["expect"].get("yes_no") for e in QUESTIONS)


@pytest.mark.parametrize("entry", QUESTIONS, ids=[e["q"] for e in QUESTIONS])
def test_each_question_runs_the_query_it_asks_for(client: TestClient, entry: dict[str, Any]):
    response = client.get("/ask", params={"q": entry["q"]})
    assert response.status_code == 200, response.json()
    query = response.json()["query"]
    expected = _expected(entry["expect"])
    assert {key: query.get(key) for key in expected} == expected
