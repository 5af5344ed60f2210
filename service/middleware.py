"""Request guard: the body-size limit and a timing log line, as plain ASGI middleware.

Plain ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware wraps every
request and response in extra streams and tasks, which bench_query showed as about a millisecond
per request on answers that take three.
"""

import logging
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
