"""The notes the app writes into a member's history, each a message with whole-number values.

The file stores a note in English, the message filled in (`written_note`), as it always has:
old files hold these notes and they read the same in any language. A screen or a command shows
one in the working language (`note_in_words`). The one place that knows their wording, shared by
the draw (a member drawn) and the replacements.
"""

from __future__ import annotations

import re

from assembly.core.i18n import N_, _, stored_form

DRAWN_NOTE = N_("draw %(draw)s, panel %(panel)s")
REPLACES_NOTE = N_("replaces member %(old)s (replacement seed %(seed)s)")
REPLACED_NOTE = N_("replaced by member %(new)s (replacement seed %(seed)s)")


# Each value a whole number, as the app writes it.
_NOTES = tuple(
    (message, re.compile(stored_form(message, default=r"-?\d+")))
    for message in (DRAWN_NOTE, REPLACES_NOTE, REPLACED_NOTE)
)


def written_note(message: str, **values: int) -> str:
    """A note as the file stores it: `message` (one of the notes above) in English, filled in."""
    return message % values


def note_in_words(note: str) -> str:
    """A stored history note in the working language: a note the app wrote is recognised and
    worded again; any other (an officer's reason for a change) is shown as it was written."""
    for message, pattern in _NOTES:
        found = pattern.fullmatch(note)
        if found:
            return _(message, **found.groupdict())
    return note
