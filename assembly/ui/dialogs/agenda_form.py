"""The one form of the app: every screen that asks for a few values uses it.

A form is described, not drawn: a title, a line of help and a list of `FormField`s (a line of
text, a whole number, several lines, a choice or a tick box). Enter in a one-line field or Ctrl+S
saves, Escape cancels (asking first when something was typed). A form taller than the screen
scrolls its fields (the focused one kept in view) between its title and its buttons, which stay
on screen. A form that checks its own values (`accept`) stays open when they are
refused and says why at its top, in plain words; one that does not returns what was typed, and
`FormAsker` reopens it, still filled in, if the screen then refuses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from assembly.core.i18n import _
from assembly.store import StoreError
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.translated import InWorkingLanguage
from assembly.ui.widgets.tick_box import TickBox

FieldKind = Literal["text", "integer", "lines", "select", "checkbox"]


@dataclass(frozen=True)
class FormField:
    """One value the form asks for. `beside` puts it on the line of the field before it (a date
    beside its time), under that field's label; a field with no label shows none."""

    name: str
    label: str
    kind: FieldKind = "text"
    value: str | bool = ""
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (shown, value)
    placeholder: str = ""
    beside: bool = False
    rows: int = 5  # height of a "lines" field


class FormDialog(InWorkingLanguage, ModalScreen[Any]):
    """Returns what `accept` makes of the values ({field name: text, chosen value or bool} by
    default), or None when cancelled."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    FIELD_ID: ClassVar[str] = "field-{name}"
    """How a field's widget is named (forms whose callers know their widgets by bare name)."""

    # the box's width comes from the app's stylesheet, like every dialog's; labels wrap, so a
    # long one is read in full instead of cut at the edge
    DEFAULT_CSS = """
    FormDialog .dialog-box { max-height: 100%; }
    FormDialog .form-fields { height: auto; }
    FormDialog .dialog-buttons { padding-top: 1; }
    FormDialog Label { padding-top: 1; width: 1fr; }
    FormDialog .form-help { color: $text-muted; padding-bottom: 1; }
    FormDialog #form-error { color: $error; text-style: bold; height: auto; display: none; }
    FormDialog .form-row { height: auto; }
    FormDialog .form-row > * { width: 1fr; }
    """

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        help_text: str = "",
        *,
        start_in: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.fields = fields
        self.help_text = help_text
        self.start_in = start_in or (fields[0].name if fields else None)

    # --- layout ---------------------------------------------------------------------------

    def field_id(self, name: str) -> str:
        return self.FIELD_ID.format(name=name)

    def field_widget(self, name: str) -> Widget:
        return self.query_one(f"#{self.field_id(name)}")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                if self.help_text:
                    yield Static(self.help_text, classes="form-help", markup=False)
                yield Static("", id="form-error", markup=False)
                for line in self._lines():
                    first = line[0]
                    if first.label and first.kind != "checkbox":
                        yield Label(first.label, markup=False)
                    if len(line) == 1:
                        yield self._widget(first)
                    else:
                        with Horizontal(classes="form-row"):
                            for f in line:
                                yield self._widget(f)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._save_label(), id="save", variant="primary")
                yield Button(_("Cancel (Esc)"), id="cancel")

    def _lines(self) -> Iterator[list[FormField]]:
        """The fields in lines: each with the fields marked to sit beside it."""
        line: list[FormField] = []
        for f in self.fields:
            if line and not f.beside:
                yield line
                line = []
            line.append(f)
        if line:
            yield line

    def _widget(self, f: FormField) -> Widget:
        widget_id = self.field_id(f.name)
        if f.kind == "checkbox":
            return TickBox(f.label, bool(f.value), id=widget_id)
        if f.kind == "select":
            return Select(
                list(f.options),
                value=f.value if f.value else f.options[0][1],
                allow_blank=False,
                id=widget_id,
            )
        if f.kind == "lines":
            area = TextArea(str(f.value), id=widget_id)
            area.styles.height = f.rows
            return area
        kind = "integer" if f.kind == "integer" else "text"
        return Input(str(f.value), placeholder=f.placeholder, type=kind, id=widget_id)

    def _save_label(self) -> str:
        # Enter in several lines starts a new line, so such a form says how it saves
        several_lines = any(f.kind == "lines" for f in self.fields)
        return _("Save (Ctrl+S)") if several_lines else _("Save (Enter or Ctrl+S)")

    FRAME_ROWS: ClassVar[int] = 10
    """Rows of the dialog that are not fields: border and padding (4), title (2), buttons (4)."""

    def on_resize(self) -> None:
        self._fit_fields()

    def _fit_fields(self) -> None:
        """The fields scroll in what the screen leaves after the title and the buttons, so
        Save is on screen however many fields there are."""
        room = max(3, self.app.size.height - self.FRAME_ROWS)
        self.query_one(".form-fields", VerticalScroll).styles.max_height = room

    def on_mount(self) -> None:
        self._fit_fields()
        # a field takes the keys at once: the scrolling box around the form would otherwise
        # hold the focus, and typing straight away went nowhere
        if self.start_in is not None:
            self.field_widget(self.start_in).focus()
        self._as_opened = self.values()

    # --- values ---------------------------------------------------------------------------

    def values(self) -> dict:
        out: dict = {}
        for f in self.fields:
            widget = self.field_widget(f.name)
            if isinstance(widget, (Checkbox, Select)):
                out[f.name] = widget.value
            elif isinstance(widget, TextArea):
                out[f.name] = widget.text
            else:
                assert isinstance(widget, Input)
                out[f.name] = widget.value.strip()
        return out

    def accept(self, values: dict) -> Any:
        """What the form returns for these values; a ValueError or StoreError refuses them
        (the form stays open and shows the message). Forms that check their values override
        this; by default the values themselves are returned."""
        return values

    def refuse(self, error: Exception) -> None:
        """Say at the top of the form (and in a notice) why it was not saved."""
        message = _("✗ Not saved: %(reason)s", reason=str(error))
        box = self.query_one("#form-error", Static)
        box.update(message)
        box.display = True
        box.scroll_visible(animate=False)
        self.notify(message, title=_("Not saved"), severity="error")

    # --- keys and buttons -----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        try:
            result = self.accept(self.values())
        except (ValueError, StoreError) as error:
            self.refuse(error)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Escape with nothing typed closes at once; after typing it asks, so a slip of the
        key does not lose a written response (issue 25 item 12)."""
        if self.values() == getattr(self, "_as_opened", None):
            self.dismiss(None)
            return
        question = _("What you typed in this form will be lost.")
        self.app.push_screen(
            ConfirmDialog(
                _("Discard your changes?"), question, yes=_("Discard"), no=_("Keep editing")
            ),
            lambda discard: self.dismiss(None) if discard else None,
        )

    def refilled(self, values: dict) -> FormDialog:
        """The same form again, holding what was typed (to correct it after a refusal)."""
        fields = [replace(f, value=values.get(f.name, f.value)) for f in self.fields]
        return FormDialog(self.title_text, fields, self.help_text)


class FormAsker:
    """For screens that ask through FormDialog: `ask(dialog, save)` runs `save(values)` once
    the form is saved; if `save` then refuses the input (calls `reopen_form()` before showing
    the problem), the form opens again with everything typed still in it, under the message,
    so one wrong field does not mean typing the whole form again."""

    _form_retry: tuple[FormDialog, Callable] | None = None

    def ask(self, dialog: FormDialog, save: Callable[[dict | None], None]) -> None:
        def done(values: dict | None) -> None:
            self._form_retry = (dialog.refilled(values), done) if values else None
            try:
                save(values)
            finally:
                self._form_retry = None

        self.app.push_screen(dialog, done)  # type: ignore[attr-defined]

    def reopen_form(self) -> None:
        if self._form_retry is not None:
            dialog, done = self._form_retry
            self._form_retry = None
            self.app.push_screen(dialog, done)  # type: ignore[attr-defined]
