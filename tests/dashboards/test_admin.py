"""Stored reports in the admin: listed and shown read-only, never added or edited there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards.models import ReportRun
from tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_reports_read_only(admin):
    run = ReportRunFactory()
    listing = admin.get(reverse("admin:dashboards_reportrun_changelist"))
    assert listing.status_code == 200 and run.sha256 in listing.content.decode()
    detail = admin.get(reverse("admin:dashboards_reportrun_change", args=[run.pk]))
    assert detail.status_code == 200
    assert admin.get(reverse("admin:dashboards_reportrun_add")).status_code == 403
    before = ReportRun.objects.get().sha256
    admin.post(reverse("admin:dashboards_reportrun_change", args=[run.pk]), {"sha256": "0" * 64})
    assert ReportRun.objects.get().sha256 == before
