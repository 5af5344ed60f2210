"""What every benchmark shares: its own Neo4j, the corpus sample, machine facts, the JSON record.

Benchmarks run against a Neo4j of their own (`.neo4j/bench-server`, Bolt 27687, HTTP 27474) so
that they never touch the graph `actorgraph neo4j start` serves or the test suite's; with
NEO4J_URI set they use that server instead, and empty its database.
"""

import json
import os
import platform
import re
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from neo4j import Driver, GraphDatabase, NotificationDisabledCategory

from graph_schema.schema import apply_schema
from loaders.read import find_article_files
from service.database import connection
from service.local_neo4j import PROJECT_ROOT, LocalNeo4j
from service.settings import Settings

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
BENCH_HOME = PROJECT_ROOT / ".neo4j" / "bench-server"
BENCH_BOLT_PORT = 27687
BENCH_HTTP_PORT = 27474

_PROC_STATUS = Path("/proc/self/status")
_PROC_CLEAR_REFS = Path("/proc/self/clear_refs")


def corpus_files(corpus: Path = DEFAULT_CORPUS, limit: int | None = None) -> list[Path]:
    """Article files of the corpus (sorted), `limit` of them evenly spaced over all when given."""
    # Both corpora name articles by number (bbc-news/<category>/NNN.txt, reuters-21578/NNNNN.txt);
    # this keeps out the copied source READMEs, which are .txt files too.
    files = [file.path for file in find_article_files([corpus]) if file.path.stem.isdigit()]
    if not files:
        raise SystemExit(f"no article files under {corpus}")
    if limit is None or limit >= len(files):
        return files
    return [files[i * len(files) // limit] for i in range(limit)]


@contextmanager
def bench_graph() -> Iterator[tuple[Settings, Driver]]:
    """Settings and a driver for an empty graph with the schema applied (see the module doc)."""
    settings = Settings()
    server = None
    if settings.neo4j_uri is None:
        server = LocalNeo4j(BENCH_HOME, bolt_port=BENCH_BOLT_PORT, http_port=BENCH_HTTP_PORT)
        server.ensure_installed()
        server.start()
        settings = settings.model_copy(
            update={"neo4j_uri": server.bolt_uri, "neo4j_password": server.password()}
        )
    try:
        uri, auth = connection(settings)
        # As the service's driver: "unknown label/property" warnings on a graph not yet written.
        with GraphDatabase.driver(
            uri,
            auth=auth,
            notifications_disabled_categories=[NotificationDisabledCategory.UNRECOGNIZED],
        ) as driver:
            empty_graph(driver, settings.neo4j_database)
            yield settings, driver
    finally:
        if server is not None:
            server.stop()


def empty_graph(driver: Driver, database: str) -> None:
    """Delete everything in batches (large graphs do not fit one transaction), then the schema."""
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction, hence session.run. Relationships
    # go first: detaching an actor that holds 100k of them in one inner transaction runs Neo4j
    # out of transaction memory.
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    apply_schema(driver, database)


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux 4.0+); False where that is not possible."""
    if not os.access(_PROC_CLEAR_REFS, os.W_OK):
        return False
    _PROC_CLEAR_REFS.write_text("5")
    return True


def peak_rss_mib() -> float | None:
    """This process's peak RSS so far, in MiB (Linux `VmHWM`); None elsewhere."""
    if not _PROC_STATUS.exists():
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", _PROC_STATUS.read_text(), re.MULTILINE)
    return int(found[1]) / 1024 if found else None


def tree_memory(pid: int) -> tuple[int, int]:
    """RSS and PSS, in bytes, of a process and all its descendants (Linux)."""
    # PSS counts pages shared among the processes once in all: forked or Ray workers share
    # the model's pages with their parent, and summing their RSS counts those once per process.
    rss = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # ended between two reads
        fields = dict(line.split()[:2] for line in rollup.splitlines()[1:])
        rss += int(fields["Rss:"]) * 1024
        pss += int(fields["Pss:"]) * 1024
    return rss, pss


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of the samples (inclusive method, so small samples stay in range)."""
    if len(samples) == 1:
        return {"p50": samples[0], "p95": samples[0], "p99": samples[0]}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cuts[94], "p99": cuts[98]}


def machine_info() -> dict[str, object]:
    """What the figures depend on: cores, load, versions, date."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "loadavg_1_5_15": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": version("spacy"),
        "neo4j_driver": version("neo4j"),
    }


def write_results(benchmark: str, result: dict[str, object]) -> Path:
    """Save a run as bench/results/<benchmark>-<UTC time>.json (git-ignored); returns the path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{benchmark}-{stamp}.json"
    path.write_text(json.dumps({"machine": machine_info(), **result}, indent=2) + "\n")
    return path
