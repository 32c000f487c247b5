"""A small form in a modal: labelled inputs, choices and tick boxes; Enter or Ctrl+S saves,
Escape cancels. The one form of the app: every screen that asks for a few values uses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from assembly.ui.widgets.tick_box import TickBox


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text / select / checkbox
    value: str | bool = ""
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (shown, value)
    placeholder: str = ""


class FormDialog(ModalScreen[dict | None]):
    """Returns {field name: text, chosen value or bool}, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    DEFAULT_CSS = """
    FormDialog .dialog-box { width: 80; max-height: 90%; }
    FormDialog Label { padding-top: 1; }
    FormDialog .form-help { color: $text-muted; padding-bottom: 1; }
    """

    def __init__(self, title: str, fields: list[FormField], help_text: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.fields = fields
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.help_text:
                yield Static(self.help_text, classes="form-help", markup=False)
            for f in self.fields:
                if f.kind == "checkbox":
                    yield TickBox(f.label, bool(f.value), id=f"field-{f.name}")
                    continue
                yield Label(f.label)
                if f.kind == "select":
                    yield Select(
                        list(f.options),
                        value=f.value if f.value else f.options[0][1],
                        allow_blank=False,
                        id=f"field-{f.name}",
                    )
                else:
                    yield Input(str(f.value), placeholder=f.placeholder, id=f"field-{f.name}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        # the first field takes the keys at once: the scrolling box around the form would
        # otherwise hold the focus, and typing straight away went nowhere
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> dict:
        out: dict = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, (Checkbox, Select)):
                out[f.name] = widget.value
            else:
                assert isinstance(widget, Input)
                out[f.name] = widget.value.strip()
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)

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


class InfoDialog(ModalScreen[None]):
    """Shows a text (a topic's history, a vote's full result); Enter or Escape closes it."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.text, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (Enter)", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
