"""The local Neo4j server `make up` and the tests run, from the Maven jars."""

from pathlib import Path

import pytest
from neo4j import GraphDatabase

from service import local_neo4j
from service.local_neo4j import LocalNeo4j


def test_a_password_of_any_characters_is_set_without_appearing_on_a_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    password = '-an "odd" pass\\word'
    commands: list[list[str]] = []
    real_run = local_neo4j._run

    def recorded_run(command: list[str], env: dict[str, str] | None = None):
        commands.append(command)
        return real_run(command, env)

    monkeypatch.setattr(local_neo4j, "_run", recorded_run)
    server = LocalNeo4j(tmp_path / "server", bolt_port=17688, http_port=17475, password=password)
    server.ensure_installed()
    server.start()
    try:
        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one")
            assert records[0]["one"] == 1
    finally:
        server.stop()
    assert commands, "the initial password was set through _run"
    assert not any(password in argument for command in commands for argument in command)
    assert not list((tmp_path / "server" / "run").glob("*.args")), "the argument file is gone"
