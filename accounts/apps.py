from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users' own things and their roles: who is a project manager or a funder, API tokens,
    signed-in sessions."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from accounts import signals
        from accounts.two_factor import mark_session_at_login

        user_logged_in.connect(signals.on_login, dispatch_uid="accounts-session-started")
        user_logged_out.connect(signals.on_logout, dispatch_uid="accounts-session-ended")
        user_logged_in.connect(mark_session_at_login, dispatch_uid="salkku-two-factor")
