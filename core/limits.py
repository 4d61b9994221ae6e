"""Counts per hour kept in the shared cache, so every web process and host sees the same:
the password reset mails and the accessibility feedback are limited with them."""

from __future__ import annotations

from django.core.cache import cache

HOUR = 3600


def count_this_hour(key: str) -> int:
    """Add one to ``key``'s count for the hour that began at its first count; the new count."""
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        return 1
