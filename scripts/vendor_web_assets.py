"""Vendor the browser assets the service serves (API docs, the explorer's graph library), from
npm, with their licences.

Run from the repository root when a version below changes: `python scripts/vendor_web_assets.py`.
It packs each package with `npm pack` (checked against the registry's integrity hash), copies
the files the service uses and the package's licence into `service/static/vendor/NAME/`, and
records name, version and integrity in `service/static/vendor/VERSIONS.json`. Nothing is
fetched at run time: the service serves these files itself.
"""

import argparse
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "service" / "static" / "vendor"

PACKAGES: dict[str, tuple[str, list[str]]] = {
    # name: (version, files of the package to ship, besides its licence)
    "swagger-ui-dist": ("5.35.0", ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]),
    "redoc": ("2.5.4", ["bundles/redoc.standalone.js"]),
    "cytoscape": ("3.35.0", ["dist/cytoscape.min.js"]),
}
LICENCE_FILES = ("LICENSE", "NOTICE")


def vendor(name: str, version: str, files: list[str], work: Path) -> dict[str, str]:
    packed = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(work)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (info,) = json.loads(packed.stdout)
    with tarfile.open(work / info["filename"]) as archive:
        archive.extractall(work / name, filter="data")
    package = work / name / "package"
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for relative in [*files, *(f for f in LICENCE_FILES if (package / f).exists())]:
        shutil.copy2(package / relative, target / Path(relative).name)
    return {"version": info["version"], "integrity": info["integrity"]}


def main() -> None:
    argparse.ArgumentParser(
        description="Vendor the API docs' browser assets from npm."
    ).parse_args()
    with tempfile.TemporaryDirectory() as work:
        versions = {
            name: vendor(name, version, files, Path(work))
            for name, (version, files) in PACKAGES.items()
        }
    (VENDOR / "VERSIONS.json").write_text(json.dumps(versions, indent=2) + "\n", "utf-8")
    for name, info in versions.items():
        print(f"{name} {info['version']} -> {VENDOR / name}")


if __name__ == "__main__":
    main()
