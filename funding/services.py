"""Every write with rules on funding data."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from funding.models import FundingApplication, Implementation


@transaction.atomic
def application_save(
    *, application: FundingApplication, by: AbstractBaseUser | None
) -> FundingApplication:
    """Create or change a funding application after checking every rule on it.

    ``full_clean`` runs the model's ``clean``, which first clears the decision fields the
    status does not record (see ``FundingApplication.clean``)."""
    application.full_clean()
    application._history_user = by
    application.save()
    return application


@transaction.atomic
def implementation_save(
    *, implementation: Implementation, by: AbstractBaseUser | None
) -> Implementation:
    """Create or change the implementation record of a funded idea."""
    implementation.full_clean()
    implementation._history_user = by
    implementation.save()
    return implementation
