"""Reading article files: metadata, titles, and a clear error for every kind of bad input."""

from datetime import date
from pathlib import Path

import pytest

from loaders.read import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    blank_metadata,
    find_article_files,
    read_article,
    read_articles,
)


def test_a_date_prefix_gives_date_and_outlet_and_the_first_line_is_the_title(tmp_path: Path):
    path = tmp_path / "a1.txt"
    path.write_text(" date 2021-04-07 Shafaq News/ Iraq sent a letter to Tehran.\n\nMore text.\n")
    article = read_article(path)
    assert article.id == "a1"
    assert article.published == date(2021, 4, 7)
    assert article.source == "Shafaq News"
    assert article.title == "Iraq sent a letter to Tehran."


def test_via_and_original_source_lines_name_the_outlet_and_are_not_the_title(tmp_path: Path):
    via = tmp_path / "via.txt"
    via.write_text("Via Financial Times\n\nIraq has asked Washington to leave.\n")
    original = tmp_path / "orig.txt"
    original.write_text("Headline here\nBody.\nOriginal Source: thesoufancenter.org\n")
    assert read_article(via).source == "Financial Times"
    assert read_article(via).title == "Iraq has asked Washington to leave."
    assert read_article(original).source == "thesoufancenter.org"
    assert read_article(original).title == "Headline here"


def test_blanking_metadata_keeps_every_offset():
    text = " date 2021-04-07 Shafaq News/ Iraq sent a letter.\nVia AP\nBody."
    blanked = blank_metadata(text)
    assert len(blanked) == len(text)
    assert blanked.index("Iraq sent") == text.index("Iraq sent")
    assert "Shafaq" not in blanked
    assert "Via AP" not in blanked


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("CAIRO, June 2 - Egypt met Sudan.", "Egypt met Sudan."),
        ("AMMAN (Reuters) - Jordan met Syria.", "Jordan met Syria."),
        ("NATO met on Monday - briefly.", "NATO met on Monday - briefly."),
    ],
)
def test_a_wire_dateline_opening_the_body_is_blanked(body: str, kept: str):
    text = f"Headline\n\n{body}\n"
    blanked = blank_metadata(text)
    assert len(blanked) == len(text)
    assert blanked.strip().endswith(kept)
    assert blanked.split() == ["Headline", *kept.split()]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n \t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files_raise_an_error_naming_the_file_and_the_reason(
    tmp_path: Path, content: bytes, reason: str
):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    assert str(path) in str(raised.value)
    assert reason in str(raised.value)


def test_a_missing_file_and_a_huge_file_are_refused(tmp_path: Path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"Iraq. " * (MAX_ARTICLE_BYTES // 6 + 10))
    with pytest.raises(ArticleError, match="too large"):
        read_article(huge)


def test_folders_are_searched_for_txt_files_and_bad_files_do_not_stop_the_rest(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("Title\nIran pressured Iraq.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "notes.md").write_text("not an article")
    files = list(find_article_files([tmp_path]))
    assert [file.path.name for file in files] == ["empty.txt", "good.txt"]
    errors: list[ArticleError] = []
    articles = list(read_articles(files, errors.append))
    assert [a.id for a in articles] == ["good"]
    assert [e.path.name for e in errors] == ["empty.txt"]


def test_a_second_file_with_the_same_article_id_is_refused(tmp_path: Path):
    for folder in ("politics", "sport"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(f"A {folder} story\nIran met Iraq.\n")
    errors: list[ArticleError] = []
    files = find_article_files([tmp_path, tmp_path / "politics" / "001.txt"])
    articles = list(read_articles(files, errors.append))
    assert [a.title for a in articles] == ["A politics story", "A politics story"]
    (error,) = errors
    assert error.path == tmp_path / "sport" / "001.txt"
    assert "same article id '001'" in str(error)
    assert "--ids-from-paths" in str(error)


def test_articles_can_be_named_by_their_paths_below_the_folder_given(tmp_path: Path):
    for folder in ("politics", "sport"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(f"A {folder} story\nIran met Iraq.\n")
    (tmp_path / "top.txt").write_text("A story\nIran met Iraq.\n")
    errors: list[ArticleError] = []
    files = find_article_files([tmp_path, tmp_path / "sport" / "001.txt"], ids_from_paths=True)
    articles = list(read_articles(files, errors.append))
    # a file given by itself is still named by its file name
    assert [a.id for a in articles] == ["politics-001", "sport-001", "top", "001"]
    assert errors == []


def test_a_file_that_cannot_be_read_is_one_error_and_the_others_are_still_read(tmp_path: Path):
    (tmp_path / "good.txt").write_text("Title\nIran pressured Iraq.\n")
    # Reading this process's memory file fails with EIO even for root, who reads mode-000 files.
    (tmp_path / "broken.txt").symlink_to("/proc/self/mem")
    errors: list[ArticleError] = []
    articles = list(read_articles(find_article_files([tmp_path]), errors.append))
    assert [a.id for a in articles] == ["good"]
    (error,) = errors
    assert error.path.name == "broken.txt"
    assert "cannot be read" in str(error)
