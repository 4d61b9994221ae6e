from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network (`manage.py seed_demo`). It fills every app, so it sits above them all."""

    name = "demo"
    verbose_name = "Demo data"
