from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Residents' accounts: signing up (by email for now; by mobile number and SMS code to come)."""

    name = "accounts"
    verbose_name = _("账号")
