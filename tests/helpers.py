"""Assertions several page tests share."""

import re


def assert_no_inline_code(body: str) -> None:
    """The Content-Security-Policy allows no inline scripts; styles live in the stylesheet.
    JSON data blocks (``type="application/json"``) are data, never run."""
    assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', body)
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)
