"""Read step: article files into `Article` models, with their metadata and clear errors."""

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from graph_schema.models import Article
from loaders.metadata import Metadata, MetadataError, MetadataSources, validation_reasons

MAX_ARTICLE_BYTES = 2_000_000
"""News articles are kilobytes; a file this large is a dump or a mistake, not one article."""

ARTICLE_SUFFIX = ".txt"
JSON_LINES_SUFFIX = ".jsonl"
"""A file of articles, one JSON object a line: id, text, and optionally title, published,
source and url."""

# Metadata lines some corpora carry; they are blanked (not removed) before annotation so that
# character offsets still point into the file's text.
_DATE_PREFIX = re.compile(r"^\s*date (?P<date>\d{4}-\d{2}-\d{2}) (?P<source>[^/\n]{1,80})/ ?")
_VIA_LINE = re.compile(r"^[ \t]*Via (?P<source>[^\n]{1,80})$", re.MULTILINE)
_ORIGINAL_SOURCE_LINE = re.compile(
    r"^[ \t]*Original Source: (?P<source>\S{1,200})[ \t]*$", re.MULTILINE
)
# A wire dateline opening the body: "WASHINGTON, Oct 19 - ", "BAGHDAD (Reuters) - ".
_DATELINE = re.compile(
    r"\A[^\n]*\n\s*(?P<dateline>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}"
    r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \((?:Reuters|AP|AFP)\))? [-\u2013\u2014] )"
)


class ArticleError(Exception):
    """A file that cannot be read as an article; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ArticleFile(NamedTuple):
    """An article file and the id its article gets."""

    path: Path
    id: str


def find_article_files(
    paths: Iterable[Path], ids_from_paths: bool = False
) -> Iterator[ArticleFile]:
    """The article files named by `paths`: files as given, folders searched for `*.txt`.

    An article's id is its file name without extension; with `ids_from_paths`, a file found in a
    folder is named by its path below that folder instead ("business/001.txt" is
    "business-001"), for corpora whose folders reuse file names.
    """
    for path in paths:
        if path.is_dir():
            found = [*path.rglob(f"*{ARTICLE_SUFFIX}"), *path.rglob(f"*{JSON_LINES_SUFFIX}")]
            for file in sorted(p for p in found if p.is_file()):
                below = file.relative_to(path).with_suffix("").parts
                yield ArticleFile(file, "-".join(below) if ids_from_paths else file.stem)
        else:
            yield ArticleFile(path, path.stem)


def read_article(path: Path, article_id: str | None = None) -> Article:
    """Read one article file (its id: `article_id`, else the file name without extension);
    raises `ArticleError` for anything that is not a usable article."""
    if not path.exists():
        raise ArticleError(path, "no such file")
    if not path.is_file():
        raise ArticleError(path, "not a regular file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(
            path, f"too large for one article ({size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,})"
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ArticleError(path, f"cannot be read ({error.strerror or error})") from None
    return parse_article(article_id or path.stem, raw, path)


def parse_article(article_id: str, raw: bytes, origin: Path | None = None) -> Article:
    """Decode and parse an article's bytes: first non-metadata line is the title."""
    where = origin or Path(article_id)
    if b"\x00" in raw:
        raise ArticleError(where, "binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            where, f"not UTF-8 text (invalid byte at offset {error.start})"
        ) from None
    return article_from_text(article_id, text, origin=where)


def article_from_text(
    article_id: str,
    text: str,
    *,
    title: str | None = None,
    source: str | None = None,
    published: date | None = None,
    url: str | None = None,
    origin: Path | None = None,
) -> Article:
    """Build an `Article` from its text; metadata found in the text fills what is not given."""
    body = blank_metadata(text)
    if not body.strip():
        raise ArticleError(origin or Path(article_id), "empty: no article text")
    found_source, found_date = _metadata(text)
    return Article(
        id=article_id,
        title=title or next(line.strip() for line in body.splitlines() if line.strip()),
        text=text,
        source=source or found_source,
        published=published or found_date,
        url=url,
    )


def blank_metadata(text: str) -> str:
    """The text with metadata replaced by spaces, so offsets into it are offsets into `text`."""
    for pattern in (_DATE_PREFIX, _VIA_LINE, _ORIGINAL_SOURCE_LINE):
        text = pattern.sub(lambda match: " " * len(match.group(0)), text)
    if dateline := _DATELINE.match(text):
        start, end = dateline.span("dateline")
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _metadata(text: str) -> tuple[str | None, date | None]:
    source: str | None = None
    published: date | None = None
    if prefix := _DATE_PREFIX.match(text):
        source = prefix["source"].strip()
        try:
            published = date.fromisoformat(prefix["date"])
        except ValueError:
            published = None
    for pattern in (_VIA_LINE, _ORIGINAL_SOURCE_LINE):
        if source is None and (line := pattern.search(text)):
            source = line["source"].strip()
    return source, published


def read_articles(
    files: Iterable[ArticleFile],
    on_error: Callable[[ArticleError], None],
    metadata: MetadataSources | None = None,
) -> Iterator[Article]:
    """Every readable article of `files` (a JSON Lines file holds many), with `metadata` of
    its file over what its text says; each unreadable file or line goes to `on_error` instead.

    A second article with an id already read would overwrite the first in the graph: it is
    refused.
    """
    first_with_id: dict[str, Path] = {}
    for path, article_id in files:
        try:
            if path.suffix == JSON_LINES_SUFFIX:
                run = metadata.run if metadata else Metadata()
                articles = _json_lines(path, run)
            else:
                articles = [_with_metadata(read_article(path, article_id), path, metadata)]
            for where, article in articles:
                if isinstance(article, ArticleError):
                    on_error(article)
                    continue
                first = first_with_id.setdefault(article.id, where)
                if first != where:
                    on_error(ArticleError(
                        where,
                        f"same article id '{article.id}' as {first}; rename one of the files, "
                        "or name articles by their paths below the folder given "
                        "(--ids-from-paths)",
                    ))  # fmt: skip
                    continue
                yield article
        except ArticleError as error:
            on_error(error)


def count_articles(files: Iterable[ArticleFile]) -> int:
    """How many articles `files` hold: one a text file, one a non-blank line of JSON Lines."""
    total = 0
    for path, _ in files:
        if path.suffix != JSON_LINES_SUFFIX:
            total += 1
            continue
        try:
            with path.open("rb") as file:
                total += sum(1 for line in file if line.strip())
        except OSError:
            total += 1  # reported when it is read
    return total


def _with_metadata(
    article: Article, path: Path, metadata: MetadataSources | None
) -> tuple[Path, Article]:
    if metadata is None:
        return path.resolve(), article
    try:
        known = metadata.for_file(path)
    except MetadataError as error:
        raise ArticleError(path, str(error)) from None
    return path.resolve(), article.model_copy(update=known.model_dump(exclude_none=True))


class _JsonArticle(BaseModel):
    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


def _json_lines(path: Path, run: Metadata) -> Iterator[tuple[Path, Article | ArticleError]]:
    """The articles of a JSON Lines file (the run's metadata over each line's), or for a line
    that is none, its error."""
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ArticleError(path, f"cannot be read ({error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = Path(f"{path}:{number}")
        try:
            item = _JsonArticle.model_validate_json(line)
            known = run.over(Metadata.model_validate(item.model_dump(exclude={"id", "text"})))
            yield where, article_from_text(
                item.id, item.text, title=known.title, published=known.published,
                source=known.source, url=known.url, origin=where,
            )  # fmt: skip
        except ValidationError as error:
            yield where, ArticleError(where, f"not an article ({validation_reasons(error)})")
        except ArticleError as error:
            yield where, error
