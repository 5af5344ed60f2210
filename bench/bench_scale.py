"""Scale: a graph of >= 10,000 articles built with `actorgraph load`, then the query benchmark.

Run from the repository root: `python -m bench.bench_scale [--articles N] [--processes P]`.

In one run, on one graph: the seeds are loaded and the query benchmark (`bench_query`) measured at
that size; then `actorgraph load` adds `--articles` corpus articles, timed, with the peak memory
of the loader and its worker processes; the graph's nodes and relationships are counted; and the
query benchmark runs again. The seeds stay in the graph, so the same questions make sense at
both sizes. The figure that counts is each question's p50 at the large size over its p50 at the
seeds' size, both measured in this run. Goal (issue 5): at most 2. Absolute times are printed for
information only.

Articles come from `../shared/corpus/`: Reuters-21578 first (the shortest, so the cheapest to
extract), then BBC News, then the same again under new ids until there are enough. The loader
reads them through symbolic links in a temporary folder outside the repository, named so that
every article id is distinct (BBC files are numbered per category, so their own names collide).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import LiteralString

from neo4j import Driver

from bench.bench_extract import cli_command
from bench.bench_query import (
    QUESTIONS,
    Cell,
    LoadLimits,
    add_limit_arguments,
    graph_environment,
    limits_json,
    load_limits,
    load_seeds,
    measure_queries,
    p50_at_one_client,
    report,
    verdict,
)
from bench.common import DEFAULT_CORPUS, bench_graph, corpus_files, tree_memory, write_results
from service.local_neo4j import PROJECT_ROOT
from service.settings import Settings

GOAL = 2.0
"""Largest p50 at the large size over p50 at the seeds' size, per question (the issue's goal)."""

CORPORA = ("reuters-21578", "bbc-news")
"""In the order articles are taken: the shortest first."""

MEMORY_SAMPLE_SECONDS = 0.5

GRAPH_SIZE: LiteralString = """
RETURN COUNT { (:Article) } AS articles, COUNT { (:Actor) } AS actors,
       COUNT { (:Claim) } AS claims, COUNT { () } AS nodes, COUNT { ()-->() } AS relationships
"""


@dataclass
class LoadRun:
    """One `actorgraph load` of the corpus articles, and the graph it left."""

    articles: int
    processes: int | None
    seconds: float
    peak_pss_mib: float
    """Peak proportional set size of the loader and its worker processes, sampled."""
    loader_max_rss_mib: float
    """Peak resident set size of the loader's main process (exact, from the kernel)."""
    summary: str
    graph: dict[str, int]

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds


# --- the articles -----------------------------------------------------------------------------


def stage_articles(corpus: Path, count: int, folder: Path) -> None:
    """Link `count` corpus articles into `folder`, each under a name that is a new article id."""
    sources = [
        (f"{name}-{'-'.join(path.relative_to(corpus / name).with_suffix('').parts)}", path)
        for name in CORPORA
        for path in corpus_files(corpus / name)
    ]
    for index in range(count):
        article_id, path = sources[index % len(sources)]
        copy = index // len(sources)
        (folder / f"{article_id}{f'-copy{copy + 1}' if copy else ''}.txt").symlink_to(path)


# --- the loader -------------------------------------------------------------------------------


def loader_has_processes_option() -> bool:
    """Whether this `actorgraph load` can extract in several processes (`--processes`)."""
    done = subprocess.run(
        [*cli_command(), "load", "--help"], capture_output=True, text=True, check=True
    )
    return "--processes" in done.stdout


def load_corpus(settings: Settings, driver: Driver, folder: Path, processes: int | None) -> LoadRun:
    """`actorgraph load folder`, timed and its memory sampled; then the graph's size."""
    articles = sum(1 for _ in folder.iterdir())
    options = ["--processes", str(processes)] if processes else []
    command = [*cli_command(), "load", *options, str(folder)]
    peak_pss = 0
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        loader = subprocess.Popen(
            command, env=graph_environment(settings), stdout=subprocess.DEVNULL, stderr=log
        )
        # wait4 rather than Popen.wait: it also returns the loader's own peak RSS.
        while not (ended := os.wait4(loader.pid, os.WNOHANG))[0]:
            peak_pss = max(peak_pss, tree_memory(loader.pid)[1])
            time.sleep(MEMORY_SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        _, status, usage = ended
        loader.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().strip().splitlines()
    if loader.returncode != 0:
        raise SystemExit(f"`actorgraph load` exited {loader.returncode}:\n" + "\n".join(output))
    (graph,) = driver.execute_query(GRAPH_SIZE, database_=settings.neo4j_database).records
    return LoadRun(
        articles=articles,
        processes=processes,
        seconds=seconds,
        peak_pss_mib=peak_pss / 2**20,
        loader_max_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        summary=output[-1] if output else "",
        graph=dict(graph),
    )


# --- the report -------------------------------------------------------------------------------


def format_load(run: LoadRun) -> str:
    graph = run.graph
    return "\n".join(
        [
            f"{'articles':>8} {'processes':>9} {'seconds':>8} {'articles/s':>10} "
            f"{'peak PSS MiB':>12} {'main RSS MiB':>12} {'nodes':>9} {'rels':>9}",
            f"{run.articles:>8,} {run.processes or 1:>9} {run.seconds:>8.1f} "
            f"{run.articles_per_s:>10.1f} {run.peak_pss_mib:>12,.0f} "
            f"{run.loader_max_rss_mib:>12,.0f} {graph['nodes']:>9,} {graph['relationships']:>9,}",
            f"graph: {graph['articles']:,} articles, {graph['actors']:,} actors, "
            f"{graph['claims']:,} claims",
            f"loader: {run.summary}",
        ]
    )


def growth(seeds: Sequence[Cell], large: Sequence[Cell]) -> dict[str, dict[str, float]]:
    """Per question and side, p50 at one client at the large size over the seeds' size."""
    before, after = p50_at_one_client(seeds), p50_at_one_client(large)
    return {
        question.name: {
            side: after[question.name, side] / before[question.name, side]
            for side in ("driver", "api")
            if (question.name, side) in before and (question.name, side) in after
        }
        for question in QUESTIONS
    }


def report_growth(ratios: dict[str, dict[str, float]]) -> bool:
    """Print the growth table; returns whether every ratio meets the goal."""
    print(f"{'p50 at 1 client, large / seeds':<32} {'driver':>7} {'api':>7}  goal <= {GOAL}")
    for name, sides in ratios.items():
        cells = "".join(f" {sides.get(side, float('nan')):>7.2f}" for side in ("driver", "api"))
        print(f"{name:<32}{cells}  {verdict(all(r <= GOAL for r in sides.values()))}")
    return all(r <= GOAL for sides in ratios.values() for r in sides.values())


# --- the command line -------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_scale",
        description=(
            "Load the seeds and measure the query benchmark; load --articles corpus articles "
            "with `actorgraph load` (time, peak memory, nodes, relationships); measure the "
            f"query benchmark again. Goal: each question's p50 grows at most {GOAL}x. "
            "Results also go to bench/results/scale-*.json."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder holding the corpora"
    )
    parser.add_argument(
        "--articles", type=int, default=10_000, help="corpus articles added to the seeds"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        help="extraction processes (`actorgraph load --processes`), where the loader has it",
    )
    add_limit_arguments(parser, requests=100, seconds=2.0)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.processes < 1:
        parser.error("--articles and --processes must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    limits: LoadLimits = load_limits(args)
    processes = args.processes if loader_has_processes_option() else None
    if processes is None:
        print("`actorgraph load` has no --processes: extracting in one process", file=sys.stderr)
    with bench_graph() as (settings, driver), tempfile.TemporaryDirectory() as folder:
        print("loading the seeds; query benchmark at the seeds' size", file=sys.stderr)
        load_seeds(settings)
        seeds_cells = measure_queries(settings, driver, limits)
        stage_articles(args.corpus, args.articles, Path(folder))
        print(f"loading {args.articles:,} corpus articles", file=sys.stderr)
        run = load_corpus(settings, driver, Path(folder), processes)
        print("query benchmark at the large size", file=sys.stderr)
        large_cells = measure_queries(settings, driver, limits)
    print("== seeds")
    seeds_result = report(seeds_cells)
    print(f"== seeds + {run.articles:,} articles: the load")
    print(format_load(run))
    print(f"== seeds + {run.articles:,} articles: queries")
    large_result = report(large_cells)
    print("== growth")
    ratios = growth(seeds_cells, large_cells)
    met = report_growth(ratios)
    path = write_results(
        "scale",
        {
            "settings": {
                "corpus": str(args.corpus),
                "articles": args.articles,
                "order": "Reuters-21578, then BBC News, then repeats under new ids",
                **limits_json(limits),
            },
            "load": {**asdict(run), "articles_per_s": run.articles_per_s},
            "queries_at_seeds": seeds_result,
            "queries_at_scale": large_result,
            "p50_large_over_seeds_at_1_client": ratios,
            "goal": GOAL,
            "goal_met": met,
            "loadavg_at_end": list(os.getloadavg()),
        },
    )
    print(f"saved {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
