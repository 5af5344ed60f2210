"""The Python client, the notebook and the README's curl examples, against the real API served
by uvicorn over the seeds."""

import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graph_schema.models import ActorsPage, AskAnswer, Network, RelationsPage
from graph_schema.vocabulary import ActorKind, RelationType
from service.client import ActorGraphClient, ActorGraphError, to_dataframe
from service.local_neo4j import PROJECT_ROOT
from tests.service.conftest import README_API_KEY

NOTEBOOK = PROJECT_ROOT / "notebooks" / "explore.ipynb"
README = PROJECT_ROOT / "README.md"
KEY = README_API_KEY


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[ActorGraphClient]:
    with ActorGraphClient(base_url, api_key=KEY) as client:
        yield client


def test_health_and_stats_say_what_the_graph_holds(
    client: ActorGraphClient, seed_paths: list[Path]
):
    assert client.health().neo4j == "up"
    stats = client.stats()
    assert stats.articles >= len(seed_paths)
    assert stats.relations_by_type["PRESSURES"] >= 2


def test_the_united_states_and_iran_pressure_iraq(client: ActorGraphClient):
    page = client.relations(type=RelationType.PRESSURES, target="Iraq")
    assert isinstance(page, RelationsPage)
    assert {"United States", "Iran"} <= {r.source.name for r in page.relations}
    assert all(r.target.id == "iraq" and r.evidence for r in page.relations)


def test_the_client_narrows_relations_to_one_kind_of_actor(client: ActorGraphClient):
    page = client.relations(type="ATTACKS", source="United States", target_kind=ActorKind.MILITIA)
    assert {r.target.kind for r in page.relations} == {ActorKind.MILITIA}
    assert "kataib-hezbollah" in {r.target.id for r in page.relations}


def test_an_unknown_actor_raises_the_apis_error_code_and_suggestions(client: ActorGraphClient):
    with pytest.raises(ActorGraphError) as raised:
        client.actor("Kataib Hezbolah")
    assert raised.value.status == 404
    assert raised.value.code == "actor_not_found"
    assert "kataib-hezbollah" in [s["id"] for s in raised.value.details["suggestions"]]
    with pytest.raises(ActorGraphError, match="actor_not_found"):
        client.relations(target="Atlantis")


def test_a_malformed_parameter_raises_invalid_request(client: ActorGraphClient):
    with pytest.raises(ActorGraphError) as raised:
        client.relations(type="LIKES")
    assert (raised.value.status, raised.value.code) == (422, "invalid_request")


def test_ask_answers_who_pressures_iraq_with_the_query_it_ran(client: ActorGraphClient):
    answer = client.ask("who pressures Iraq?")
    assert isinstance(answer, AskAnswer)
    assert answer.query.endpoint == "/relations"
    assert answer.query.target == ["iraq"]
    assert answer.relations is not None
    assert "united-states" in {r.source.id for r in answer.relations}


def test_actors_are_found_by_alias_and_their_relations_by_direction(client: ActorGraphClient):
    assert client.actor("Washington").id == "united-states"
    found = client.search_actors(q="hezbollah")
    assert "kataib-hezbollah" in [a.id for a in found.actors]
    militias = client.search_actors(kind="militia", limit=2)
    assert len(militias.actors) <= 2
    assert all(a.kind == "militia" for a in militias.actors)
    outgoing = client.actor_relations("Iran", direction="out")
    assert outgoing.relations
    assert all(r.source.id == "iran" for r in outgoing.relations)


def test_a_network_and_a_path_connect_actors(client: ActorGraphClient):
    network = client.network("Iraq", depth=1, types=["PRESSURES", "FUNDS"])
    ids = {node.id for node in network.nodes}
    assert "iraq" in ids
    assert network.edges
    assert all(e.type in ("PRESSURES", "FUNDS") for e in network.edges)
    answer = client.paths("Soleimani", "Iraq", max_hops=3)
    assert answer.source.id == "qassem-soleimani"
    assert answer.paths
    assert all(path.actors[-1].id == "iraq" and path.hops for path in answer.paths)


def test_articles_are_listed_and_each_shows_its_claims(
    client: ActorGraphClient, seed_paths: list[Path]
):
    listed = {a.id for a in client.articles(limit=200).articles}
    assert {p.stem for p in seed_paths} <= listed
    article = client.article(seed_paths[0].stem)
    assert article.claims
    with pytest.raises(ActorGraphError, match="article_not_found"):
        client.article("nope")


def test_a_posted_article_is_ingested_with_the_key_and_refused_without_it(
    client: ActorGraphClient, base_url: str
):
    text = "Iran pressured Iraq to expel American troops, the client test wrote."
    result = client.post_article("Client test", text, published="2020-01-10")
    assert result.article_id.startswith("api-")
    assert ("iran", "PRESSURES", "iraq") in {
        (c.source.id, c.type, c.target.id) for c in result.claims
    }
    assert client.article(result.article_id).title == "Client test"
    with ActorGraphClient(base_url) as keyless, pytest.raises(ActorGraphError) as raised:
        keyless.post_article("Client test", text)
    assert (raised.value.status, raised.value.code) == (401, "api_key_missing")


def test_an_analyst_rejects_a_claim_from_a_notebook_and_undoes_it(client: ActorGraphClient):
    text = "Iraq pressured Kuwait over the border, the correction test wrote."
    posted = client.post_article("Correction test", text)
    (claim,) = [c for c in posted.claims if (c.source.id, c.target.id) == ("iraq", "kuwait")]
    made = client.correct("reject", "ana", "a test of corrections", claim=claim.claim_id)
    assert made.action == "reject"
    shown = client.article(posted.article_id).claims
    assert [c.status for c in shown if c.claim_id == claim.claim_id] == ["rejected"]
    assert made.id in {c.id for c in client.corrections().corrections}
    undone = client.undo(made.id, "ana")
    assert undone.undone_by == "ana"
    shown = client.article(posted.article_id).claims
    assert [c.status for c in shown if c.claim_id == claim.claim_id] == [None]


def test_relations_actors_and_networks_become_dataframes(client: ActorGraphClient):
    relations = to_dataframe(client.relations(type="PRESSURES", target="Iraq"))
    assert {"United States", "Iran"} <= set(relations["source"])
    assert {"type", "target", "evidence_count", "first_evidence"} <= set(relations.columns)
    actors = to_dataframe(client.search_actors(kind="militia"))
    assert set(actors["kind"]) == {"militia"}
    edges = to_dataframe(client.network("Iraq"))
    assert "Iraq" in set(edges["source"]) | set(edges["target"])
    assert isinstance(client.search_actors(), ActorsPage)
    assert isinstance(client.network("Iraq"), Network)


def test_questions_and_paths_become_dataframes_too(client: ActorGraphClient):
    asked = to_dataframe(client.ask("who pressures Iraq?"))
    assert "United States" in set(asked["source"])
    hops = to_dataframe(client.paths("Soleimani", "Iraq", max_hops=3))
    assert {"path", "hop", "source", "type", "target", "direction"} <= set(hops.columns)
    assert set(hops[hops["hop"] == 0]["source"]) | set(hops[hops["hop"] == 0]["target"]) >= {
        "Qassem Soleimani"
    }
    connected = to_dataframe(client.ask("how is Soleimani connected to Iraq?"))
    assert len(connected) == len(hops)


def test_the_notebook_runs_against_the_service_and_names_who_pressures_iraq(
    base_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ACTORGRAPH_URL", base_url)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    printed = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert "United States" in printed
    assert "Qassem Soleimani ->" in printed
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not [o for o in outputs if o.output_type == "error"]


def readme_curl_commands() -> list[str]:
    """The curl commands of the README's "Ask the API" section, continuation lines joined."""
    text = README.read_text()
    section = text[text.index("## Ask the API") : text.index("### From a notebook")]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()
    return [line.strip() for line in lines if line.strip().startswith("curl ")]


def test_the_readmes_curl_examples_work_as_printed(base_url: str, tmp_path: Path):
    """Each answers 200 with what it promises: JSON, CSV with a header, or a file written."""
    commands = readme_curl_commands()
    assert len(commands) >= 10
    for command in commands:
        argv = shlex.split(command.replace("http://127.0.0.1:8000", base_url))
        done = subprocess.run(
            [*argv, "--fail-with-body", "--max-time", "60"],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
        if "-o" in argv:
            written = tmp_path / argv[argv.index("-o") + 1]
            assert written.read_text().startswith("<?xml"), command
        elif "Accept: text/csv" in command:
            assert done.stdout.startswith("source_id,"), command
        else:
            assert json.loads(done.stdout), command
