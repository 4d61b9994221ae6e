"""Template tags about regions."""

from __future__ import annotations

from django import template
from django.conf import settings

from portfolio.models import Region

register = template.Library()


@register.simple_tag
def partner_region_ids() -> list[int]:
    """The ids of the network's partner regions (``NETWORK_REGIONS``), for a link that sets
    the region filter to them: ``{% querystring region=partners page=None %}``."""
    return list(
        Region.objects.filter(code__in=settings.NETWORK_REGIONS)
        .order_by("code")
        .values_list("pk", flat=True)
    )
