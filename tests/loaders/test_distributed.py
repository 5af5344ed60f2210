"""Extraction on Ray (`load --ray`): a real local Ray, the real model, a real Neo4j.

One Ray is started for the module; each test makes its own pool of workers and stops it.
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray
from neo4j import Driver

from graph_schema.models import Article, ExtractedArticle
from loaders.distributed import ExtractionPool, connect
from loaders.pipeline import Extractor, load_articles
from loaders.read import ArticleError, read_article
from loaders.write import write_articles
from service.local_neo4j import PROJECT_ROOT
from service.settings import Settings
from tests.conftest import graph_contents, reset_graph

WRITTEN = PROJECT_ROOT / "annotations" / "written" / "texts"
RAY_CPUS = 2


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A local Ray for the module's tests; its address, for a second process to join."""
    connect("local", cpus=RAY_CPUS)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def article_paths(seed_paths: list[Path]) -> list[Path]:
    """A dozen articles rich in claims: the seeds and seven of the team's own texts."""
    return [*seed_paths, *sorted(WRITTEN.glob("w*.txt"))[:7]]


@pytest.fixture(scope="module")
def articles(article_paths: list[Path]) -> list[Article]:
    return [read_article(path) for path in article_paths]


@pytest.fixture(scope="module")
def single_process_graph(
    driver: Driver, settings: Settings, extractor: Extractor, articles: list[Article]
) -> dict[str, object]:
    """What a single-process load of `articles` leaves in the graph."""
    reset_graph(driver, settings)
    for _ in load_articles(extractor, driver, settings.neo4j_database, articles):
        pass
    return graph_contents(driver)


def test_a_load_on_ray_makes_the_graph_a_single_process_load_makes(
    ray_address: str,
    single_process_graph: dict[str, object],
    graph: Driver,
    settings: Settings,
    articles: list[Article],
):
    with ExtractionPool(workers=2, batch_size=2) as pool:
        for _ in load_articles(pool, graph, settings.neo4j_database, articles):
            pass
    assert graph_contents(graph) == single_process_graph
    assert single_process_graph["claims"]


def test_workers_return_each_article_once_in_input_order_as_the_extractor_reads_it(
    ray_address: str, extractor: Extractor, articles: list[Article]
):
    with ExtractionPool(workers=2, batch_size=3) as pool:
        extracted = list(pool.extract(articles))
    assert extracted == list(extractor.extract(articles))


def test_a_worker_killed_mid_run_loses_no_article_and_returns_none_twice(
    ray_address: str, extractor: Extractor, articles: list[Article]
):
    extracted: list[ExtractedArticle] = []
    with ExtractionPool(workers=2, batch_size=1) as pool:
        before = pool.pids()
        for item in pool.extract(articles):
            if not extracted:
                # Batches of one article are queued on both workers: the second dies
                # holding work.
                os.kill(before[1], signal.SIGKILL)
            extracted.append(item)
        after = pool.pids()
    assert after[0] == before[0]
    assert after[1] != before[1], "Ray started the killed worker again"
    assert [e.article.id for e in extracted] == [a.id for a in articles]
    assert extracted == list(extractor.extract(articles))


def test_an_article_extraction_fails_on_is_reported_and_the_rest_of_its_batch_is_extracted(
    ray_address: str, articles: list[Article]
):
    # No text at all: what no reader makes, but a broken article of any kind would do the same.
    broken = Article.model_construct(id="broken", title="Broken", text=None)
    batch = [articles[0], broken, articles[1]]
    failures: list[ArticleError] = []
    with ExtractionPool(workers=1, batch_size=3, on_failure=failures.append) as pool:
        extracted = list(pool.extract(batch))
    assert [e.article.id for e in extracted] == [articles[0].id, articles[1].id]
    assert [str(failure.path) for failure in failures] == ["broken"]
    assert "extraction failed" in failures[0].reason


def test_a_rerun_after_an_interrupted_load_completes_it_without_duplicates(
    ray_address: str,
    single_process_graph: dict[str, object],
    graph: Driver,
    settings: Settings,
    articles: list[Article],
):
    database = settings.neo4j_database
    with ExtractionPool(workers=2, batch_size=2) as pool:
        interrupted = write_articles(graph, database, pool.extract(articles), batch_size=4)
        written, _ = next(interrupted)
        del interrupted  # the load stops after one batch: Ctrl-C, or its machine lost
        assert graph_contents(graph) != single_process_graph
        summaries = [added for _, added in load_articles(pool, graph, database, articles)]
    assert sum(s.unchanged for s in summaries) == len(written) == 4
    assert sum(s.articles for s in summaries) == len(articles) - 4
    assert graph_contents(graph) == single_process_graph


def test_load_with_ray_joins_a_running_cluster_shows_progress_and_the_summary(
    ray_address: str,
    single_process_graph: dict[str, object],
    graph: Driver,
    settings: Settings,
    article_paths: list[Path],
):
    env = os.environ | {
        "NEO4J_URI": str(settings.neo4j_uri),
        "NEO4J_PASSWORD": str(settings.neo4j_password),
        # An explicit address: Ray then authenticates only when told to (its token is in
        # ~/.ray, where the module's Ray put it).
        "RAY_AUTH_MODE": "token",
        # The progress bar as a terminal shows it.
        "TTY_INTERACTIVE": "1",
        "TTY_COMPATIBLE": "1",
    }
    command = [sys.executable, "-m", "service", "load", "--ray", ray_address, "--ray-workers", "1"]
    result = subprocess.run(
        [*command, *map(str, article_paths)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "loading" in result.stderr
    assert f"{len(article_paths)}/{len(article_paths)}" in result.stderr
    assert f"loaded {len(article_paths)} new article(s), 0 unchanged" in result.stderr
    assert graph_contents(graph) == single_process_graph
