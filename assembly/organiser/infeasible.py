"""Why no panel meets the quotas, in the officer's language.

`sortition` words its explanation in English and gives each line as a `Words` (an English
message id and its values), so the app can look the lines up in its catalogue. Shared by the
quota check, the draw and the replacements.
"""

from __future__ import annotations

from assembly.core.library_words import said
from sortition import Infeasible


def explained(infeasible: Infeasible) -> str:
    """Each line the library gives (`Infeasible.lines`) in the working language, the features
    and values as the organiser named them; its English explanation when it gives no lines."""
    if not infeasible.lines:
        return infeasible.explanation
    return "\n".join(said(line) for line in infeasible.lines)
