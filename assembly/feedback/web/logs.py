"""The logs of `assembly serve`, with its access token never in them.

The token is the whole of the server's access control: whoever sees it can read the feedback
log. aiohttp's access log writes every request line, token and query included, and
textual-serve's log handler prints tracebacks with their local variables (a request's repr holds
its path). So requests are logged by `AccessLog` (the path with the token and any download key
replaced, no query string), and every record that reaches the handler goes through
`RedactSecrets` first, message and traceback alike, whatever logger made it.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import IO

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

TOKEN_SHOWN = "<token>"
_DOWNLOAD = re.compile(r"/download/[^/?#\s\"']+")


def redact(text: str, token: str) -> str:
    """`text` with the access token and download keys (one-time secret names) replaced."""
    if token:
        text = text.replace(token, TOKEN_SHOWN)
    return _DOWNLOAD.sub("/download/<key>", text)


class AccessLog(AbstractAccessLogger):
    """One line per request: client, method, redacted path (no query string), status, bytes."""

    token = ""  # set by `access_log_for`

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %s %.3fs',
            request.remote,
            request.method,
            redact(request.path, self.token),
            response.status,
            response.body_length,
            time,
        )


def access_log_for(token: str) -> type[AbstractAccessLogger]:
    """The access-log class for a server with this token (aiohttp makes the instances)."""
    return type("ScrutinyAccessLog", (AccessLog,), {"token": token})  # not words


class RedactSecrets(logging.Filter):
    """Every record's message and traceback as text, with the token replaced (never dropped:
    the log is still there to read)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        record.msg, record.args = redact(text, self.token), None
        record.exc_info, record.exc_text = None, None
        return True


def log_handler(token: str, stream: IO[str]) -> logging.Handler:
    """A plain handler writing redacted records to `stream`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets(token))
    return handler
