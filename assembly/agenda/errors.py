"""The agenda area's one error type, raised by its topics, rounds, agendas and recommendations."""

from __future__ import annotations

from assembly.core.i18n import N_, _


class AgendaError(ValueError):
    """Something the agenda or recommendations services refuse, said in plain words."""

    title = N_("Cannot do that")

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.title = _(type(self).title)
