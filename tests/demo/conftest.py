"""What the demo data's tests share."""

import pytest

from demo import writers


@pytest.fixture
def small_service_share(monkeypatch):
    """Most ideas through the bulk writer, in several chunks, to keep the runs quick."""
    monkeypatch.setattr(writers, "SERVICE_IDEAS", 20)
    monkeypatch.setattr(writers, "BULK_CHUNK", 100)
