"""Extraction on a Ray cluster: a pool of Ray actors, each holding one `Extractor`, fed batches of
articles. The pool only extracts; the caller writes what it returns with `write_articles`, as a
single-process load does, so the graph is the one that load makes.

Actors rather than plain tasks or Ray Data: the spaCy model, the actor table and the relation
model take seconds and about 0.5 GB to load, and an actor loads them once, then extracts batch
after batch. Results come back in input order: which of two articles with the same text the graph
keeps depends on the order they are written in, and so does nothing else, but a load on Ray must
make exactly the graph a single-process load makes.

Failures: a worker whose process dies (killed, out of memory, its machine gone) is started again
by Ray, and the batches it held are sent to it again; a result lost with its machine is made
again by Ray too (or, if Ray cannot, counts as a failed batch). A batch that still fails is
split, and its articles are extracted one by one, so that one article that kills its worker (or
makes extraction raise) costs only itself: it is reported through `on_failure`, and every other
article of the batch is extracted and returned. Nothing is lost, and nothing is returned twice.
"""

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import ray
from ray.exceptions import ObjectLostError, RayActorError, RayTaskError

from graph_schema.models import Article, ExtractedArticle
from loaders.pipeline import Extractor
from loaders.read import ArticleError

LOCAL = "local"
"""The address that starts a Ray of its own on this machine instead of joining a cluster."""

TASK_BATCH = 32
"""Articles per task: what `nlp.pipe` parses at once (annotate.BATCH_SIZE), and small enough
that a batch sent again after a worker died is a few seconds of work."""

TASKS_PER_WORKER = 2
"""Batches queued on each worker: one being extracted, one waiting, so that a worker never idles
while its last result travels back."""

TASK_RETRIES = 2
"""Times Ray sends a batch again to its restarted worker after the worker's process died."""


class RayUnavailableError(Exception):
    """No Ray cluster could be started or joined; the message says why."""


def connect(address: str = LOCAL, cpus: int | None = None) -> None:
    """Start a Ray on this machine (`local`, with `cpus` CPUs, default all) or join the cluster
    at `address` (`auto`, or the head's `HOST:PORT`). Already connected: nothing to do."""
    if ray.is_initialized():
        return
    # Nothing leaves the machine: no usage report, no dashboard.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    options: dict[str, Any] = {
        "include_dashboard": False,
        # Workers' own output (spaCy's warnings, Ray's start-up lines) is not the user's;
        # what fails reaches the driver as an exception.
        "log_to_driver": False,
        "logging_level": logging.WARNING,
        "namespace": "actorgraph",
    }
    try:
        if address == LOCAL:
            # Ray's "local" starts a new Ray even where `ray start` left one running (or its
            # address file in /tmp/ray), which a bare ray.init() would join instead. Temporary
            # files go to Ray's default, /tmp/ray. Ray listens on every interface: its token
            # (made once, kept in ~/.ray/auth_token) is what keeps others out.
            ray.init(address=LOCAL, num_cpus=cpus or os.cpu_count(), **options)
        else:
            ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise RayUnavailableError(f"cannot reach Ray at {address}: {error}") from None


def cluster_cpus() -> int:
    """The CPUs of the cluster this process is connected to: one extraction worker each."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class ExtractionWorker:
    """A Ray actor holding one `Extractor`, loaded when the actor starts (or restarts)."""

    def __init__(self) -> None:
        self.extractor = Extractor()

    def pid(self) -> int:
        """Its process id: answering at all also says that the model is loaded."""
        return os.getpid()

    def extract(self, articles: list[Article]) -> list[ExtractedArticle]:
        return list(self.extractor.extract(articles))


# num_cpus=1: Ray places one worker per CPU. max_restarts=-1: a worker whose process died is
# started again for as long as the cluster has room; its queued batches follow it there.
_RemoteWorker: Any = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=TASK_RETRIES)(
    ExtractionWorker
)


@dataclass
class _Task:
    """A batch of articles sent to one worker, in the order the caller gave them."""

    articles: list[Article]
    worker: int
    result: Any  # the ObjectRef of the worker's list of extracted articles


class ExtractionPool:
    """Ray actors that extract articles; `extract` is `Extractor.extract` spread over them.

    Needs a connection (`connect`). The workers start, each loading the model, when the pool is
    made; `close` (or leaving a `with` block) stops them.
    """

    def __init__(
        self,
        workers: int | None = None,
        on_failure: Callable[[ArticleError], None] | None = None,
        batch_size: int = TASK_BATCH,
    ) -> None:
        """`workers`: how many, default one per CPU of the cluster; `on_failure`: told of every
        article that could not be extracted (without it, such an article raises)."""
        self.on_failure = on_failure
        self.batch_size = batch_size
        self.workers = [_RemoteWorker.remote() for _ in range(workers or cluster_cpus())]
        # Wait for every model: a worker that cannot start fails here, once, not batch by batch.
        ray.get([worker.pid.remote() for worker in self.workers])

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            ray.kill(worker)
        self.workers = []

    def pids(self) -> list[int]:
        """The worker processes' ids, in the order of `workers`."""
        return ray.get([worker.pid.remote() for worker in self.workers])

    def extract(
        self, articles: Iterable[Article], batch_size: int | None = None, n_process: int = 1
    ) -> Iterator[ExtractedArticle]:
        """Extract each article on the workers; yields them in input order, each once.

        `batch_size` articles go to a worker at a time (default the pool's); `n_process` is
        `Extractor.extract`'s and means nothing here: the pool's workers are its processes.
        """
        pending = iter(articles)
        size = batch_size or self.batch_size
        queued: deque[_Task] = deque()
        while True:
            while len(queued) < TASKS_PER_WORKER * len(self.workers) and (
                batch := list(islice(pending, size))
            ):
                queued.append(self._send(batch, queued))
            if not queued:
                return
            task = queued.popleft()
            try:
                yield from ray.get(task.result)
            except (RayActorError, RayTaskError, ObjectLostError) as error:
                if len(task.articles) == 1:
                    self._failed(task.articles[0], error)
                else:
                    # One by one, in the same place in the order, so the others are not lost.
                    singles = [self._send([article], queued) for article in task.articles]
                    queued.extendleft(reversed(singles))

    def _send(self, articles: list[Article], queued: deque[_Task]) -> _Task:
        """Send a batch to the worker with the fewest batches waiting."""
        waiting = [0] * len(self.workers)
        for task in queued:
            waiting[task.worker] += 1
        worker = waiting.index(min(waiting))
        return _Task(articles, worker, self.workers[worker].extract.remote(articles))

    def _failed(self, article: Article, error: Exception) -> None:
        if isinstance(error, RayTaskError):
            reason = f"extraction failed: {_one_line(error.cause)}"
        elif isinstance(error, ObjectLostError):
            reason = f"its extraction was lost with the machine that held it ({_one_line(error)})"
        else:
            reason = f"its Ray worker died {TASK_RETRIES + 1} times extracting it"
        failure = ArticleError(Path(article.id), reason)
        if self.on_failure is None:
            raise failure from error
        self.on_failure(failure)


def _one_line(error: BaseException | None) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())
