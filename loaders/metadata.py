"""Article metadata that does not sit in the text: dates, sources, titles and URLs from a table
beside a corpus (`--metadata index.tsv`), a sidecar `NAME.json` beside `NAME.txt`, or the run's
own `--published` / `--source`; and dates in the forms news uses, read or refused, never
guessed."""

import csv
import datetime as dt
import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DATE_FORMS = (
    "%Y-%m-%d",  # 1987-02-26, and the seeds' "date 2021-04-07"
    "%d-%b-%Y",  # 26-FEB-1987, Reuters-21578's index
    "%B %d, %Y",  # March 3, 1987
    "%b %d, %Y",  # Mar 3, 1987
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",  # 3 March 1987
    "%d %b %Y",  # 3 Mar 1987
    "%Y/%m/%d",
)
"""Forms a date is read in; "03/04/1987" is not among them: which is the month is a guess."""
_TIME = re.compile(
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?[A-Z]{2,4})?)$"
)
_KEY_COLUMNS = ("file", "path", "filename", "id")
_DATE_COLUMNS = ("published", "date")
SIDECAR_SUFFIX = ".json"


class MetadataError(ValueError):
    """Metadata that cannot be used; the message says where and why."""


def parse_date(text: str) -> dt.date:
    """A date written in one of `DATE_FORMS`, a time after it ignored; ValueError otherwise."""
    cleaned = _TIME.sub("", " ".join(text.split()).removeprefix("date ").strip().rstrip("."))
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", cleaned)  # "March 3rd, 1987"
    for form in DATE_FORMS:
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise ValueError(
        f"{text!r} is not a date in a form actorgraph reads (ISO 1987-03-03, 3 Mar 1987, "
        "March 3, 1987, 03-MAR-1987)"
    )


class Metadata(BaseModel):
    """What is known of an article besides its text; unset fields leave the text's own."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _read_date(cls, value: object) -> object:
        if isinstance(value, str) and value.strip():
            return parse_date(value)
        return value or None

    def over(self, other: "Metadata") -> "Metadata":
        """These fields, and `other`'s where these are unset."""
        return Metadata(
            **{**other.model_dump(exclude_none=True), **self.model_dump(exclude_none=True)}
        )


class MetadataTable:
    """Metadata of many articles from one TSV or CSV file with a header row: a file column
    (`file`, `path`, `filename` or `id`: the article's path below the table's folder, or its
    name) and any of `date`/`published`, `title`, `source`, `url`. Reuters-21578's and BBC
    News's `index.tsv` are such tables."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent.resolve()
        self.rows: dict[str, Metadata] = {}
        self.problems: dict[str, str] = {}
        dialect = "excel-tab" if path.suffix.lower() in {".tsv", ".tab"} else "excel"
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                reader = csv.DictReader(file, dialect=dialect)
                columns = list(reader.fieldnames or [])
                key = next((c for c in _KEY_COLUMNS if c in columns), None)
                if key is None:
                    raise MetadataError(
                        f"{path}: no column names the articles (one of {', '.join(_KEY_COLUMNS)})"
                    )
                date_column = next((c for c in _DATE_COLUMNS if c in columns), None)
                for row in reader:
                    self._add(row, key, date_column)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise MetadataError(f"{path}: cannot be read as a table ({error})") from None

    def _add(self, row: dict[str, str], key: str, date_column: str | None) -> None:
        name = (row.get(key) or "").strip()
        if not name:
            return
        fields = {field: row.get(field) for field in ("title", "source", "url")}
        fields["published"] = row.get(date_column) if date_column else None
        try:
            self.rows[name] = Metadata.model_validate({k: v for k, v in fields.items() if v})
        except ValidationError as error:
            self.problems[name] = validation_reasons(error)

    def for_file(self, file: Path) -> Metadata:
        """The row of `file` (by its path below the table's folder, else its name); raises
        MetadataError if that row's metadata could not be read."""
        resolved = file.resolve()
        names = [file.name, file.stem]
        if resolved.is_relative_to(self.folder):
            names.insert(0, resolved.relative_to(self.folder).as_posix())
        for name in names:
            if name in self.problems:
                raise MetadataError(f"{self.path}, row {name!r}: {self.problems[name]}")
            if name in self.rows:
                return self.rows[name]
        return Metadata()


def sidecar(file: Path) -> Metadata:
    """`NAME.json` beside `NAME.txt`, if there is one."""
    path = file.with_suffix(SIDECAR_SUFFIX)
    if not path.is_file():
        return Metadata()
    try:
        return Metadata.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError) as error:
        raise MetadataError(f"{path}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    return validation_reasons(error) if isinstance(error, ValidationError) else str(error)


def validation_reasons(error: ValidationError) -> str:
    """A pydantic error in a line: each field and what is wrong with it."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg'].removeprefix('Value error, ')}"
        for e in error.errors()
    )


class MetadataSources:
    """Where a run's metadata comes from, strongest first: the run's own (`--published`,
    `--source`), a file's sidecar, its row of the metadata table; the text's own after them."""

    def __init__(self, run: Metadata | None = None, table: MetadataTable | None = None) -> None:
        self.run = run or Metadata()
        self.table = table

    def for_file(self, file: Path) -> Metadata:
        row = self.table.for_file(file) if self.table else Metadata()
        return self.run.over(sidecar(file).over(row))
