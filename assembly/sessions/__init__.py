"""Sessions: the assembly's meetings as they run. Sessions and their items, attendance, the
speaker queue, speaking time and who is under-heard (equity), ideas and undo; the facilitator's
commands and screens.

May import: `assembly.core`, `assembly.store` and `assembly.organiser` (the panel's features).
Only `screens/` may import Textual and `assembly.ui`; the facilitator's home opens the other
areas' screens by name, so this area does not depend on them.
"""
