from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MineConfig(AppConfig):
    """我的: one page for everything a resident has (pickup codes first), and their settings."""

    name = "mine"
    verbose_name = _("我的")
