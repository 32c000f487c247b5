"""Agenda: what the assembly talks about and what it concludes. Topics residents propose,
the votes that prioritise them, the agenda built from the ranking, recommendations and their
votes, and the room (`room/`: phone pages on the facilitator's laptop feeding the same votes).

May import: `assembly.core`, `assembly.store`, `sortition`, `assembly.sessions` (an agenda
becomes a session's items) and `assembly.feedback` (recommendations are logged for scrutiny).
Only `screens/` may import Textual and `assembly.ui`.
"""
