"""How people and moments are written on lists, exports and history."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


def user_display(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("an unknown user")
    return user.get_full_name() or user.get_username()


def short_datetime(value: datetime | None) -> str:
    """Lists show d.m.Y H:i: the long admin format pushes the other columns off screen."""
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


# Percentages and ratios are rounded half-up to one decimal everywhere — pages, downloads and
# the report — by these helpers alone. Django's number_format cuts decimals (2/3 → 66,6 %),
# and Python's round() rounds half to even; neither is what a reader checks by hand.
ONE_DECIMAL = 1


def round_half_up(value: Decimal | float, digits: int = ONE_DECIMAL) -> Decimal:
    """``value`` rounded half away from zero to ``digits`` decimals, as a Decimal."""
    exponent = Decimal(1).scaleb(-digits)
    # str() first: a float's binary expansion (0.665 is 0.66499…) must not decide the rounding.
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def share_of(part: Decimal | float, whole: Decimal | float) -> Decimal | None:
    """``part`` ÷ ``whole`` unrounded; None when there is no whole to share."""
    if not whole:
        return None
    return Decimal(str(part)) / Decimal(str(whole))


def percent_value(share: Decimal | float | None, digits: int = ONE_DECIMAL) -> Decimal | None:
    """A share (0.6667) as the fraction a spreadsheet cell holds, rounded as the page shows
    it (0.667 shows as 66,7 %)."""
    if share is None:
        return None
    return round_half_up(Decimal(str(share)) * 100, digits) / 100


def percent_text(share: Decimal | float | None, digits: int = ONE_DECIMAL) -> str:
    """A share (0.6667) as the page writes it: "66,7 %" (in the active language); "—" for none."""
    if share is None:
        return "—"
    value = round_half_up(Decimal(str(share)) * 100, digits)
    return f"{number_format(value, digits, force_grouping=True)}\xa0%"


def ratio_text(ratio: Decimal | float | None, digits: int = ONE_DECIMAL) -> str:
    """A multiple (123.94) as the page writes it: "123,9 ×"; "—" for none."""
    if ratio is None:
        return "—"
    return f"{number_format(round_half_up(ratio, digits), digits, force_grouping=True)}\xa0×"


def whole_text(value: Decimal | float | int) -> str:
    """A number to whole units as the figures write it: rounded half-up and grouped
    ("1 916 248"). Django's number_format with no decimals cuts the fraction instead."""
    return number_format(round_half_up(value, 0), 0, use_l10n=True, force_grouping=True)


def euros_text(amount: Decimal | float | None) -> str:
    """Whole euros as the figures write them: rounded half-up ("1 916 248 €"), never cut."""
    if amount is None:
        return "—"
    return f"{whole_text(amount)} €"
