"""Loading speed: the write path of `actorgraph load` against a plain driver write, same rows.

Run from the repository root: `python -m bench.bench_load [--sizes 1000,10000] [--quick]`.

Relations are extracted once from a corpus sample (untimed, cached outside the repository), then
replicated under new article ids to the sizes asked for. Both sides write the same rows into an
emptied graph, in runs that alternate; the medians count, and the figure that counts is the ratio
of relations/s. The goal (issue 5): `actorgraph load` keeps at least 0.8 of the baseline's rate.
"""

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import LiteralString

from neo4j import Driver, ManagedTransaction

from bench.common import (
    DEFAULT_CORPUS,
    bench_graph,
    corpus_files,
    empty_graph,
    write_results,
)
from graph_schema.models import Article, ExtractedArticle
from loaders.pipeline import Extractor
from loaders.read import ArticleError, read_article
from loaders.write import (
    ADD_TO_EDGES,
    CREATE_CLAIMS,
    CREATE_MENTIONS,
    EXTRACTION_VERSION,
    MERGE_ACTORS,
    WRITE_BATCH,
    actor_rows,
    article_rows,
    claim_rows,
    edge_additions,
    mention_rows,
    write_articles,
)
from service.local_neo4j import PROJECT_ROOT

GOAL = 0.8
"""Minimum relations/s of `actorgraph load`'s writes as a share of the baseline's (the issue)."""

DEFAULT_SIZES = (1_000, 10_000)
"""About 2.5 minutes in all on 2 busy cores (3 runs a side); 100k relations take ~100 s a run."""
QUICK_SIZES = (1_000, 3_000)
EXTRACT_PROCESSES = 2
WARM_UP_RELATIONS = 300

CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "actorgraph-bench"
"""Extracted samples hold corpus text, which stays out of the repository (licence)."""

GRAPH_DIGEST: LiteralString = """
CALL () { MATCH (n) UNWIND labels(n) AS label RETURN label AS item, count(*) AS value
          UNION ALL
          MATCH ()-[r]->() RETURN type(r) AS item, count(*) AS value
          UNION ALL
          MATCH (s:Actor)-[r]->(t:Actor)
          RETURN s.id + ' ' + type(r) + ' ' + t.id AS item, properties(r) AS value }
RETURN item, value ORDER BY item
"""
"""What both sides must leave behind alike: nodes by label, relationships by type, derived edges."""

BASELINE_WRITE: LiteralString = (
    """
CALL () {
    UNWIND $articles AS article
    CREATE (a:Article {id: article.id})
    SET a += article.properties
}
CALL () {"""
    + MERGE_ACTORS
    + "}\nCALL () {"
    + CREATE_MENTIONS
    + "}\nCALL () {"
    + CREATE_CLAIMS
    + "}\nCALL () {"
    + ADD_TO_EDGES
    + "}"
)
"""The plainest fast write of the same graph, for a fresh load only: one statement per batch, on
the rows `actorgraph load` sends. Articles are CREATEd; actors, mentions, claims and the derived
edges are written with the clauses `loaders.write` uses for new articles (a plain write has nothing
cheaper). Not done: the look-up of stored articles (what makes loads idempotent), the clean-up of
replaced ones, and the round trips of separate statements."""


@dataclass
class Row:
    """One side at one size: its work and its median time."""

    name: str
    relations: int
    articles: int
    seconds: float
    runs: list[float] = field(default_factory=list)

    @property
    def relations_per_s(self) -> float:
        return self.relations / self.seconds


# --- the workload ----------------------------------------------------------------------------


def extracted_sample(corpus: Path, limit: int) -> list[ExtractedArticle]:
    """The sample's articles that yield relations, extracted once and then read from the cache."""
    key = hashlib.sha256(f"{corpus.resolve()}|{limit}|{EXTRACTION_VERSION}".encode()).hexdigest()
    cache = CACHE_DIR / f"load-sample-{key[:16]}.json"
    if cache.exists():
        print(f"extracted sample from {cache}", file=sys.stderr)
        return [ExtractedArticle.model_validate(item) for item in json.loads(cache.read_text())]
    articles: list[Article] = []
    for path in corpus_files(corpus, limit):
        try:
            articles.append(read_article(path))
        except ArticleError as error:
            print(f"skipped {error}", file=sys.stderr)
    print(f"extracting {len(articles)} articles from {corpus} (once)", file=sys.stderr)
    extracted = Extractor().extract(articles, n_process=EXTRACT_PROCESSES)
    sample = [e for e in extracted if e.claims]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps([e.model_dump(mode="json") for e in sample]))
    return sample


def replicate(sample: Sequence[ExtractedArticle], relations: int) -> list[ExtractedArticle]:
    """Copies of the sample under new article ids (so new claim ids) until `relations` claims."""
    workload: list[ExtractedArticle] = []
    count = 0
    copy = 0
    while count < relations:
        for extracted in sample:
            if count >= relations:
                break
            article_id = f"{extracted.article.id}-copy{copy}"
            workload.append(
                extracted.model_copy(
                    update={
                        "article": extracted.article.model_copy(update={"id": article_id}),
                        "claims": [
                            claim.model_copy(update={"article_id": article_id})
                            for claim in extracted.claims
                        ],
                    }
                )
            )
            count += len(extracted.claims)
        copy += 1
    return workload


def relation_count(workload: Sequence[ExtractedArticle]) -> int:
    return sum(len(extracted.claims) for extracted in workload)


# --- the two sides ---------------------------------------------------------------------------


def run_ours(
    driver: Driver, database: str, workload: Sequence[ExtractedArticle], batch_size: int
) -> None:
    """What `actorgraph load` does after extraction."""
    for _ in write_articles(driver, database, workload, batch_size):
        pass


def run_baseline(
    driver: Driver, database: str, workload: Sequence[ExtractedArticle], batch_size: int
) -> None:
    """One BASELINE_WRITE statement per transaction of `batch_size` articles, one session."""
    with driver.session(database=database) as session:
        for start in range(0, len(workload), batch_size):
            session.execute_write(_baseline_batch, workload[start : start + batch_size])


def _baseline_batch(tx: ManagedTransaction, batch: Sequence[ExtractedArticle]) -> None:
    tx.run(
        BASELINE_WRITE,
        articles=article_rows(batch),
        actors=actor_rows(batch),
        mentions=mention_rows(batch),
        claims=claim_rows(batch),
        edges=edge_additions(claim_rows(batch)),
    ).consume()


# --- measuring -------------------------------------------------------------------------------


def graph_digest(driver: Driver, database: str) -> str:
    records, _, _ = driver.execute_query(GRAPH_DIGEST, database_=database)
    return json.dumps([list(record.values()) for record in records], sort_keys=True, default=str)


def measure(
    driver: Driver,
    database: str,
    workload: Sequence[ExtractedArticle],
    repeats: int,
    batch_size: int,
) -> tuple[Row, Row, bool]:
    """Median time of each side over `repeats` interleaved runs, each on an emptied graph.

    Also whether both sides left the same graph (GRAPH_DIGEST).
    """
    sides: dict[str, Callable[[Driver, str, Sequence[ExtractedArticle], int], None]] = {
        "baseline UNWIND MERGE": run_baseline,
        "actorgraph load": run_ours,
    }
    runs: dict[str, list[float]] = {name: [] for name in sides}
    digests: dict[str, str] = {}
    relations = relation_count(workload)
    for repeat in range(repeats):
        for name, run in sides.items():
            empty_graph(driver, database)
            start = time.perf_counter()
            run(driver, database, workload, batch_size)
            seconds = time.perf_counter() - start
            runs[name].append(seconds)
            digests[name] = graph_digest(driver, database)
            print(
                f"  {relations:>7,} relations, run {repeat + 1}/{repeats} {name}: {seconds:.2f} s",
                file=sys.stderr,
            )
    baseline, ours = (
        Row(name, relations, len(workload), statistics.median(runs[name]), runs[name])
        for name in sides
    )
    same = len(set(digests.values())) == 1
    return baseline, ours, same


def format_table(pairs: Sequence[tuple[Row, Row]]) -> str:
    """One line per size: both sides' medians and rates, the ratio, and rates against size 1."""
    header = (
        f"{'relations':>9} {'articles':>8} {'base s':>7} {'ours s':>7} "
        f"{'base rel/s':>10} {'ours rel/s':>10} {'ratio':>6} {'ours scaling':>12}"
    )
    lines = [header]
    first = pairs[0][1].relations_per_s
    for baseline, ours in pairs:
        lines.append(
            f"{ours.relations:>9,} {ours.articles:>8,} "
            f"{baseline.seconds:>7.2f} {ours.seconds:>7.2f} "
            f"{baseline.relations_per_s:>10,.0f} {ours.relations_per_s:>10,.0f} "
            f"{ours.relations_per_s / baseline.relations_per_s:>6.3f} "
            f"{ours.relations_per_s / first:>12.2f}"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_load",
        description=(
            "Time the write path of `actorgraph load` against one plain UNWIND/MERGE statement "
            "per batch writing the same graph, on the same pre-extracted relations, interleaved, "
            f"and report relations/s, their ratio (goal >= {GOAL:.2f}) and how they scale. "
            "Results also go to bench/results/load-*.json."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder searched for article files"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=400,
        help="articles extracted (evenly spaced over the corpus); those with relations are kept",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        default=list(DEFAULT_SIZES),
        help="comma-separated numbers of relations to load",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per side and size; the median counts"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=WRITE_BATCH,
        help="articles per transaction, both sides (`actorgraph load` uses the default)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes {','.join(map(str, QUICK_SIZES))} and one run each, for a check",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats = list(QUICK_SIZES), 1
    if min(args.limit, args.repeats, args.batch_size, *args.sizes) < 1:
        parser.error("--limit, --repeats, --batch-size and every size must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, print the table and the ratios, and save the JSON."""
    args = parse_args(argv)
    sample = extracted_sample(args.corpus, args.limit)
    if not sample:
        raise SystemExit(f"no relations in {args.limit} articles of {args.corpus}")
    pairs: list[tuple[Row, Row]] = []
    same_graph: list[bool] = []
    with bench_graph() as (settings, driver):
        database = settings.neo4j_database
        # Untimed: the first run of each statement compiles its plan and warms the page cache.
        measure(driver, database, replicate(sample, WARM_UP_RELATIONS), 1, args.batch_size)
        for size in sorted(args.sizes):
            workload = replicate(sample, size)
            baseline, ours, same = measure(
                driver, database, workload, args.repeats, args.batch_size
            )
            pairs.append((baseline, ours))
            same_graph.append(same)
        empty_graph(driver, database)
    ratios = [ours.relations_per_s / baseline.relations_per_s for baseline, ours in pairs]
    print(
        f"{len(sample)} articles with {relation_count(sample)} relations extracted from "
        f"{args.limit} of {args.corpus} (articles without relations left out), copied under new "
        f"article ids to each size; transactions of {args.batch_size} articles"
    )
    print(format_table(pairs))
    print(f"median of {args.repeats} interleaved run(s) per side; ratio = ours / baseline")
    # Runs next to each other saw nearly the same machine load: their spread shows the noise.
    for baseline, ours in pairs:
        pair_ratios = ", ".join(
            f"{b / o:.3f}" for b, o in zip(baseline.runs, ours.runs, strict=True)
        )
        print(f"ratio per run pair at {ours.relations:,}: {pair_ratios}")
    print("both sides left the same graph: " + ("yes" if all(same_graph) else "NO"))
    verdict = "met" if min(ratios) >= GOAL else "not met"
    print(f"goal ratio >= {GOAL:.2f} at every size: {verdict}")
    path = write_results(
        "load",
        {
            "settings": {
                "corpus": str(args.corpus),
                "limit": args.limit,
                "sample_articles": len(sample),
                "sample_relations": relation_count(sample),
                "workload": "articles with relations, copied under new ids to each size",
                "sizes": sorted(args.sizes),
                "repeats": args.repeats,
                "batch_size": args.batch_size,
            },
            "rows": [
                {**asdict(row), "relations_per_s": row.relations_per_s}
                for pair in pairs
                for row in pair
            ],
            "ratios": ratios,
            "same_graph": same_graph,
            "loadavg_at_end": list(os.getloadavg()),
            "goal": GOAL,
            "goal_met": min(ratios) >= GOAL,
        },
    )
    print(f"saved {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
