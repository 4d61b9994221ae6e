from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VuosikelloConfig(AppConfig):
    """The network's annual calendar: entries, the year wheel, iCal feeds and reminders."""

    name = "vuosikello"
    verbose_name = _("Annual calendar")
