"""Break opportunities in long Finnish words, for narrow columns such as the board's cards.

A browser hyphenates Finnish only where it has a Finnish dictionary, and Chromium on Linux has
none: "kemianteollisuudessa" then breaks wherever the column ends, mid-syllable and without a
hyphen. A soft hyphen (U+00AD) at each syllable boundary lets any browser break there, with a
hyphen shown, and nowhere else. The boundary is the Finnish rule's main case: before a
consonant that is followed by a vowel ("kemi­an­te­ol­li­suu­des­sa" breaks as
"ke­mian­teol­li­suu­des­sa"), never inside a word's leading consonants ("strategia" keeps
"stra"), and never leaving fewer than two letters on a line.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\u00ad"
VOWELS = frozenset("aeiouyäöåAEIOUYÄÖÅ")
# Words shorter than this fit any column; breaking them would only add noise.
LONG_WORD = 12
WORD = re.compile(rf"[^\W\d_]{{{LONG_WORD},}}")


def syllable_breaks(word: str) -> list[int]:
    """The positions in ``word`` before which it may break."""
    breaks = []
    seen_vowel = False
    for index, letter in enumerate(word[:-1]):
        if letter in VOWELS:
            seen_vowel = True
            continue
        if (
            seen_vowel
            and word[index + 1] in VOWELS
            and index >= 2
            and len(word) - index >= 2
            and (not breaks or index - breaks[-1] >= 2)
        ):
            breaks.append(index)
    return breaks


def hyphenate(text: str) -> str:
    """``text`` with a soft hyphen at each syllable boundary of its long words."""

    def soften(match: re.Match) -> str:
        word = match.group(0)
        pieces, last = [], 0
        for index in syllable_breaks(word):
            pieces.append(word[last:index])
            last = index
        pieces.append(word[last:])
        return SOFT_HYPHEN.join(pieces)

    return WORD.sub(soften, text)
