"""Neo4j Browser: every example query answers on the seeds, and the style covers the vocabulary.

`docker/neo4j/browser/examples.cypher` is what a Browser user pastes; `actorgraph.grass` is
what they drop onto the Browser. Both are read here the simple way the files are written.
"""

import re
from pathlib import Path
from typing import LiteralString, cast

import pytest
from neo4j import Driver, ManagedTransaction, Record

from graph_schema.vocabulary import ActorKind, RelationType
from service.local_neo4j import PROJECT_ROOT
from service.settings import Settings

BROWSER = PROJECT_ROOT / "docker" / "neo4j" / "browser"
EXAMPLES = BROWSER / "examples.cypher"
STYLE = BROWSER / "actorgraph.grass"


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(title, query) pairs: a block ends with `;` at a line's end and opens with its `// title`."""
    examples = []
    for block in re.split(r";[ \t]*$", path.read_text("utf-8"), flags=re.MULTILINE):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        title, *query = lines
        assert title.startswith("//"), f"an example starts with its // title line: {block!r}"
        assert query, f"{title} has no query"
        examples.append((title.removeprefix("//").strip(), "\n".join(query)))
    return examples


def read_style(path: Path) -> dict[str, dict[str, str]]:
    """Selector -> {property: value}, quotes kept off, as the Browser reads GraSS."""
    rule = re.compile(r"([^\s{}]+)\s*\{((?:'[^']*'|\"[^\"]*\"|[^}'\"])*)\}")
    text = path.read_text("utf-8")
    style = {}
    for selector, body in rule.findall(text):
        properties = {}
        for declaration in body.split(";"):
            if declaration.strip():
                name, value = declaration.split(":", 1)
                properties[name.strip()] = value.strip().strip("'\"")
        style[selector] = properties
    leftover = rule.sub("", text)
    assert not leftover.strip(), f"not a GraSS rule: {leftover.strip()!r}"
    return style


EXAMPLE_QUERIES = read_examples(EXAMPLES)


def test_the_examples_are_eight_to_ten_titled_parameter_free_queries():
    titles = [title for title, _ in EXAMPLE_QUERIES]
    assert 8 <= len(titles) <= 10
    assert len(set(titles)) == len(titles)
    for title, query in EXAMPLE_QUERIES:
        assert "$" not in query, f"{title} needs a parameter a Browser user would not have"


@pytest.mark.parametrize(
    "query", [pytest.param(query, id=title) for title, query in EXAMPLE_QUERIES]
)
def test_every_example_query_returns_rows_on_the_seeds(
    seeded: Driver, settings: Settings, query: str
):
    def read(tx: ManagedTransaction) -> list[Record]:
        return list(tx.run(cast(LiteralString, query)))

    with seeded.session(database=settings.neo4j_database) as session:
        rows = session.execute_read(read)
    assert rows


def test_the_style_colours_and_captions_every_actor_kind_by_name():
    style = read_style(STYLE)
    assert style["node.Actor"]["caption"] == "{name}"
    colours = set()
    for kind in ActorKind:
        rule = style[f"node.{kind.label}"]
        assert rule["caption"] == "{name}"
        assert rule["border-color"].startswith("#")
        assert rule["text-color-internal"].startswith("#")
        colours.add(rule["color"])
    assert len(colours) == len(ActorKind), "each kind has a colour of its own"


def test_the_style_captions_articles_by_title_and_claims_by_type():
    style = read_style(STYLE)
    assert style["node.Article"]["caption"] == "{title}"
    assert style["node.Claim"]["caption"] == "{type}"


def test_the_style_colours_and_captions_every_analyst_edge_by_its_type():
    style = read_style(STYLE)
    colours = set()
    for relation in RelationType:
        rule = style[f"relationship.{relation.value}"]
        assert rule["caption"] == "<type>"
        assert rule["shaft-width"].endswith("px")
        colours.add(rule["color"])
    assert len(colours) == len(RelationType), "each relation type has a colour of its own"
