"""Short per-letter references: the wave, the letter's place in the wave and a check character,
in Crockford's base 32 (no I, L, O or U), e.g. `1K3-F7Q`.

People copy them from paper into a form or read them down a phone, so the reading forgives
case, spaces, dashes and the look-alikes O/0 and I/L/1, and the Luhn mod 32 check character
catches every single mistyped character and most swapped neighbours.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
POSITIONS = 32**4  # letters per wave a four-character position can number
MAX_WAVE = 31


def _check(body: str) -> str:
    """Luhn mod 32: every second value from the right doubled (folded back into 0-31)."""
    total = 0
    for i, char in enumerate(reversed(body)):
        value = _VALUE[char]
        if i % 2 == 0:
            value *= 2
            value = value // 32 + value % 32
        total += value
    return ALPHABET[(32 - total % 32) % 32]


def make_reference(wave: int, position: int) -> str:
    """The reference of the letter at `position` (0-based) of `wave` (1-31), as printed."""
    if not 1 <= wave <= MAX_WAVE or not 0 <= position < POSITIONS:
        raise ValueError(f"no reference for wave {wave}, position {position}")  # not words
    digits = ""
    for _unused in range(4):
        position, r = divmod(position, 32)
        digits = ALPHABET[r] + digits
    body = ALPHABET[wave] + digits
    code = body + _check(body)
    return f"{code[:3]}-{code[3:]}"


def read_reference(text: str) -> str | None:
    """The reference as stored (`1K3-F7Q`) if `text` is one whose check character holds."""
    code = "".join(c for c in str(text).upper() if c.isalnum()).translate(_LOOKALIKE)
    if len(code) != 6 or any(c not in _VALUE for c in code):
        return None
    if _check(code[:5]) != code[5] or _VALUE[code[0]] == 0:
        return None
    return f"{code[:3]}-{code[3:]}"
