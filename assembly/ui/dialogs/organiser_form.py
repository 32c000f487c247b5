"""A small form dialog for Organiser screens: a few labelled text fields, Enter to save,
Escape to cancel. Returns {field key: text} or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Fields in order; Enter in the last field (or ctrl+s) saves, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    DEFAULT_CSS = """
    FormDialog Label { padding-top: 1; }
    FormDialog .form-help { color: $text-muted; }
    """

    def __init__(self, title: str, fields: list[Field], help_text: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.fields = fields
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.help_text:
                yield Static(self.help_text, classes="form-help", markup=False)
            for field in self.fields:
                yield Label(field.label)
                yield Input(
                    value=field.value, placeholder=field.placeholder, id=f"field-{field.key}"
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            inputs[position + 1].focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.dismiss({f.key: self.query_one(f"#field-{f.key}", Input).value for f in self.fields})

    def action_cancel(self) -> None:
        self.dismiss(None)
