"""Extraction on Ray against plain single-process extraction, and the writer against both.

Run from the repository root: `python -m bench.bench_ray [--articles 2000]` (`--articles 100`
for a quick try).

In one run, on the same `--articles` Reuters-21578 articles (evenly spaced over the corpus):

- **Extraction**, each mode in a fresh process of its own, one after the other: plain
  `Extractor().extract` in one process (the baseline), then `loaders.distributed.ExtractionPool`
  on a local Ray of 1 CPU with 1 worker, then of 2 CPUs with 2 workers. Start-up (model load;
  for Ray also starting Ray and its workers) is timed apart from extraction. The figures that
  count are ratios against the baseline of this run: speed-up (baseline extraction time over
  the mode's), and Ray's overhead at one worker (its time over the baseline's, minus 1; goal
  under 15%). Peak memory is sampled over the mode's process and all it started (Ray's GCS,
  raylet and workers): the sum of RSS, and of PSS (shared pages divided among the processes
  that map them, so Ray's shared object store and forked pages count once).
- **Writing**: `write_articles` (what `load` runs after extraction) into an emptied Neo4j of
  the benchmarks' own, `--write-repeats` times, median: articles/s and claims/s, against one
  worker's extraction rate (their quotient: how many extraction workers one writer keeps up
  with). Two workloads of as many articles: the baseline's extracted articles as they are (this
  corpus has few claims), and only those with claims, copied under new ids, for news rich in
  claims.

Absolute rates are printed for information: the machine is shared.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import (
    DEFAULT_CORPUS,
    bench_graph,
    corpus_files,
    empty_graph,
    tree_memory,
    write_results,
)
from graph_schema.models import ExtractedArticle
from service.local_neo4j import PROJECT_ROOT

MODES = (("single process", 0), ("ray, 1 worker", 1), ("ray, 2 workers", 2))
"""Each mode's name and its Ray workers (0: no Ray)."""
OVERHEAD_GOAL = 0.15
MEMORY_SAMPLE_SECONDS = 0.5


@dataclass
class ModeRun:
    """One mode's extraction of the articles, and the memory it took."""

    mode: str
    workers: int
    articles: int
    words: int
    claims: int
    startup_s: float
    extract_s: float
    peak_rss_mib: float
    peak_pss_mib: float
    loadavg_1min: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.extract_s

    @property
    def words_per_s(self) -> float:
        return self.words / self.extract_s


@dataclass
class WriteRun:
    workload: str
    articles: int
    claims: int
    seconds: float
    runs: list[float]

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def claims_per_s(self) -> float:
        return self.claims / self.seconds


# --- one mode, in a process of its own ----------------------------------------------------------


def run_mode(files: Sequence[Path], workers: int, output: Path | None) -> dict[str, float | int]:
    """Extract `files` in this process (`workers` 0) or on a local Ray of `workers` CPUs."""
    from loaders.read import read_article

    articles = [read_article(path) for path in files]
    start = time.perf_counter()
    if workers:
        from loaders.distributed import ExtractionPool, connect

        connect("local", cpus=workers)
        extractor = ExtractionPool(workers)
    else:
        from loaders.pipeline import Extractor

        extractor = Extractor()
    ready = time.perf_counter()
    extracted = list(extractor.extract(articles))
    done = time.perf_counter()
    if output is not None:
        output.write_text(json.dumps([e.model_dump(mode="json") for e in extracted]))
    return {
        "articles": len(extracted),
        "claims": sum(len(e.claims) for e in extracted),
        "startup_s": ready - start,
        "extract_s": done - ready,
    }


def measure_mode(
    name: str, workers: int, files: Path, count: int, words: int, output: Path | None
) -> ModeRun:
    """Run one mode in a child process, sampling its tree's memory until it ends."""
    command = [
        sys.executable,
        "-m",
        "bench.bench_ray",
        "--child",
        str(workers),
        "--files",
        str(files),
    ]
    if output is not None:
        command += ["--output", str(output)]
    peak_rss = peak_pss = 0
    loadavg = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as log:
        child = subprocess.Popen(command, stdout=out, stderr=log, cwd=PROJECT_ROOT)
        while child.poll() is None:
            rss, pss = tree_memory(child.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(MEMORY_SAMPLE_SECONDS)
        out.seek(0)
        lines = out.read().splitlines()
        log.seek(0)
        errors = log.read()[-3000:]
    if child.returncode != 0 or not lines:
        raise SystemExit(f"{name}: the child exited {child.returncode}:\n{errors}")
    result = json.loads(lines[-1])
    if result["articles"] != count:
        raise SystemExit(f"{name}: extracted {result['articles']} of {count} articles")
    return ModeRun(
        mode=name,
        workers=workers,
        words=words,
        peak_rss_mib=peak_rss / 2**20,
        peak_pss_mib=peak_pss / 2**20,
        loadavg_1min=loadavg,
        **result,
    )


# --- the writer ---------------------------------------------------------------------------------


def claim_rich(extracted: Sequence[ExtractedArticle], count: int) -> list[ExtractedArticle]:
    """`count` articles: the claim-bearing ones of `extracted` copied under new ids, each copy's
    text made distinct after the offsets its claims use (else it is counted as a duplicate)."""
    sample = [e for e in extracted if e.claims]
    copies: list[ExtractedArticle] = []
    for index in range(count):
        original = sample[index % len(sample)]
        article_id = f"{original.article.id}-copy{index}"
        article = original.article.model_copy(
            update={"id": article_id, "text": f"{original.article.text}\n[copy {index}]"}
        )
        claims = [c.model_copy(update={"article_id": article_id}) for c in original.claims]
        copies.append(original.model_copy(update={"article": article, "claims": claims}))
    return copies


def measure_writer(workload: str, extracted: Sequence[ExtractedArticle], repeats: int) -> WriteRun:
    """`write_articles` of `extracted` into an emptied graph, `repeats` times; the median."""
    from loaders.write import write_articles

    runs: list[float] = []
    with bench_graph() as (settings, driver):
        database = settings.neo4j_database
        for _ in range(repeats):
            empty_graph(driver, database)
            start = time.perf_counter()
            for _ in write_articles(driver, database, extracted):
                pass
            runs.append(time.perf_counter() - start)
    return WriteRun(
        workload=workload,
        articles=len(extracted),
        claims=sum(len(e.claims) for e in extracted),
        seconds=statistics.median(runs),
        runs=runs,
    )


# --- the report -------------------------------------------------------------------------------


def format_modes(runs: Sequence[ModeRun]) -> str:
    baseline = runs[0]
    lines = [
        f"{'mode':<16} {'articles/s':>10} {'words/s':>8} {'speed-up':>8} {'extract s':>9} "
        f"{'start-up s':>10} {'peak RSS MiB':>12} {'peak PSS MiB':>12} {'load 1m':>7}"
    ]
    for run in runs:
        lines.append(
            f"{run.mode:<16} {run.articles_per_s:>10.1f} {run.words_per_s:>8,.0f} "
            f"{baseline.extract_s / run.extract_s:>8.2f} {run.extract_s:>9.1f} "
            f"{run.startup_s:>10.1f} {run.peak_rss_mib:>12,.0f} {run.peak_pss_mib:>12,.0f} "
            f"{run.loadavg_1min:>7.2f}"
        )
    return "\n".join(lines)


def format_writers(writers: Sequence[WriteRun], per_worker: float) -> str:
    lines = [
        f"{'writer: write_articles, 1 process':<44} {'claims/art':>10} {'articles/s':>10} "
        f"{'claims/s':>9} {'workers fed':>11}"
    ]
    for writer in writers:
        lines.append(
            f"{writer.workload:<44} {writer.claims / writer.articles:>10.2f} "
            f"{writer.articles_per_s:>10.1f} {writer.claims_per_s:>9.1f} "
            f"{writer.articles_per_s / per_worker:>11.0f}"
        )
    lines.append(
        f"workers fed: how many extraction workers at one worker's {per_worker:.1f} articles/s "
        "(ray, 1 worker) one writer keeps up with"
    )
    return "\n".join(lines)


# --- the command line -------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_ray",
        description=(
            "Extraction in one process, on a local Ray with 1 worker and with 2; then the writer "
            "on the same articles. Results also go to bench/results/ray-*.json."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS / "reuters-21578",
        help="folder of the articles",
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles, evenly spaced")
    parser.add_argument("--write-repeats", type=int, default=3, help="writer runs; the median")
    # A mode in a process of its own: what the parent runs, not for people.
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.write_repeats < 1:
        parser.error("--articles and --write-repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child is not None:
        files = [Path(line) for line in args.files.read_text().splitlines()]
        print(json.dumps(run_mode(files, args.child, args.output)))
        return
    files = corpus_files(args.corpus, args.articles)
    # Whitespace-split words, as bench_extract counts them: articles differ in length.
    words = sum(len(path.read_text("utf-8", errors="replace").split()) for path in files)
    runs: list[ModeRun] = []
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "files.txt"
        listing.write_text("\n".join(map(str, files)))
        extracted_file = Path(folder) / "extracted.json"
        for name, workers in MODES:
            print(f"extracting {len(files):,} articles: {name}", file=sys.stderr)
            output = None if workers else extracted_file
            runs.append(measure_mode(name, workers, listing, len(files), words, output))
        # Extracted corpus text stays in the temporary folder, out of the repository (licence).
        extracted = [
            ExtractedArticle.model_validate(item) for item in json.loads(extracted_file.read_text())
        ]
    print(
        f"writing {len(extracted):,} articles twice over, {args.write_repeats} run(s) each",
        file=sys.stderr,
    )
    writers = [
        measure_writer("as extracted", extracted, args.write_repeats),
        measure_writer(
            "claim-bearing articles only, copied",
            claim_rich(extracted, len(extracted)),
            args.write_repeats,
        ),
    ]
    print(f"== extraction of {len(files):,} articles ({args.corpus.name}, {words:,} words)")
    print(format_modes(runs))
    overhead = runs[1].extract_s / runs[0].extract_s - 1
    print(
        f"Ray's overhead at one worker: {overhead:+.1%} "
        f"({'met' if overhead < OVERHEAD_GOAL else 'MISSED'}: goal < {OVERHEAD_GOAL:.0%})"
    )
    print("== writing")
    per_worker = runs[1].articles_per_s
    print(format_writers(writers, per_worker))
    path = write_results(
        "ray",
        {
            "settings": {"corpus": str(args.corpus), "articles": len(files), "words": words},
            "modes": [
                {
                    **asdict(run),
                    "articles_per_s": run.articles_per_s,
                    "words_per_s": run.words_per_s,
                }
                for run in runs
            ],
            "speed_up": {run.mode: runs[0].extract_s / run.extract_s for run in runs},
            "ray_overhead_at_1_worker": overhead,
            "overhead_goal": OVERHEAD_GOAL,
            "writers": [
                {
                    **asdict(writer),
                    "articles_per_s": writer.articles_per_s,
                    "claims_per_s": writer.claims_per_s,
                    "workers_fed": writer.articles_per_s / per_worker,
                }
                for writer in writers
            ],
            "loadavg_at_end": list(os.getloadavg()),
        },
    )
    print(f"saved {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
