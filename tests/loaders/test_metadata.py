"""Article metadata beside the text: dates read in the forms news uses or refused, tables such
as the corpus index.tsv, sidecar files, JSON Lines, and which source wins."""

import datetime as dt
import json
from pathlib import Path

import pytest

from loaders.metadata import (
    Metadata,
    MetadataError,
    MetadataSources,
    MetadataTable,
    parse_date,
)
from loaders.read import ArticleError, ArticleFile, count_articles, read_articles
from tests.conftest import SHARED


@pytest.mark.parametrize(
    "written",
    ["1987-03-03", "date 1987-03-03", "03-MAR-1987 15:01:01.79", "March 3, 1987", "Mar 3, 1987",
     "3 Mar 1987", "3 March 1987", "March 3rd, 1987", "1987-03-03T10:00:00Z", "1987/03/03"],
)  # fmt: skip
def test_dates_in_the_forms_news_uses_are_read(written: str):
    assert parse_date(written) == dt.date(1987, 3, 3)


@pytest.mark.parametrize("written", ["03/04/1987", "yesterday", "1987", "31 Feb 1987", ""])
def test_a_date_that_would_be_a_guess_is_refused_saying_which_forms_are_read(written: str):
    with pytest.raises(ValueError, match="not a date in a form actorgraph reads"):
        parse_date(written)


def test_the_reuters_index_gives_each_file_its_date_and_title():
    table = MetadataTable(SHARED / "corpus" / "reuters-21578" / "index.tsv")
    first = table.for_file(SHARED / "corpus" / "reuters-21578" / "00001.txt")
    assert first.published == dt.date(1987, 2, 26)
    assert first.title == "BAHIA COCOA REVIEW"
    assert table.for_file(Path("/elsewhere/unknown.txt")) == Metadata()


def _unexpected(error: ArticleError) -> None:
    pytest.fail(str(error))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_a_bad_date_in_a_table_fails_that_file_only(tmp_path: Path):
    index = _write(
        tmp_path / "index.csv", "file,date,source\na.txt,3 Mar 1987,Wire\nb.txt,soon,Wire\n"
    )
    table = MetadataTable(index)
    assert table.for_file(tmp_path / "a.txt").published == dt.date(1987, 3, 3)
    with pytest.raises(MetadataError, match="'soon' is not a date"):
        table.for_file(tmp_path / "b.txt")


def test_a_table_without_a_file_column_is_refused(tmp_path: Path):
    with pytest.raises(MetadataError, match="no column names the articles"):
        MetadataTable(_write(tmp_path / "index.tsv", "date\ttitle\n1987-03-03\tx\n"))


def test_the_run_beats_the_sidecar_which_beats_the_table_which_beats_the_text(tmp_path: Path):
    article = _write(tmp_path / "a.txt", "date 2021-04-07 Shafaq/ Iran pressured Iraq.\n")
    rows = "file\tdate\tsource\turl\na.txt\t1987-01-01\tTable Wire\thttps://example.org/a\n"
    table = MetadataTable(_write(tmp_path / "index.tsv", rows))
    files = [ArticleFile(article, "a")]
    text_only = next(read_articles(files, _unexpected))
    assert (text_only.published, text_only.source) == (dt.date(2021, 4, 7), "Shafaq")
    by_table = next(read_articles(files, _unexpected, MetadataSources(table=table)))
    assert (by_table.published, by_table.source) == (dt.date(1987, 1, 1), "Table Wire")
    _write(tmp_path / "a.json", json.dumps({"published": "2 Feb 1988"}))
    by_sidecar = next(read_articles(files, _unexpected, MetadataSources(table=table)))
    assert (by_sidecar.published, by_sidecar.source) == (dt.date(1988, 2, 2), "Table Wire")
    assert by_sidecar.url == "https://example.org/a"
    run = Metadata(source="Run Source", published=dt.date(1999, 9, 9))
    by_run = next(read_articles(files, _unexpected, MetadataSources(run, table)))
    assert (by_run.published, by_run.source) == (dt.date(1999, 9, 9), "Run Source")


def test_json_lines_hold_one_article_a_line_and_a_bad_line_is_reported_alone(tmp_path: Path):
    lines = [
        {"id": "one", "title": "One", "text": "Iran pressured Iraq.", "published": "3 Mar 1987",
         "source": "Wire", "url": "https://example.org/1"},
        {"id": "two", "text": "The United States funded Iraq."},
        {"id": "three", "text": "Iran attacked Iraq.", "published": "sometime"},
        {"title": "no id"},
    ]  # fmt: skip
    path = _write(tmp_path / "batch.jsonl", "\n".join(map(json.dumps, lines)) + "\n\nnot json\n")
    files = [ArticleFile(path, "batch")]
    errors: list[ArticleError] = []
    articles = list(read_articles(files, errors.append, MetadataSources(Metadata(source="Run"))))
    assert [a.id for a in articles] == ["one", "two"]
    assert (articles[0].published, articles[0].title, articles[0].source) == (
        dt.date(1987, 3, 3), "One", "Run",
    )  # fmt: skip
    assert articles[1].title == "The United States funded Iraq."
    assert [str(e.path) for e in errors] == [f"{path}:3", f"{path}:4", f"{path}:6"]
    assert "'sometime' is not a date" in errors[0].reason
    assert count_articles(files) == 5
