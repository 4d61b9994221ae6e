from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The accessibility statement that Finnish law (306/2019) asks of a public digital
    service, with its feedback channel; the administrator keeps its facts current."""

    name = "accessibility"
    verbose_name = _("Accessibility")
