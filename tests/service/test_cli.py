"""The `actorgraph` command as a user runs it: a real process, real model, real Neo4j."""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from service.settings import Settings
from tests.conftest import SHARED, graph_contents, reset_graph

ACTORGRAPH = [sys.executable, "-m", "service"]


def run(*args: str, settings: Settings | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if settings is not None:
        env |= {
            "NEO4J_URI": str(settings.neo4j_uri),
            "NEO4J_PASSWORD": str(settings.neo4j_password),
        }
    return subprocess.run(
        [*ACTORGRAPH, *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )


def test_help_names_every_command():
    result = run("--help")
    assert result.returncode == 0
    commands = ("extract", "load", "delete", "eval", "train", "explain", "annotations", "serve")
    commands += ("curate",)
    for command in (*commands, "neo4j"):
        assert command in result.stdout


def test_extract_writes_one_json_line_per_relation_with_its_evidence(seed_paths: list[Path]):
    result = run("extract", str(seed_paths[0]))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines
    text = seed_paths[0].read_text("utf-8")
    for line in lines:
        assert line.keys() >= {"article_id", "type", "source", "target", "evidence", "confidence"}
        assert line["article_id"] == seed_paths[0].stem
        assert (
            text[line["evidence"]["start"] : line["evidence"]["end"]]
            == line["evidence"]["sentence"]
        )


def test_extract_actors_lists_each_actor_with_its_surface_forms(seed_paths: list[Path]):
    result = run("extract", "--actors", str(seed_paths[0]))
    assert result.returncode == 0, result.stderr
    actors = {a["id"]: a for a in map(json.loads, result.stdout.splitlines())}
    assert "Tehran" in actors["iran"]["mentions"]
    assert actors["iran"]["kind"] == "government"


@pytest.fixture
def mixed_folder(tmp_path: Path, seed_paths: list[Path]) -> Path:
    (tmp_path / "good.txt").write_text(seed_paths[1].read_text("utf-8"), "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "latin1.txt").write_bytes("Title\nCaf\u00e9".encode("latin-1"))
    return tmp_path


def test_load_reports_each_bad_file_on_one_line_loads_the_rest_and_fails_the_exit_code(
    graph: Driver, settings: Settings, mixed_folder: Path
):
    result = run("load", str(mixed_folder), str(mixed_folder / "missing.txt"), settings=settings)
    assert result.returncode == 1
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("missing.txt", "no such file"),
    ]:
        assert any(name in line and reason in line for line in result.stderr.splitlines())
    assert "Traceback" not in result.stderr
    assert "loaded 1 new article(s)" in result.stderr
    records, _, _ = graph.execute_query("MATCH (a:Article) RETURN a.id AS id")
    assert [r["id"] for r in records] == ["good"]


def test_a_second_load_of_the_same_files_adds_nothing(
    graph: Driver, settings: Settings, seed_paths: list[Path]
):
    first = run("load", *map(str, seed_paths), settings=settings)
    second = run("load", *map(str, seed_paths), settings=settings)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert f"loaded {len(seed_paths)} new article(s)" in first.stderr
    assert (
        "loaded 0 new article(s), 5 unchanged; added 0 actor(s), 0 claim(s), 0 relation(s)"
        in second.stderr
    )


def test_a_file_whose_text_changed_is_loaded_again_and_reported_as_updated(
    graph: Driver, settings: Settings, tmp_path: Path, seed_paths: list[Path]
):
    article = tmp_path / "article.txt"
    article.write_text(seed_paths[1].read_text("utf-8"), "utf-8")
    run("load", str(article), settings=settings)
    article.write_text(seed_paths[1].read_text("utf-8") + "\nIran attacked Iraq.\n", "utf-8")
    again = run("load", str(article), settings=settings)
    assert again.returncode == 0, again.stderr
    assert "loaded 0 new article(s), 1 updated, 0 unchanged" in again.stderr


def test_a_corpus_whose_folders_reuse_file_names_loads_with_ids_from_paths(
    graph: Driver, settings: Settings, tmp_path: Path, seed_paths: list[Path]
):
    for folder, seed in (("politics", seed_paths[0]), ("world", seed_paths[1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(seed.read_text("utf-8"), "utf-8")
    refused = run("extract", str(tmp_path))
    assert refused.returncode == 1
    assert "--ids-from-paths" in refused.stderr
    result = run("load", "--ids-from-paths", str(tmp_path), settings=settings)
    assert result.returncode == 0, result.stderr
    records, _, _ = graph.execute_query("MATCH (a:Article) RETURN a.id AS id ORDER BY id")
    assert [r["id"] for r in records] == ["politics-001", "world-001"]


def test_load_without_a_reachable_neo4j_says_so_in_one_line(tmp_path: Path, seed_paths: list[Path]):
    unreachable = Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x")
    result = run("load", str(seed_paths[0]), settings=unreachable)
    assert result.returncode == 1
    assert "Neo4j is not reachable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_on_a_port_in_use_says_so_in_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_shows_a_claims_sentence_pattern_and_model(
    graph: Driver, settings: Settings, seed_paths: list[Path]
):
    assert run("load", str(seed_paths[0]), settings=settings).returncode == 0
    records, _, _ = graph.execute_query(
        "MATCH (c:Claim) RETURN c.id AS id, c.sentence AS sentence ORDER BY c.id LIMIT 1",
        database_=settings.neo4j_database,
    )
    result = run("explain", records[0]["id"], settings=settings)
    assert result.returncode == 0, result.stderr
    assert records[0]["sentence"] in result.stdout
    assert "pattern" in result.stdout
    unknown = run("explain", "no-such-claim", settings=settings)
    assert unknown.returncode == 1
    assert "no claim has the id 'no-such-claim'" in unknown.stderr


def test_load_dates_articles_from_the_corpus_index_and_every_claim_carries_the_date(
    graph: Driver, settings: Settings
):
    corpus = SHARED / "corpus" / "reuters-21578"
    files = [str(corpus / "16366.txt"), str(corpus / "00001.txt")]
    result = run("load", "--metadata", str(corpus / "index.tsv"), *files, settings=settings)
    assert result.returncode == 0, result.stderr
    records, _, _ = graph.execute_query(
        "MATCH (a:Article) OPTIONAL MATCH (a)<-[:STATED_IN]-(c:Claim) "
        "RETURN a.id AS id, a.published AS published, collect(DISTINCT c.date) AS claim_dates "
        "ORDER BY id"
    )
    dated = {r["id"]: (r["published"].to_native(), r["claim_dates"]) for r in records}
    assert dated["00001"][0] == dt.date(1987, 2, 26)
    published, claim_dates = dated["16366"]
    assert published == dt.date(1987, 4, 13)
    assert claim_dates
    assert {d.to_native() for d in claim_dates} == {published}


def test_published_and_source_set_a_whole_run_and_a_bad_date_is_one_line(
    graph: Driver, settings: Settings, tmp_path: Path
):
    article = tmp_path / "note.txt"
    article.write_text("A note\nIran pressured Iraq to expel American troops.\n")
    ok = run(
        "load", "--published", "3 Mar 1987", "--source", "Desk", str(article), settings=settings
    )
    assert ok.returncode == 0, ok.stderr
    records, _, _ = graph.execute_query("MATCH (a:Article) RETURN a.published AS p, a.source AS s")
    assert (records[0]["p"].to_native(), records[0]["s"]) == (dt.date(1987, 3, 3), "Desk")
    bad = run("load", "--published", "soon", str(article), settings=settings)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "error: --published: 'soon' is not a date in a form actorgraph reads (ISO 1987-03-03, "
        "3 Mar 1987, March 3, 1987, 03-MAR-1987)"
    ]


def test_load_names_a_file_whose_text_another_article_holds_and_counts_it_once(
    graph: Driver, settings: Settings, seed_paths: list[Path], tmp_path: Path
):
    copy = tmp_path / "copy-of-a-seed.txt"
    copy.write_text(seed_paths[0].read_text("utf-8"), "utf-8")
    result = run("load", str(seed_paths[0]), str(copy), settings=settings)
    assert result.returncode == 0, result.stderr
    assert f"copy-of-a-seed: the same text as article {seed_paths[0].stem}; counted once" in (
        result.stderr
    )
    assert "loaded 1 new article(s), 1 duplicate(s), 0 unchanged" in result.stderr


def test_delete_takes_an_article_out_as_if_it_had_never_been_loaded(
    graph: Driver, settings: Settings, seed_paths: list[Path]
):
    """Deleting one seed leaves exactly the graph the other four make: its claims, the edges
    only it backed, the counts it added and the actors only it named are gone."""
    others = [str(p) for p in seed_paths[1:]]
    assert run("load", *others, settings=settings).returncode == 0
    without = graph_contents(graph)
    reset_graph(graph, settings)
    assert run("load", *map(str, seed_paths), settings=settings).returncode == 0
    result = run("delete", seed_paths[0].stem, "no-such-article", settings=settings)
    assert result.returncode == 1
    assert "no-such-article: no article has this id" in result.stderr
    assert "deleted 1 article(s)" in result.stderr
    assert graph_contents(graph) == without


GULF_TEXT = (
    "Gulf\nIran's Revolutionary Guards attacked Kuwaiti tankers. The Iranian Navy also shelled "
    "Kuwait. The United States imposed sanctions on Iran on Tuesday.\n"
)


def test_curate_corrections_export_to_yaml_and_import_into_another_graph(
    graph: Driver, settings: Settings, tmp_path: Path
):
    """A team shares its corrections as one YAML file: imported into a graph loaded from the
    same articles, they give the same corrected graph, and importing twice adds nothing."""
    article = tmp_path / "gulf.txt"
    article.write_text(GULF_TEXT, "utf-8")
    assert run("load", str(article), settings=settings).returncode == 0
    merged = run(
        "curate", "merge", "navy", "iran", "--reason", "the Iranian navy", "--author", "ana",
        settings=settings,
    )  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    assert "navy merged into iran by ana" in merged.stderr
    listed = run("curate", "list", settings=settings)
    assert "navy merged into iran by ana" in listed.stdout
    corrected = graph_contents(graph)
    shared = tmp_path / "corrections.yaml"
    assert run("curate", "export", str(shared), settings=settings).returncode == 0
    assert "action: merge" in shared.read_text("utf-8")

    reset_graph(graph, settings)
    assert run("load", str(article), settings=settings).returncode == 0
    imported = run("curate", "import", str(shared), settings=settings)
    assert imported.returncode == 0, imported.stderr
    assert "imported 1 correction(s); 0 already there" in imported.stderr
    assert graph_contents(graph) == corrected
    again = run("curate", "import", str(shared), settings=settings)
    assert "imported 0 correction(s); 1 already there" in again.stderr
    assert graph_contents(graph) == corrected


def test_curate_refuses_what_cannot_apply_in_one_line(
    graph: Driver, settings: Settings, tmp_path: Path
):
    unknown = run("curate", "merge", "nobody", "iran", "--reason", "r", settings=settings)
    assert unknown.returncode == 1
    assert "No actor has the id 'nobody'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("corrections:\n  - action: conquer\n", "utf-8")
    refused = run("curate", "import", str(bad), settings=settings)
    assert refused.returncode == 1
    assert "not a corrections file" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_load_refuses_local_processes_with_ray(seed_paths: list[Path]):
    result = run("load", "--ray", "local", "--processes", "2", str(seed_paths[0]))
    assert result.returncode == 1
    assert "with --ray, give --ray-workers" in result.stderr
    assert "Traceback" not in result.stderr


def test_curate_prints_reasons_as_written(graph: Driver, settings: Settings, tmp_path: Path):
    """A reason in brackets is the analyst's text, not terminal markup."""
    article = tmp_path / "gulf.txt"
    article.write_text(GULF_TEXT, "utf-8")
    assert run("load", str(article), settings=settings).returncode == 0
    made = run(
        "curate", "kind", "navy", "militia", "--reason", "[see the 1987 report]", settings=settings
    )
    assert "[see the 1987 report]" in made.stderr
    correction = made.stderr.split()[1].rstrip(":")
    undone = run("curate", "undo", correction, "--author", "ben", settings=settings)
    assert "[undone by ben " in undone.stderr
