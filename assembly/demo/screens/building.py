"""The app's first screen under `assembly demo`: the example being built, part by part.

Building the example takes several seconds (most of it the draw's rounding to 1,000 numbered
panels and the LEXIMIN behind a withdrawn member's replacement), so the app opens at once on
this screen, says which part is under way, and opens the Organiser home when the file is ready.
The build runs in a thread worker that never touches widgets: it posts messages, and the
handlers here own the screen. Escape or Ctrl+Q stops it after the current part; `build_demo`
then removes its half-built file, so nothing at the target path can be taken for the example.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import get_current_worker

from assembly.core.i18n import _
from assembly.demo import DemoCancelled, build_demo, part_title
from assembly.ui.palette import AppHeader
from assembly.ui.translated import InWorkingLanguage

if TYPE_CHECKING:
    from assembly.store import AssemblyFile
    from assembly.ui.app import AssemblyApp

Builder = Callable[..., "AssemblyFile"]


class DemoBuildScreen(InWorkingLanguage, Screen):
    """Builds the example at `path` in a thread worker and hands the finished file to the app."""

    BINDINGS = [Binding("escape", "stop", "Stop and quit")]

    DEFAULT_CSS = """
    DemoBuildScreen #building { align: center middle; height: 1fr; }
    DemoBuildScreen #building-box {
        width: 72; max-width: 100%; height: auto; border: round $primary; padding: 1 2;
    }
    DemoBuildScreen #building-title { text-style: bold; }
    DemoBuildScreen #building-step { padding: 1 0 0 0; }
    DemoBuildScreen ProgressBar { margin: 1 0 0 0; }
    DemoBuildScreen #building-note { color: $text-muted; padding: 1 0 0 0; }
    """

    class Progressed(Message):
        def __init__(self, done: int, total: int, part: str) -> None:
            super().__init__()
            self.done, self.total, self.part = done, total, part

    class Built(Message):
        pass

    class Stopped(Message):
        pass

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self, path: str | Path, *, build: Builder = build_demo) -> None:
        super().__init__()
        self.path = Path(path)
        self._build = build
        self._stop = threading.Event()
        self.finished = False

    @property
    def assembly_app(self) -> AssemblyApp:
        return cast("AssemblyApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="building"), Vertical(id="building-box"):
            yield Static(_("Building the example assembly…"), id="building-title")
            yield Static(
                _(
                    "The fictional Hollowfield assembly, written to %(path)s: its pool, draw, "
                    "sessions, votes and feedback log. The app opens on it when it is ready.",
                    path=str(self.path),
                ),
                markup=False,
            )
            yield Static(_("Starting…"), id="building-step", markup=False)
            yield ProgressBar(id="building-progress", show_eta=False)
            yield Static(
                _(
                    "Escape or Ctrl+Q stops and quits; a half-built example is not kept, and the "
                    "next 'assembly demo' builds it again."
                ),
                id="building-note",
                markup=False,
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Assembly"  # not words
        self.sub_title = _("Building the example")
        self._run_build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="demo-build")
    def _run_build(self) -> None:
        worker = get_current_worker()
        try:
            self._build(
                self.path,
                progress=lambda done, total, part: self.post_message(
                    self.Progressed(done, total, part)
                ),
                cancelled=lambda: self._stop.is_set() or worker.is_cancelled,
            ).close()  # this thread's connection; the app opens its own
        except DemoCancelled:
            self.post_message(self.Stopped())
        except Exception as error:  # shown in the error dialog, never a traceback
            self.post_message(self.Failed(error))
        else:
            self.post_message(self.Built())

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if self._stop.is_set():
            return
        self.query_one("#building-step", Static).update(
            _(
                "Part %(done)s of %(total)s: %(part)s",
                done=message.done,
                total=message.total,
                part=part_title(message.part),
            )
        )
        self.query_one(ProgressBar).update(total=message.total, progress=message.done - 1)

    @on(Built)
    def _built(self) -> None:
        from assembly.store import open_assembly

        self.finished = True
        if self._stop.is_set():  # it finished before it could stop: the file is whole
            self.app.exit(message=_("Wrote the example assembly to %(path)s.", path=str(self.path)))
            return
        bar = self.query_one(ProgressBar)
        bar.update(progress=bar.total)
        # Opened with the real clock: the example was written with a frozen story clock, and a
        # live session run on it must count real minutes.
        self.assembly_app.open_ready(open_assembly(self.path))

    @on(Stopped)
    def _stopped(self) -> None:
        self.finished = True
        self.app.exit(
            message=_("Stopped: the example was not written to %(path)s.", path=str(self.path))
        )

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.finished = True
        self.query_one("#building-step", Static).update(
            _("✗ The example could not be built. Escape quits.")
        )
        self.assembly_app.report(message.error)

    def action_stop(self) -> None:
        """Stop after the part under way (a part cannot be cut short), then quit."""
        if self.finished:
            self.app.exit()
            return
        self._stop.set()
        self.query_one("#building-title", Static).update(_("Stopping…"))
        self.query_one("#building-step", Static).update(
            _("Finishing the part under way, then removing the half-built file.")
        )
