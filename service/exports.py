"""The analyst graph and the read answers in the formats other tools open: CSV (pandas,
spreadsheets), GraphML (Gephi, networkx, yEd) and JSON; written a row at a time, so that a
large graph is streamed, not built in memory as one string."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from graph_schema.models import ActorsPage, ExportEdge, RelationGroup, RelationsPage

ExportFormat = Literal["csv", "graphml", "json"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "graphml": "application/graphml+xml; charset=utf-8",
    "json": "application/json",
}
EDGE_COLUMNS = [
    "source_id", "source_name", "source_kind", "type", "target_id", "target_name",
    "target_kind", "evidence_count", "confidence", "first_seen", "last_seen",
]  # fmt: skip
ACTOR_COLUMNS = ["id", "name", "kind", "aliases", "article_count", "evidence_count"]
_NODE_KEYS = [("name", "string"), ("kind", "string"), ("aliases", "string")]
_EDGE_KEYS = [
    ("type", "string"), ("evidence_count", "int"), ("confidence", "double"),
    ("first_seen", "string"), ("last_seen", "string"),
]  # fmt: skip


CSV_MEDIA_TYPE = "text/csv"
CSV_RESPONSE: dict[str, Any] = {"content": {"application/json": {}, "text/csv": {}}}
"""The 200 of a read that also answers CSV, for its OpenAPI `responses`."""


def wants_csv(accept: str | None) -> bool:
    """Whether the client asked for CSV (`Accept: text/csv`)."""
    return accept is not None and CSV_MEDIA_TYPE in accept.lower()


def export(edges: list[ExportEdge], fmt: ExportFormat) -> Iterator[str]:
    """The graph of `edges` (with their actors) in `fmt`, in pieces."""
    if fmt == "csv":
        return csv_rows(EDGE_COLUMNS, (_edge_row(e) for e in edges))
    if fmt == "graphml":
        return _graphml(edges)
    return _json(edges)


def relations_csv(page: RelationsPage) -> Iterator[str]:
    """One row per relation (source, type, target), without its evidence sentences."""
    return csv_rows(EDGE_COLUMNS, (_edge_row(r) for r in page.relations))


def actors_csv(page: ActorsPage) -> Iterator[str]:
    rows = (
        {**a.model_dump(include=set(ACTOR_COLUMNS), mode="json"), "aliases": "; ".join(a.aliases)}
        for a in page.actors
    )
    return csv_rows(ACTOR_COLUMNS, rows)


def csv_rows(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _edge_row(edge: ExportEdge | RelationGroup) -> dict[str, Any]:
    return {
        "source_id": edge.source.id,
        "source_name": edge.source.name,
        "source_kind": edge.source.kind.value,
        "type": edge.type.value,
        "target_id": edge.target.id,
        "target_name": edge.target.name,
        "target_kind": edge.target.kind.value,
        "evidence_count": edge.evidence_count,
        "confidence": edge.confidence,
        "first_seen": edge.first_seen,
        "last_seen": edge.last_seen,
    }


def _actors(edges: list[ExportEdge]) -> dict[str, dict[str, Any]]:
    actors: dict[str, dict[str, Any]] = {}
    for edge in edges:
        for actor, aliases in (
            (edge.source, edge.source_aliases),
            (edge.target, edge.target_aliases),
        ):
            actors.setdefault(actor.id, {"id": actor.id, "name": actor.name,
                                         "kind": actor.kind.value, "aliases": aliases})  # fmt: skip
    return actors


def _graphml(edges: list[ExportEdge]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    )
    for name, kind in _NODE_KEYS:
        yield f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n'
    for name, kind in _EDGE_KEYS:
        yield f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n'
    yield '  <graph id="actorgraph" edgedefault="directed">\n'
    for actor in _actors(edges).values():
        data = {**actor, "aliases": "; ".join(actor["aliases"])}
        yield f"    <node id={quoteattr(actor['id'])}>{_data(data, _NODE_KEYS)}</node>\n"
    for number, edge in enumerate(edges):
        row = _edge_row(edge)
        attributes = (
            f'id="e{number}" source={quoteattr(edge.source.id)} target={quoteattr(edge.target.id)}'
        )
        yield f"    <edge {attributes}>{_data(row, _EDGE_KEYS)}</edge>\n"
    yield "  </graph>\n</graphml>\n"


def _data(values: dict[str, Any], keys: list[tuple[str, str]]) -> str:
    return "".join(
        f'<data key="{name}">{escape(str(values[name]))}</data>'
        for name, _ in keys
        if values.get(name) is not None
    )


def _json(edges: list[ExportEdge]) -> Iterator[str]:
    yield '{"actors": '
    yield json.dumps(list(_actors(edges).values()))
    yield ', "edges": ['
    for number, edge in enumerate(edges):
        yield ("," if number else "") + json.dumps(_edge_row(edge), default=str)
    yield "]}\n"
