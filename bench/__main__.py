"""All four benchmarks in a row, then one summary table: `python -m bench` (what `make bench` runs).

Each benchmark prints its own table and writes its JSON under bench/results/; the summary at the
end is the Markdown table the README's "Performance" section shows, with the date and machine.
The settings here keep the whole run under 15 minutes on a 2-core machine; each benchmark run
alone (`python -m bench.bench_load --help`, ...) can be given larger ones.
"""

import json
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from bench import bench_extract, bench_load, bench_query, bench_scale
from bench.common import RESULTS_DIR, machine_info

RUNS: Sequence[tuple[str, Callable[[list[str]], None], list[str]]] = (
    ("extract", bench_extract.main, ["--limit", "150", "--repeats", "3", "--no-cli"]),
    ("load", bench_load.main, ["--sizes", "1000,10000,20000", "--repeats", "2"]),
    ("query", bench_query.main, []),
    ("scale", bench_scale.main, []),
)


def latest_result(name: str) -> dict[str, Any]:
    """The JSON record the newest run of benchmark `name` wrote."""
    path = max(RESULTS_DIR.glob(f"{name}-*.json"))  # names sort by their UTC time
    return json.loads(path.read_text())


def headlines(results: dict[str, dict[str, Any]]) -> Iterator[str]:
    """One Markdown table row per goal: benchmark, figure, goal, measured."""
    extract = results["extract"]
    yield f"| extraction | words/s, ours / plain `nlp.pipe` | >= 0.8 | {extract['ratio']:.2f} |"
    load = results["load"]
    ours = [row for row in load["rows"] if row["name"] == "actorgraph load"]
    for row, ratio in zip(ours, load["ratios"], strict=True):
        yield (
            f"| loading {row['relations']:,} relations | relations/s, ours / plain UNWIND write "
            f"| >= 0.8 | {ratio:.2f} ({row['relations_per_s']:,.0f} relations/s) |"
        )
    query = results["query"]
    for question, ratio in query["api_to_driver_p50_at_1_client"].items():
        yield f"| query: {question} | API p50 / driver p50, 1 client | <= 1.5 | {ratio:.2f} |"
    yield f"| queries at 50 clients | errors | 0 | {query['errors_at_50_clients']} |"
    scale = results["scale"]
    run = scale["load"]
    graph = run["graph"]
    yield (
        f"| scale: `actorgraph load` of {run['articles']:,} articles | time, peak memory | - "
        f"| {run['seconds']:.0f} s, {run['peak_pss_mib']:,.0f} MiB; {graph['nodes']:,} nodes, "
        f"{graph['relationships']:,} relationships |"
    )
    for question, sides in scale["p50_large_over_seeds_at_1_client"].items():
        yield (
            f"| scale: {question} | p50 large / seeds (API) | <= 2 | {sides['api']:.2f} "
            f"(driver {sides['driver']:.2f}) |"
        )


def main() -> None:
    started = time.perf_counter()
    for name, run, argv in RUNS:
        print(f"\n### {name}: python -m bench.bench_{name} {' '.join(argv)}", flush=True)
        run(argv)
    print("\n| benchmark | figure | goal | measured |\n| --- | --- | --- | --- |")
    for row in headlines({name: latest_result(name) for name, _, _ in RUNS}):
        print(row)
    minutes = (time.perf_counter() - started) / 60
    machine = machine_info()
    cpu = platform.processor() or platform.machine()
    print(
        f"\nall four in {minutes:.1f} min on {datetime.now(UTC):%Y-%m-%d}, "
        f"{machine['nproc']} cores ({cpu}), Python {machine['python']}, spaCy {machine['spacy']}"
    )


if __name__ == "__main__":
    main()
