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


def test_admin_shows_the_narrative_read_only(admin):
    run = ReportRunFactory(highlights="Kolme konsortiota.", plans="Roadshow Seinäjoella.")
    listing = admin.get(reverse("admin:dashboards_reportrun_changelist")).content.decode()
    assert 'alt="True"' in listing  # the narrative column
    detail = admin.get(reverse("admin:dashboards_reportrun_change", args=[run.pk]))
    body = detail.content.decode()
    assert "Kolme konsortiota." in body and "Roadshow Seinäjoella." in body
    assert 'name="highlights"' not in body  # shown, not editable


def test_admin_lists_report_mailings_read_only(admin):
    from datetime import date

    from django.utils import timezone

    from dashboards.models import ReportMailing

    run = ReportRunFactory()
    mailing = ReportMailing.objects.create(
        period_start=date(2023, 4, 1), period_end=date(2023, 6, 30), language="fi",
        recipients="hallitus@example.fi", run=run, sent_at=timezone.now(),
    )
    listing = admin.get(reverse("admin:dashboards_reportmailing_changelist"))
    assert listing.status_code == 200 and "hallitus@example.fi" in listing.content.decode()
    detail = admin.get(reverse("admin:dashboards_reportmailing_change", args=[mailing.pk]))
    assert detail.status_code == 200
    assert admin.get(reverse("admin:dashboards_reportmailing_add")).status_code == 403
