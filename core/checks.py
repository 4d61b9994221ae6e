"""System checks for running on several processes and hosts (registered in CoreConfig.ready).

``check --deploy`` (``make check``) warns of a cache that each process keeps to itself; every
``check`` (and so every ``migrate`` and server start) refuses a file storage it cannot load.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

# Backends whose entries live in one process (or on one host's disk): counts kept there are
# counted once per worker and host.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend}) is kept by each process: with several web "
            "workers or hosts the API throttles and the password reset limits count "
            "separately in each, letting a client go that many times over them.",
            hint="Leave CACHE_URL unset (the database cache) or set it to a shared cache "
            "such as redis://host:6379/0.",
            id="core.W001",
        )
    ]


@checks.register
def file_storage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    try:
        import_string(backend)
    except ImportError as error:
        hint = "Check STORAGE_BACKEND: a dotted path to a storage class."
        if backend.startswith("storages.") and find_spec("storages") is None:
            hint = 'Install django-storages with its extra: pip install ".[s3]".'
        return [
            checks.Error(
                f"The file storage STORAGE_BACKEND={backend!r} cannot be loaded: {error}",
                hint=hint,
                id="core.E001",
            )
        ]
    return []
