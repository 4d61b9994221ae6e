"""Finnish business ID (Y-tunnus) handling."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

BUSINESS_ID_FORM = re.compile(r"^\d{7}-\d$")


def normalize_business_id(value: str | None) -> str:
    """The stored form: surrounding spaces removed, nothing else changed."""
    return (value or "").strip()


def validate_business_id(value: str) -> None:
    """Accept exactly ``NNNNNNN-N`` with a correct check digit (weights 7,9,10,5,8,4,2)."""
    value = normalize_business_id(value)
    if not value:
        return
    if not BUSINESS_ID_FORM.match(value):
        raise ValidationError(
            _("“%(value)s” is not a Y-tunnus: write seven digits, a hyphen and a check digit, "
              "for example 2252888-5."),
            code="business_id_format",
            params={"value": value},
        )
    try:
        ytunnus.validate(value)
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit of Y-tunnus %(value)s is wrong; check the number."),
            code="business_id_checksum",
            params={"value": value},
        ) from None
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid Y-tunnus."),
            code="business_id_invalid",
            params={"value": value},
        ) from None
