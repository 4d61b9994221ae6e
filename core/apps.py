from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks every app may import; it imports no app of the project."""

    name = "core"
    verbose_name = "Salkku"
