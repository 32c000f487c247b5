"""The agenda area's one error type, raised by its topics, rounds, agendas and recommendations."""

from __future__ import annotations


class AgendaError(ValueError):
    """Something the agenda or recommendations services refuse, said in plain words."""

    title = "Cannot do that"
