"""The room's web server: residents' phones talk to the facilitator's laptop, nothing else.

Built on aiohttp, which `textual-serve` already brings in: one asyncio loop in one thread serves
every phone (a room of 60 is a few requests a second), it has request size limits and clean
start/stop from a worker thread, and nothing new needs installing. Starlette needs uvicorn beside
it and Litestar brings far more than a few forms need.

Every submission goes through `assembly.agenda.room.submissions`, which uses the same services as typed
ballots and topics. Security for a shared room network: a session cookie (HttpOnly,
SameSite=Strict) set once a code is accepted, a CSRF token in every form, Origin checked,
per-code and per-address rate limits, a cap on requests in flight, the security headers both
servers send (`assembly.core.web_security`) and no outside resources (CSP 'self'), no access log
(addresses are personal data).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import logging
import queue
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
from aiohttp import web
from sqlite_utils import Database

from assembly.agenda import rounds, topics, voting
from assembly.agenda.errors import AgendaError
from assembly.agenda.room import budget as pb
from assembly.agenda.room import pages
from assembly.agenda.room import submissions as room
from assembly.agenda.room.qr import qr_svg
from assembly.budgets import codes as voter_cards
from assembly.budgets import proposals
from assembly.budgets.errors import BudgetError
from assembly.budgets.rounds import Round as BudgetRound
from assembly.budgets.rounds import get_round as budget_round
from assembly.core import i18n
from assembly.core.clock import Clock, SystemClock, local
from assembly.core.i18n import N_
from assembly.core.money import Money
from assembly.core.web_security import lan_address, name_the_server, stamp_responses
from assembly.store import AssemblyFile, StoreError, open_assembly, write_transaction
from assembly.store import languages as assembly_languages

log = logging.getLogger(__name__)
T = TypeVar("T")

COOKIE = "room_session"
ERROR_PAGES = {  # status: (title, what to do), for residents
    400: (
        N_("Something was wrong with that request"),
        N_("Nothing was recorded. Go back to the start page and try again."),
    ),
    403: (
        N_("This page has expired"),
        N_("Nothing was recorded. Go back to the start page and try again."),
    ),
    404: (
        N_("Page not found"),
        N_("If you typed the web address, check it is correct, or go back to the start page."),
    ),
    405: (N_("This page cannot be used that way"), N_("Go back to the start page and try again.")),
    413: (
        N_("That was too much to send"),
        N_("Nothing was recorded. Make the details shorter and try again."),
    ),
    500: (
        N_("Sorry, something went wrong"),
        N_("Nothing was recorded. Try again, or ask a facilitator for help."),
    ),
    503: (N_("The room is busy"), N_("Please wait a few seconds and try again.")),
}
# No version for anyone probing.
SERVER_NAME = "assembly-room"  # not words
TICK_BOXES = ("tick", "project")  # forms' tick boxes: one name, a value per box ticked
# The room's pages need only their own stylesheet and forms posting back here: no scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"  # not words
)
# Not the shared "no-referrer": under it a browser sends `Origin: null` with every form, so the
# room could not tell its own forms from a sandboxed frame's or a file's (issue 26). Under
# "same-origin" a browser names this room as the Origin of its own forms and still sends
# nothing to any other site; the room's addresses carry nothing but the page's name.
REFERRER_POLICY = "same-origin"  # not words


def _keep_session(response: web.StreamResponse, token: str) -> None:
    """The phone keeps its session (its language, its sign-in) in one strict, script-proof
    cookie."""
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")


@dataclass(frozen=True)
class RoomConfig:
    port: int = 8090
    lan: bool = False
    max_in_flight: int = 100  # requests handled at once; more get "busy, try again"
    submissions_per_minute: int = 10  # accepted, per code (members) or per address (visitors)
    answers_per_minute: int = 60  # accepted "Which matters more?" answers per code
    code_tries_per_minute: int = 5  # wrong tries of one code (its first 4 letters) per address
    wrong_codes_per_address: int = 30  # a minute, whatever was typed: someone is guessing
    max_sessions: int = 2000


class RateLimit:
    """At most `limit` events per `window` seconds per key (a sliding window)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        return seen

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for `key` if it is within the limit."""
        now = time.monotonic() if now is None else now
        seen = self._recent(key, now)
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def give_back(self, key: str) -> None:
        """Undo the latest event counted for `key` (it turned out not to count)."""
        seen = self._seen.get(key)
        if seen:
            seen.pop()

    def full(self, key: str, now: float | None = None) -> bool:
        """Whether `key` has used up its limit (without counting anything)."""
        return len(self._recent(key, time.monotonic() if now is None else now)) >= self.limit


@dataclass
class Session:
    csrf: str
    signed: room.SignIn | None = None  # the member and the code row they signed in with
    card: voter_cards.CardSignIn | None = None  # or a walk-in resident's voter card
    receipt: room.Receipt | None = None
    budget_receipt: pb.BudgetReceipt | None = None
    notice: str | None = None
    language: str | None = None  # the language this phone chose on the first page
    last_seen: float = field(default_factory=time.monotonic)

    @property
    def member_id(self) -> int | None:
        return self.signed.member_id if self.signed else None

    @property
    def voter(self) -> pb.Voter | None:
        """Who this phone votes on a budget as, if it signed in with a code."""
        if self.signed is None and self.card is None:
            return None
        return pb.Voter(member=self.signed, card=self.card)


@dataclass(frozen=True)
class RoomState:
    """The file's state that most pages show (see `RoomServer._state`)."""

    assembly_name: str
    language: str
    visitors_allowed: bool
    current: rounds.Round | None  # the vote residents see
    budget_vote: BudgetRound | None = None  # the PB round open for voting
    budget_proposals: BudgetRound | None = None  # the PB round taking proposals
    languages: tuple[str, ...] = ()  # residents' languages, the working language first


class RoomWriter:
    """The room's one writer: a thread with its own connection that runs every write the
    phones cause, off the event loop. Writes waiting at the same moment (60 phones sending at
    once) are committed together, so a burst costs one fsync instead of one each: each job
    still runs in its own savepoint (the services' `write_transaction`), so a refused one
    rolls back alone, and no job's result is reported until the commit holding it is done."""

    def __init__(self, assembly: AssemblyFile, batch: int = 64) -> None:
        self._assembly = assembly
        self._batch = batch
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="room-writer", daemon=True)
        self._thread.start()

    async def run(self, job: Callable[[Database], T]) -> T:
        done: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((job, done))
        return await asyncio.wrap_future(done)

    def close(self) -> None:
        """Finish the writes already queued, then stop."""
        self._jobs.put(None)
        self._thread.join()

    def _serve(self) -> None:
        db = self._assembly.db()  # this thread's own connection
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch, stop = [first], False
            while len(batch) < self._batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            self._commit(db, batch)
            if stop:
                return

    def _commit(self, db: Database, batch: list) -> None:
        outcomes = []
        try:
            with write_transaction(db):
                for job, done in batch:
                    try:
                        outcomes.append((done, job(db), None))
                    except Exception as error:  # its savepoint rolled back; the rest go on
                        outcomes.append((done, None, error))
                    if not db.conn.in_transaction:  # SQLite gave up the whole transaction
                        raise StoreError("The assembly file could not be written.")  # not words
        except Exception as error:  # nothing in this batch was recorded
            failed = error if isinstance(error, StoreError) else StoreError(str(error))
            for _job, done in batch:
                done.set_exception(failed)
            return
        for done, value, error in outcomes:
            if error is None:
                done.set_result(value)
            else:
                done.set_exception(error)


class RoomServer:
    """The room for one assembly file. `serve()` blocks (run it in a worker or the CLI);
    `stop()` may be called from any thread."""

    def __init__(
        self, path: str | Path, config: RoomConfig | None = None, clock: Clock | None = None
    ):
        self.config = config or RoomConfig()
        self.clock = clock or SystemClock()
        checked = open_assembly(path, clock=self.clock)  # upgrades the file, refuses bad ones
        self.assembly = AssemblyFile(checked.path, clock=self.clock)
        self.url: str | None = None
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._sessions: dict[str, Session] = {}
        self._in_flight = 0
        per_minute = self.config.submissions_per_minute
        answers = self.config.answers_per_minute
        submissions = (RateLimit(per_minute), RateLimit(3 * per_minute))  # accepted, attempts
        self._limits = {
            "ballot": submissions,
            "topic": submissions,  # ballots, topics and the budget's share one allowance
            pb.BALLOT: submissions,
            pb.PROJECT: submissions,
            "answer": (RateLimit(answers), RateLimit(3 * answers)),
        }
        self._code_tries = RateLimit(self.config.code_tries_per_minute)
        self._address_guesses = RateLimit(self.config.wrong_codes_per_address)
        self._rng = np.random.default_rng()
        self._writer: RoomWriter | None = None
        self._cached: tuple[int, RoomState] | None = None
        self._on_ballot: dict[int, list] = {}  # a voting round's projects, fixed once it opens

    # --- lifecycle ------------------------------------------------------------------------

    def serve(self, ready: Callable[[str], None] | None = None) -> None:
        """Run until `stop()`. `ready(url)` is called once the port is open."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            url = loop.run_until_complete(self._start())
            if ready is not None:
                ready(url)
            loop.run_until_complete(self._wait())
        except KeyboardInterrupt:
            pass
        finally:
            loop.run_until_complete(self._cleanup())
            loop.close()
            self.assembly.close()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    async def _wait(self) -> None:
        while not self._stop.is_set():
            await asyncio.sleep(0.1)

    def make_app(self) -> web.Application:
        """The room's web application and its writer thread (stopped with the app), for
        `serve()` and for tests that drive it in process (aiohttp's test client)."""
        self._writer = RoomWriter(self.assembly)
        app = web.Application(client_max_size=64 * 1024, middlewares=[self._guard_middleware])
        app.on_cleanup.append(self._close_writer)
        stamp_responses(
            app,
            server=SERVER_NAME,
            content_security_policy=CONTENT_SECURITY_POLICY,
            referrer_policy=REFERRER_POLICY,
        )
        name_the_server(SERVER_NAME)
        app.router.add_get("/", self.start_page)
        app.router.add_post("/code", self.enter_code)
        app.router.add_post("/leave", self.leave)
        app.router.add_post("/language", self.choose_language)
        app.router.add_get("/vote", self.vote_form)
        app.router.add_post("/vote", self.vote_submit)
        app.router.add_get("/recorded", self.recorded)
        app.router.add_get("/propose", self.propose_form)
        app.router.add_post("/propose", self.propose_submit)
        app.router.add_get("/budget", self.budget_form)
        app.router.add_post("/budget", self.budget_submit)
        app.router.add_get("/budget/recorded", self.budget_recorded)  # not words
        app.router.add_get("/budget/propose", self.budget_propose_form)  # not words
        app.router.add_post("/budget/propose", self.budget_propose_submit)  # not words
        app.router.add_get("/results", self.results)
        app.router.add_get("/projector", self.projector)
        app.router.add_get("/room.css", self.stylesheet)
        return app

    async def _start(self) -> str:
        app = self.make_app()
        self._runner = web.AppRunner(app, access_log=None, keepalive_timeout=15)
        await self._runner.setup()
        host = "0.0.0.0" if self.config.lan else "127.0.0.1"
        site = web.TCPSite(self._runner, host, self.config.port, backlog=128)
        await site.start()
        port = self._runner.addresses[0][1]
        shown = lan_address() if self.config.lan else "127.0.0.1"
        self.url = f"http://{shown}:{port}/"
        return self.url

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # stops the writer too (`_close_writer`)
            self._runner = None
        await self._close_writer()

    async def _close_writer(self, _app: web.Application | None = None) -> None:
        """Finish the writes already queued, then stop the writer thread."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await asyncio.get_running_loop().run_in_executor(None, writer.close)

    # --- plumbing ---------------------------------------------------------------------------

    @web.middleware
    async def _guard_middleware(self, request: web.Request, handler) -> web.StreamResponse:
        if self._in_flight >= self.config.max_in_flight:
            return self._error_page(request, 503, headers={"Retry-After": "5"})
        self._in_flight += 1
        try:
            response = await handler(request)
        except web.HTTPException as error:
            if error.status < 400:  # a redirect raised by aiohttp itself
                raise
            # 404, 405, 413 …: a page like every other, not aiohttp's bare text
            kept = {k: v for k, v in error.headers.items() if k in ("Allow", "Retry-After")}
            response = self._error_page(request, error.status, headers=kept)
        except StoreError:  # the file held by a long write elsewhere: nothing was recorded
            response = self._error_page(
                request,
                503,
                text=N_("Nothing was recorded. The room is busy; please try again in a moment."),
                headers={"Retry-After": "5"},
            )
        except Exception:
            log.exception("room: %s %s failed", request.method, request.path)  # not words
            response = self._error_page(request, 500)
        finally:
            self._in_flight -= 1
        return response

    def _error_page(
        self,
        request: web.Request,
        status: int,
        *,
        text: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        """A page in the room's layout for an error status (no new session is started)."""
        title, said = ERROR_PAGES.get(status, ERROR_PAGES[500 if status >= 500 else 400])
        session = self._sessions.get(request.cookies.get(COOKIE, ""))
        try:
            ctx = self._context(session)
        except StoreError:
            ctx = pages.PageContext(N_("The room"), room.DEFAULT_LANGUAGE, "", False, False)
        tr = ctx.translator
        return web.Response(
            text=pages.message_page(ctx, tr.gettext(title), tr.gettext(text or said)),
            status=status,
            content_type="text/html",
            headers=headers or {},
        )

    @property
    def db(self):
        """The event loop's connection, for reads (writes go through `_write`)."""
        return self.assembly.db()

    async def _write(self, job: Callable[[Database], T]) -> T:
        """Run `job(db)` on the writer thread, so the loop serves other phones meanwhile."""
        assert self._writer is not None, "the room is not open"  # not words
        return await self._writer.run(job)

    async def _audit(self, action: str, outcome: str, **where) -> None:
        await self._write(lambda db: room.audit(db, self.clock, action, outcome, **where))

    def _session(self, request: web.Request) -> tuple[str, Session, bool]:
        token = request.cookies.get(COOKIE, "")
        session = self._sessions.get(token)
        if session is not None:
            session.last_seen = time.monotonic()
            return token, session, False
        if len(self._sessions) >= self.config.max_sessions:
            # Signed-out sessions go first, so a flood of new visitors cannot sign anyone out.
            oldest = min(
                self._sessions,
                key=lambda k: (
                    self._sessions[k].voter is not None,  # a member or a voter card
                    self._sessions[k].last_seen,
                ),
            )
            del self._sessions[oldest]
        token = secrets.token_urlsafe(24)
        session = Session(csrf=secrets.token_urlsafe(24))
        self._sessions[token] = session
        return token, session, True

    def _state(self) -> RoomState:
        """What most pages show, read again only when the file has changed: SQLite's
        data_version moves whenever another connection commits (the room's writer, the
        facilitator's app), and this loop's connection never writes."""
        db = self.db
        version = db.execute("pragma data_version").fetchone()[0]
        if self._cached is None or self._cached[0] != version:
            state = RoomState(
                assembly_name=self.assembly.name,
                language=room.language(db),
                visitors_allowed=room.visitors_allowed(db),
                languages=tuple(assembly_languages.residents_languages(db)),
                current=room.room_round(db),
                budget_vote=pb.voting_round(db),
                budget_proposals=proposals.proposals_round(db),
            )
            self._cached = (version, state)
        return self._cached[1]

    def _translator(self, language: str) -> i18n.Translator:
        """`language`'s words, the organiser's own catalogue (beside the file) first."""
        try:
            return i18n.translator(language, i18n.override_dir(self.assembly.path))
        except i18n.LanguageError:  # a broken catalogue: `assembly languages list` names it
            log.warning(
                "room: the %s catalogue cannot be read; showing English",  # not words
                language,
            )
            return i18n.ENGLISH

    def _context(self, session: Session | None) -> pages.PageContext:
        state = self._state()
        chosen = session.language if session is not None else None
        language = chosen if chosen in state.languages else state.language
        return pages.PageContext(
            assembly_name=state.assembly_name,
            language=language,
            translator=self._translator(language),
            languages=[(tag, i18n.native_name(tag)) for tag in state.languages],
            csrf=session.csrf if session else "",
            signed_in=session is not None and session.member_id is not None,
            visitors_allowed=state.visitors_allowed,
            card=session is not None and session.card is not None,
            budget_vote=state.budget_vote.title if state.budget_vote else None,
            budget_proposals=state.budget_proposals.title if state.budget_proposals else None,
        )

    def _html(self, body: str, token: str, new: bool, status: int = 200) -> web.Response:
        response = web.Response(
            text=body,
            status=status,
            content_type="text/html",
            charset="utf-8",
        )
        if new:
            _keep_session(response, token)
        return response

    def _redirect(self, to: str) -> web.Response:
        return web.Response(status=303, headers={"Location": to})

    async def _checked_post(
        self, request: web.Request, action: str
    ) -> tuple[str, Session, dict] | web.Response:
        """The form, if its session and CSRF token are right and it came from this room."""
        origin = request.headers.get("Origin")
        token = request.cookies.get(COOKIE, "")
        session = self._sessions.get(token)
        form = await request.post()
        sent = str(form.get("csrf", ""))
        # No Origin at all: a client that sends none (the CSRF token still has to match).
        # `Origin: null` is a sandboxed frame or a page opened from a file: never this room.
        good_origin = origin is None or origin == f"{request.scheme}://{request.host}"
        if (
            session is None
            or not good_origin
            or not hmac.compare_digest(sent.encode(), session.csrf.encode())
        ):
            await self._audit(
                action,
                "refused",
                reason="form expired or not from this room (CSRF check)",  # not words
                member_id=session.member_id if session else None,
            )
            token, fresh, new = self._session(request)
            text = self._message(
                fresh,
                N_("This page has expired"),
                N_("Nothing was recorded. Go back to the start page and try again."),
            )
            return self._html(text, token, new, status=403)
        session.last_seen = time.monotonic()
        return (
            token,
            session,
            {k: str(v) for k, v in form.items() if isinstance(v, str)}
            | {name: ",".join(str(v) for v in form.getall(name, [])) for name in TICK_BOXES},
        )

    def _limit_key(self, request: web.Request, session: Session) -> str:
        if session.member_id:
            return f"member-{session.member_id}"
        if session.card is not None:
            return f"card-{session.card.code_id}"
        return f"addr-{request.remote}"

    async def _limited(
        self, request: web.Request, session: Session, action: str
    ) -> web.Response | None:
        """None if this code (or, for visitors, this address) may send an `action` now, and its
        place is taken; a 429 page if not. A refused submission gives its place back
        (`_refund`) but still counts towards a ceiling on all attempts, three times the limit,
        so a phone sending nothing but refused forms is stopped too."""
        key = self._limit_key(request, session)
        accepted, attempts = self._limits[action]
        if attempts.full(key):
            reason = "too many refused submissions in a minute"  # not words
        elif accepted.full(key):
            reason = "too many submissions in a minute"  # not words
        else:
            attempts.allow(key)
            accepted.allow(key)
            return None
        await self._audit(action, "refused", reason=reason, member_id=session.member_id)
        text = self._message(
            session,
            N_("Please slow down"),
            N_(
                "Too many submissions from this code in the last minute. Nothing was recorded; "
                "wait a minute and try again."
            ),
        )
        return web.Response(
            text=text,
            status=429,
            content_type="text/html",
            headers={"Retry-After": "60"},
        )

    def _message(self, session: Session | None, title: str, text: str) -> str:
        """A message page, its title and text in the phone's language: English message ids
        (`N_`, looked up as `_error_page` does) or `Text` (a message with its values)."""
        ctx = self._context(session)
        tr = ctx.translator

        def shown(message: str) -> str:
            return tr.text(message) if isinstance(message, i18n.Text) else tr.gettext(message)

        return pages.message_page(ctx, shown(title), shown(text))

    def _refund(self, request: web.Request, session: Session, action: str) -> None:
        """A refused submission does not use up the allowance of accepted ones."""
        self._limits[action][0].give_back(self._limit_key(request, session))

    # --- pages ------------------------------------------------------------------------------

    async def stylesheet(self, request: web.Request) -> web.Response:
        return web.Response(
            text=pages.stylesheet(),
            content_type="text/css",
            headers={"Cache-Control": "max-age=300"},
        )

    async def start_page(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        gone = await self._check_signed_in(token, session)
        if gone:
            return gone
        current = self._state().current
        notice, session.notice = session.notice, None
        ctx = self._context(session)
        text = pages.start_page(
            ctx,
            notice=ctx.translator.gettext(notice) if notice else None,
            vote_title=current.title if current else None,
        )
        return self._html(text, token, new)

    async def enter_code(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, "code")
        if isinstance(checked, web.Response):
            return checked
        token, session, form = checked
        typed = form.get("code", "")
        address = f"addr-{request.remote}"
        this_code = f"{address}-{room.normalise_code(typed)[:4]}"
        if self._address_guesses.full(address) or self._code_tries.full(this_code):
            reason = (
                "too many wrong codes from this address"  # not words
                if self._address_guesses.full(address)
                else "too many wrong tries of one code"  # not words
            )
            await self._audit("code", "refused", reason=reason)
            text = self._message(
                session,
                N_("Please wait a minute"),
                N_(
                    "That code was tried too many times. Wait a minute, check it against your "
                    "card and try again, or ask a facilitator for help."
                ),
            )
            return web.Response(text=text, status=429, content_type="text/html")
        signed = room.sign_in(self.db, typed)
        card = voter_cards.card_sign_in(self.db, typed) if signed is None else None
        if signed is None and card is None:
            # Only wrong codes count: per code typed (its first four letters) from this address,
            # so neighbours' typos behind one hotspot lock nobody else out, and per address,
            # a ceiling that only guessing reaches.
            self._code_tries.allow(this_code)
            self._address_guesses.allow(address)
            await self._audit("code", "refused", reason="unknown or revoked code")  # not words
            ctx = self._context(session)
            text = pages.start_page(
                ctx,
                error=ctx.translator.gettext(
                    "That code was not recognised. Check it against your card and try again."
                ),
                code=typed[:20],
            )
            return self._html(text, token, False, status=403)
        # A new session on sign-in, so a token seen before sign-in is worth nothing after.
        del self._sessions[token]
        token = secrets.token_urlsafe(24)
        self._sessions[token] = Session(
            csrf=secrets.token_urlsafe(24), signed=signed, card=card, language=session.language
        )
        state = self._state()
        if card is not None:
            await self._audit(
                "code",
                "accepted",
                reason=f"voter card {card.number}, PB round {card.round_id}",  # not words
            )
            to = "/budget" if state.budget_vote else "/"
            if state.budget_proposals and not state.budget_vote:
                to = "/budget/propose"  # not words
        else:
            await self._audit("code", "accepted", member_id=signed.member_id)
            to = "/vote" if state.current else ("/budget" if state.budget_vote else "/")
        response = self._redirect(to)
        _keep_session(response, token)
        return response

    async def leave(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, "sign out")  # not words
        if isinstance(checked, web.Response):
            return checked
        token, _session, _form = checked
        self._sessions.pop(token, None)
        response = self._redirect("/")
        response.del_cookie(COOKIE, path="/")
        return response

    async def choose_language(self, request: web.Request) -> web.Response:
        """The language picker on the first page: kept for this phone's session."""
        checked = await self._checked_post(request, "language")
        if isinstance(checked, web.Response):
            return checked
        _token, session, form = checked
        chosen = form.get("language", "")
        if chosen in self._state().languages:
            session.language = chosen
        return self._redirect("/")

    def _view(
        self, current: rounds.Round, member_id: int, tr: i18n.Translator = i18n.ENGLISH
    ) -> pages.VoteView:
        db = self.db
        options = {
            t.id: pages.Option(t.id, t.title, t.language)
            for t in topics.list_topics(db, include_closed=True)
        }
        pair = None
        if current.method == "pairwise":
            a, b = rounds.next_pair(db, current.id, self._rng)
            pair = (options[a], options[b])
        already = bool(
            db.execute(
                "select 1 from ballots where round_id = ? and member_id = ? and voided_at is null",
                [current.id, member_id],
            ).fetchone()
        )
        marks = room.live_ballot(db, current.id, member_id)
        return pages.VoteView(
            round_id=current.id,
            title=current.title,
            question=rounds.question_shown(current.question, tr),
            method=current.method,
            rules=rules(current, tr),
            dots_per_voter=current.dots_per_voter,
            options=[options[t] for t in current.topic_ids],
            pair=pair,
            already_voted=already,
            sent=ballot_form(current, marks) if marks else {},
        )

    async def _signed_out(self, token: str, session: Session, action: str, error: room.RoomError):
        """End a session whose code stopped working, audit it, and tell the phone plainly."""
        await self._audit(action, "refused", reason=error.reason, member_id=session.member_id)
        return self._code_gone(token, session)

    def _code_gone(self, token: str, session: Session) -> web.Response:
        self._sessions.pop(token, None)
        session.signed = None
        text = self._message(session, N_("Your code no longer works"), room.CODE_NOT_IN_FORCE)
        response = self._html(text, token, False, status=403)
        response.del_cookie(COOKIE, path="/")
        return response

    async def _check_signed_in(
        self, token: str, session: Session, action: str = "page"
    ) -> web.Response | None:
        """For a page that shows a signed-in phone's forms: its code must still be in force."""
        if session.voter is None:
            return None
        try:
            pb.check_in_force(self.db, session.voter)
        except room.CodeNotInForce as error:
            return await self._signed_out(token, session, action, error)
        return None

    async def _need_member(self, session: Session, token: str, new: bool) -> web.Response | None:
        if session.member_id is not None:
            return await self._check_signed_in(token, session)
        if session.card is not None:  # a voter card is for the budget, not the agenda's votes
            return self._redirect("/budget")
        session.notice = N_("Enter your personal code to vote.")
        response = self._redirect("/")
        if new:
            _keep_session(response, token)
        return response

    async def vote_form(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        refused = await self._need_member(session, token, new)
        if refused:
            return refused
        current = self._state().current
        ctx = self._context(session)
        if current is None:
            return self._html(pages.no_vote_page(ctx), token, new)
        view = self._view(current, session.member_id, ctx.translator)
        return self._html(pages.vote_page(ctx, view, values=view.sent), token, new)

    async def vote_submit(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, "ballot")
        if isinstance(checked, web.Response):
            return checked
        token, session, form = checked
        ctx = self._context(session)
        if session.member_id is None:
            await self._audit("ballot", "refused", reason="no code entered")  # not words
            return self._html(
                self._message(
                    session, N_("Enter your code first"), N_("Only members with a code vote.")
                ),
                token,
                False,
                status=403,
            )
        db = self.db
        try:
            round_id = int(form.get("round", ""))
            current = rounds.get_round(db, round_id)
        except (ValueError, AgendaError):
            current = None
        action = "answer" if current is not None and current.method == "pairwise" else "ballot"
        limited = await self._limited(request, session, action)
        if limited:
            return limited
        accepted = False
        try:
            if current is None:
                await self._audit(
                    "ballot",
                    "refused",
                    reason="no such vote",  # not words
                    member_id=session.member_id,
                )
                return self._html(pages.no_vote_page(ctx), token, False, status=400)
            if current.status != "open":
                await self._audit(
                    action,
                    "refused",
                    reason=f"vote {round_id} is closed",  # not words
                    member_id=session.member_id,
                    round_id=round_id,
                )
                return self._html(
                    pages.no_vote_page(
                        ctx,
                        closed=True,
                        error=ctx.translator.gettext("Your vote was not recorded."),
                    ),
                    token,
                    False,
                    status=409,
                )
            try:
                if current.method == "pairwise":
                    receipt = await self._submit_pair(current, session, form)
                else:
                    try:
                        ballot = parse_ballot(current, form)
                    except room.RoomError as error:
                        bad = error
                        where = {"member_id": session.member_id, "round_id": round_id}
                        raise await self._write(
                            lambda db: room.refused(db, self.clock, "ballot", bad, **where)
                        ) from None
                    member_id, signed = session.member_id, session.signed
                    receipt = await self._write(
                        lambda db: room.submit_ballot(
                            db, self.clock, member_id, round_id, ballot, signed=signed
                        )
                    )
            except room.CodeNotInForce:  # audited by the service
                return self._code_gone(token, session)
            except room.RoomError as error:
                view = self._view(current, session.member_id, ctx.translator)
                problem = pages.Problem(ctx.translator.text(error.text), error.field)
                text = pages.vote_page(ctx, view, error=problem, values=form)
                return self._html(text, token, False, status=400)
            accepted = True
        finally:
            if not accepted:
                self._refund(request, session, action)
        session.receipt = receipt
        return self._redirect("/recorded")

    async def _submit_pair(
        self, current: rounds.Round, session: Session, form: dict
    ) -> room.Receipt:
        member_id = session.member_id
        try:
            a, b = int(form.get("a", "")), int(form.get("b", ""))
            choice = form.get("choice", "")
            chosen = None if choice == "skip" else int(choice)
        except ValueError:
            error = room.RoomError(
                N_("Choose one of the two topics, or I can't decide"),
                field="choice-a",  # not words
            )
            where = {"member_id": member_id, "round_id": current.id}
            raise await self._write(
                lambda db: room.refused(db, self.clock, "answer", error, **where)
            ) from None
        signed = session.signed
        return await self._write(
            lambda db: room.submit_choice(
                db, self.clock, member_id, current.id, (a, b), chosen, signed=signed
            )
        )

    async def recorded(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        if session.receipt is None:
            return self._redirect("/")
        receipt = session.receipt
        current = rounds.get_round(self.db, receipt.round_id)
        ctx = self._context(session)
        at = ctx.translator.time(local(receipt.recorded_at, self.assembly.timezone))
        text = pages.recorded_page(
            ctx,
            receipt.lines,
            replaced=receipt.replaced_ballot_id is not None,
            at=at,
            pairwise=current.method == "pairwise",
        )
        return self._html(text, token, new)

    async def propose_form(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        gone = await self._check_signed_in(token, session)
        if gone:
            return gone
        return self._html(pages.propose_page(self._context(session)), token, new)

    async def propose_submit(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, "topic")
        if isinstance(checked, web.Response):
            return checked
        token, session, form = checked
        limited = await self._limited(request, session, "topic")
        if limited:
            return limited
        title = form.get("title", "")
        description = form.get("description", "")
        ctx = self._context(session)
        member_id, signed = session.member_id, session.signed
        anonymous = form.get("anonymous") == "yes"
        try:
            await self._write(
                lambda db: room.submit_topic(
                    db,
                    self.clock,
                    member_id,
                    title,
                    description=description,
                    anonymous=anonymous,
                    signed=signed,
                    language=ctx.language,
                )
            )
        except room.CodeNotInForce:  # audited by the service
            self._refund(request, session, "topic")
            return self._code_gone(token, session)
        except room.RoomError as error:
            self._refund(request, session, "topic")
            status = 403 if session.member_id is None and not ctx.visitors_allowed else 400
            text = pages.propose_page(
                ctx,
                error=pages.Problem(ctx.translator.text(error.text), error.field or "title"),
                title=title,
                description=description,
                anonymous=anonymous,
            )
            return self._html(text, token, False, status=status)
        done = ctx.translator.gettext(
            "“%(title)s” is now on the list of topics.", title=title.strip()
        )
        text = pages.propose_page(ctx, done=done)
        return self._html(text, token, False)

    # --- participatory budgeting -----------------------------------------------------------

    def _budget_view(
        self, round_: BudgetRound, voter: pb.Voter, tr: i18n.Translator = i18n.ENGLISH
    ) -> tuple[pages.BudgetView, list, dict]:
        """The ballot page of `round_` for `voter`, the projects on it, and the voter's ballot
        that counts as the form's fields."""
        db = self.db
        projects = self._on_ballot.get(round_.id)
        if projects is None:
            projects = pb.on_ballot(db, round_.id)
            if round_.locked:  # voting has opened: the schema keeps its projects as they are
                self._on_ballot[round_.id] = projects
        live = pb.live_fields(db, round_, projects, voter)
        view = pages.BudgetView(
            round_id=round_.id,
            title=round_.title,
            form=round_.ballot_form,
            rules=pages.budget_rules(
                round_.ballot_form,
                round_.rule,
                budget=Money(round_.budget_pence, round_.currency),
                points=round_.points_per_voter,
                least=round_.min_projects,
                most=round_.max_projects,
                tr=tr,
            ),
            projects=[
                pages.BudgetProject(
                    field=pb.field_id("points" if round_.ballot_form == "points" else "project", p),
                    title=p.title,
                    cost=tr.money(Money(p.cost, round_.currency)),
                    details=". ".join(part for part in (p.area, p.category) if part),
                )
                for p in projects
            ],
            already_voted=bool(live),
        )
        return view, projects, live

    @staticmethod
    def _total(
        round_: BudgetRound, projects: list, form: dict, tr: i18n.Translator = i18n.ENGLISH
    ) -> pages.Total | None:
        """The running total of a ballot form as filled in (knapsack and points ballots)."""
        if round_.ballot_form == "approval":
            return None
        if round_.ballot_form == "points":
            used = 0
            for p in projects:
                text = form.get(pb.field_id("points", p), "").strip() or "0"
                used += int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 0
            have = round_.points_per_voter or 0
            if used <= have:
                line = tr.gettext(
                    "You have given %(used)s of your %(have)s points: %(left)s left to share.",
                    used=used,
                    have=have,
                    left=have - used,
                )
            else:
                line = tr.gettext(
                    "You have given %(used)s of your %(have)s points: %(over)s too many.",
                    used=used,
                    have=have,
                    over=used - have,
                )
            return pages.Total([line], used > have)
        ticked = set(form.get("project", "").split(","))
        spent = sum(p.cost for p in projects if str(p.id) in ticked)
        money = round_.currency
        lines = [
            tr.gettext("The projects you have ticked cost %(cost)s.", cost=Money(spent, money))
        ]
        if spent <= round_.budget_pence:
            lines.append(
                tr.gettext(
                    "That leaves %(left)s of the %(budget)s budget.",
                    left=Money(round_.budget_pence - spent, money),
                    budget=Money(round_.budget_pence, money),
                )
            )
        else:
            lines.append(
                tr.gettext(
                    "That is %(over)s more than the %(budget)s budget.",
                    over=Money(spent - round_.budget_pence, money),
                    budget=Money(round_.budget_pence, money),
                )
            )
        return pages.Total(lines, spent > round_.budget_pence)

    def _budget_round(self, session: Session) -> BudgetRound | None:
        """The PB round a phone votes in: a card's own round, else the latest one voting."""
        if session.card is None:
            return self._state().budget_vote
        round_ = budget_round(self.db, session.card.round_id)
        return round_ if round_.status == "voting" else None

    async def _need_code(
        self, session: Session, token: str, new: bool, notice: str
    ) -> web.Response | None:
        """None for a phone signed in with a code still in force; else to the code form."""
        if session.voter is not None:
            return await self._check_signed_in(token, session)
        session.notice = notice
        response = self._redirect("/")
        if new:
            _keep_session(response, token)
        return response

    def _no_budget_vote(self, session: Session, token: str, *, status: int = 200, closed=False):
        title = N_("Voting on the budget has closed") if closed else N_("No budget vote is open")
        text = (
            N_("Nothing more can be recorded. Thank you for taking part.")
            if closed
            else N_("No vote on the budget is open right now. Reload this page when it opens.")
        )
        return self._html(self._message(session, title, text), token, False, status=status)

    async def budget_form(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        refused = await self._need_code(session, token, new, N_("Enter your code to vote."))
        if refused:
            return refused
        round_ = self._budget_round(session)
        if round_ is None:
            return self._no_budget_vote(session, token)
        ctx = self._context(session)
        view, projects, live = self._budget_view(round_, session.voter, ctx.translator)
        total = self._total(round_, projects, live, ctx.translator) if live else None
        text = pages.budget_page(ctx, view, values=live, total=total)
        return self._html(text, token, new)

    async def budget_submit(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, pb.BALLOT)
        if isinstance(checked, web.Response):
            return checked
        token, session, form = checked
        voter = session.voter
        if voter is None:
            await self._audit(pb.BALLOT, "refused", reason="no code entered")  # not words
            text = self._message(
                session, N_("Enter your code first"), N_("Only residents with a code vote.")
            )
            return self._html(text, token, False, status=403)
        try:
            round_ = budget_round(self.db, int(form.get("round", "")))
        except (ValueError, BudgetError):
            round_ = None
        if round_ is None or round_.status != "voting":
            await self._audit(
                pb.BALLOT,
                "refused",
                reason="no PB round open for voting",  # not words
                member_id=session.member_id,
            )
            closed = round_ is not None and round_.status == "closed"
            return self._no_budget_vote(session, token, status=409, closed=closed)
        ctx = self._context(session)
        view, projects, _ = self._budget_view(round_, voter, ctx.translator)
        if form.get("action") == "check":  # the running total, nothing recorded
            gone = await self._check_signed_in(token, session)
            if gone:
                return gone
            total = self._total(round_, projects, form, ctx.translator)
            return self._html(pages.budget_page(ctx, view, values=form, total=total), token, False)
        limited = await self._limited(request, session, pb.BALLOT)
        if limited:
            return limited
        accepted = False
        try:
            try:
                marks = pb.parse_ballot(round_, projects, form)
            except room.RoomError as error:
                bad = error
                where = f"PB round {round_.id}"  # not words
                raise await self._write(
                    lambda db: pb.refused(db, self.clock, pb.BALLOT, bad, voter, where)
                ) from None
            receipt = await self._write(
                lambda db: pb.submit_ballot(db, self.clock, round_.id, marks, voter)
            )
            accepted = True
        except room.CodeNotInForce:  # audited by the service
            return self._code_gone(token, session)
        except room.RoomError as error:
            problem = pages.Problem(ctx.translator.text(error.text), error.field)
            total = self._total(round_, projects, form, ctx.translator)
            text = pages.budget_page(ctx, view, values=form, total=total, error=problem)
            return self._html(text, token, False, status=400)
        finally:
            if not accepted:
                self._refund(request, session, pb.BALLOT)
        session.budget_receipt = receipt
        return self._redirect("/budget/recorded")  # not words

    async def budget_recorded(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        receipt = session.budget_receipt
        if receipt is None:
            return self._redirect("/")
        round_ = budget_round(self.db, receipt.round_id)
        ctx = self._context(session)
        at = ctx.translator.time(local(receipt.recorded_at, self.assembly.timezone))
        text = pages.budget_recorded_page(
            ctx, round_.title, receipt.lines, replaced=receipt.replaced, at=at
        )
        return self._html(text, token, new)

    def _propose_page(self, session: Session, **extra) -> str:
        ctx = self._context(session)
        round_ = self._state().budget_proposals
        return pages.budget_propose_page(
            ctx,
            round_title=round_.title if round_ else None,
            budget=Money(round_.budget_pence, round_.currency) if round_ else "",
            currency=round_.currency if round_ else "GBP",
            allowed=session.voter is not None or ctx.visitors_allowed,
            **extra,
        )

    async def budget_propose_form(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        gone = await self._check_signed_in(token, session)
        if gone:
            return gone
        return self._html(self._propose_page(session), token, new)

    async def budget_propose_submit(self, request: web.Request) -> web.Response:
        checked = await self._checked_post(request, pb.PROJECT)
        if isinstance(checked, web.Response):
            return checked
        token, session, form = checked
        round_ = self._state().budget_proposals
        if round_ is None:
            await self._audit(
                pb.PROJECT,
                "refused",
                reason="no PB round taking proposals",  # not words
                member_id=session.member_id,
            )
            return self._html(self._propose_page(session), token, False, status=409)
        limited = await self._limited(request, session, pb.PROJECT)
        if limited:
            return limited
        voter = session.voter
        language = self._context(session).language  # the page's, which they wrote in
        try:
            project = await self._write(
                lambda db: pb.submit_project(db, self.clock, round_.id, form, voter, language)
            )
        except room.CodeNotInForce:  # audited by the service
            self._refund(request, session, pb.PROJECT)
            return self._code_gone(token, session)
        except room.RoomError as error:
            self._refund(request, session, pb.PROJECT)
            allowed = voter is not None or self._context(session).visitors_allowed
            message = self._context(session).translator.text(error.text)
            text = self._propose_page(
                session, error=pages.Problem(message, error.field or "title"), values=form
            )
            return self._html(text, token, False, status=400 if allowed else 403)
        done = self._context(session).translator.gettext(
            "“%(title)s” is recorded. Officers will check it before it can go on the ballot.",
            title=project.title,
        )
        return self._html(self._propose_page(session, done=done), token, False)

    async def results(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        ctx = self._context(session)
        db = self.db
        options = {
            t.id: pages.Option(t.id, t.title, t.language)
            for t in topics.list_topics(db, include_closed=True)
        }
        shown = []
        for round_id in room.published_rounds(db):
            current = rounds.get_round(db, round_id)
            result = rounds.round_result(db, round_id)
            rows = [
                (
                    s.rank,
                    options.get(s.option) or pages.Option(s.option, str(s.option)),
                    f"{s.score:.0%}"
                    if result.method == "pairwise"
                    else voting.score_text(s.score, result.score_label, ctx.translator),
                )
                for s in result.standings
            ]
            shown.append((current.title, rules(current, ctx.translator), rows))
        return self._html(pages.results_page(ctx, shown), token, new)

    async def projector(self, request: web.Request) -> web.Response:
        token, session, new = self._session(request)
        current = room.room_round(self.db)
        url = self.url or "/"
        ctx = self._context(session)
        text = pages.projector_page(
            ctx, url, qr_svg(url, ctx.translator), current.title if current else None
        )
        return self._html(text, token, new)


def rules(current: rounds.Round, tr: i18n.Translator = i18n.ENGLISH) -> str:
    """How a vote counts, in the plain words residents read."""
    return pages.how_it_counts(
        current.method, current.tie_rule, current.dots_per_voter, current.tie_seed, tr
    )


def _whole(text: str) -> int | None:
    """A small whole number typed on a phone (ASCII digits only), or None."""
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,4}", text) else None


def ballot_form(current: rounds.Round, marks: dict[int, int]) -> dict[str, str]:
    """A recorded ballot's marks as the vote form's fields, so "vote again" shows what was sent
    (the inverse of `parse_ballot`)."""
    if current.method == "approval":
        return {"tick": ",".join(str(t) for t in current.topic_ids if marks.get(t))}
    if current.method == "dot":
        return {f"dots-{t}": str(marks.get(t, 0)) for t in current.topic_ids}
    return {f"place-{t}": str(marks[t]) if t in marks else "" for t in current.topic_ids}


def parse_ballot(current: rounds.Round, form: dict) -> dict[int, int] | list[int]:
    """The ballot a vote form sent, in the shape `rounds.record_ballot` takes."""
    titles = {t: t for t in current.topic_ids}
    if current.method == "approval":
        ticked = []
        for part in form.get("tick", "").split(","):
            if not part:
                continue
            if _whole(part) not in titles:
                raise room.RoomError(N_("One of the ticked topics is not in this vote."))
            ticked.append(int(part))
        if not ticked:
            raise room.RoomError(
                N_("Tick at least one topic"), field=f"tick-{current.topic_ids[0]}"
            )
        return dict.fromkeys(ticked, 1)
    if current.method == "dot":
        ballot = {}
        for topic_id in current.topic_ids:
            text = form.get(f"dots-{topic_id}", "").strip() or "0"
            dots = _whole(text)
            if dots is None:
                raise room.RoomError(
                    N_("Enter the number of dots as a whole number, like 2"),
                    field=f"dots-{topic_id}",
                    reason=f"dots not a whole number: {text[:20]!r}",  # not words
                )
            if dots:
                ballot[topic_id] = dots
        if not ballot:
            raise room.RoomError(
                N_("Put at least one dot on a topic"), field=f"dots-{current.topic_ids[0]}"
            )
        used = sum(ballot.values())
        if current.dots_per_voter and used > current.dots_per_voter:
            raise room.RoomError(
                N_(
                    "You used %(used)s dots but each person has %(have)s. "
                    "Take some off and send again."
                ),
                params={"used": used, "have": current.dots_per_voter},
                field=f"dots-{next(iter(ballot))}",
            )
        return ballot
    places: dict[int, int] = {}
    for topic_id in current.topic_ids:
        text = form.get(f"place-{topic_id}", "").strip()
        if not text:
            continue
        place = _whole(text)
        if place is None or not 1 <= place <= len(current.topic_ids):
            raise room.RoomError(
                N_("Choose a place from the list for each topic you rank"),
                field=f"place-{topic_id}",
            )
        places[topic_id] = place
    if not places:
        raise room.RoomError(
            N_("Give at least one topic a place"), field=f"place-{current.topic_ids[0]}"
        )
    taken: dict[int, int] = {}
    for topic_id, place in places.items():
        if place in taken:
            raise room.RoomError(
                N_("Two topics have place %(place)s. Give each topic a different place."),
                params={"place": place},
                field=f"place-{topic_id}",
            )
        taken[place] = topic_id
    missing = next((p for p in range(1, len(taken) + 1) if p not in taken), None)
    if missing is not None:  # 1 and 3 but no 2: refused, never silently renumbered
        after = taken[min(p for p in taken if p > missing)]
        raise room.RoomError(
            N_(
                "Places must follow on from 1 with none missed: no topic has place %(place)s. "
                "Give a topic that place, or move the ones below it up."
            ),
            params={"place": missing},
            field=f"place-{after}",
        )
    return [taken[p] for p in sorted(taken)]
