"""Comparing what people type: one rule for "the same text" wherever names are matched."""

from __future__ import annotations


def normal(text: object) -> str:
    """Text compared without regard to letter case, extra spaces or a required mark.

    Python's casefold rather than the database's lower(): SQLite's is ASCII-only, and
    "ÄLYKÄS" must match "älykäs" on every database."""
    return " ".join(str(text).replace("*", " ").split()).casefold()
