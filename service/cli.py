"""The `actorgraph` command: a thin layer that parses, calls one library function, and prints."""

import json
import logging
import socket
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from neo4j import Driver
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from graph_schema.models import Article, ExtractedArticle, WriteSummary
from graph_schema.schema import apply_schema
from graph_schema.vocabulary import ActorKind, RelationType
from loaders.evaluate import Report, gold_from_annotations, load_gold, score
from loaders.read import ArticleError, count_articles, find_article_files, read_articles
from service.database import GraphUnavailableError, local_server, open_driver
from service.local_neo4j import LocalNeo4jError
from service.settings import Settings, get_settings

if TYPE_CHECKING:
    from graph_schema.models import Correction
    from loaders.annotations import CheckReport
    from loaders.distributed import ExtractionPool
    from loaders.metadata import MetadataSources
    from loaders.pipeline import Extractor
    from loaders.train import Trial

app = typer.Typer(
    help="actorgraph: a knowledge graph of political actors and their relations, from news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run the local Neo4j server (unused when NEO4J_URI is set).")
app.add_typer(neo4j_app, name="neo4j")
annotations_app = typer.Typer(
    help="The annotated corpus (annotations/): add drafts, check, freeze the test split."
)
app.add_typer(annotations_app, name="annotations")

err = Console(stderr=True, soft_wrap=True)

T = TypeVar("T")

PathsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Article files (.txt, first line the title; .jsonl, one article a line: id, text, "
        "title, published, source, url) or folders of them."
    ),
]
MetadataOption = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        help="A TSV or CSV table of the articles' metadata, keyed by file (a `file`, `path`, "
        "`filename` or `id` column) with any of date/published, title, source, url: such as "
        "the corpus index.tsv. A NAME.json beside NAME.txt is read without it.",
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published", help="The date of every article of this run (1987-03-03, 3 Mar 1987)."
    ),
]
SourceOption = Annotated[
    str | None, typer.Option("--source", help="The source of every article of this run.")
]
IdsFromPathsOption = Annotated[
    bool,
    typer.Option(
        "--ids-from-paths",
        help="Name each article found in a folder by its path below that folder "
        "(business/001.txt is business-001), not by its file name alone: for corpora whose "
        "folders reuse file names.",
    ),
]
ProcessesOption = Annotated[
    int,
    typer.Option(
        "--processes",
        min=1,
        help="Parse with this many spaCy processes: pays off on bulk loads when the cores are "
        "otherwise idle; for a handful of articles, starting them costs more than it saves.",
    ),
]
RayOption = Annotated[
    str | None,
    typer.Option(
        "--ray",
        metavar="ADDRESS",
        help="Extract on Ray (the `ray` extra): `local` starts a Ray on this machine; `auto` "
        "joins the cluster this machine is part of (`ray start`); HOST:6379 joins the cluster "
        "whose head that is. Writing to Neo4j stays in this process, batch by batch.",
    ),
]
RayWorkersOption = Annotated[
    int | None,
    typer.Option(
        "--ray-workers",
        min=1,
        help="With --ray: extraction workers, each loading the model once (about 0.5 GB); "
        "default one per CPU of the cluster (for `local`, of this machine).",
    ),
]


AnnotationsOption = Annotated[
    Path, typer.Option("--annotations", help="The annotations folder (train/, dev/, test/ ...).")
]
CorpusOption = Annotated[
    Path,
    typer.Option("--corpus", help="The corpus folder that annotation paths are below."),
]
DEFAULT_ANNOTATIONS = Path("annotations")
DEFAULT_CORPUS = Path("../shared/corpus")


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(1)


class _FailureLog:
    """Reports each bad file on one line as it is met, and remembers that one failed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, error: ArticleError) -> None:
        self.count += 1
        err.print(f"[red]skipped[/red] {escape(str(error))}", highlight=False)


class _RateColumn(ProgressColumn):
    """Items a second, and the failures so far when there are any."""

    def __init__(self, failures: _FailureLog | None) -> None:
        super().__init__()
        self.failures = failures

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        text = Text(f"{speed:.1f}/s" if speed else "")
        if self.failures is not None and self.failures.count:
            text.append(f" {self.failures.count} failed", style="red")
        return text


@contextmanager
def _progress(
    total: int, what: str, failures: _FailureLog | None = None
) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr (hidden for one item): done of total, rate, time left and
    failures as they happen; yields the function that advances it."""
    columns = (
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(failures),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=total < 2) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task, 1)


def _with_progress(items: Iterable[T], total: int, what: str) -> Iterator[T]:
    """Yield `items`, advancing a progress bar by one for each."""
    with _progress(total, what) as advance:
        for item in items:
            yield item
            advance()


def _articles(
    paths: list[Path],
    failures: _FailureLog,
    ids_from_paths: bool,
    metadata: "MetadataSources | None" = None,
) -> tuple[int, Iterator[Article]]:
    """How many articles `paths` hold, and the articles as they are read."""
    files = list(find_article_files(paths, ids_from_paths))
    return count_articles(files), read_articles(files, failures, metadata)


def _metadata_sources(
    table: Path | None, published: str | None, source: str | None
) -> "MetadataSources":
    from pydantic import ValidationError

    from loaders.metadata import (
        Metadata,
        MetadataError,
        MetadataSources,
        MetadataTable,
        validation_reasons,
    )

    try:
        run = Metadata.model_validate({"published": published, "source": source})
    except ValidationError as error:
        raise _fail(f"--{validation_reasons(error)}") from None
    try:
        return MetadataSources(run, MetadataTable(table) if table else None)
    except MetadataError as error:
        raise _fail(str(error)) from None


def _extractor() -> "Extractor":
    from loaders.pipeline import Extractor  # loads the model: only in commands that extract

    return Extractor()


def _ray_extractor(address: str, workers: int | None, failures: _FailureLog) -> "ExtractionPool":
    """Extraction workers on Ray, started (models loaded) before this returns."""
    try:
        from loaders import distributed
    except ImportError:
        raise _fail("--ray needs Ray: install actorgraph with its `ray` extra") from None
    try:
        distributed.connect(address, cpus=workers)
    except distributed.RayUnavailableError as error:
        raise _fail(str(error)) from None
    return distributed.ExtractionPool(workers, on_failure=failures)


@contextmanager
def _driver(settings: Settings) -> Iterator[Driver]:
    try:
        driver = open_driver(settings)
    except GraphUnavailableError as error:
        raise _fail(str(error)) from None
    with driver:
        try:
            driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError) as error:
            hint = "start it with `actorgraph neo4j start`" if settings.uses_local_server else ""
            raise _fail(f"Neo4j is not reachable: {_one_line(error)}. {hint}".strip()) from None
        try:
            yield driver
        except (ServiceUnavailable, SessionExpired) as error:
            raise _fail(
                f"Neo4j stopped answering ({_one_line(error)}); what was written before is kept, "
                "and the same command run again finishes the work."
            ) from None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


@app.command()
def extract(
    paths: PathsArgument,
    actors: Annotated[
        bool, typer.Option("--actors", help="One line per actor per article.")
    ] = False,
    all_claims: Annotated[
        bool, typer.Option("--all", help="Add negated and hypothetical claims, marked as such.")
    ] = False,
    processes: ProcessesOption = 1,
    ids_from_paths: IdsFromPathsOption = False,
    metadata: MetadataOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
) -> None:
    """Extract actors and relations to JSON lines on stdout; needs no Neo4j."""
    failures = _FailureLog()
    sources = _metadata_sources(metadata, published, source)
    total, articles = _articles(paths, failures, ids_from_paths, sources)
    extracted_articles = _extractor().extract(articles, n_process=processes)
    for extracted in _with_progress(extracted_articles, total, "extracting"):
        for line in (_actor_lines if actors else _relation_lines)(extracted, all_claims):
            sys.stdout.write(line + "\n")
    if failures.count:
        raise typer.Exit(1)


def _relation_lines(extracted: ExtractedArticle, all_claims: bool) -> Iterator[str]:
    for claim in extracted.claims:
        if not (all_claims or claim.is_asserted):
            continue
        line = {
            "article_id": claim.article_id,
            "type": claim.type.value,
            "source": claim.source.model_dump(mode="json"),
            "target": claim.target.model_dump(mode="json"),
            "evidence": claim.evidence.model_dump(mode="json"),
            "confidence": claim.confidence,
            "pattern": claim.pattern,
        }
        if all_claims:
            line |= {"polarity": claim.polarity.value, "modality": claim.modality.value}
        yield json.dumps(line, ensure_ascii=False)


def _actor_lines(extracted: ExtractedArticle, _: bool) -> Iterator[str]:
    for actor in extracted.actors:
        fields = actor.model_dump(mode="json", include={"id", "name", "kind", "mentions"})
        yield json.dumps({"article_id": extracted.article.id, **fields}, ensure_ascii=False)


@app.command()
def load(
    paths: PathsArgument,
    processes: ProcessesOption = 1,
    ids_from_paths: IdsFromPathsOption = False,
    metadata: MetadataOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    ray: RayOption = None,
    ray_workers: RayWorkersOption = None,
) -> None:
    """Extract articles and write them into Neo4j; loading the same files again adds nothing.

    Dates, sources, titles and URLs come from, strongest first: --published and --source; a
    NAME.json beside NAME.txt, or a .jsonl line's own fields; the --metadata table; the text
    itself ("date 2021-04-07 Source/ ..."). A date in no form actorgraph reads fails its file.
    """
    from loaders.pipeline import load_articles

    settings = get_settings()
    failures = _FailureLog()
    total = WriteSummary()
    sources = _metadata_sources(metadata, published, source)
    count, articles = _articles(paths, failures, ids_from_paths, sources)
    if ray is not None and processes != 1:
        raise _fail("--processes is for extraction on this machine; with --ray, give --ray-workers")
    extractor = _extractor() if ray is None else _ray_extractor(ray, ray_workers, failures)
    with _driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        with _progress(count, "loading", failures) as advance:
            loaded = load_articles(
                extractor, driver, settings.neo4j_database, articles, processes, advance
            )
            for _, added in loaded:
                total += added
                for duplicate in added.duplicates:
                    err.print(
                        f"{duplicate.id}: the same text as article {duplicate.duplicate_of}; "
                        "counted once",
                        highlight=False,
                    )
    err.print(
        f"loaded {total.articles} new article(s), "
        + (f"{total.replaced} updated, " if total.replaced else "")
        + (f"{len(total.duplicates)} duplicate(s), " if total.duplicates else "")
        + f"{total.unchanged} unchanged; added "
        f"{total.actors} actor(s), {total.claims} claim(s), {total.relationships} relation(s)"
        + (f"; {failures.count} file(s) failed" if failures.count else ""),
        highlight=False,
    )
    if failures.count:
        raise typer.Exit(1)


@app.command()
def delete(
    ids: Annotated[list[str], typer.Argument(help="Ids of the articles to delete.")],
) -> None:
    """Delete articles: their claims go, the edges they backed are recounted, and actors left
    with no claim and no mention go."""
    from loaders.write import delete_articles

    settings = get_settings()
    with _driver(settings) as driver:
        deleted = delete_articles(driver, settings.neo4j_database, ids)
    for missing in deleted.missing:
        err.print(f"{missing}: no article has this id", highlight=False)
    err.print(
        f"deleted {len(deleted.articles)} article(s), {deleted.claims} claim(s), "
        f"{deleted.actors} actor(s) left with nothing",
        highlight=False,
    )
    if deleted.missing:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API with uvicorn (the explorer at /, OpenAPI docs at /docs)."""
    import uvicorn

    from service.app import create_app

    _ensure_port_free(host, port)
    err.print(f"Explorer:      http://{host}:{port}/", highlight=False)
    err.print(f"API docs:      http://{host}:{port}/docs", highlight=False)
    if get_settings().uses_local_server:
        err.print(f"Neo4j Browser: {local_server(get_settings()).browser_url}", highlight=False)
    # Our request log line has the timing uvicorn's access log lacks: it replaces it.
    requests_log = logging.getLogger("actorgraph.requests")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    requests_log.addHandler(handler)
    requests_log.setLevel(logging.INFO)
    uvicorn.run(create_app(), host=host, port=port, access_log=False)


def _ensure_port_free(host: str, port: int) -> None:
    """Fail in one line where uvicorn would start, then log a bind error and exit."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise _fail(
                f"cannot listen on {host}:{port} ({error.strerror}): is another `actorgraph "
                "serve` running? Stop it, or choose another port with --port."
            ) from None


@neo4j_app.command("install")
def neo4j_install() -> None:
    """Fetch the Neo4j server jars from Maven Central (once)."""
    try:
        local_server(get_settings()).ensure_installed()
    except LocalNeo4jError as error:
        raise _fail(str(error)) from None


@neo4j_app.command("start")
def neo4j_start(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for Bolt.")] = 120.0,
) -> None:
    """Start the local Neo4j in the background and wait until it answers."""
    settings = get_settings()
    if not settings.uses_local_server:
        raise _fail(f"NEO4J_URI is set ({settings.neo4j_uri}): nothing local to start.")
    server = local_server(settings)
    try:
        server.ensure_installed()
        status = server.start(timeout=timeout)
    except LocalNeo4jError as error:
        raise _fail(str(error)) from None
    err.print(
        f"Neo4j is running (pid {status.pid}): Bolt {status.bolt_uri}, "
        f"Browser {status.browser_url} (user neo4j, password in {status.home / 'password'} "
        "unless NEO4J_PASSWORD is set)",
        highlight=False,
    )


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    stopped = local_server(get_settings()).stop()
    err.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs, and where."""
    settings = get_settings()
    if not settings.uses_local_server:
        err.print(f"using the Neo4j at NEO4J_URI={settings.neo4j_uri}; nothing local")
        return
    status = local_server(settings).status()
    if status.running:
        print(f"running (pid {status.pid}): Bolt {status.bolt_uri}, Browser {status.browser_url}")
    else:
        print(f"not running (home {status.home})")
        raise typer.Exit(3)


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="With --gold: the article files (.txt) or folders to score."),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Folder of gold files (*_relations.jsonl, *_negatives.jsonl, *_actors.jsonl), "
            "scored on the articles PATHS names (the seeds: --gold ../shared/gold seeds/)."
        ),
    ] = None,
    split: Annotated[
        str | None,
        typer.Option(
            help="Score a split of the annotated corpus instead: train, dev or test (the model "
            "is trained on train and dev: only test is unseen; `train` prints dev's "
            "cross-validated scores)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the scores as one JSON object, no error lists.")
    ] = False,
    min_confidence: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Count only claims of at least this confidence (as the API's min_confidence).",
        ),
    ] = 0.0,
    ids_from_paths: IdsFromPathsOption = False,
    annotations: AnnotationsOption = DEFAULT_ANNOTATIONS,
    corpus: CorpusOption = DEFAULT_CORPUS,
) -> None:
    """Score extraction against hand annotations: precision, recall, F1, and every error."""
    if (gold is None) == (split is None):
        raise _fail("give either --split train|dev|test, or --gold DIR with article PATHS")
    if split is not None:
        report = _score_split(split, annotations, corpus, min_confidence)
        failed = 0
    else:
        assert gold is not None
        if not gold.is_dir():
            raise _fail(f"{gold}: not a folder of gold files")
        if not paths:
            raise _fail("--gold needs the article files or folders to score")
        failures = _FailureLog()
        total, articles = _articles(paths, failures, ids_from_paths)
        extracted = _with_progress(_extractor().extract(articles), total, "extracting")
        report = score(load_gold(gold), extracted, min_confidence)
        failed = failures.count
    if as_json:
        print(json.dumps(report.summary()))
    elif split == "test":
        _print_report(report, list_errors=False)
        # Later work may score on the frozen test split, never learn from its errors.
        print("the errors of the frozen test split are not listed")
    else:
        _print_report(report)
    if failed:
        raise typer.Exit(1)


def _score_split(split: str, annotations: Path, corpus: Path, min_confidence: float) -> Report:
    from loaders.annotations import SCORED_SPLITS, AnnotationError, Corpus, read_split
    from loaders.read import article_from_text

    if split not in SCORED_SPLITS:
        raise _fail(f"--split must be one of {', '.join(SCORED_SPLITS)}")
    try:
        items = list(read_split(Corpus(annotations, corpus), [split]))  # type: ignore[list-item]
    except AnnotationError as error:
        raise _fail(str(error)) from None
    if not items:
        raise _fail(f"no annotated articles in {annotations / split}")
    articles = (
        article_from_text(item.annotation.article_id, item.text, origin=Path(item.annotation.path))
        for item in items
    )
    extracted = _with_progress(_extractor().extract(articles), len(items), "extracting")
    return score(gold_from_annotations(items), extracted, min_confidence)


def _print_report(report: Report, list_errors: bool = True) -> None:
    """The score table, then (unless `list_errors` is off) every miss and false positive."""
    from rich.table import Table

    out = Console(soft_wrap=True)
    # Borderless, so that the table fits 80 columns and pastes cleanly into notes.
    table = Table("type", "predicted", "correct", "required", "found", "P", "R", "F1", box=None)
    rows = [*((t.value, s) for t, s in report.by_type.items()), ("overall", report.overall)]
    for name, s in rows:
        table.add_row(
            name, *map(str, (s.predicted, s.correct, s.required, s.found)),
            f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
        )  # fmt: skip
    out.print(table)
    out.print(f"calibration error: {report.calibration_error:.3f}")
    out.print(f"negatives produced: {len(report.negatives_produced)}")
    if not list_errors:
        return
    for negative, sentence in report.negatives_produced:
        out.print(f"  {' | '.join(map(str, negative.triple))} :: {sentence}", highlight=False)
    out.print(f"gold actors split over several nodes: {report.duplicated_actors or 'none'}")
    out.print(f"nodes joining several gold actors: {report.merged_actors or 'none'}")
    out.print(f"misses ({len(report.misses)}):")
    for miss in report.misses:
        out.print(f"  {' | '.join(map(str, miss.triple))} :: {miss.evidence}", highlight=False)
    out.print(f"false positives ({len(report.false_positives)}):")
    for triple, sentence in report.false_positives:
        out.print(f"  {' | '.join(map(str, triple))} :: {sentence}", highlight=False)


@annotations_app.command("add")
def annotations_add(
    drafts: Annotated[list[Path], typer.Argument(help="Draft files (YAML), one per article.")],
    split: Annotated[
        str | None,
        typer.Option(
            help="train, dev, test or written; needed only for articles not in "
            "splits.tsv (written texts, articles chosen later)."
        ),
    ] = None,
    stratum: Annotated[str | None, typer.Option(help="The stratum, with --split.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the drafts against their texts; write nothing.")
    ] = False,
    annotations: AnnotationsOption = DEFAULT_ANNOTATIONS,
    corpus: CorpusOption = DEFAULT_CORPUS,
) -> None:
    """Anchor drafts to their texts (offsets and hashes, no text) and save them in their split."""
    from loaders.annotations import SPLITS, Corpus, add_drafts, sentence_splitter

    if split is not None and split not in SPLITS:
        raise _fail(f"--split must be one of {', '.join(SPLITS)}")
    failed = 0
    results = add_drafts(
        Corpus(annotations, corpus),
        drafts,
        sentence_splitter(),
        split=split,  # type: ignore[arg-type]
        stratum=stratum,
        write=not dry_run,
    )
    for path, result in _with_progress(results, len(drafts), "anchoring"):
        if isinstance(result, Exception):
            failed += 1
            err.print(f"[red]error[/red] {result}", highlight=False)
        else:
            counts = f"{len(result.relations)} relation(s), {len(result.negatives)} negative(s)"
            verb = "checked" if dry_run else f"wrote {result.split}/{result.file_name}:"
            print(f"{verb} {path.name}: {counts}")
    if failed:
        raise _fail(f"{failed} of {len(drafts)} draft(s) did not fit their texts")


@annotations_app.command("check")
def annotations_check(
    annotations: AnnotationsOption = DEFAULT_ANNOTATIONS,
    corpus: CorpusOption = DEFAULT_CORPUS,
) -> None:
    """Validate every annotation file against its text, and count articles and relations."""
    from loaders.annotations import Corpus, check_corpus

    report = check_corpus(Corpus(annotations, corpus))
    _print_counts(report)
    for problem in report.problems:
        err.print(f"[red]error[/red] {problem}", highlight=False)
    if not report.ok:
        raise _fail(f"{len(report.problems)} problem(s) in {annotations}")


def _print_counts(report: "CheckReport") -> None:
    from rich.table import Table

    types = [t.value for t in RelationType]
    table = Table("split", "articles", *types, "required", "optional", "negatives", box=None)
    # Nine columns: wider than the 80 that rich assumes when printing into a pipe.
    rows = [*report.counts.items(), ("all", report.total)]
    for split, counts in rows:
        table.add_row(
            split, str(counts.articles), *(str(counts.required[t]) for t in types),
            str(sum(counts.required.values())), str(sum(counts.optional.values())),
            str(sum(counts.negatives.values())),
        )  # fmt: skip
    Console(soft_wrap=True, width=120).print(table)


@annotations_app.command("freeze")
def annotations_freeze(annotations: AnnotationsOption = DEFAULT_ANNOTATIONS) -> None:
    """Freeze the test split: record the hash of every test file; later changes fail the check."""
    from loaders.annotations import Corpus, freeze_test_split

    count = freeze_test_split(Corpus(annotations, DEFAULT_CORPUS))
    print(f"froze {count} test annotation file(s)")


@app.command()
def train(
    output: Annotated[
        Path | None,
        typer.Option(help="Where to write the model; default: the one extraction ships with."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the fit and of any subsample.")] = 0,
    learning_curve: Annotated[
        bool,
        typer.Option(
            "--learning-curve",
            help="Cross-validate on 25%, 50% and 100% of the training folds (at the shipped "
            "model's regularisation) and print the best scores; write nothing.",
        ),
    ] = False,
    annotations: AnnotationsOption = DEFAULT_ANNOTATIONS,
    corpus: CorpusOption = DEFAULT_CORPUS,
) -> None:
    """Train the relation model on annotations/train, dev and written/; never test.

    Regularisation and threshold are chosen by five-fold cross-validation over train and dev
    (written/ always trains), and the model is then fitted on all of them.
    """
    from loaders import train as training
    from loaders.annotations import AnnotationError, Corpus, read_split
    from loaders.model import relation_model, shipped_model_path
    from loaders.pipeline import Extractor

    source = Corpus(annotations, corpus)
    try:
        pool_items = list(read_split(source, ["train", "dev"]))
        written_items = list(read_split(source, ["written"]))
    except AnnotationError as error:
        raise _fail(str(error)) from None
    if not any(item.annotation.split == "dev" for item in pool_items):
        raise _fail(f"training needs annotated articles in {annotations}/train and /dev")
    extractor = Extractor(model=None)
    err.print(
        f"reading {len(pool_items)} train and dev articles and {len(written_items)} written texts"
    )
    pool = training.read_all(extractor, training.parse(extractor, pool_items))
    always = training.examples(extractor, training.parse(extractor, written_items))
    if learning_curve:
        shipped = relation_model()
        regularisation = shipped.record.regularisation if shipped is not None else 1.0
        for fraction in (0.25, 0.5, 1.0):
            validation = training.cross_validate(
                extractor, pool, always, regularisation, seed, fraction
            )
            top = max(validation.trials, key=lambda trial: trial.report.overall.f1)
            _print_trial(f"{fraction:.0%} of the training folds", top)
        return
    err.print(
        f"cross-validating {len(training.REGULARISATION)} strengths over {training.FOLDS} folds"
    )
    model, best = training.tune(extractor, pool, always, seed)
    _print_trial(f"C={best.regularisation} threshold={model.threshold:.3f}", best)
    _print_report(best.report, list_errors=False)
    target = output or shipped_model_path()
    target.write_text(model.model_dump_json() + "\n", "utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {len(model.weights):,} features)")


def _print_trial(label: str, trial: "Trial") -> None:
    """One line: the trial's cross-validated scores over train and dev, and on dev alone."""
    overall, dev = trial.report.overall, trial.dev_report.overall
    print(
        f"{label}: cross-validated P {overall.precision:.3f} R {overall.recall:.3f} "
        f"F1 {overall.f1:.3f}; on dev P {dev.precision:.3f} R {dev.recall:.3f} F1 {dev.f1:.3f}"
    )


@app.command()
def explain(
    claim_id: Annotated[str, typer.Argument(help="A claim id (the API shows them as claim_id).")],
) -> None:
    """Why a claim was made: its sentence, pattern, model version and strongest features."""
    from service.queries import claim_detail

    settings = get_settings()
    with _driver(settings) as driver:
        claim = claim_detail(driver, settings.neo4j_database, claim_id)
    if claim is None:
        raise _fail(f"no claim has the id {claim_id!r}")
    print(f"{claim.source.name} {claim.type} {claim.target.name}")
    print(f"  article    {claim.article_id}: {claim.article_title} ({claim.date or 'undated'})")
    print(f"  sentence   [{claim.start}:{claim.end}] {claim.sentence}")
    print(f"  reading    {claim.polarity}, {claim.modality}; confidence {claim.confidence}")
    print(f"  pattern    {claim.pattern}")
    if claim.model:
        print(f"  model      {claim.model}")
        for feature in claim.features:
            print(f"    {feature}")


# ---------------------------------------------------------------------------------- curate

curate_app = typer.Typer(
    help="Correct the graph: merges, splits, aliases, kinds, rejected and confirmed claims. "
    "Corrections are stored apart from extraction and survive every reload; each can be undone."
)
app.add_typer(curate_app, name="curate")

ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept with the correction.")]
AuthorOption = Annotated[
    str | None,
    typer.Option(
        "--author",
        envvar="ACTORGRAPH_AUTHOR",
        help="Who corrects (default: ACTORGRAPH_AUTHOR, else the login name).",
    ),
]
ActorArgument = Annotated[str, typer.Argument(help="The actor's id (as /actors shows it).")]
AliasArgument = Annotated[str, typer.Argument(help="The name, as articles write it.")]
ClaimArgument = Annotated[str, typer.Argument(help="The claim's id (as evidence items show it).")]


def _author(author: str | None) -> str:
    import getpass

    return author or getpass.getuser()


def _correct(**fields: object) -> None:
    """Make one correction and say what it did."""
    from pydantic import ValidationError

    from graph_schema.models import CorrectionIn
    from loaders.curate import CorrectionError, make_correction
    from loaders.metadata import validation_reasons

    try:
        request = CorrectionIn.model_validate(fields)
    except ValidationError as error:
        raise _fail(validation_reasons(error)) from None
    settings = get_settings()
    with _driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        try:
            made = make_correction(driver, settings.neo4j_database, request)
        except CorrectionError as error:
            raise _fail(str(error)) from None
    err.print(f"correction {made.id}: {_describe(made)}", highlight=False, markup=False)


def _describe(correction: "Correction") -> str:
    c = correction
    what = {
        "merge": f"{c.actor} merged into {c.into}",
        "split": f"{c.alias!r} split off {c.actor} as {c.name} ({c.kind})",
        "add_alias": f"{c.alias!r} added to {c.actor}",
        "remove_alias": f"{c.alias!r} removed from {c.actor}",
        "set_kind": f"{c.actor} is a {c.kind}",
        "reject": f"claim {c.claim} rejected",
        "confirm": f"claim {c.claim} confirmed",
    }[c.action.value]
    undone = f" [undone by {c.undone_by} {c.undone_at:%Y-%m-%d}]" if c.undone_at else ""
    return f"{what} by {c.author}, {c.at:%Y-%m-%d %H:%M}: {c.reason}{undone}"


@curate_app.command("merge")
def curate_merge(
    actor: ActorArgument,
    into: Annotated[str, typer.Argument(help="The actor kept.")],
    reason: ReasonOption,
    author: AuthorOption = None,
) -> None:
    """ACTOR is INTO: its claims, mentions and aliases go to INTO."""
    _correct(action="merge", actor=actor, into=into, reason=reason, author=_author(author))


@curate_app.command("split")
def curate_split(
    actor: ActorArgument,
    alias: AliasArgument,
    reason: ReasonOption,
    name: Annotated[
        str | None, typer.Option(help="The new actor's name (default: the alias).")
    ] = None,
    kind: Annotated[
        ActorKind | None, typer.Option(help="The new actor's kind (default: ACTOR's).")
    ] = None,
    author: AuthorOption = None,
) -> None:
    """ALIAS names another actor: it leaves ACTOR, and claims whose sentence writes it go to
    the new actor (or to the existing actor of that name)."""
    _correct(
        action="split", actor=actor, alias=alias, name=name, kind=kind, reason=reason,
        author=_author(author),
    )  # fmt: skip


@curate_app.command("add-alias")
def curate_add_alias(
    actor: ActorArgument, alias: AliasArgument, reason: ReasonOption, author: AuthorOption = None
) -> None:
    """ACTOR is also called ALIAS (found by search and by /ask)."""
    _correct(action="add_alias", actor=actor, alias=alias, reason=reason, author=_author(author))


@curate_app.command("remove-alias")
def curate_remove_alias(
    actor: ActorArgument, alias: AliasArgument, reason: ReasonOption, author: AuthorOption = None
) -> None:
    """ACTOR is not called ALIAS; reloads do not give it back."""
    _correct(action="remove_alias", actor=actor, alias=alias, reason=reason, author=_author(author))


@curate_app.command("kind")
def curate_kind(
    actor: ActorArgument,
    kind: Annotated[ActorKind, typer.Argument(help="The actor's kind.")],
    reason: ReasonOption,
    author: AuthorOption = None,
) -> None:
    """ACTOR is of KIND."""
    _correct(action="set_kind", actor=actor, kind=kind, reason=reason, author=_author(author))


@curate_app.command("reject")
def curate_reject(claim: ClaimArgument, reason: ReasonOption, author: AuthorOption = None) -> None:
    """The claim is wrong: it backs no edge, and stays visible as rejected."""
    _correct(action="reject", claim=claim, reason=reason, author=_author(author))


@curate_app.command("confirm")
def curate_confirm(claim: ClaimArgument, reason: ReasonOption, author: AuthorOption = None) -> None:
    """The claim is right: it backs its edge with confidence 1."""
    _correct(action="confirm", claim=claim, reason=reason, author=_author(author))


@curate_app.command("undo")
def curate_undo(
    correction_id: Annotated[str, typer.Argument(help="The correction's id (see `list`).")],
    author: AuthorOption = None,
) -> None:
    """Undo a correction (newest first where two touch the same actor or claim)."""
    from loaders.curate import CorrectionError, undo_correction

    settings = get_settings()
    with _driver(settings) as driver:
        try:
            undone = undo_correction(
                driver, settings.neo4j_database, correction_id, _author(author)
            )
        except CorrectionError as error:
            raise _fail(str(error)) from None
    err.print(f"undone {undone.id}: {_describe(undone)}", highlight=False, markup=False)


@curate_app.command("list")
def curate_list(
    active_only: Annotated[bool, typer.Option(help="Leave out undone corrections.")] = False,
) -> None:
    """Every correction, oldest first, one a line."""
    from loaders.curate import list_corrections

    settings = get_settings()
    with _driver(settings) as driver:
        corrections = list_corrections(driver, settings.neo4j_database, not active_only)
    for correction in corrections:
        typer.echo(f"{correction.id}  {_describe(correction)}")


@curate_app.command("export")
def curate_export(
    file: Annotated[Path, typer.Argument(help="The YAML file to write.")],
) -> None:
    """Write every correction (undone ones too) to one YAML file, to review and share in git."""
    import yaml

    from graph_schema.models import CorrectionsFile
    from loaders.curate import list_corrections

    settings = get_settings()
    with _driver(settings) as driver:
        corrections = list_corrections(driver, settings.neo4j_database)
    content = CorrectionsFile(corrections=corrections).model_dump(mode="json", exclude_none=True)
    file.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), "utf-8")
    err.print(f"wrote {len(corrections)} correction(s) to {file}", highlight=False)


@curate_app.command("import")
def curate_import(
    file: Annotated[Path, typer.Argument(help="A YAML file that `export` wrote.")],
) -> None:
    """Make every correction of FILE that the graph does not have yet, in the order they were
    made; running it again changes nothing."""
    import yaml
    from pydantic import ValidationError

    from graph_schema.models import CorrectionsFile
    from loaders.curate import CorrectionError, import_corrections
    from loaders.metadata import validation_reasons

    try:
        content = CorrectionsFile.model_validate(yaml.safe_load(file.read_text("utf-8")))
    except OSError as error:
        raise _fail(f"{file}: {error.strerror}") from None
    except (yaml.YAMLError, ValidationError) as error:
        reason = validation_reasons(error) if isinstance(error, ValidationError) else None
        raise _fail(f"{file}: not a corrections file: {reason or _one_line(error)}") from None
    settings = get_settings()
    with _driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        try:
            made, known = import_corrections(driver, settings.neo4j_database, content.corrections)
        except CorrectionError as error:
            raise _fail(f"{file}: {error}; nothing after it was imported") from None
    err.print(f"imported {made} correction(s); {known} already there", highlight=False)
