"""Uploaded files are received with a cap, so an oversized upload never fills the disk."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Writes at most ``IMPORT_MAX_BYTES`` of a file and drops the rest while still counting
    it, so the file's ``size`` is the size that was sent and the import form can refuse it
    by its real size. (Small uploads stay in memory and never reach this handler.)"""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.IMPORT_MAX_BYTES - start
        if room > 0:
            self.file.write(raw_data[:room])
