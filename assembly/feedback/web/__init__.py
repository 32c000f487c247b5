"""`assembly serve`: the read-only Scrutiny screens in a browser, for invited viewers only.

textual-serve runs the app once per browser tab and streams it over a websocket. On its own it
answers anyone who can reach the port, from any web page (no Origin check), starts a pair of
processes per connection without limit and loads Google Fonts. `ScrutinyServer` wraps it:

- every address carries a random access token (`/<token>/`), printed once, like Jupyter's; a
  request without it gets a plain 403 page, and the token is never sent on as a Referer;
- the websocket must come from the page's own origin, so another web site the viewer visits
  cannot open a session in their browser;
- at most `max_viewers` sessions run at once; one more gets a plain "try again later" page;
- fonts, scripts and styles are served from this computer;
- every page, refusals and errors included, is a whole page (language, title, viewport: it reads
  on a phone) from one template, `templates/page.html`, rendered like every other page of the
  app (`assembly.core.html`);
- every response, redirects included, carries the security headers and names no software
  version (`Server: assembly-serve`, as the room sends `assembly-room`), and when listening
  beyond this computer the printed address is one other computers can reach: both as the room
  does, from `assembly.core.web_security`;
- no log holds the token: requests are logged with it replaced, and every log record is
  redacted on its way out (`logs.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import sys
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from assembly.core.html import render
from assembly.core.i18n import N_, _, ngettext, working
from assembly.core.web_security import (
    LOOPBACK,
    name_the_server,
    reachable_address,
    stamp_responses,
)
from assembly.feedback.web.logs import access_log_for, log_handler, redact

log = logging.getLogger(__name__)
DEFAULT_MAX_VIEWERS = 4
# instead of aiohttp's "Python/3.x aiohttp/3.x": no versions
SERVER_NAME = "assembly-serve"  # not words
# textual-serve's page runs its terminal from scripts and inline styles, over a websocket.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'"  # not words
)


def _to_int(text: str, default: int) -> int:
    try:
        return max(6, min(int(text), 48))
    except ValueError:
        return default


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


ERRORS = {  # what a viewer is told for aiohttp's own refusals (a wrong address, a POST)
    404: (
        N_("Not found"),
        N_("There is nothing at this address. Open the link you were given again."),
    ),
    405: (
        N_("Not allowed"),
        N_("These screens can only be read, so this request is not allowed."),
    ),
}


def _html(template: str, status: int = 200, **context: object) -> web.Response:
    """A page from this package's `templates/`, through the app's one Jinja2 environment."""
    return web.Response(
        text=render(__package__, template, **context),
        status=status,
        content_type="text/html",
        charset="utf-8",
    )


def error_page(status: int, title: str, text: str) -> web.Response:
    """A refusal or error as a whole page (`templates/page.html`), in the working language."""
    tr = working()
    return _html("page.html", status, title=title, text=text, lang=tr.language, dir=tr.dir)


class ScrutinyServer(Server):
    """textual-serve's server behind an access token, an Origin check and a viewer cap."""

    def __init__(
        self,
        command: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        title: str | None = None,
        token: str | None = None,
        max_viewers: int = DEFAULT_MAX_VIEWERS,
    ) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.max_viewers = max_viewers
        self.viewers = 0
        address = reachable_address(host)
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=f"http://{_url_host(address)}:{port}",
        )

    @property
    def url(self) -> str:
        """The address to give to invited viewers (it holds the token)."""
        return f"{self.public_url}/{self.token}/"

    # --- routes ---------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._as_pages, self._guard])
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(prefix, self._add_slash),
                web.get(f"{prefix}/", self.handle_index, name="index"),
                web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static(f"{prefix}/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        stamp_responses(app, server=SERVER_NAME, content_security_policy=CONTENT_SECURITY_POLICY)
        return app

    async def _add_slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"/{self.token}/")

    def _has_token(self, request: web.Request) -> bool:
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        return secrets.compare_digest(first.encode(), self.token.encode())

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        if request.path.startswith("/download/"):
            # a download key is itself an unguessable one-time name, handed only to a session
            return await handler(request)
        if not self._has_token(request):
            given = request.query.get("token", "")
            if given and secrets.compare_digest(given.encode(), self.token.encode()):
                raise web.HTTPFound(f"/{self.token}/")
            return error_page(
                403,
                _("Access link needed"),
                _(
                    "This page is open only to people given its access link, which 'assembly "
                    "serve' printed when it started. Ask the person running it for the full link."
                ),
            )
        if self._missing_static_file(request):
            raise web.HTTPNotFound()  # aiohttp would send an empty 404, not a page
        return await handler(request)

    @web.middleware
    async def _as_pages(self, request: web.Request, handler) -> web.StreamResponse:
        """aiohttp's own refusals (no such address, a POST) and any error as a whole page."""
        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.status < 400:
                raise  # a redirect
            if error.status in ERRORS:
                title, text = (_(words) for words in ERRORS[error.status])
            else:
                title, text = error.reason, _("This request was refused.")
            page = error_page(error.status, title, text)
            if "Allow" in error.headers:
                page.headers["Allow"] = error.headers["Allow"]
            return page
        except Exception:
            if request.writer.output_size > 0:
                raise  # part of a response went out already: aiohttp closes the connection
            log.exception("Error handling %s", redact(request.path, self.token))  # not words
            return error_page(
                500,
                _("Something went wrong"),
                _(
                    "The server could not show this page. Try again; if it keeps happening, tell "
                    "the person running 'assembly serve'."
                ),
            )

    def _missing_static_file(self, request: web.Request) -> bool:
        """Whether this asks the static route for a file that is not there (a path that leaves
        the folder is refused by aiohttp's own check after this)."""
        if request.match_info.route.resource is None:
            return False
        if request.match_info.route.resource.name != "static":
            return False
        return not (Path(self.statics_path) / request.match_info["filename"]).is_file()

    def origin_allowed(self, request: web.Request) -> bool:
        """A browser always sends Origin on a websocket: it must be this page's own origin."""
        origin = request.headers.get("Origin")
        if not origin:
            return False
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return False
        if self.host in LOOPBACK:  # on this computer only: a loopback name, not a rebound one
            return (parts.hostname or "") in LOOPBACK
        return True

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its scripts and its websocket at the address the browser used for it (the
        printed one, or localhost): never 0.0.0.0, and always the page's own origin."""
        if self.viewers >= self.max_viewers:
            return self._full_page(request)
        base = f"{request.scheme}://{request.host}"
        static = request.app.router["static"].url_for(filename="/")
        websocket = request.app.router["websocket"].url_for()
        context = {
            "font_size": _to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ("wss:" if request.scheme == "https" else "ws:")
            + base.split(":", 1)[1]
            + str(websocket),
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
            "ping_url": "",
            "lang": working().language,
            "dir": working().dir,
        }
        return _html("app_index.html", **context)

    def _full_page(self, request: web.Request) -> web.Response:
        return error_page(
            503,
            _("Too many viewers"),
            ngettext(
                "%(num)s person is viewing the Scrutiny screens already, the most this computer "
                "serves at once (%(most)s). Try again when someone closes their tab.",
                "%(num)s people are viewing the Scrutiny screens already, the most this computer "
                "serves at once (%(most)s). Try again when someone closes their tab.",
                self.viewers,
                most=self.max_viewers,
            ),
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.origin_allowed(request):
            return error_page(
                403,
                _("Refused"),
                _("This session can only be opened from its own page, not from another web site."),
            )
        if self.viewers >= self.max_viewers:
            return self._full_page(request)
        self.viewers += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.viewers -= 1

    # --- logs: never the token (see logs.py) -------------------------------------------------

    def log_handler(self, stream: IO[str]) -> logging.Handler:
        return log_handler(self.token, stream)

    def runner_options(self) -> dict[str, Any]:
        """aiohttp runner options: requests logged by the redacting access log."""
        return {
            "access_log_class": access_log_for(self.token),
            "access_log": logging.getLogger("aiohttp.access"),
        }

    def initialize_logging(self) -> None:
        """Instead of textual-serve's handler (tracebacks with their local variables): plain,
        redacted lines on stderr."""
        logging.basicConfig(
            level="DEBUG" if self.debug else "INFO",
            handlers=[self.log_handler(sys.stderr)],
            force=True,
        )

    def serve(self, debug: bool = False) -> None:
        """textual-serve's `serve`, with the redacting access log."""
        # aiohttp answers a request it cannot parse before any route or signal runs
        name_the_server(SERVER_NAME)
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            **self.runner_options(),
        )

    async def on_startup(self, app: web.Application) -> None:
        """Printed by the command instead of textual-serve's banner."""
