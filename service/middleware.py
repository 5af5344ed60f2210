"""Request guards as plain ASGI middleware: the body-size limit and a timing log line; a
per-client rate limit on reads.

Plain ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware wraps every
request and response in extra streams and tasks, which bench_query showed as about a millisecond
per request on answers that take three.
"""

import logging
import math
import time

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import error_body

log = logging.getLogger("actorgraph.requests")


class RequestGuard:
    """Answers 413 to a body larger than `max_body_bytes`; logs every request's time.

    A body that declares its length is refused before it is read; a chunked one, which declares
    none, as soon as what has arrived passes the limit.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before it answers

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            length = Headers(scope=scope).get("content-length", "")
            if length.isdigit() and int(length) > self.max_body_bytes:
                too_large = JSONResponse(
                    error_body(
                        "body_too_large",
                        f"The body has {int(length):,} bytes; the limit is "
                        f"{self.max_body_bytes:,} (ACTORGRAPH_MAX_BODY_BYTES).",
                    ),
                    413,
                )
                await too_large(scope, receive, send_and_note_status)
            else:
                await self.app(scope, self._limited(receive), send_and_note_status)
        finally:
            log.info(
                "%s %s -> %d in %.1f ms",
                scope["method"],
                _printable(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )

    def _limited(self, receive: Receive) -> Receive:
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                # An HTTP error, so that FastAPI passes it on to the error handlers (413).
                raise HTTPException(413)
            return message

        return receive_within_limit


def _printable(text: str) -> str:
    """The text with control characters escaped: a path with %0A in it must not forge a line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


READ_METHODS = frozenset({"GET", "HEAD"})
UNLIMITED_PATHS = frozenset({"/health"})
"""A monitor polling health must never be told to slow down."""
_MAX_TRACKED_CLIENTS = 10_000


class ReadRateLimit:
    """A token bucket per client address for reads: `burst` requests at once, refilled at
    `per_second`; past it, 429 with `Retry-After`. Writes are bounded by the API key instead.

    Runs on the event loop, one request at a time, so the buckets need no lock. Behind a proxy,
    uvicorn takes the client from `X-Forwarded-For` when it trusts the proxy
    (`FORWARDED_ALLOW_IPS`).
    """

    def __init__(self, app: ASGIApp, per_second: float, burst: int) -> None:
        self.app = app
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}  # client: (tokens, when)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in READ_METHODS
            or scope["path"] in UNLIMITED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self._take(client[0] if client else "")
        if wait == 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        too_many = JSONResponse(
            error_body(
                "rate_limited",
                f"More than {self.burst} reads at once or {self.per_second:g} a second from "
                f"this client (ACTORGRAPH_READ_BURST, ACTORGRAPH_READ_RATE); retry after "
                f"{retry_after} s.",
            ),
            429,
            headers={"Retry-After": str(retry_after)},
        )
        await too_many(scope, receive, send)

    def _take(self, client: str) -> float:
        """Take a token for `client`: 0 if there was one, else the seconds until there is."""
        now = time.monotonic()
        if len(self._buckets) > _MAX_TRACKED_CLIENTS:
            self._forget_idle(now)
        tokens, when = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.per_second)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            return 0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        """Drop the clients whose bucket has refilled: they are as if never seen."""
        full_after = self.burst / self.per_second
        self._buckets = {
            client: (tokens, when)
            for client, (tokens, when) in self._buckets.items()
            if now - when < full_after
        }
