"""Big clocks for the front of the room: the current item's countdown and the speaker's time.

Both show numbers in large digits and their state in words ("⚠ Over time by 1:30",
"⏸ Paused"), so nobody has to tell colours apart from across the room.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from assembly.core.i18n import _
from assembly.sessions.sessions import WARN_SECONDS, AgendaItem, ItemTimer, clock_text


class ItemCountdown(Vertical):
    """The running item: its title, the time left in big digits and a warning in words."""

    DEFAULT_CSS = """
    ItemCountdown { height: auto; border: round $primary; padding: 0 1; }
    ItemCountdown .clock-title { text-style: bold; }
    ItemCountdown Digits { width: auto; }
    ItemCountdown .clock-time { display: none; text-style: bold; }
    ItemCountdown.overrun { border: heavy $error; }
    ItemCountdown.overrun .clock-warning { text-style: bold reverse; }
    ItemCountdown.warn .clock-warning { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="clock-title", id="item-title", markup=False)
        yield Digits("--:--", id="item-digits")
        yield Static("", classes="clock-time", id="item-time", markup=False)
        yield Static("", classes="clock-warning", id="item-warning", markup=False)
        yield Static("", classes="clock-next", id="item-next", markup=False)

    def show(
        self,
        timer: ItemTimer | None,
        *,
        status: str,
        position: str,
        next_item: AgendaItem | None,
    ) -> None:
        title = self.query_one("#item-title", Static)
        digits = self.query_one("#item-digits", Digits)
        warning = self.query_one("#item-warning", Static)
        upcoming = self.query_one("#item-next", Static)
        in_words = self.query_one("#item-time", Static)  # shown instead of digits when small
        self.set_class(bool(timer and timer.overrun), "overrun")
        self.set_class(bool(timer and 0 <= timer.remaining_seconds <= WARN_SECONDS), "warn")
        in_words.update("--:--")
        if status == "planned":
            title.update(_("Not started yet"))
            digits.update("--:--")
            warning.update(_("Press n to start the first item."))
            in_words.update(_("Press n to start the first item."))
        elif status == "finished":
            title.update(_("Session finished"))
            digits.update("--:--")
            warning.update(_("✓ Finished: e lists its ideas, m its attendance, Esc goes back."))
            in_words.update(_("✓ Finished: e ideas, m attendance, Esc back"))
            upcoming.update("")
            return
        elif timer is None:
            title.update(_("All agenda items are done"))
            digits.update("--:--")
            warning.update(_("Press f to finish the session."))
            in_words.update(_("Press f to finish the session."))
        else:
            item = timer.item
            facts = {
                "position": position,
                "title": item.title,
                "minutes": item.allowed_minutes,
                "added": item.extended_minutes,
            }
            title.update(
                _("%(position)s: %(title)s · %(minutes)s min (+%(added)s min added)", **facts)
                if item.extended_minutes
                else _("%(position)s: %(title)s · %(minutes)s min", **facts)
            )
            digits.update(clock_text(timer.remaining_seconds))
            left = timer.remaining_seconds
            words = timer.warning
            if status == "paused":
                words = _("⏸ Paused — press p to resume · %(warning)s", warning=words)
            warning.update(words)
            # on a small screen one line holds the time and its warning (no big digits)
            if timer.overrun:
                in_words.update(words)
            elif left >= 0:
                in_words.update(
                    _("%(time)s left · %(warning)s", time=clock_text(left), warning=words)
                )
            else:
                in_words.update(
                    _("%(time)s over · %(warning)s", time=clock_text(-left), warning=words)
                )
        upcoming.update(
            _("Next: %(title)s", title=next_item.title) if next_item else _("Next: — (last item)")
        )


class SpeakerClock(Vertical):
    """Who has the floor and for how long."""

    DEFAULT_CSS = """
    SpeakerClock { height: auto; border: round $secondary; padding: 0 1; }
    SpeakerClock .clock-title { text-style: bold; }
    SpeakerClock Digits { width: auto; }
    SpeakerClock .clock-time { display: none; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(_("Speaking now"), classes="clock-title", markup=False)
        yield Static(_("Nobody"), id="speaker-name", markup=False)
        yield Digits("0:00", id="speaker-digits")
        yield Static("", classes="clock-time", id="speaker-time", markup=False)
        yield Static(_("s starts the next in the queue"), id="speaker-hint", markup=False)

    def show(self, label: str | None, seconds: float, *, status: str) -> None:
        self.query_one("#speaker-name", Static).update(label or _("Nobody"))
        # shown instead of the title, name and digits on a small screen: one line for all three
        self.query_one("#speaker-time", Static).update(
            _("Speaking: %(speaker)s · %(time)s", speaker=label, time=clock_text(seconds))
            if label
            else _("Speaking: nobody")
        )
        self.query_one("#speaker-digits", Digits).update(clock_text(seconds) if label else "0:00")
        hint = _("s stops this speaker") if label else _("s starts the next in the queue")
        if status == "paused" and label:
            hint = _("⏸ Paused: the speaker's time is stopped too")
        elif status == "planned":
            hint = _("Speakers are timed once the session starts (n)")
        elif status == "finished":
            hint = _("The session has finished: nobody is timed now")
        self.query_one("#speaker-hint", Static).update(hint)
