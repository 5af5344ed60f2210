from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from graph_schema.models import Correction, CorrectionIn, CorrectionsFile, UndoIn
from loaders.curate import CorrectionError, list_corrections, make_correction, undo_correction
from service.deps import DriverDep, SettingsDep, require_api_key
from service.errors import READ_RESPONSES, WRITE_RESPONSES, ApiError, ErrorBody
from service.responses import ModelResponse

router = APIRouter(prefix="/corrections", tags=["corrections"])

STATUS_OF: dict[str, int] = {
    "actor_not_found": 404,
    "claim_not_found": 404,
    "correction_not_found": 404,
    "already_undone": 409,
    "undo_later_first": 409,
}
"""How each refusal is answered; any other (`no_change`, `alias_not_found`, ...) is 422."""

CORRECTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    **{status: WRITE_RESPONSES[status] for status in (401, 403, 413, 422, 500, 503)},
    404: {"model": ErrorBody, "description": "The actor, claim or correction is not in the graph."},
    409: {
        "model": ErrorBody,
        "description": "Undone already, or a later correction of the same actor or claim must "
        "be undone first.",
    },
}


def _refused(error: CorrectionError) -> ApiError:
    return ApiError(STATUS_OF.get(error.code, 422), error.code, str(error))


@router.get(
    "",
    summary="Every correction, oldest first",
    response_model=CorrectionsFile,
    responses=READ_RESPONSES,
)
def get_corrections(
    driver: DriverDep,
    settings: SettingsDep,
    include_undone: Annotated[bool, Query(description="Also list undone corrections.")] = True,
) -> ModelResponse:
    """What analysts corrected, by whom, when and why; `actorgraph curate export` writes the
    same as YAML."""
    corrections = list_corrections(driver, settings.neo4j_database, include_undone)
    return ModelResponse(CorrectionsFile(corrections=corrections))


@router.post(
    "",
    summary="Correct the graph",
    status_code=201,
    dependencies=[Depends(require_api_key)],
    response_model=Correction,
    responses=CORRECTION_RESPONSES,
)
def post_correction(body: CorrectionIn, driver: DriverDep, settings: SettingsDep) -> ModelResponse:
    """Merge two actors, split an alias off into an actor of its own, add or remove an alias,
    change an actor's kind, or reject or confirm a claim.

    The correction is stored apart from what extraction made and applied at once: claims and
    mentions are re-pointed and the edges they back recounted. Loads and re-extractions go
    through every active correction, so a fix is never lost to a reload. A rejected claim backs
    no edge and stays visible, with `status: rejected`, on its article and at /claims/{id}.
    """
    try:
        correction = make_correction(driver, settings.neo4j_database, body)
    except CorrectionError as error:
        raise _refused(error) from None
    return ModelResponse(correction, status_code=201)


@router.post(
    "/{correction_id}/undo",
    summary="Undo a correction",
    dependencies=[Depends(require_api_key)],
    response_model=Correction,
    responses=CORRECTION_RESPONSES,
)
def post_undo(
    correction_id: Annotated[str, Path(max_length=64, description="The correction's id.")],
    body: UndoIn,
    driver: DriverDep,
    settings: SettingsDep,
) -> ModelResponse:
    """The graph goes back to what the correction replaced; the correction stays listed, with
    who undid it and when. Newest first: a correction that a later one of the same actor or
    claim builds on is refused with 409 until that one is undone."""
    try:
        undone = undo_correction(driver, settings.neo4j_database, correction_id, body.author)
    except CorrectionError as error:
        raise _refused(error) from None
    return ModelResponse(undone)
