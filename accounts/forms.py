"""Password forms: Django's, with the rules for a new password said in one plain sentence
(Django's own help is a list in HTML that the site's field template puts in a paragraph)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext as _


def new_password_help() -> str:
    return _(
        "At least %(count)s characters. Not only digits, not a common password, and not "
        "like your name, user name or e-mail address."
    ) % {"count": settings.PASSWORD_MIN_LENGTH}


class NewPasswordForm(SetPasswordForm):
    """A new password after a reset link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = new_password_help()


class OwnPasswordChangeForm(PasswordChangeForm):
    """The signed-in user's new password: the current one first."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = new_password_help()
        # The page has other things on it: the cursor waits until the user comes here.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
