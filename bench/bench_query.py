"""Query speed: the API under concurrent load against the same Cypher through the driver, same run.

Run from the repository root: `python -m bench.bench_query [--requests N] [--seconds S]`.

The seeds are loaded with `actorgraph load`, `actorgraph serve` runs as a subprocess, and a load
generator on loopback asks four questions at 1, 10 and 50 concurrent clients (threads, each on a
keep-alive connection of its own). The baseline is the same Cypher with the same parameters through
the driver directly (threads sharing one driver, `execute_query` routed to READ): for each question
it runs exactly the reads the API ran for it, name resolution included, recorded from the API's
query layer. Each cell is bounded in requests and in seconds. The machine is shared and noisy, so
the figure that counts is a ratio measured in the same run; absolute times are printed for
information only. Goals (issue 5): API p50 <= 1.5 x driver p50 at 1 client; no errors at 50.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, LiteralString
from unittest.mock import patch
from urllib.parse import urlencode, urlsplit

import httpx2
from fastapi.testclient import TestClient
from neo4j import Driver, RoutingControl

from bench.bench_extract import cli_command
from bench.common import bench_graph, percentiles, write_results
from service import queries
from service.app import create_app
from service.local_neo4j import PROJECT_ROOT
from service.settings import Settings

GOAL_RATIO = 1.5
"""Largest API p50 / driver p50 at one client (the issue's goal)."""

GOAL_ERRORS_AT = 50
"""The concurrency at which no request may fail (the issue's goal)."""

SEEDS = PROJECT_ROOT / "seeds"
WARM_UP_REQUESTS = 20
ALTERNATING_ROUNDS = 8
"""At one client the sides take turns in this many rounds each, so that drift hits both alike."""
PERCENTILES = ("p50", "p95", "p99")
API_START_SECONDS = 60.0
HTTP_TIMEOUT_SECONDS = 60.0
"""Far above any answer time: a request fails on an error, not on a slow answer."""


@dataclass(frozen=True)
class Question:
    """One question of the benchmark, as the API is asked it."""

    name: str
    path: str
    params: dict[str, str | int]


QUESTIONS = (
    Question("who pressures Iraq", "/relations", {"type": "PRESSURES", "target": "Iraq"}),
    Question("Iran's relations", "/actors/Iran/relations", {}),
    # Three hops on the seeds: Soleimani - United States - Iraq - Islamic State.
    Question("3-hop path", "/paths", {"from": "Soleimani", "to": "Islamic State", "max_hops": 3}),
    Question("depth-2 network", "/actors/Iraq/network", {"depth": 2}),
)

Reads = list[tuple[LiteralString, dict[str, Any]]]
"""The Cypher one API request runs, in order, each with its parameters."""


@dataclass
class Cell:
    """One question on one side at one concurrency: the answers' latencies, and the errors."""

    question: str
    side: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    errors: list[str] = field(default_factory=list, repr=False)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + len(self.errors)

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds

    @property
    def latency(self) -> dict[str, float]:
        return percentiles(self.latencies_ms) if self.latencies_ms else {}

    def as_json(self) -> dict[str, object]:
        """The cell without its raw samples, with its percentiles and rate."""
        return {
            "question": self.question,
            "side": self.side,
            "clients": self.clients,
            "requests": self.requests,
            "errors": len(self.errors),
            "first_error": self.errors[0] if self.errors else None,
            "seconds": self.seconds,
            "requests_per_s": self.requests_per_s,
            **{f"{name}_ms": value for name, value in self.latency.items()},
        }


@dataclass(frozen=True)
class LoadLimits:
    """How each cell is bounded: at most `requests` requests, stopped after `seconds`."""

    requests: int
    seconds: float
    concurrency: tuple[int, ...]


# --- the graph and the API ------------------------------------------------------------------


def graph_environment(settings: Settings) -> dict[str, str]:
    """This process's environment, pointed at the benchmark's graph, for `actorgraph` commands."""
    assert settings.neo4j_uri is not None, "bench_graph() sets it"
    assert settings.neo4j_password is not None, "bench_graph() sets it"
    return os.environ | {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
    }


def load_seeds(settings: Settings) -> float:
    """Load the seed articles with `actorgraph load`; returns its wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run(
        [*cli_command(), "load", str(SEEDS)],
        env=graph_environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def api_server(settings: Settings) -> Iterator[str]:
    """`actorgraph serve` on a free loopback port, as a subprocess; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [*cli_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    # A file, not a pipe: nobody reads the server's log while it runs, and a full pipe would
    # block it.
    with tempfile.TemporaryFile("w+") as log:
        # Every load-test client comes from 127.0.0.1: the per-client read limit is off here.
        environment = graph_environment(settings) | {"ACTORGRAPH_READ_RATE": "0"}
        server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_until_healthy(server, base_url, log)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_healthy(server: subprocess.Popen[bytes], base_url: str, log: IO[str]) -> None:
    deadline = time.monotonic() + API_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"`actorgraph serve` exited {server.returncode}:\n{log.read()}")
        try:
            if httpx2.get(f"{base_url}/health").json().get("neo4j") == "up":
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"`actorgraph serve` did not answer on {base_url} in {API_START_SECONDS} s")


def record_reads(settings: Settings, question: Question) -> Reads:
    """The reads the API runs to answer `question`, in order, with their parameters."""
    # Recorded from the API's own query layer rather than written out again here, so that the
    # baseline cannot drift from what the API sends: name resolution, defaults and all.
    with (
        TestClient(create_app(settings)) as client,
        patch.object(queries, "_run", wraps=queries._run) as run,
    ):
        response = client.get(question.path, params=question.params)
    if response.status_code != 200:
        raise SystemExit(
            f"{question.name}: the API answered {response.status_code}: {response.text}"
        )
    return [(call.args[2], dict(call.kwargs)) for call in run.call_args_list]


# --- the load generator -----------------------------------------------------------------------


def driver_request(driver: Driver, database: str, reads: Reads) -> Callable[[], None]:
    """One request of the baseline: the API's reads, each in its own managed transaction."""

    def request() -> None:
        for query, parameters in reads:
            driver.execute_query(
                query, parameters, database_=database, routing_=RoutingControl.READ
            )

    return request


class ApiClient:
    """The load generator's side of the API: one keep-alive connection per client thread.

    The standard library's `http.client` rather than a full-featured client: what the generator
    spends per request is not the API's, and httpx2 spent about 0.3 ms more of it here, a tenth
    of the API's whole answer time on the seeds.
    """

    def __init__(self, base_url: str) -> None:
        address = urlsplit(base_url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port
        self.local = threading.local()
        self.opened: list[http.client.HTTPConnection] = []
        self.lock = threading.Lock()

    def connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(
                self.host, self.port, timeout=HTTP_TIMEOUT_SECONDS
            )
            self.local.connection = connection
            with self.lock:
                self.opened.append(connection)
        return connection

    def request(self, question: Question) -> Callable[[], None]:
        target = f"{question.path}?{urlencode(question.params)}"

        def request() -> None:
            connection = self.connection()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # the next request opens it anew
                raise
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")

        return request

    def close(self) -> None:
        with self.lock:
            for connection in self.opened:
                connection.close()


def run_load(cell: Cell, request: Callable[[], None], requests: int, seconds: float) -> None:
    """`cell.clients` threads send `request` back to back until `requests` have been sent or
    `seconds` have passed; latencies, errors and time are added to `cell`."""
    tickets = iter(range(requests))
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if next(tickets, None) is None:
                    return
            sent = time.perf_counter()
            try:
                request()
            except Exception as error:  # whatever fails counts as an error of the cell
                with lock:
                    cell.errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                cell.latencies_ms.append((time.perf_counter() - sent) * 1000)

    threads = [threading.Thread(target=client) for _ in range(cell.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cell.seconds += time.perf_counter() - start


def measure_question(
    question: str, sides: dict[str, Callable[[], None]], clients: int, limits: LoadLimits
) -> list[Cell]:
    """One cell per side at `clients` clients, the sides measured back to back.

    At one client, where the goal ratio is taken, the sides alternate in rounds, so that the
    shared machine's changing load falls on both alike.
    """
    rounds = ALTERNATING_ROUNDS if clients == 1 else 1
    cells = {side: Cell(question, side, clients) for side in sides}
    for _ in range(rounds):
        for side, request in sides.items():
            run_load(cells[side], request, limits.requests // rounds, limits.seconds / rounds)
    return list(cells.values())


def measure_queries(settings: Settings, driver: Driver, limits: LoadLimits) -> list[Cell]:
    """Every question, side and concurrency on the graph as it is, the API as a subprocess."""
    database = settings.neo4j_database
    reads = {question.name: record_reads(settings, question) for question in QUESTIONS}
    cells: list[Cell] = []
    with api_server(settings) as base_url, closing(ApiClient(base_url)) as client:
        for question in QUESTIONS:
            sides = {
                "driver": driver_request(driver, database, reads[question.name]),
                "api": client.request(question),
            }
            for side, request in sides.items():  # untimed: query plans cached, connections open
                run_load(Cell(question.name, side, 1), request, WARM_UP_REQUESTS, limits.seconds)
            for clients in limits.concurrency:
                measured = measure_question(question.name, sides, clients, limits)
                cells += measured
                print(
                    f"  {question.name}, {clients} client(s): "
                    + ", ".join(f"{c.side} {c.requests} in {c.seconds:.1f} s" for c in measured),
                    file=sys.stderr,
                )
    return cells


# --- the report -------------------------------------------------------------------------------


def p50_at_one_client(cells: Sequence[Cell]) -> dict[tuple[str, str], float]:
    """p50 latency per (question, side) at one client, where the goal ratios are taken."""
    return {
        (cell.question, cell.side): cell.latency["p50"]
        for cell in cells
        if cell.clients == 1 and cell.latencies_ms
    }


def api_to_driver_ratios(cells: Sequence[Cell]) -> dict[str, float]:
    """API p50 / driver p50 per question at one client."""
    p50 = p50_at_one_client(cells)
    return {
        question.name: p50[question.name, "api"] / p50[question.name, "driver"]
        for question in QUESTIONS
        if (question.name, "api") in p50 and (question.name, "driver") in p50
    }


def errors_at(cells: Sequence[Cell], clients: int) -> int:
    return sum(len(cell.errors) for cell in cells if cell.clients == clients)


def verdict(met: bool) -> str:
    return "met" if met else "not met"


def format_table(cells: Sequence[Cell]) -> str:
    """The cells as a fixed-width text table, one line per question, concurrency and side."""
    lines = [
        f"{'question':<20} {'clients':>7} {'side':<6} {'requests':>8} {'errors':>6} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"
    ]
    for cell in cells:
        latency = "".join(f" {cell.latency.get(p, float('nan')):>8.1f}" for p in PERCENTILES)
        lines.append(
            f"{cell.question:<20} {cell.clients:>7} {cell.side:<6} {cell.requests:>8} "
            f"{len(cell.errors):>6}{latency} {cell.requests_per_s:>8.1f}"
        )
    return "\n".join(lines)


def report(cells: Sequence[Cell]) -> dict[str, object]:
    """Print the table and how the goals fare; returns the same for the JSON record."""
    ratios = api_to_driver_ratios(cells)
    errors = errors_at(cells, GOAL_ERRORS_AT)
    print(format_table(cells))
    for name, ratio in ratios.items():
        met = verdict(ratio <= GOAL_RATIO)
        print(
            f"API p50 / driver p50 at 1 client, {name}: {ratio:.2f} (goal <= {GOAL_RATIO}: {met})"
        )
    print(f"errors at {GOAL_ERRORS_AT} clients: {errors} (goal 0: {verdict(errors == 0)})")
    for cell in cells:
        if cell.errors:
            print(f"first error, {cell.question}, {cell.side}, {cell.clients}: {cell.errors[0]}")
    return {
        "cells": [cell.as_json() for cell in cells],
        "api_to_driver_p50_at_1_client": ratios,
        f"errors_at_{GOAL_ERRORS_AT}_clients": errors,
        "goal_met": all(r <= GOAL_RATIO for r in ratios.values()) and errors == 0,
    }


# --- the command line -------------------------------------------------------------------------


def client_counts(text: str) -> tuple[int, ...]:
    counts = tuple(int(n) for n in text.split(","))
    if min(counts) < 1:
        raise argparse.ArgumentTypeError("client counts must be at least 1")
    return counts


def add_limit_arguments(parser: argparse.ArgumentParser, requests: int, seconds: float) -> None:
    """The options that bound the load (bench_scale has them too, with its own defaults)."""
    parser.add_argument("--requests", type=int, default=requests, help="requests per cell at most")
    parser.add_argument("--seconds", type=float, default=seconds, help="seconds per cell at most")
    parser.add_argument(
        "--concurrency",
        type=client_counts,
        default=(1, 10, GOAL_ERRORS_AT),
        help="concurrent clients, comma-separated; the goal ratio needs 1",
    )


def load_limits(args: argparse.Namespace) -> LoadLimits:
    return LoadLimits(args.requests, args.seconds, args.concurrency)


def limits_json(limits: LoadLimits) -> dict[str, object]:
    return {
        "requests_per_cell": limits.requests,
        "seconds_per_cell": limits.seconds,
        "concurrency": limits.concurrency,
        "alternating_rounds_at_1_client": ALTERNATING_ROUNDS,
        "baseline": "the API's reads (name resolution included), execute_query routed to READ",
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_query",
        description=(
            "Load the seeds, serve the API, and time four questions at several concurrencies "
            "through the API and through the driver directly (the same Cypher). Reports "
            "p50/p95/p99 and requests/s; goals: API p50 <= "
            f"{GOAL_RATIO} x driver p50 at 1 client, no errors at {GOAL_ERRORS_AT} clients. "
            "Results also go to bench/results/query-*.json."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_limit_arguments(parser, requests=200, seconds=3.0)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    limits = load_limits(args)
    with bench_graph() as (settings, driver):
        print(f"loading the seeds from {SEEDS}", file=sys.stderr)
        seconds = load_seeds(settings)
        print(f"loaded in {seconds:.1f} s; measuring", file=sys.stderr)
        cells = measure_queries(settings, driver, limits)
    result = report(cells)
    path = write_results(
        "query",
        {
            "settings": {"graph": "seeds", **limits_json(limits)},
            **result,
            "loadavg_at_end": list(os.getloadavg()),
        },
    )
    print(f"saved {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
