import hashlib
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from graph_schema.models import (
    ArticleDetail,
    ArticleIn,
    ArticlesPage,
    DeleteSummary,
    IngestResult,
    WriteSummary,
)
from loaders.pipeline import Extractor
from loaders.read import ArticleError, article_from_text
from loaders.write import already_written, delete_articles, write_articles
from service import queries
from service.deps import DriverDep, SettingsDep, require_api_key
from service.errors import ERROR_RESPONSES, READ_RESPONSES, WRITE_RESPONSES, ApiError
from service.responses import ModelResponse
from service.routes.relations import MAX_NAME, OffsetQuery

router = APIRouter(prefix="/articles", tags=["articles"])


class Turns:
    """A lock that grants turns in the order they were asked for. A plain lock is not fair: the
    thread parsing a long text would take it back after each piece before a waiting one woke."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._issued = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._changed:
            ticket = self._issued
            self._issued += 1
            self._changed.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *_: object) -> None:
        with self._changed:
            self._serving += 1
            self._changed.notify_all()


_extractor_turns = Turns()
"""spaCy pipelines are not safe to share between threads; ingests take turns, a piece of text
(at most `PIECE_CHARS`) at a time."""


ArticleIdPath = Annotated[str, Path(max_length=MAX_NAME, examples=["000_77782f8cf3ef8958"])]


def _no_article(article_id: str) -> ApiError:
    return ApiError(
        404, "article_not_found", f"No article has the id {article_id!r}; see GET /articles."
    )


def get_extractor(request: Request) -> Extractor:
    """The process's extractor, loaded on first use (the model takes a second and 300 MB)."""
    with _extractor_turns:
        if getattr(request.app.state, "extractor", None) is None:
            request.app.state.extractor = Extractor()
        return request.app.state.extractor


@router.get(
    "",
    summary="Articles in the graph, newest first",
    response_model=ArticlesPage,
    responses=READ_RESPONSES,
)
def list_articles(
    driver: DriverDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: OffsetQuery = 0,
) -> ModelResponse:
    total, articles = queries.list_articles(
        driver, settings.neo4j_database, limit=limit, offset=offset
    )
    return ModelResponse(ArticlesPage(articles=articles, total=total, limit=limit, offset=offset))


@router.get(
    "/{article_id}",
    summary="One article and every claim extracted from it",
    response_model=ArticleDetail,
    responses=ERROR_RESPONSES,
)
def get_article(
    article_id: ArticleIdPath,
    driver: DriverDep,
    settings: SettingsDep,
) -> ModelResponse:
    """Metadata, actors and claims (asserted, negated and hypothetical, each marked)."""
    article = queries.article_detail(driver, settings.neo4j_database, article_id)
    if article is None:
        raise _no_article(article_id)
    return ModelResponse(article)


@router.post(
    "",
    summary="Ingest one article",
    status_code=201,
    dependencies=[Depends(require_api_key)],
    responses=WRITE_RESPONSES,
)
def post_article(
    body: ArticleIn,
    driver: DriverDep,
    settings: SettingsDep,
    extractor: Annotated[Extractor, Depends(get_extractor)],
) -> IngestResult:
    """Extract actors and relations from the text and write them, like `actorgraph load`.

    The article's id is derived from its text, so posting the same text twice adds nothing; a
    text the graph already holds (white space aside, under any id) is answered with that
    article's id and adds nothing either.
    """
    article_id = "api-" + hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:16]
    try:
        article = article_from_text(
            article_id, body.text, title=body.title, source=body.source,
            published=body.published, url=body.url,
        )  # fmt: skip
    except ArticleError as error:
        raise ApiError(400, "invalid_article", error.reason) from None
    unchanged, duplicates = already_written(driver, settings.neo4j_database, [article])
    if unchanged or duplicates:  # held already: no parse
        added = WriteSummary(unchanged=len(unchanged), duplicates=duplicates)
    else:
        # The lock is taken per piece of text: a long article does not hold up the others for
        # its whole parse. The write needs no lock: the database serialises writers of one
        # article.
        extracted = extractor.extract_in_turns(article, _extractor_turns)
        ((_, added),) = write_articles(driver, settings.neo4j_database, [extracted])
    if added.duplicates:  # the same text, white space aside, is already held under another id
        article_id = added.duplicates[0].duplicate_of
    detail = queries.article_detail(driver, settings.neo4j_database, article_id)
    return IngestResult(article_id=article_id, added=added, claims=detail.claims if detail else [])


DELETE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **{status: WRITE_RESPONSES[status] for status in (401, 403, 422, 500, 503)},
    404: ERROR_RESPONSES[404],
}


@router.delete(
    "/{article_id}",
    summary="Delete one article",
    dependencies=[Depends(require_api_key)],
    response_model=DeleteSummary,
    responses=DELETE_RESPONSES,
)
def delete_article(
    article_id: ArticleIdPath,
    driver: DriverDep,
    settings: SettingsDep,
) -> ModelResponse:
    """The article goes with its claims; the edges they backed are recounted, or go; actors
    left with no claim and no mention go too."""
    deleted = delete_articles(driver, settings.neo4j_database, [article_id])
    if not deleted.articles:
        raise _no_article(article_id)
    return ModelResponse(deleted)
