"""The assembly file's whole schema: every area's migrations, in one list.

The store applies migrations but may not import the areas (they build on it), so the list of
areas lives here, above both; `assembly/__init__.py` registers it with the store.
"""

from __future__ import annotations

from assembly.agenda import schema as agenda
from assembly.budgets import phone_schema as budget_phones
from assembly.budgets import schema as budgets
from assembly.core import schema as core
from assembly.feedback import schema as feedback
from assembly.invitations import schema as invitations
from assembly.organiser import draws_schema as organiser_draws
from assembly.organiser import schema as organiser
from assembly.sessions import schema as sessions
from assembly.store.migrations import Migration
from assembly.tables import schema as tables

MIGRATIONS: tuple[Migration, ...] = (
    *core.MIGRATIONS,
    *organiser.MIGRATIONS,
    *organiser_draws.MIGRATIONS,
    *sessions.MIGRATIONS,
    *agenda.MIGRATIONS,
    *tables.MIGRATIONS,
    *feedback.MIGRATIONS,
    *budgets.MIGRATIONS,
    *budget_phones.MIGRATIONS,
    *invitations.MIGRATIONS,
)
