"""Reloading unchanged files against the first load of the same files, in the same run.

Run from the repository root: `python -m bench.bench_reload [--limit N]`.

A reload recognises unchanged articles (same id, text and extraction version) before parsing
them, so it costs reading the files and one query per batch of 100. The goal (issue 15): a
reload of 300 unchanged articles takes at most a tenth of their first load.
"""

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from neo4j import Driver

from bench.common import DEFAULT_CORPUS, bench_graph, corpus_files, write_results
from graph_schema.models import WriteSummary
from loaders.pipeline import Extractor, load_articles
from loaders.read import read_article

GOAL = 0.10
"""Most a reload of unchanged files may take, as a share of their first load."""


def timed_load(
    extractor: Extractor, driver: Driver, database: str, files: Sequence[Path]
) -> tuple[float, WriteSummary]:
    """Read and load the files as `actorgraph load` does; seconds and what was written."""
    started = time.perf_counter()
    total = WriteSummary()
    articles = (read_article(file) for file in files)
    for _, added in load_articles(extractor, driver, database, articles):
        total += added
    return time.perf_counter() - started, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Reloading unchanged files against their first load, in the same run."
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles (default 300)")
    args = parser.parse_args(argv)
    files = corpus_files(args.corpus, args.limit)
    extractor = Extractor()  # the model loads before any timing
    with bench_graph() as (settings, driver):
        first, written = timed_load(extractor, driver, settings.neo4j_database, files)
        again, reloaded = timed_load(extractor, driver, settings.neo4j_database, files)
    ratio = again / first
    print(f"{'load':<24}{'articles':>10}{'seconds':>10}{'articles/s':>12}")
    for name, seconds in (("first load", first), ("reload, nothing changed", again)):
        print(f"{name:<24}{len(files):>10}{seconds:>10.2f}{len(files) / seconds:>12.1f}")
    print(
        f"reload / first load: {ratio:.3f} (goal <= {GOAL}); first load wrote "
        f"{written.articles} article(s) and {written.claims} claim(s), the reload "
        f"{reloaded.articles} and {reloaded.claims} ({reloaded.unchanged} unchanged)"
    )
    path = write_results(
        "reload",
        {
            "articles": len(files),
            "first_load_seconds": first,
            "reload_seconds": again,
            "ratio": ratio,
            "goal": GOAL,
            "reload_unchanged": reloaded.unchanged,
        },
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
