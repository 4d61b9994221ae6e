from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Shared platforms and test environments, theme pages and theme groups' development needs."""

    name = "network"
    verbose_name = _("Network tools")
