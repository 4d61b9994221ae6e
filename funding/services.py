"""Every write with rules on funding data."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from funding.models import FundingApplication, Implementation
from portfolio.changes import ideas_changing


@transaction.atomic
def application_save(
    *, application: FundingApplication, by: AbstractBaseUser | None
) -> FundingApplication:
    """Create or change a funding application after checking every rule on it.

    ``full_clean`` runs the model's ``clean``, which first clears the decision fields the
    status does not record (see ``FundingApplication.clean``)."""
    application.full_clean()
    application._history_user = by
    # The idea it was filed under before, too: an application moved to another idea
    # changes both ideas' figures.
    stored = FundingApplication.objects.filter(pk=application.pk).values_list("idea_id", flat=True)
    with ideas_changing([application.idea_id, *stored]):
        application.save()
    return application


@transaction.atomic
def application_delete(*, application: FundingApplication, by: AbstractBaseUser | None) -> None:
    """Delete an application (the admin's inline does; the pages never delete them)."""
    application._history_user = by
    with ideas_changing([application.idea_id]):
        application.delete()


@transaction.atomic
def implementation_save(
    *, implementation: Implementation, by: AbstractBaseUser | None
) -> Implementation:
    """Create or change the implementation record of a funded idea."""
    implementation.full_clean()
    implementation._history_user = by
    implementation.save()
    return implementation
