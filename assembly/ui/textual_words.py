"""Textual's own words the app shows, marked so the working language's catalogue has them: the
command palette's commands and the keys of the widgets the screens use (the palette and the
keys panel list a focused widget's keys, `assembly.ui.translated`). A test checks this list
against Textual's, so an upgrade that adds one fails until it is here."""

from __future__ import annotations

from assembly.core.i18n import N_

WIDGETS = (
    "DataTable",  # not words
    "Input",  # not words
    "TextArea",  # not words
    "OptionList",  # not words
    "Select",
    "Checkbox",  # not words
    "Button",  # not words
    "Tabs",  # not words
)

COMMANDS = (
    N_("palette"),  # the footer's Ctrl+P
    N_("Open the command palette"),  # its tooltip, on the keys panel
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide keys and help panel"),
    N_("Hide the keys and widget help panel"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
)

KEYS = (
    N_("Select"),
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor right"),
    N_("Cursor left"),
    N_("Page up"),
    N_("Page down"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character right"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Copy selected text"),
    N_("Paste text from the clipboard"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Select line"),
    N_("Cut"),
    N_("Copy"),
    N_("Paste"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Delete line"),
    N_("Undo"),
    N_("Redo"),
    N_("Down"),
    N_("Last"),
    N_("First"),
    N_("Page Down"),
    N_("Page Up"),
    N_("Up"),
    N_("Show menu"),
    N_("Dismiss menu"),
    N_("Toggle"),
    N_("Press button"),
    N_("Previous tab"),
    N_("Next tab"),
    N_("Focus Next"),
    N_("Focus Previous"),
    # the keys of anything that scrolls (a table, a list, a scrolled pane)
    N_("Page Left"),
    N_("Page Right"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
)
