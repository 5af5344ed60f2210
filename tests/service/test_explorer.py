"""The explorer page at /, in a real browser (Debian's Chromium driven by Playwright), against
the real API and Neo4j loaded with the seeds."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from service.app import STATIC
from service.local_neo4j import PROJECT_ROOT
from tests.service.explorer_page import Explorer

US_ATTACKS_KH = "united-states|ATTACKS|kataib-hezbollah"


@pytest.fixture
def explorer(browser: Browser, base_url: str, tmp_path: Path) -> Iterator[Explorer]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = Explorer(context.new_page(), base_url)
    yield page
    page.page.screenshot(path=tmp_path / "explorer.png")
    context.close()


def test_the_page_loads_without_a_console_error_and_asks_only_its_own_server(
    explorer: Explorer,
):
    explorer.open()
    assert explorer.page.title() == "actorgraph explorer"
    assert explorer.errors == []
    assert all(url.startswith(explorer.base_url) for url in explorer.requests)


def test_a_search_for_kataib_hezbollah_draws_its_neighbourhood_coloured_by_kind(
    explorer: Explorer,
):
    explorer.open()
    explorer.search("Kataib Hez")
    assert "kataib-hezbollah" in explorer.nodes()
    assert US_ATTACKS_KH in explorer.edges()
    colour = explorer.page.evaluate(
        "explorer.cy.getElementById('kataib-hezbollah').style('background-color')"
    )
    assert colour == "rgb(213,94,0)"  # militia, as in the Browser style
    assert "actors=kataib-hezbollah" in explorer.page.url
    assert explorer.errors == []


def test_clicking_the_united_states_kataib_hezbollah_edge_shows_its_evidence(
    explorer: Explorer,
):
    explorer.open("#actors=kataib-hezbollah")
    explorer.click_edge(US_ATTACKS_KH)
    details = explorer.page.locator("#details")
    assert details.locator("h2").inner_text() == "United States ATTACKS Kataib Hezbollah"
    assert details.locator(".evidence").count() >= 1
    assert "Why:" in details.locator(".evidence").first.inner_text()
    assert explorer.errors == []


def test_a_type_filter_changes_what_is_drawn_and_the_url_keeps_it(explorer: Explorer):
    explorer.open("#actors=iran")
    assert any("|ATTACKS|" in edge for edge in explorer.edges())
    explorer.page.uncheck("#type-filter input[value=ATTACKS]")
    explorer.settled()
    assert explorer.edges()
    assert not any("|ATTACKS|" in edge for edge in explorer.edges())
    assert "types=PRESSURES%2CFUNDS%2CNEGOTIATES_WITH" in explorer.page.url
    explorer.open(explorer.page.url.removeprefix(explorer.base_url + "/"))
    assert not any("|ATTACKS|" in edge for edge in explorer.edges())


def test_clicking_an_actor_expands_it_and_the_path_finder_draws_a_path(explorer: Explorer):
    explorer.open("#actors=kataib-hezbollah")
    before = explorer.nodes()
    position = explorer.page.evaluate(
        "explorer.cy.getElementById('united-states').renderedPosition()"
    )
    box = explorer.page.locator("#graph").bounding_box()
    assert box is not None
    explorer.page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    explorer.page.wait_for_function("explorer.state.actors.includes('united-states')")
    explorer.settled()
    assert explorer.nodes() > before
    explorer.page.fill("#path-from", "Soleimani")
    explorer.page.fill("#path-to", "Iraq")
    explorer.page.click("#path-form button")
    explorer.settled()
    assert explorer.page.evaluate("explorer.cy.edges('.path').length") > 0
    assert "Qassem Soleimani to Iraq" in explorer.page.locator("#details h2").inner_text()
    assert explorer.errors == []


def test_the_explorer_colours_are_the_browser_styles():
    palette = (STATIC / "explorer" / "palette.json").read_text("utf-8")
    grass = (PROJECT_ROOT / "docker" / "neo4j" / "browser" / "actorgraph.grass").read_text()
    for label, colour in [
        ("Government", "#4C8EDA"), ("Militia", "#D55E00"), ("Official", "#8DCC93"),
        ("Bank", "#FFC454"), ("Organization", "#C990C0"), ("Person", "#57C7E3"),
        ("PRESSURES", "#E69F00"), ("FUNDS", "#009E73"), ("ATTACKS", "#D62728"),
        ("NEGOTIATES_WITH", "#0072B2"),
    ]:  # fmt: skip
        block = grass[grass.index(f".{label} {{") :]
        assert f"color: {colour};" in block[: block.index("}")]
        assert colour in palette


def test_a_view_for_the_readme(explorer: Explorer, tmp_path: Path):
    """The README's screenshot: `ACTORGRAPH_SCREENSHOT=docs/explorer.png pytest -k readme`
    writes it there too."""
    explorer.open("#actors=kataib-hezbollah,united-states")
    explorer.click_edge(US_ATTACKS_KH)
    assert explorer.errors == []
    shot = explorer.page.screenshot(path=tmp_path / "readme.png")
    if target := os.environ.get("ACTORGRAPH_SCREENSHOT"):
        (PROJECT_ROOT / target).write_bytes(shot)
