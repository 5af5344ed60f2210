"""Extraction measured against the seeds' gold annotations (shared/gold)."""

from pathlib import Path

import pytest

from loaders.evaluate import Report, load_gold, score
from loaders.pipeline import Extractor
from loaders.read import read_article
from tests.conftest import SHARED

GOLD = SHARED / "gold"

# The targets for the seeds.
PRECISION_TARGET = 0.90
F1_TARGET = 0.80


@pytest.fixture(scope="module")
def report(extractor: Extractor, seed_paths: list[Path]) -> Report:
    return score(load_gold(GOLD), extractor.extract(read_article(p) for p in seed_paths))


def test_no_negated_or_hypothetical_statement_becomes_a_relation(report: Report):
    assert report.negatives_produced == []


def test_every_gold_actor_is_one_node_and_no_node_joins_two(report: Report):
    assert report.duplicated_actors == {}
    assert report.merged_actors == {}


def test_precision_and_recall_on_the_seeds_meet_the_targets(report: Report):
    assert report.overall.precision >= PRECISION_TARGET
    assert report.overall.f1 >= F1_TARGET
