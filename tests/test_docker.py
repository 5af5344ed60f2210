"""The Docker files users without this machine's set-up rely on (no Docker engine runs here)."""

import yaml

from service.local_neo4j import PROJECT_ROOT


def test_the_compose_file_parses_and_runs_neo4j_5_26_and_the_api():
    compose = yaml.safe_load((PROJECT_ROOT / "docker" / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"neo4j", "api"} <= services.keys()
    assert services["neo4j"]["image"].startswith("neo4j:5.26")
    assert "NEO4J_URI" in str(services["api"]["environment"])


def test_the_api_image_serves_the_api():
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    assert "actorgraph" in dockerfile
    assert "serve" in dockerfile
    assert "pip install '.[server]'" in dockerfile, "the base install is the light client"


def test_compose_listens_on_this_machine_only_and_has_no_default_password():
    text = (PROJECT_ROOT / "docker" / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    for service in compose["services"].values():
        assert all(str(port).startswith("127.0.0.1:") for port in service.get("ports", []))
    assert "actorgraph-dev" not in text
    assert "${NEO4J_PASSWORD:?" in text


def test_an_optional_ray_profile_runs_a_head_and_workers_that_authenticate():
    services = yaml.safe_load((PROJECT_ROOT / "docker" / "docker-compose.yml").read_text())[
        "services"
    ]
    head, worker = services["ray-head"], services["ray-worker"]
    assert head["profiles"] == worker["profiles"] == ["ray"]
    assert "--head" in head["command"]
    assert "--address=ray-head:6379" in worker["command"]
    for service in (head, worker):
        assert service["build"]["target"] == "ray"
        assert service["environment"]["RAY_AUTH_MODE"] == "token"
        assert "NEO4J_URI" in service["environment"]
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    assert "FROM base AS ray" in dockerfile
    assert "pip install '.[server,ray]'" in dockerfile
    assert dockerfile.rstrip().splitlines()[-1].startswith("CMD"), "the API stays the default"
