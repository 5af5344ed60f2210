from typing import Annotated

from fastapi import APIRouter, Path

from graph_schema.models import ClaimDetail
from service import queries
from service.deps import DriverDep, SettingsDep
from service.errors import ERROR_RESPONSES, ApiError
from service.responses import ModelResponse
from service.routes.relations import MAX_NAME

router = APIRouter(prefix="/claims", tags=["claims"])


@router.get(
    "/{claim_id}",
    summary="One claim and why it was made",
    response_model=ClaimDetail,
    responses=ERROR_RESPONSES,
)
def get_claim(
    claim_id: Annotated[
        str,
        Path(max_length=MAX_NAME, description="A claim id, as evidence items and articles show."),
    ],
    driver: DriverDep,
    settings: SettingsDep,
) -> ModelResponse:
    """The claim's sentence and article, and how it was read: the pattern that fired (`model`
    where the trained model alone found it), the model's version and its strongest features."""
    claim = queries.claim_detail(driver, settings.neo4j_database, claim_id)
    if claim is None:
        raise ApiError(404, "claim_not_found", f"No claim has the id {claim_id!r}.")
    return ModelResponse(claim)
