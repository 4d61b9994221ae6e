from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        # The summary tables follow every write the services announce (portfolio.changes):
        # the services sit below the dashboards and cannot call them by name.
        from dashboards import summaries
        from portfolio.changes import register_tracker

        register_tracker(summaries.track)
