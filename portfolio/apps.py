from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from django.db.models import fields

        # The empty choice of every select. Django's own label has no Finnish translation
        # yet; Django asks projects to set their own here.
        fields.BLANK_CHOICE_LABEL = _("– Choose –")
