from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks every app may import; it imports no app of the project."""

    name = "core"
    verbose_name = "Salkku"

    def ready(self) -> None:
        from core import checks  # noqa: F401  (registers the system checks)
