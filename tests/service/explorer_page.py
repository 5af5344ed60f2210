"""The explorer page driven in Debian's Chromium by Playwright, for the explorer's tests."""

import shutil
from collections.abc import Iterator

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def launched_browser() -> Iterator[Browser]:
    assert CHROMIUM, "Chromium is not installed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Explorer:
    """The page, with what its console said and every URL it asked for."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url = page, base_url
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self, fragment: str = "") -> None:
        self.page.goto(f"{self.base_url}/{fragment}")
        self.page.evaluate("explorer.ready")
        self.settled()

    def settled(self) -> None:
        self.page.wait_for_function("document.body.dataset.busy === '0'")

    def edges(self) -> set[str]:
        return set(self.page.evaluate("explorer.cy.edges().map(e => e.id())"))

    def nodes(self) -> set[str]:
        return set(self.page.evaluate("explorer.cy.nodes().map(n => n.id())"))

    def search(self, words: str) -> None:
        self.page.fill("#search", words)
        self.page.wait_for_selector("#matches li")
        self.page.click("#matches li >> nth=0")
        self.page.wait_for_function("explorer.cy.edges().length > 0")
        self.settled()

    def click_edge(self, edge_id: str) -> None:
        """A real mouse click on the middle of the edge as drawn."""
        middle = self.page.evaluate(
            "id => explorer.cy.getElementById(id).renderedMidpoint()", edge_id
        )
        box = self.page.locator("#graph").bounding_box()
        assert box is not None
        self.page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
        self.settled()
