"""The extraction pipeline as `load` and `extract` run it."""

from pathlib import Path

from loaders.pipeline import Extractor
from loaders.read import read_article


def test_parsing_in_two_processes_extracts_exactly_what_one_process_does(
    extractor: Extractor, seed_paths: list[Path]
):
    articles = [read_article(path) for path in seed_paths]
    one = [e.model_dump() for e in extractor.extract(articles)]
    two = [e.model_dump() for e in extractor.extract(articles, n_process=2)]
    assert two == one
    assert any(e["claims"] for e in one)
