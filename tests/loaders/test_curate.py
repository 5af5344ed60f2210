"""Analysts' corrections: each one changes the graph as it says, lasts through reloading,
re-extracting and loading again from scratch, and can be undone."""

from collections.abc import Callable

import pytest
from neo4j import Driver

from graph_schema.models import CorrectionIn, ExtractedArticle
from loaders import write
from loaders.curate import CorrectionError, make_correction, undo_correction
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.write import delete_articles, write_articles
from service.settings import Settings
from tests.conftest import graph_contents

# Texts the team wrote; what the real extractor reads in each is stated beside it.
TEXTS = {
    # reagan (a person) PRESSURES iran
    "reagan": "Talks\nThe Reagan team urged Iran to end the war on Monday.",
    # united-states PRESSURES iran
    "sanctions": "Sanctions\nThe United States imposed sanctions on Iran on Tuesday.",
    # islamic-revolutionary-guard-corps ATTACKS kuwait; navy ATTACKS kuwait
    "navy": "Gulf\nIran's Revolutionary Guards attacked Kuwaiti tankers. "
    "The Iranian Navy also shelled Kuwait.",
    # kataib-hezbollah ATTACKS united-states, read from "the U.S. embassy in Baghdad"
    "embassy": "Rockets\nKataib Hezbollah fired rockets at the U.S. embassy in Baghdad.",
}

EDGES = """
MATCH (s:Actor)-[r]->(t:Actor)
RETURN s.id AS source, type(r) AS type, t.id AS target, r.claims AS claims,
       r.confidence AS confidence
ORDER BY source, type, target
"""

ACTOR = """
MATCH (a:Actor {id: $id})
RETURN a {.id, .name, .kind, .aliases, .keys, labels: labels(a)} AS actor
"""

CLAIM = """
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim {id: $id})-[:OBJECT]->(t:Actor)
RETURN s.id AS source, t.id AS target, c.status AS status
"""

MENTIONED = """
MATCH (:Article {id: $article})-[m:MENTIONS]->(a:Actor)
RETURN a.id AS actor, m.forms AS forms ORDER BY actor
"""


@pytest.fixture(scope="module")
def extracted(extractor: Extractor) -> dict[str, ExtractedArticle]:
    articles = [article_from_text(key, text) for key, text in TEXTS.items()]
    return {e.article.id: e for e in extractor.extract(articles)}


Load = Callable[..., None]


@pytest.fixture
def load(graph: Driver, settings: Settings, extracted: dict[str, ExtractedArticle]) -> Load:
    """Write the extracted articles named (all by default), as `load` and the API do."""

    def load(*keys: str) -> None:
        chosen = [extracted[key] for key in keys or extracted]
        for _ in write_articles(graph, settings.neo4j_database, chosen):
            pass

    return load


def correct(driver: Driver, settings: Settings, **fields: object):
    request = CorrectionIn.model_validate({"author": "ana", "reason": "checked", **fields})
    return make_correction(driver, settings.neo4j_database, request)


def edges(driver: Driver) -> dict[tuple[str, str, str], tuple[int, float]]:
    records, _, _ = driver.execute_query(EDGES)
    return {(r["source"], r["type"], r["target"]): (r["claims"], r["confidence"]) for r in records}


def actor(driver: Driver, actor_id: str) -> dict | None:
    record = driver.execute_query(ACTOR, id=actor_id).records
    return record[0]["actor"] if record else None


def claim_id(extracted: ExtractedArticle, source: str, target: str) -> str:
    return next(c.id for c in extracted.claims if (c.source.id, c.target.id) == (source, target))


def survives_every_reload(
    driver: Driver, settings: Settings, load: Load, monkeypatch: pytest.MonkeyPatch
) -> list[dict]:
    """The graph after the same load, after a re-extraction (a new extraction version makes
    every article be written again) and after deleting every article and loading anew."""
    states = []
    load()
    states.append(graph_contents(driver))
    monkeypatch.setattr(write, "EXTRACTION_VERSION", "a-newer-extraction")
    load()
    states.append(graph_contents(driver))
    delete_articles(driver, settings.neo4j_database, list(TEXTS))
    load()
    states.append(graph_contents(driver))
    return states


def test_merging_moves_claims_mentions_and_aliases_and_recounts_the_edges(
    graph: Driver, settings: Settings, load: Load, monkeypatch: pytest.MonkeyPatch
):
    load()
    assert ("navy", "ATTACKS", "kuwait") in edges(graph)
    correct(graph, settings, action="merge", actor="navy", into="iran")
    assert actor(graph, "navy") is None
    iran = actor(graph, "iran")
    assert iran is not None
    assert "Navy" in iran["aliases"]
    assert "navy" in iran["keys"]
    assert ("navy", "ATTACKS", "kuwait") not in edges(graph)
    assert edges(graph)[("iran", "ATTACKS", "kuwait")][0] == 1
    mentioned = {r["actor"]: r["forms"] for r in graph.execute_query(MENTIONED, article="navy")[0]}
    assert "navy" not in mentioned
    assert "Navy" in mentioned["iran"]
    corrected = graph_contents(graph)
    assert survives_every_reload(graph, settings, load, monkeypatch) == [corrected] * 3
    assert actor(graph, "navy") is None


def test_undoing_a_merge_gives_back_the_graph_as_extraction_made_it(
    graph: Driver, settings: Settings, load: Load
):
    load()
    before = graph_contents(graph)
    iran_before = actor(graph, "iran")
    merge = correct(graph, settings, action="merge", actor="navy", into="iran")
    undo_correction(graph, settings.neo4j_database, merge.id, "ana")
    assert graph_contents(graph) == before
    assert actor(graph, "iran") == iran_before
    navy = actor(graph, "navy")
    assert navy is not None
    assert navy["kind"] == "organization"


def test_splitting_an_alias_off_moves_the_claims_whose_sentence_writes_it(
    graph: Driver,
    settings: Settings,
    load: Load,
    extracted: dict[str, ExtractedArticle],
    monkeypatch: pytest.MonkeyPatch,
):
    load()
    rockets = claim_id(extracted["embassy"], "kataib-hezbollah", "united-states")
    correct(
        graph, settings, action="split", actor="united-states", alias="U.S. embassy in Baghdad",
        name="U.S. Embassy in Baghdad", kind="organization",
    )  # fmt: skip
    embassy = actor(graph, "u-s-embassy-in-baghdad")
    assert embassy is not None
    assert embassy["kind"] == "organization"
    assert "Organization" in embassy["labels"]
    us = actor(graph, "united-states")
    assert us is not None
    assert "U.S. embassy in Baghdad" not in us["aliases"]
    assert graph.execute_query(CLAIM, id=rockets).records[0]["target"] == "u-s-embassy-in-baghdad"
    assert ("kataib-hezbollah", "ATTACKS", "u-s-embassy-in-baghdad") in edges(graph)
    assert ("kataib-hezbollah", "ATTACKS", "united-states") not in edges(graph)
    # The sanctions sentence does not write the alias: its claim stays with the United States.
    assert ("united-states", "PRESSURES", "iran") in edges(graph)
    corrected = graph_contents(graph)
    assert survives_every_reload(graph, settings, load, monkeypatch) == [corrected] * 3
    us = actor(graph, "united-states")
    assert us is not None
    assert "U.S. embassy in Baghdad" not in us["aliases"]


def test_undoing_a_split_puts_the_alias_and_its_claims_back(
    graph: Driver, settings: Settings, load: Load
):
    load()
    before = graph_contents(graph)
    split = correct(
        graph, settings, action="split", actor="united-states", alias="U.S. embassy in Baghdad"
    )
    undo_correction(graph, settings.neo4j_database, split.id, "ana")
    assert graph_contents(graph) == before
    assert actor(graph, "u-s-embassy-in-baghdad") is None
    us = actor(graph, "united-states")
    assert us is not None
    assert "U.S. embassy in Baghdad" in us["aliases"]


def test_aliases_added_and_removed_stay_so_through_reloads(
    graph: Driver, settings: Settings, load: Load, monkeypatch: pytest.MonkeyPatch
):
    load()
    correct(graph, settings, action="add_alias", actor="reagan", alias="Ronald Reagan")
    correct(graph, settings, action="remove_alias", actor="iran", alias="Iran's Foreign Ministry")
    survives_every_reload(graph, settings, load, monkeypatch)
    reagan, iran = actor(graph, "reagan"), actor(graph, "iran")
    assert reagan is not None
    assert "Ronald Reagan" in reagan["aliases"]
    assert "ronald reagan" in reagan["keys"]
    assert iran is not None
    assert "Iran's Foreign Ministry" not in iran["aliases"]
    assert "irans foreign ministry" not in iran["keys"]


def test_a_kind_changed_changes_the_label_and_survives_a_fresh_load(
    graph: Driver, settings: Settings, load: Load, monkeypatch: pytest.MonkeyPatch
):
    load()
    kind = correct(graph, settings, action="set_kind", actor="reagan", kind="official")
    survives_every_reload(graph, settings, load, monkeypatch)
    reagan = actor(graph, "reagan")
    assert reagan is not None
    assert (reagan["kind"], sorted(reagan["labels"])) == ("official", ["Actor", "Official"])
    undo_correction(graph, settings.neo4j_database, kind.id, "ana")
    reagan = actor(graph, "reagan")
    assert reagan is not None
    assert (reagan["kind"], sorted(reagan["labels"])) == ("person", ["Actor", "Person"])


def test_a_rejected_claim_backs_no_edge_but_stays_visible_as_rejected(
    graph: Driver,
    settings: Settings,
    load: Load,
    extracted: dict[str, ExtractedArticle],
    monkeypatch: pytest.MonkeyPatch,
):
    load()
    sanctions = claim_id(extracted["sanctions"], "united-states", "iran")
    correct(graph, settings, action="reject", claim=sanctions)
    assert ("united-states", "PRESSURES", "iran") not in edges(graph)
    survives_every_reload(graph, settings, load, monkeypatch)
    assert ("united-states", "PRESSURES", "iran") not in edges(graph)
    assert graph.execute_query(CLAIM, id=sanctions).records[0]["status"] == "rejected"


def test_a_confirmed_claim_backs_its_edge_with_full_confidence_until_undone(
    graph: Driver, settings: Settings, load: Load, extracted: dict[str, ExtractedArticle]
):
    load()
    pair = ("reagan", "PRESSURES", "iran")
    extracted_confidence = edges(graph)[pair][1]
    assert extracted_confidence < 1.0
    confirm = correct(
        graph, settings, action="confirm", claim=claim_id(extracted["reagan"], "reagan", "iran")
    )
    assert edges(graph)[pair] == (1, 1.0)
    undo_correction(graph, settings.neo4j_database, confirm.id, "ana")
    assert edges(graph)[pair] == (1, extracted_confidence)


def test_corrections_that_cannot_apply_are_refused_and_change_nothing(
    graph: Driver, settings: Settings, load: Load
):
    load()
    before = graph_contents(graph)
    refusals = {
        "actor_not_found": {"action": "merge", "actor": "no-such-actor", "into": "iran"},
        "claim_not_found": {"action": "reject", "claim": "no-such-claim"},
        "alias_not_found": {"action": "remove_alias", "actor": "iran", "alias": "Persia 2"},
        "alias_is_name": {"action": "split", "actor": "iran", "alias": "Iran"},
        "no_change": {"action": "set_kind", "actor": "iran", "kind": "government"},
    }
    for code, fields in refusals.items():
        with pytest.raises(CorrectionError) as refused:
            correct(graph, settings, **fields)
        assert refused.value.code == code
    assert graph_contents(graph) == before
    assert not graph.execute_query("MATCH (c:Correction) RETURN c").records


def test_undo_goes_newest_first_when_two_corrections_touch_one_actor(
    graph: Driver, settings: Settings, load: Load
):
    load()
    before = graph_contents(graph)
    first = correct(graph, settings, action="merge", actor="navy", into="iran")
    second = correct(graph, settings, action="remove_alias", actor="iran", alias="Navy")
    with pytest.raises(CorrectionError) as refused:
        undo_correction(graph, settings.neo4j_database, first.id, "ana")
    assert refused.value.code == "undo_later_first"
    undo_correction(graph, settings.neo4j_database, second.id, "ana")
    undo_correction(graph, settings.neo4j_database, first.id, "ana")
    assert graph_contents(graph) == before
    with pytest.raises(CorrectionError) as again:
        undo_correction(graph, settings.neo4j_database, first.id, "ana")
    assert again.value.code == "already_undone"


def test_a_correction_names_who_made_it_when_and_why(graph: Driver, settings: Settings, load: Load):
    load()
    made = correct(graph, settings, action="merge", actor="navy", into="iran")
    assert (made.author, made.reason) == ("ana", "checked")
    assert made.at.tzinfo is not None
    assert made.before["name"] == "Navy"


def test_a_correction_needs_the_fields_of_its_action():
    with pytest.raises(ValueError, match="merge needs into"):
        CorrectionIn(action="merge", actor="navy", author="ana", reason="r")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reject takes no actor"):
        CorrectionIn(action="reject", claim="c", actor="x", author="ana", reason="r")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="merged into itself"):
        CorrectionIn(action="merge", actor="x", into="x", author="ana", reason="r")  # type: ignore[arg-type]


def test_articles_loaded_after_a_merge_go_straight_to_the_actor_kept(
    graph: Driver, settings: Settings, load: Load
):
    load("reagan", "sanctions", "embassy")
    load("navy")  # so that navy exists to be merged, then its article is loaded again below
    correct(graph, settings, action="merge", actor="navy", into="iran")
    delete_articles(graph, settings.neo4j_database, ["navy"])
    load("navy")
    assert actor(graph, "navy") is None
    assert ("iran", "ATTACKS", "kuwait") in edges(graph)
