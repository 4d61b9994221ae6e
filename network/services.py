"""Every write with rules on platforms and development needs. Views, the idea form and the
demo data call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from network.models import DevelopmentNeed, Platform
from portfolio.models import Idea, Theme


@transaction.atomic
def platform_save(
    *,
    platform: Platform,
    by: AbstractBaseUser | None,
    themes: Iterable[Theme] | None = None,
) -> Platform:
    """Create or change a platform. Without a region it is in its host organisation's."""
    if platform.region_id is None and platform.host_organisation_id is not None:
        platform.region_id = platform.host_organisation.region_id
        if platform.region_id is None:
            raise ValidationError(
                {"region": _("Choose the region: the host organisation has none recorded.")}
            )
    platform.name = platform.name.strip()
    platform.full_clean()
    platform.save()
    if themes is not None:
        platform.themes.set(themes)
    return platform


@transaction.atomic
def idea_platforms_set(
    *, idea: Idea, platforms: Iterable[Platform], by: AbstractBaseUser | None
) -> Idea:
    """Record the platforms ``idea`` plans to use. A platform no longer available can stay
    where it was named, but cannot be newly chosen."""
    chosen = {platform.pk: platform for platform in platforms}
    already = set(idea.platforms.values_list("pk", flat=True)) if idea.pk else set()
    retired = sorted(
        platform.name
        for pk, platform in chosen.items()
        if pk not in already and not platform.is_active
    )
    if retired:
        raise ValidationError(
            {
                "platforms": _("No longer available, so it cannot be chosen: %(names)s.")
                % {"names": ", ".join(retired)}
            }
        )
    idea.platforms.set(chosen.values())
    return idea


@transaction.atomic
def need_save(*, need: DevelopmentNeed, by: AbstractBaseUser | None) -> DevelopmentNeed:
    """Record a new development need (``by`` is kept as who recorded it) or change one."""
    need.need = need.need.strip()
    need.addressed_to_other = need.addressed_to_other.strip()
    if need.pk is None:
        need.created_by = by
    need.full_clean()
    need.save()
    return need
