"""The administrator's screens for platforms and development needs open, and save through
the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import DevelopmentNeed, Platform
from tests.factories import DevelopmentNeedFactory, OrganisationFactory, PlatformFactory, region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Platform, DevelopmentNeed])
def test_admin_pages_open(admin, model):
    obj = PlatformFactory() if model is Platform else DevelopmentNeedFactory()
    opts = model._meta
    for url in (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?q=a",
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    ):
        assert admin.get(url).status_code == 200, url


def test_platform_saved_in_the_admin_is_validated(admin):
    host = OrganisationFactory(region=None)
    PlatformFactory(name="5G-testiverkko", host_organisation=host, region=region("17"))
    data = {"name": "5g-testiverkko", "kind": "test_environment", "host_organisation": host.pk,
            "region": region("17").pk, "is_active": "on"}
    response = admin.post(reverse("admin:network_platform_add"), data)
    assert response.status_code == 200
    # The default language is Finnish.
    assert "Ylläpitävällä organisaatiolla on jo samanniminen alusta." in response.content.decode()
    data["name"] = "Datalabra"
    assert admin.post(reverse("admin:network_platform_add"), data).status_code == 302
    assert Platform.objects.count() == 2


def test_need_added_in_the_admin_records_who_added_it(admin, admin_user):
    theme = DevelopmentNeedFactory().theme
    response = admin.post(
        reverse("admin:network_developmentneed_add"),
        {"need": "Rahoitus", "theme": theme.pk, "status": "open", "addressed_to": "",
         "addressed_to_other": ""},
    )
    assert response.status_code == 302
    assert DevelopmentNeed.objects.get(need="Rahoitus").created_by == admin_user
