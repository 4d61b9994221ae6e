"""The admin reads amounts as every other page does: every euro or indicator value field of
every admin form and inline reads Finnish and English writing alike and refuses 1,250."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.utils import translation

from core.forms import MoneyField

pytestmark = pytest.mark.django_db


def _amount_fields(model: type[models.Model]) -> set[str]:
    return {
        field.name for field in model._meta.get_fields()
        if isinstance(field, models.DecimalField) and field.max_digits >= 12
    }


def _admin_forms(request):
    """(model admin or inline, form class) for every registered model and its inlines."""
    for model, model_admin in django_admin.site._registry.items():
        yield model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_formset(request).form


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_amount_field_in_the_admin_reads_amounts_alike(admin_user, language):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked = set()
    with translation.override(language):
        for model, form in _admin_forms(request):
            for name in _amount_fields(model) & set(form.base_fields):
                field = form.base_fields[name]
                assert isinstance(field, MoneyField), (model, name)
                assert field.clean("12 500,50") == Decimal("12500.50")
                assert field.clean("12\xa0500,50 €") == Decimal("12500.50")
                assert field.clean("12,500.50") == Decimal("12500.50")
                with pytest.raises(ValidationError):
                    field.clean("1,250")
                checked.add((model.__name__, name))
    assert {
        ("Idea", "estimated_budget"), ("ConsortiumMember", "budget_share"),
        ("FundingApplication", "requested"), ("FundingApplication", "granted"),
        ("Implementation", "total_budget"), ("Target", "target_value"), ("ManualValue", "value"),
    } <= checked
