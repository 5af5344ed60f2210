"""The `actorgraph` command: the command line of service/cli.py, or, in an install without the
server extras (the light client), one line saying how to get it."""

import sys


def main() -> None:
    try:
        from service.cli import app
    except ModuleNotFoundError as missing:
        sys.exit(
            f"actorgraph's commands need the server extras ({missing.name} is not installed): "
            "pip install 'actorgraph[server]'"
        )
    app(prog_name="actorgraph")
