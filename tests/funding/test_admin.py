"""The funding admin screens save through the funding services and show their refusals."""

from __future__ import annotations

import pytest

import funding.admin
from funding.models import FundingApplication, Implementation
from tests.factories import FundingApplicationFactory, ImplementationFactory
from tests.portfolio.test_admin import admin_url, form_data, refuse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "make", "service", "field", "value"),
    [
        (FundingApplication, FundingApplicationFactory, "application_save", "reference", "UUSI"),
        (Implementation, ImplementationFactory, "implementation_save", "total_budget", "1"),
    ],
    ids=["application", "implementation"],
)
def test_a_refused_save_is_shown_on_the_form_and_saves_nothing(
    admin, monkeypatch, model, make, service, field, value
):
    stored = make()
    before = getattr(stored, field)
    monkeypatch.setattr(funding.admin, service, refuse("Not with these figures.", field))
    url = admin_url(model, "change", stored.pk)
    data = form_data(admin.get(url))
    data[field] = value

    response = admin.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == ["Not with these figures."]
    stored.refresh_from_db()
    assert getattr(stored, field) == before
