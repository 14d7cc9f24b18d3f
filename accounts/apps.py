from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts: a phone number and an SMS code to sign up and log in, one verified mobile per account."""

    name = "accounts"
    verbose_name = _("账号")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
