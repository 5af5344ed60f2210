from typing import Annotated

from fastapi import APIRouter, Query

from graph_schema.models import AskAnswer
from service import queries
from service.ask import QUESTION_FORMS, QuestionNotUnderstood, parse_question
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES, ApiError
from service.resolution import resolve_actor_ids, resolve_actors
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
    """Questions of these forms: "who pressures Iraq?", "who does Iran fund?", "which militias
    does Iran fund?", "who attacked the United States?", "who negotiates with Kataib
    Hezbollah?", "how is Soleimani connected to the Trade Bank of Iraq?". Synonyms and tenses
    of the four verbs are understood; "which" takes governments, states, countries, militias,
    officials, leaders, banks, organizations or people.
    """
    try:
        parsed = parse_question(q)
    except QuestionNotUnderstood:
        raise ApiError(
            422, "question_not_understood", "The question is not of a form /ask understands.",
            {"forms": QUESTION_FORMS},
        ) from None  # fmt: skip
    database = settings.neo4j_database
    if parsed.connect is not None:
        source = resolve_actors(driver, database, parsed.connect[0], "q")[0]
        target = resolve_actors(driver, database, parsed.connect[1], "q")[0]
        query: dict[str, str | int] = {
            "endpoint": "/paths", "from": source.id, "to": target.id, "max_hops": MAX_HOPS
        }  # fmt: skip
        found = queries.paths(
            driver, database, from_id=source.id, to_id=target.id, max_hops=MAX_HOPS
        )
        return ModelResponse(AskAnswer(question=q, query=query, paths=found))
    assert parsed.type is not None
    query = {"endpoint": "/relations", "type": parsed.type.value}
    source_ids = target_ids = None
    source_kind = target_kind = None
    if parsed.source:
        source_ids = resolve_actor_ids(driver, database, parsed.source, "q")
        query["source"] = parsed.source
        target_kind = parsed.kind
    if parsed.target:
        target_ids = resolve_actor_ids(driver, database, parsed.target, "q")
        query["target"] = parsed.target
        source_kind = parsed.kind
    if source_kind:
        query["source_kind"] = source_kind.value
    if target_kind:
        query["target_kind"] = target_kind.value
    found_relations = queries.relations(
        driver,
        database,
        types=[parsed.type],
        source_ids=source_ids,
        target_ids=target_ids,
        source_kind=source_kind,
        target_kind=target_kind,
    )
    return ModelResponse(AskAnswer(question=q, query=query, relations=found_relations))
