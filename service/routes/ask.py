from typing import Annotated

from fastapi import APIRouter, Query
from neo4j import Driver

from graph_schema.models import ActorRef, AskAnswer, AskQuery, RelationGroup
from graph_schema.vocabulary import ActorKind
from service import queries
from service.ask import ParsedQuestion, QuestionNotUnderstood, parse_question
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES, ApiError
from service.resolution import resolve_question_actors
from service.responses import ModelResponse
from service.routes.paths import MAX_HOPS

router = APIRouter(tags=["ask"])


@router.get(
    "/ask",
    summary="Ask in plain English",
    response_model=AskAnswer,
    responses=ERROR_RESPONSES,
)
def ask(
    driver: DriverDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=3, max_length=300, examples=["who pressures Iraq?"])],
) -> ModelResponse:
    """Questions about who pressures, funds, attacks or negotiates with whom, worded freely:
    "who pressures Iraq?", "who is pressured by the US?", "which militias does Iran fund?",
    "did the US strike Kataib Hezbollah?", "has Iran threatened the US?", "who talked with
    al-Kadhimi?" (talks either way), "show me all attacks on Iraq", "who attacks whom?", "what
    are the relations between Iran and Iraq?", "who pressures Iraq and Iran since 2021?", "how
    is Soleimani connected to the Trade Bank of Iraq?". Every verb and noun extraction knows,
    in any tense and voice; time phrases ("in 1987", "in March 2020", "since 2021", "last
    year"); actors by id, name, alias, demonym or seat, a misspelling corrected when one actor
    is clearly closest. The answer carries the query it ran and what it understood.
    """
    try:
        parsed = parse_question(q)
    except QuestionNotUnderstood as error:
        raise ApiError(
            422, "question_not_understood", str(error), {"close_forms": error.close}
        ) from None
    database = settings.neo4j_database
    notes = list(parsed.notes)
    sources = _actors(driver, database, parsed.source, notes)
    targets = _actors(driver, database, parsed.target, notes)
    if parsed.paths:
        query = AskQuery(
            endpoint="/paths", source=[sources[0].id], target=[targets[0].id], max_hops=MAX_HOPS,
            since=parsed.since, until=parsed.until,
        )  # fmt: skip
        found = queries.paths(
            driver, database, from_id=sources[0].id, to_id=targets[0].id, max_hops=MAX_HOPS,
            since=parsed.since, until=parsed.until,
        )  # fmt: skip
        understood = f"paths between {sources[0].name} and {targets[0].name}"
        return ModelResponse(
            AskAnswer(question=q, understood=_with(understood, notes), query=query, paths=found)
        )
    query = AskQuery(
        endpoint="/relations",
        types=list(parsed.types),
        source=sorted(a.id for a in sources) if sources else None,
        target=sorted(a.id for a in targets) if targets else None,
        either_direction=parsed.either_direction,
        source_kind=parsed.source_kind,
        target_kind=parsed.target_kind,
        since=parsed.since,
        until=parsed.until,
        yes_no=parsed.yes_no,
    )
    relations = _relations(driver, database, query)
    answer = None
    if parsed.yes_no:
        answer = "yes" if relations else "no evidence found"
    return ModelResponse(
        AskAnswer(
            question=q,
            understood=_with(_described(parsed, sources, targets), notes),
            query=query,
            answer=answer,
            relations=relations,
        )
    )


def _actors(driver: Driver, database: str, words: str | None, notes: list[str]) -> list[ActorRef]:
    if words is None:
        return []
    actors, corrections = resolve_question_actors(driver, database, words)
    notes.extend(corrections)
    return actors


def _relations(driver: Driver, database: str, query: AskQuery) -> list[RelationGroup]:
    """The relations `query` asks for; with `either_direction`, those the other way round too."""
    found = queries.relations(
        driver, database, types=query.types, source_ids=query.source, target_ids=query.target,
        source_kind=query.source_kind, target_kind=query.target_kind, since=query.since,
        until=query.until,
    )  # fmt: skip
    if not query.either_direction or (query.source is None and query.target is None):
        return found
    reverse = queries.relations(
        driver, database, types=query.types, source_ids=query.target, target_ids=query.source,
        source_kind=query.target_kind, target_kind=query.source_kind, since=query.since,
        until=query.until,
    )  # fmt: skip
    merged = {(r.source.id, r.type, r.target.id): r for r in [*found, *reverse]}
    return sorted(merged.values(), key=lambda r: (-r.confidence, -r.evidence_count))


def _described(parsed: ParsedQuestion, sources: list[ActorRef], targets: list[ActorRef]) -> str:
    """The query in words: "PRESSURES by any government on Iraq, since 2021-01-01"."""
    types = ", ".join(t.value for t in parsed.types)

    def side(actors: list[ActorRef], kind: ActorKind | None) -> str:
        if actors:
            return " or ".join(a.name for a in actors)
        return f"any {kind.value}" if kind is not None else "anyone"

    text = f"{types} by {side(sources, parsed.source_kind)} on {side(targets, parsed.target_kind)}"
    if parsed.either_direction:
        text += ", in either direction"
    if parsed.since:
        text += f", since {parsed.since.isoformat()}"
    if parsed.until:
        text += f", until {parsed.until.isoformat()}"
    if parsed.yes_no:
        text = f"whether there is evidence of {text}"
    return text


def _with(understood: str, notes: list[str]) -> str:
    return f"{understood} ({'; '.join(notes)})" if notes else understood
