"""A reading-age check for the letter's template: residents of every reading level get it.

The Flesch-Kincaid grade (0.39 words per sentence + 11.8 syllables per word - 15.59) plus five
gives a reading age in years; plain-English guidance in the UK aims at about nine to eleven.
Syllables are counted by vowel groups, which is rough for a word but fair over a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET_AGE = 11.0  # above this the letter is flagged for rewording
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE = re.compile(r"[.!?:]+(\s|$)")
_PLACEHOLDER = re.compile(r"\$\w+|https?://\S+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    reading_age: float
    long_sentences: tuple[str, ...]  # over 25 words

    @property
    def plain(self) -> bool:
        return self.reading_age <= TARGET_AGE and not self.long_sentences


def syllables(word: str) -> int:
    w = word.lower().strip("'’-")
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def check_text(markdown: str) -> Readability:
    """The reading age of `markdown` (headings, emphasis and placeholders left out)."""
    text = "\n".join(line for line in markdown.splitlines() if not line.lstrip().startswith("#"))
    text = _PLACEHOLDER.sub("it", text.replace("*", "").replace("_", " "))
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    words = _WORD.findall(text)
    if not words:
        return Readability(0, 0, 0, 0.0, ())
    n_sentences = max(1, len([s for s in sentences if _WORD.search(s)]))
    n_syllables = sum(syllables(w) for w in words)
    grade = 0.39 * len(words) / n_sentences + 11.8 * n_syllables / len(words) - 15.59
    long = tuple(s for s in sentences if len(_WORD.findall(s)) > 25)
    return Readability(len(words), n_sentences, n_syllables, max(5.0, grade + 5), long)
