"""The explorer at a thousand actors: drawn at once, labels never over one another."""

from pathlib import Path

from neo4j import Driver
from playwright.sync_api import Browser

from service.settings import Settings
from tests.service.explorer_page import Explorer

LABEL_OVERLAPS = """() => {
    const cy = explorer.cy;
    const shown = cy.nodes().filter((n) => n.visible() && 11 * cy.zoom() >= 8);
    const labelOnly = { includeNodes: false, includeLabels: true };
    const boxes = shown.map((n) => n.renderedBoundingBox(labelOnly));
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
        }
    }
    return { shown: shown.length, overlaps };
}"""


def test_a_thousand_actors_are_drawn_with_no_label_over_another(
    browser: Browser, base_url: str, graph: Driver, settings: Settings, tmp_path: Path
):
    """One actor related to 999 others: drawn at once (concentric), labels hidden while they
    would collide, and none overlapping once zoomed in on part of it."""
    graph.execute_query(
        """
        CREATE (hub:Actor:Government {id: 'hub-state', name: 'Hub State', kind: 'government',
                                      aliases: ['Hub State'], keys: ['hub state']})
        WITH hub
        UNWIND range(1, 999) AS i
        CREATE (a:Actor {id: 'actor-' + i, name: 'Actor number ' + i, aliases: [], keys: [],
                         kind: ['government', 'militia', 'official', 'bank', 'organization',
                                'person'][i % 6]})
        CREATE (hub)-[:FUNDS {claims: 1 + i % 5, articles: 1, confidence: 0.8, doubt: 0.2}]->(a)
        """,
        database_=settings.neo4j_database,
    )
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = Explorer(context.new_page(), base_url)
    try:
        page.open("#actors=hub-state")
        assert len(page.nodes()) == 1000
        assert page.page.evaluate(LABEL_OVERLAPS)["overlaps"] == 0
        page.page.evaluate("explorer.cy.zoom(1.2); explorer.cy.center(explorer.cy.nodes()[500])")
        at_reading_zoom = page.page.evaluate(LABEL_OVERLAPS)
        assert at_reading_zoom["shown"] > 0
        assert at_reading_zoom["overlaps"] == 0
        assert page.errors == []
        page.page.screenshot(path=tmp_path / "thousand.png")
    finally:
        context.close()
